"""Smoke test of an installed myomap: the paths a fresh install must not break.

Run with the Python of the environment to check (scripts/check_floors.sh runs it in a venv that
holds the declared minimum versions). It needs nothing but the standard library and myomap:
``myomap locate``, the demo clients, a clinician PDF, a FHIR export and the web app's first page,
each through the installed ``myomap`` command, in a throwaway data folder; with
``MYOMAP_TEST_DATABASE_URL`` set (scripts/test.sh sets it), also a migration, the demo clients and
a ``pg_dump`` backup in a throwaway PostgreSQL schema. Exits non-zero with the failing step's
output on the first failure.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def _myomap(env: dict[str, str], *args: str) -> str:
    cmd = [str(BIN / "myomap"), *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        sys.stderr.write(f"FAILED: myomap {' '.join(args)} (exit {done.returncode})\n")
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(1)
    return done.stdout


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _first_page(env: dict[str, str]) -> str:
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "myomap"), "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                err = server.stderr.read() if server.stderr else ""
                sys.stderr.write(f"FAILED: myomap serve exited\n{err}")
                raise SystemExit(1)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as resp:
                    body: str = resp.read().decode("utf-8")
                    return body
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        sys.stderr.write("FAILED: the web app did not answer within 60 s\n")
        raise SystemExit(1)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _postgresql(env: dict[str, str], work: Path, base: str) -> None:
    """The clinic-server path on the installed driver: migrate, seed and pg_dump one schema."""
    import uuid
    from urllib.parse import quote

    import psycopg

    schema = f"myomap_smoke_{uuid.uuid4().hex[:12]}"
    plain = base.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        sep = "&" if "?" in plain else "?"
        pg_env = dict(env, MYOMAP_DATABASE_URL=plain + sep + "options="
                      + quote(f"-csearch_path={schema}"))
        _myomap(pg_env, "db", "upgrade")
        _myomap(pg_env, "demo")
        dump = work / "clinic.dump"
        _myomap(pg_env, "backup", str(dump))
        assert dump.read_bytes()[:5] == b"PGDMP", "myomap backup wrote no pg_dump archive"
        _say("ok   PostgreSQL: migrate, demo, pg_dump backup")
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="myomap-smoke-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("MYOMAP_")}
        env["MYOMAP_DATA_DIR"] = str(work / "data")
        env.pop("PYTHONPATH", None)  # the installed package, not a source tree

        assert "locate" in _myomap(env, "--help"), "the command list lacks locate"
        _myomap(env, "locate", "--help")
        _say("ok   help")

        ranked = json.loads(_myomap(env, "locate", "upper trapezius region", "--json"))
        assert ranked, "locate returned nothing"
        _say("ok   locate")

        _myomap(env, "demo")
        pdf = work / "report.pdf"
        _myomap(env, "report", "1", "-o", str(pdf))
        assert pdf.read_bytes()[:5] == b"%PDF-", "report is not a PDF"
        _say(f"ok   report PDF ({pdf.stat().st_size} bytes)")

        bundle_path = work / "bundle.json"
        _myomap(env, "export", "fhir", "1", "-o", str(bundle_path))
        bundle = json.loads(bundle_path.read_text(encoding="utf-8"))
        assert bundle.get("resourceType") == "Bundle" and bundle.get("entry"), "empty Bundle"
        _say(f"ok   FHIR export ({len(bundle['entry'])} entries)")

        page = _first_page(env)
        assert "myomap" in page.lower(), "first page does not name the app"
        _say("ok   web app first page")

        base = os.environ.get("MYOMAP_TEST_DATABASE_URL", "")
        if base.startswith("postgresql"):
            _postgresql(env, work, base)


if __name__ == "__main__":
    main()
