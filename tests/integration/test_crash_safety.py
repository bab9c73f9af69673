"""A writer killed with SIGKILL in the middle of its transactions leaves a consistent store, and
the web app killed during concurrent writes has kept every write it acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from myomap.services import clients, visits
from myomap.services.database import Store
from myomap.store.orm import Client, Visit

VISITS_PER_CLIENT = 400

WRITER = """
import sys
from myomap.services import clients, visits
from myomap.services.database import open_store

store = open_store(sys.argv[1])
n = int(sys.argv[2])
i = 0
while True:
    with store.transaction() as s:
        cid = clients.add_client(s, display_name="Crash Test", external_ref=f"crash-{i}").id
        for k in range(n):
            vid = visits.start_visit(s, cid).id
            visits.write_note(s, vid, sections={"subjective": "x" * 200})
            if k == 20:
                print(f"inserting {i}", flush=True)
    print(f"committed {i}", flush=True)
    i += 1
"""


def _run_and_kill(url: str, after_commits: int) -> int:
    """Start the writer, SIGKILL it while transaction number ``after_commits`` is writing."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, str(VISITS_PER_CLIENT)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    committed = 0
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        while True:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(
                    "writer exited early: " + (proc.stderr.read() if proc.stderr else "")
                )
            if line.startswith("committed"):
                committed = int(line.split()[1]) + 1
            if line == f"inserting {after_commits}\n":
                break  # rows of this transaction are flushed; it is far from its commit
            assert time.monotonic() < deadline, "writer too slow"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    assert committed == after_commits
    return committed


def test_sigkill_mid_transaction_leaves_all_or_nothing(db: Store) -> None:
    with db.transaction() as s:
        before = clients.add_client(s, display_name="Committed Earlier").id
    db.close()  # the writer is the only connection while it runs
    committed = _run_and_kill(db.url, after_commits=2)

    with db.transaction() as s:
        crash_clients = s.scalars(select(Client).where(Client.external_ref.like("crash-%"))).all()
        counts = {
            c.id: s.scalar(select(func.count()).select_from(Visit).where(Visit.client_id == c.id))
            for c in crash_clients
        }
        orphans = s.scalar(
            select(func.count()).select_from(Visit).where(Visit.client_id.not_in(select(Client.id)))
        )
        assert clients.get_client(s, before).display_name == "Committed Earlier"
    # Every transaction the writer finished is there; the interrupted one left no trace.
    assert len(counts) == committed
    assert set(counts.values()) == {VISITS_PER_CLIENT}
    assert orphans == 0
    if db.backend == "sqlite":
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    # The store still takes writes after the crash.
    with db.transaction() as s:
        vid = visits.start_visit(s, before).id
    with db.transaction() as s:
        assert visits.show_visit(s, vid).client_id == before


def test_sqlite_file_survives_kill_without_leftover_lock(tmp_path: Path) -> None:
    from myomap.services.database import open_store

    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    open_store(url).close()
    _run_and_kill(url, after_commits=1)
    store = open_store(url)
    try:
        started = time.monotonic()
        with store.transaction() as s:
            clients.add_client(s, display_name="After Crash")
        assert time.monotonic() - started < 5  # no stale lock to wait out
    finally:
        store.close()


ADDER = """
import sys
from myomap.services import clients
from myomap.services.database import open_store

store = open_store(sys.argv[1])
for i in range(int(sys.argv[3])):
    with store.transaction() as s:
        clients.add_client(s, display_name="Writer", external_ref=f"{sys.argv[2]}-{i}")
store.close()
"""


def test_concurrent_writers_wait_for_each_other(db: Store) -> None:
    """Two processes writing at once both succeed (SQLite: busy timeout, not 'locked' errors)."""
    db.close()
    per_writer = 60
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, db.url, name, str(per_writer)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    errors = [p.communicate(timeout=180)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    with db.transaction() as s:
        refs = s.scalars(select(Client.external_ref)).all()
    assert sorted(str(r) for r in refs) == sorted(
        f"{n}-{i}" for n in ("a", "b") for i in range(per_writer)
    )


# -- the web app killed during concurrent writes ---------------------------------------------

WEB_WRITERS = 6


def _web_writer(
    base: str, k: int, vid: int, stop: threading.Event, acked: dict[str, list[Any]]
) -> None:
    """Alternate note saves (``n`` rises) and new clients; remember what the server confirmed."""
    with httpx.Client(base_url=base, timeout=30, headers={"Origin": base}) as c:
        c.headers["X-CSRF-Token"] = c.get("/api/session").json()["csrf_token"]
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if n % 2:
                    r = c.put(f"/api/visits/{vid}/note", json={"subjective": f"w{k} n{n}"})
                    if r.status_code == 200:
                        acked[f"note {vid}"].append(n)
                else:
                    r = c.post("/api/clients", json={"display_name": f"Crash w{k} n{n}"})
                    if r.status_code == 201:
                        acked["clients"].append(f"Crash w{k} n{n}")
            except httpx.HTTPError:
                return  # the server is gone


@pytest.mark.slow
def test_kill_9_of_the_web_app_during_concurrent_writes_loses_no_acknowledged_write(
    db_url: str, tmp_path: Path
) -> None:
    from myomap.services.database import open_store
    from tests.integration.servers import free_port, start_server, stop_server

    env = {**os.environ, "MYOMAP_DATA_DIR": str(tmp_path / "data"), "MYOMAP_DATABASE_URL": db_url}
    proc, base = start_server(env, free_port(), workers=2)
    acked: dict[str, list[Any]] = defaultdict(list)
    try:
        with httpx.Client(base_url=base, timeout=30, headers={"Origin": base}) as c:
            c.headers["X-CSRF-Token"] = c.get("/api/session").json()["csrf_token"]
            cid = c.post("/api/clients", json={"display_name": "Crash Owner"}).json()["id"]
            vids = [
                # one draft per writer (an open draft is reopened unless another is asked for)
                c.post(f"/api/clients/{cid}/visits", json={"another": True}).json()["id"]
                for _ in range(WEB_WRITERS)
            ]
        assert len(set(vids)) == WEB_WRITERS, "each writer needs its own visit"
        stop = threading.Event()
        threads = [
            threading.Thread(target=_web_writer, args=(base, k, vid, stop, acked))
            for k, vid in enumerate(vids)
        ]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while len(acked["clients"]) < 60 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop_server(proc, signal.SIGKILL)  # mid-flight: requests are being answered
        stop.set()
        for t in threads:
            t.join(timeout=60)
    finally:
        stop_server(proc, signal.SIGKILL)
    assert len(acked["clients"]) >= 60, "the writers were too slow to test anything"

    store = open_store(db_url)
    try:
        with store.transaction() as s:
            names = set(s.scalars(select(Client.display_name)))
            notes = {vid: s.get(Visit, vid) for vid in vids}
            stored = {
                vid: int(str(v.subjective).rsplit("n", 1)[1]) if v and v.subjective else 0
                for vid, v in notes.items()
            }
    finally:
        store.close()
    assert [n for n in acked["clients"] if n not in names] == []
    for vid in vids:
        confirmed = acked[f"note {vid}"]
        # The stored note is the last confirmed one, or one the server saved but never confirmed.
        assert stored[vid] >= (confirmed[-1] if confirmed else 0), vid
