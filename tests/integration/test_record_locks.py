"""Record locks on both back ends: the database refuses changes to signed notes and amendments,
stale versions are conflicts, and a store that SQLite keeps locked fails in one plain line."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from myomap.domain.errors import BusyError, ConflictError, StaleError
from myomap.services import clients, examination, visits
from myomap.services.database import Store, open_store
from myomap.store import locks


def _draft(db: Store) -> int:
    with db.transaction() as s:
        cid = clients.add_client(s, display_name="Lock Test", birth_year=1980, sex="female").id
        vid = visits.start_visit(s, cid).id
        visits.write_note(s, vid, sections={"subjective": "neck ache"})
    return vid


def _signed(db: Store) -> int:
    vid = _draft(db)
    with db.transaction() as s:
        visits.sign_visit(s, vid, signed_by="Pat")
    return vid


def test_every_lock_trigger_exists_at_head(db: Store) -> None:
    with db.engine.connect() as conn:
        assert locks.existing_triggers(conn) == set(locks.TRIGGERS)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE visit SET subjective = 'changed behind the app' WHERE id = :id",
        "UPDATE visit SET signed_by = 'someone else' WHERE id = :id",
        "UPDATE visit SET status = 'draft', signed_at = NULL, signed_by = NULL WHERE id = :id",
    ],
)
def test_the_database_refuses_sql_that_changes_a_signed_note(db: Store, statement: str) -> None:
    vid = _signed(db)
    with pytest.raises(ConflictError, match="signed and locked"), db.transaction() as s:
        s.execute(text(statement), {"id": vid})
    with db.transaction() as s:
        detail = visits.show_visit(s, vid)
    assert detail.soap["subjective"].original == "neck ache"
    assert detail.signed_by == "Pat" and detail.status == "signed"


def test_a_signed_visit_can_still_be_deleted_and_amended(db: Store) -> None:
    vid = _signed(db)
    with db.transaction() as s:
        visits.amend_visit(s, vid, field="plan", text="rest", reason="typo", author="Pat")
        visits.delete_visit(s, vid, by="Pat", reason="wrong client")
        visits.restore_visit(s, vid, by="Pat")
    with db.transaction() as s:
        assert visits.show_visit(s, vid).soap["plan"].current == "rest"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE amendment SET new_value = 'rewritten' WHERE visit_id = :id",
        "DELETE FROM amendment WHERE visit_id = :id",
    ],
)
def test_the_database_refuses_to_change_or_remove_an_amendment(db: Store, statement: str) -> None:
    vid = _signed(db)
    with db.transaction() as s:
        visits.amend_visit(s, vid, field="plan", text="rest", reason="typo", author="Pat")
    with pytest.raises(ConflictError, match="amendments are never changed"), db.transaction() as s:
        s.execute(text(statement), {"id": vid})


def test_every_change_raises_the_version_and_a_stale_version_is_refused(db: Store) -> None:
    vid = _draft(db)
    with db.transaction() as s:
        v1 = visits.show_visit(s, vid).version
        visits.write_note(s, vid, sections={"plan": "stretch"}, version=v1)
    with db.transaction() as s:
        v2 = visits.show_visit(s, vid).version
        assert v2 == v1 + 1
        examination.add_rom(s, vid, movement="cervical_rotation", side="left", degrees=60)
    with pytest.raises(StaleError, match="changed by someone else"), db.transaction() as s:
        visits.sign_visit(s, vid, signed_by="Pat", version=v2)
    with db.transaction() as s:
        detail = visits.show_visit(s, vid)
        assert detail.status == "draft"
        visits.sign_visit(s, vid, signed_by="Pat", version=detail.version)
    with db.transaction() as s:
        v = visits.show_visit(s, vid).version
        visits.amend_visit(s, vid, field="plan", text="a", reason="r", author="A", version=v)
    with pytest.raises(StaleError), db.transaction() as s:
        visits.amend_visit(s, vid, field="plan", text="b", reason="r", author="B", version=v)
    with db.transaction() as s:
        detail = visits.show_visit(s, vid)
    assert [a.new_value for a in detail.amendments] == ["a"]


def test_amendments_without_a_version_chain_instead_of_losing_one(db: Store) -> None:
    vid = _signed(db)
    with db.transaction() as s:
        visits.amend_visit(s, vid, field="plan", text="a", reason="r", author="A")
    with db.transaction() as s:
        visits.amend_visit(s, vid, field="plan", text="b", reason="r", author="B")
        detail = visits.show_visit(s, vid)
    assert [(a.old_value, a.new_value) for a in detail.amendments] == [("", "a"), ("a", "b")]


def test_sqlite_writer_waits_for_the_lock_then_says_plainly_it_is_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from myomap.store import engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "busy.sqlite3"
    db = open_store(f"sqlite:///{path}")
    vid = _draft(db)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(0.1, holder.rollback)
    try:
        released.start()  # released within the timeout: the write waits and succeeds
        with db.transaction() as s:
            visits.write_note(s, vid, sections={"plan": "waited"})
        released.join()
        holder.execute("BEGIN IMMEDIATE")
        with (
            pytest.raises(BusyError, match=r"busy: .* more than 0.3 s; nothing was saved"),
            db.transaction() as s,
        ):
            visits.write_note(s, vid, sections={"plan": "never"})
    finally:
        holder.rollback()
        holder.close()
        db.close()


def test_the_cli_beside_a_locked_store_says_it_is_busy_in_one_line(
    call_cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from myomap.store import engine

    path = tmp_path / "cli-busy.sqlite3"
    monkeypatch.setenv("MYOMAP_DATABASE_URL", f"sqlite:///{path}")
    assert call_cli("client", "add", "--name", "Busy Client").exit_code == 0
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # what a long write of the web app looks like
    try:
        result = call_cli("client", "add", "--name", "Second Client")
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 6
    assert result.stderr.strip().splitlines() == [
        "Error: the record store is busy: another program (e.g. the web app) held its write "
        "lock for more than 0.3 s; nothing was saved. Try again in a moment."
    ]
