"""Backups you can trust: restore checks the manifest, the checksum, SQLite's integrity, the
schema and every table before replacing anything; damaged backups are refused in one line."""

from __future__ import annotations

import random
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from myomap.domain.errors import UsageError
from myomap.services import backup, clients, visits
from myomap.services.database import Store, open_store
from tests.integration.test_backup import reseal

SEED = 20261207


def _store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'live.sqlite3'}")


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in order: what 'restored identical' compares."""
    with closing(sqlite3.connect(path)) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}


@pytest.fixture
def made(tmp_path: Path) -> tuple[Store, Path]:
    """A store with a signed, amended visit, its backup, then one more client after it."""
    store = _store(tmp_path)
    with store.transaction() as s:
        cid = clients.add_client(s, display_name="Backed Up").id
        vid = visits.start_visit(s, cid).id
        visits.write_note(s, vid, sections={"subjective": "neck ache", "plan": "stretch"})
        visits.sign_visit(s, vid, signed_by="Pat")
        visits.amend_visit(s, vid, field="plan", text="rest", reason="typo", author="Pat")
    info = backup.backup(store.url, tmp_path / "b.sqlite3")
    assert info.manifest == tmp_path / "b.sqlite3.manifest.json"
    with store.transaction() as s:
        clients.add_client(s, display_name="Added Later")
    store.close()
    return store, info.path


def _untouched(store: Store, tmp_path: Path) -> None:
    opened = open_store(store.url)
    try:
        with opened.transaction() as s:
            assert [c.display_name for c in clients.list_clients(s)] == ["Backed Up", "Added Later"]
    finally:
        opened.close()
    assert not list(tmp_path.glob("*before-restore*"))
    assert not list(tmp_path.glob("*restoring*"))


def test_the_manifest_lists_revision_tables_rows_and_checksum(made: tuple[Store, Path]) -> None:
    import hashlib
    import json

    _, path = made
    manifest = json.loads(backup.manifest_path(path).read_text())
    assert manifest["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert manifest["tables"]["client"] == 1 and manifest["tables"]["amendment"] == 1
    assert {"audit_log", "app_user", "visit", "alembic_version"} <= set(manifest["tables"])
    assert manifest["revision"] == backup.inspect_file(path).revision


@pytest.mark.parametrize("table", ["audit_log", "app_user", "amendment"])
def test_a_backup_without_a_table_is_refused(
    made: tuple[Store, Path], tmp_path: Path, table: str
) -> None:
    store, path = made
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute(f"DROP TABLE {table}")
        conn.commit()
    reseal(path)  # even with a manifest that agrees
    with pytest.raises(UsageError, match=f"no {table} table"):
        backup.restore(store.url, path)
    _untouched(store, tmp_path)


def test_a_backup_without_its_manifest_is_refused(made: tuple[Store, Path], tmp_path: Path) -> None:
    store, path = made
    backup.manifest_path(path).unlink()
    with pytest.raises(UsageError, match=r"has no manifest \(b.sqlite3.manifest.json"):
        backup.restore(store.url, path)
    _untouched(store, tmp_path)


def test_row_counts_that_differ_from_the_manifest_are_refused(
    made: tuple[Store, Path], tmp_path: Path
) -> None:
    import json

    store, path = made
    where = backup.manifest_path(path)
    manifest = json.loads(where.read_text())
    manifest["tables"]["visit"] = 2
    where.write_text(json.dumps(manifest))
    with pytest.raises(UsageError, match="table visit differs"):
        backup.restore(store.url, path)
    _untouched(store, tmp_path)


def _restore_or_refuse(store: Store, path: Path) -> bool:
    """True when restored; a refusal must be one line naming the backup."""
    try:
        backup.restore(store.url, path)
    except UsageError as exc:
        message = str(exc)
        assert "\n" not in message and (str(path) in message or "manifest" in message), message
        return False
    return True


@pytest.mark.slow
def test_byte_flipped_backups_are_refused_or_restored_identical(
    made: tuple[Store, Path], tmp_path: Path
) -> None:
    store, good = made
    original = _content(good)
    data = good.read_bytes()
    manifest = backup.manifest_path(good).read_bytes()
    rng = random.Random(SEED)
    flipped = tmp_path / "flipped.sqlite3"
    outcomes = {"refused": 0, "restored": 0}
    for n in range(300):
        body, notes = bytearray(data), bytearray(manifest)
        target = notes if n % 6 == 5 else body  # one in six flips the manifest instead
        for _ in range(rng.choice((1, 1, 2, 8))):
            target[rng.randrange(len(target))] ^= rng.randrange(1, 256)
        flipped.write_bytes(body)
        backup.manifest_path(flipped).write_bytes(notes)
        if _restore_or_refuse(store, flipped):
            outcomes["restored"] += 1
            assert _content(Path(store.url.removeprefix("sqlite:///"))) == original, n
        else:
            outcomes["refused"] += 1
    assert outcomes["refused"] >= 250, outcomes


@pytest.mark.slow
def test_damaged_files_with_a_matching_manifest_never_crash_restore(
    made: tuple[Store, Path], tmp_path: Path
) -> None:
    """Damage covered by a rewritten manifest: SQLite's own checks must still answer plainly."""
    store, good = made
    data = good.read_bytes()
    rng = random.Random(SEED + 1)
    flipped = tmp_path / "resealed.sqlite3"
    for _ in range(80):
        body = bytearray(data)
        for _ in range(rng.choice((1, 4, 16))):
            body[rng.randrange(100, len(body))] ^= rng.randrange(1, 256)
        flipped.write_bytes(body)
        try:
            reseal(flipped)
        except (sqlite3.Error, UnicodeDecodeError):
            shutil.copyfile(good, flipped)  # unreadable even for the helper: plain copy
            reseal(flipped)
        _restore_or_refuse(store, flipped)
    live = Path(store.url.removeprefix("sqlite:///"))
    with closing(sqlite3.connect(live)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
