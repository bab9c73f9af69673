"""Backup and restore of the SQLite store; PostgreSQL stores point to pg_dump."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from myomap.domain.errors import ConflictError, UsageError
from myomap.services import backup, clients, pgdump, visits
from myomap.services.database import Store, open_store
from myomap.store import locks


def reseal(path: Path) -> None:
    """Rewrite the manifest to match a doctored file, as someone covering their tracks would:
    restore must then still refuse on what the file itself holds."""
    with closing(sqlite3.connect(path)) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        tables = {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
        row = (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if "alembic_version" in names
            else None
        )
    backup.manifest_path(path).write_text(
        json.dumps(
            {
                "format": backup.MANIFEST_FORMAT,
                "file": path.name,
                "bytes": path.stat().st_size,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                "revision": row[0] if row else None,
                "tables": tables,
            }
        )
    )


def _sqlite_store(tmp_path: Path, name: str = "live.sqlite3") -> Store:
    return open_store(f"sqlite:///{tmp_path / name}")


def _add(store: Store, name: str) -> int:
    with store.transaction() as s:
        return clients.add_client(s, display_name=name).id


def test_backup_then_restore_brings_back_the_old_state(tmp_path: Path) -> None:
    store = _sqlite_store(tmp_path)
    _add(store, "Before Backup")
    info = backup.backup(store.url, tmp_path / "b.sqlite3")
    assert (info.clients, info.visits) == (1, 0)
    _add(store, "After Backup")
    store.close()

    restored = backup.restore(store.url, tmp_path / "b.sqlite3")
    assert restored.clients == 1
    assert restored.previous_copy is not None and restored.previous_copy.is_file()
    assert backup.inspect_file(restored.previous_copy).clients == 2  # nothing is lost
    store = _sqlite_store(tmp_path)
    with store.transaction() as s:
        assert [c.display_name for c in clients.list_clients(s)] == ["Before Backup"]
    store.close()


def test_backup_is_consistent_while_another_connection_writes(tmp_path: Path) -> None:
    store = _sqlite_store(tmp_path)
    cid = _add(store, "Busy")
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            with store.transaction() as s:
                visits.start_visit(s, cid)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        infos = [backup.backup(store.url, tmp_path / f"b{i}.sqlite3") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    store.close()
    for info in infos:
        with sqlite3.connect(info.path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,visits\nA,1\n", "not a SQLite file"),
        (None, "no alembic_version table"),
        (b"", "not a SQLite file"),
    ],
)
def test_restore_refuses_files_that_are_not_myomap_databases(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    store = _sqlite_store(tmp_path)
    _add(store, "Keep Me")
    store.close()
    bad = tmp_path / "bad.sqlite3"
    if content is None:
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE client (id INTEGER)")
        conn.close()
        reseal(bad)
    else:
        bad.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        backup.restore(store.url, bad)
    store = _sqlite_store(tmp_path)
    with store.transaction() as s:
        assert [c.display_name for c in clients.list_clients(s)] == ["Keep Me"]
    store.close()
    assert not list(tmp_path.glob("*before-restore*"))


def test_restore_refuses_a_schema_from_a_newer_version(tmp_path: Path) -> None:
    store = _sqlite_store(tmp_path)
    store.close()
    newer = tmp_path / "newer.sqlite3"
    backup.backup(store.url, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    conn.close()
    reseal(newer)
    with pytest.raises(UsageError, match="newer version"):
        backup.restore(store.url, newer)


def test_backup_does_not_overwrite_without_asking(tmp_path: Path) -> None:
    store = _sqlite_store(tmp_path)
    store.close()
    target = tmp_path / "b.sqlite3"
    target.write_text("precious")
    with pytest.raises(UsageError, match="--overwrite"):
        backup.backup(store.url, target)
    assert target.read_text() == "precious"
    assert backup.backup(store.url, target, overwrite=True).revision


def test_postgresql_backup_without_pg_dump_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(UsageError, match="pg_dump is not installed.*postgresql-client"):
        backup.backup(url, tmp_path / "b.dump")
    assert not (tmp_path / "b.dump").exists()
    with pytest.raises(UsageError, match="pg_restore"):
        backup.restore(url, tmp_path / "b.dump")


def test_postgresql_backup_runs_pg_dump_on_the_store_schema(
    fresh_postgres_url: str, tmp_path: Path
) -> None:
    import shutil
    import subprocess

    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.fail(
            "pg_dump and pg_restore come with the postgresql package that "
            "scripts/ensure_postgres.sh installs"
        )
    store = open_store(fresh_postgres_url)
    _add(store, "Dumped Client")
    store.close()
    target = tmp_path / "clinic.dump"
    info = backup.backup(fresh_postgres_url, target)
    assert (info.clients, info.visits, info.path) == (1, 0, target)
    assert target.read_bytes()[:5] == b"PGDMP"
    assert not target.with_name("clinic.dump.partial").exists()
    listing = subprocess.run(
        ["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True
    ).stdout
    from sqlalchemy.engine import make_url

    schema = str(make_url(fresh_postgres_url).query["options"]).rsplit("=", 1)[-1]
    assert f"TABLE {schema} client " in listing and "alembic_version" in listing
    assert "TABLE public " not in listing, "only the store's schema is dumped"
    with pytest.raises(UsageError, match="--overwrite"):
        backup.backup(fresh_postgres_url, target)


def test_a_postgresql_store_restored_from_myomap_backup_still_refuses_signed_note_edits(
    fresh_postgres_url: str,
    tmp_path: Path,
    call_cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lock triggers travel in the pg_dump archive: after the documented pg_restore the
    database itself still refuses to change a signed note, whatever code path tries."""
    if shutil.which("pg_restore") is None:
        pytest.fail(
            "pg_restore comes with the postgresql package scripts/ensure_postgres.sh installs"
        )
    store = open_store(fresh_postgres_url)
    with store.transaction() as s:
        cid = clients.add_client(s, display_name="Locked Note").id
        vid = visits.start_visit(s, cid).id
        visits.write_note(s, vid, sections={"subjective": "as signed"})
        visits.sign_visit(s, vid, signed_by="Pat")
    store.close()
    monkeypatch.setenv("MYOMAP_DATABASE_URL", fresh_postgres_url)
    target = tmp_path / "clinic.dump"
    done = call_cli("backup", str(target), "--json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout)["manifest"] is None and target.read_bytes()[:5] == b"PGDMP"
    env, database, schema = pgdump._environment(fresh_postgres_url)
    admin = create_engine(fresh_postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:  # the store is lost: schema, tables, triggers
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        restored = subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-password", f"--dbname={database}"]
            + [str(target)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert restored.returncode == 0, restored.stderr[-2000:]
        with admin.connect() as conn:
            assert locks.existing_triggers(conn) == set(locks.TRIGGERS)
    finally:
        admin.dispose()
    store = open_store(fresh_postgres_url)
    try:
        with pytest.raises(ConflictError, match="signed and locked"), store.transaction() as s:
            s.execute(text("UPDATE visit SET subjective = 'changed' WHERE id = :id"), {"id": vid})
        with pytest.raises(ConflictError, match="never changed"), store.transaction() as s:
            visits.amend_visit(s, vid, field="plan", reason="r", text="t", author="Pat")
            s.execute(text("DELETE FROM amendment"))
        with store.transaction() as s:
            detail = visits.show_visit(s, vid)
        assert detail.soap["subjective"].original == "as signed" and detail.status == "signed"
    finally:
        store.close()
