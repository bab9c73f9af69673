"""Where the time of a note save goes: how long the write lock is held, and what runs inside it.

Runs the web app in this process (FastAPI's TestClient) over a temporary store and lets N threads
save notes (``PUT /api/visits/{id}/note``) of their own draft visits, as ``bench_web.py`` does
over HTTP. The store's transaction is wrapped to time, per save: waiting for the write lock (on
SQLite, the process's gate, then ``BEGIN IMMEDIATE``), holding it (from taking it to the end of
the commit), the SQL statements run while it is held and the commit itself. Reports; asserts
nothing. Timings include the GIL shared with the other threads, as in the real server.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event

from myomap.config import load_settings
from myomap.services.database import Store, open_store
from myomap.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


class Probe:
    """Per-transaction timings, collected by wrapping ``Store.transaction`` and SQL events."""

    def __init__(self, store: Store) -> None:
        self.local = threading.local()
        self.rows: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.original = store.transaction
        store.transaction = self.transaction  # type: ignore[method-assign]
        self.store = store
        event.listen(store.engine, "before_cursor_execute", self._before)
        event.listen(store.engine, "after_cursor_execute", self._after)
        event.listen(store.engine, "commit", self._commit_start)
        event.listen(store.sessions, "after_begin", self._began)
        event.listen(store.sessions, "after_commit", self._committed)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        row: dict[str, Any] = {"sql": 0.0, "statements": 0, "names": []}
        self.local.row = row
        asked = time.perf_counter()
        gate = self.store.gate
        if gate is not None:
            gate.acquire()
        got = time.perf_counter()
        row["wait_gate"] = got - asked
        try:
            with self.original() as session:
                yield session
                row["body_end"] = time.perf_counter()
        finally:
            end = time.perf_counter()
            if gate is not None:
                gate.release()
            row["hold"] = end - got
            row["setup"] = row.get("began", got) - got
            row["body"] = row.get("body_end", end) - row.get("began", got)
            row["commit"] = row.get("committed", end) - row.get("commit_start", end)
            row["teardown"] = end - row.get("committed", end)
            with self.lock:
                self.rows.append(row)
            self.local.row = None

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["t0"] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        row = getattr(self.local, "row", None)
        if row is None:
            return
        took = time.perf_counter() - conn.info.pop("t0", time.perf_counter())
        row["sql"] += took
        row["statements"] += 1
        row["names"].append(statement.split()[0] + " " + _table(statement))
        if statement.startswith("BEGIN"):
            row["begin"] = took

    def _began(self, *args: Any) -> None:
        row = getattr(self.local, "row", None)
        if row is not None:
            row["began"] = time.perf_counter()

    def _committed(self, *args: Any) -> None:
        row = getattr(self.local, "row", None)
        if row is not None:
            row["committed"] = time.perf_counter()

    def _commit_start(self, conn: Any) -> None:
        row = getattr(self.local, "row", None)
        if row is not None:
            row["commit_start"] = time.perf_counter()


def _table(statement: str) -> str:
    words = statement.replace("\n", " ").split()
    for key in ("FROM", "INTO", "UPDATE"):
        if key in words and words.index(key) + 1 < len(words):
            return words[words.index(key) + 1]
    return ""


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=8, help="concurrent threads")
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--database", default=None, help="record store URL (default temp SQLite)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = args.database or f"sqlite:///{tmp / 'profile.sqlite3'}"
        store = open_store(url)
        settings = load_settings(
            {
                "MYOMAP_DATA_DIR": str(tmp / "data"),
                "MYOMAP_HOST": "127.0.0.1",
                "MYOMAP_DATABASE_URL": url,
            }
        )
        web = TestClient(create_app(settings, store=store), base_url="http://127.0.0.1")
        web.headers["X-CSRF-Token"] = web.get("/api/session").json()["csrf_token"]
        visits = []
        for k in range(args.clients):
            cid = web.post("/api/clients", json={"display_name": f"Bench {k}"}).json()["id"]
            visits.append(web.post(f"/api/clients/{cid}/visits", json={}).json()["id"])
        probe = Probe(store)
        latencies: list[float] = []
        stop = time.monotonic() + args.seconds

        def worker(k: int) -> None:
            n = 0
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = web.put(
                    f"/api/visits/{visits[k]}/note",
                    json={"subjective": f"Review {n}: pain 4/10.", "plan": "Continue home care."},
                )
                latencies.append(time.perf_counter() - t0)
                assert r.status_code == 200, r.text
                n += 1

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        store.close()
    rows = [r for r in probe.rows if any(n.startswith("UPDATE visit") for n in r["names"])]
    print(f"note save, in process, {args.clients} threads, {store.backend}, {len(latencies)} saves")
    p50, p99 = _ms(latencies, 0.5), _ms(latencies, 0.99)
    print(f"  request latency        p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")
    for key, label in (
        ("wait_gate", "waiting for the lock"),
        ("hold", "lock held (whole)"),
        ("setup", "  session, connection"),
        ("body", "  work before commit"),
        ("sql", "  SQL (BEGIN included)"),
        ("commit", "  commit (fsync)"),
        ("teardown", "  closing the session"),
    ):
        values = [r.get(key, 0.0) for r in rows]
        print(f"  {label:<22} p50 {_ms(values, 0.5):6.1f} ms  p99 {_ms(values, 0.99):6.1f} ms")
    other = len(probe.rows) - len(rows)
    if rows:
        print(f"  statements per save: {statistics.median(r['statements'] for r in rows):g}")
        print("  " + ", ".join(rows[-1]["names"]))
    print(f"  other transactions during the run: {other}")


if __name__ == "__main__":
    main()
