"""Web load benchmark: requests per second and latency of ``POST /api/locate`` and of saving a
visit note (``PUT /api/visits/{id}/note``) under N concurrent clients.

Starts the real server (``python -m myomap serve``) on a free loopback port over a temporary
database (SQLite unless ``--database`` names another), one draft visit per client, then lets the
clients hammer one endpoint at a time for a fixed number of seconds. Reports; asserts nothing.
The load generator runs on the same machine, so it competes with the server for the CPU.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

DRAWING = {
    "format": "myomap.drawing/1",
    "areas": [
        {
            "regions": ["temple_r", "neck_back_r", "shoulder_top_r"],
            "intensity": 6,
            "quality": "aching",
        },
        {"regions": ["scapula_medial_r"], "intensity": 4},
    ],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(tmp: Path, workers: int, database: str | None) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, "MYOMAP_DATA_DIR": str(tmp / "data")}
    env["MYOMAP_DATABASE_URL"] = database or f"sqlite:///{tmp / 'bench.sqlite3'}"
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "myomap", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/session", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not start")


def session(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    token = client.get("/api/session").json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return client


def run(
    name: str,
    clients: list[httpx.Client],
    seconds: float,
    call: Callable[[httpx.Client, int, int], httpx.Response],
) -> dict[str, Any]:
    latencies: list[list[float]] = [[] for _ in clients]
    errors = [0] * len(clients)
    stop = time.monotonic() + seconds

    def worker(k: int) -> None:
        n = 0
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            r = call(clients[k], k, n)
            latencies[k].append(time.perf_counter() - t0)
            if r.status_code >= 400:
                errors[k] += 1
            n += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    flat = sorted(x for per in latencies for x in per)
    p99 = flat[min(len(flat) - 1, int(0.99 * len(flat)))] if flat else float("nan")
    return {
        "endpoint": name,
        "requests": len(flat),
        "errors": sum(errors),
        "rps": len(flat) / elapsed,
        "p50_ms": 1000 * statistics.median(flat) if flat else 0.0,
        "p99_ms": 1000 * p99,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--seconds", type=float, default=8.0, help="duration of each scenario")
    ap.add_argument("--database", default=None, help="record store URL (default temp SQLite)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        proc, base = start(Path(tmp_name), args.workers, args.database)
        try:
            clients = [session(base) for _ in range(args.clients)]
            visits = []
            for k, c in enumerate(clients):
                cid = c.post("/api/clients", json={"display_name": f"Bench {k}"}).json()["id"]
                visits.append(c.post(f"/api/clients/{cid}/visits", json={}).json()["id"])
            for c in clients:  # warm every worker's caches
                c.post("/api/locate", json={"drawing": DRAWING})

            def locate(c: httpx.Client, k: int, n: int) -> httpx.Response:
                return c.post("/api/locate", json={"drawing": DRAWING, "top": 10})

            def save(c: httpx.Client, k: int, n: int) -> httpx.Response:
                return c.put(
                    f"/api/visits/{visits[k]}/note",
                    json={
                        "subjective": f"Review {n}: pain 4/10 at worst.",
                        "plan": "Continue home care.",
                    },
                )

            results = [
                run("POST /api/locate", clients, args.seconds, locate),
                run("PUT /api/visits/{id}/note", clients, args.seconds, save),
            ]
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    backend = "PostgreSQL" if args.database and "postgres" in args.database else "SQLite"
    print(
        f"myomap web: {args.clients} concurrent clients, {args.workers} worker(s), "
        f"{backend}, {args.seconds:g} s per endpoint, loopback"
    )
    print(
        f"{'endpoint':<28} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
    )
    for r in results:
        print(
            f"{r['endpoint']:<28} {r['requests']:>9} {r['errors']:>7} {r['rps']:>8.1f} "
            f"{r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f}"
        )


if __name__ == "__main__":
    main()
