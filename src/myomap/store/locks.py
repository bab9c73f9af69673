"""Database triggers that keep a signed record as it was signed, on SQLite and PostgreSQL.

The services refuse such changes first with a message that says what to do instead; the triggers
are there so that nothing else can (a future code path, a bulk update, a hand-written SQL
statement). A refused statement fails as an integrity error, which
:meth:`myomap.services.database.Store.transaction` turns into a conflict.

Note for later migrations: on SQLite, a batch migration that recreates ``visit`` or ``amendment``
drops their triggers; call :func:`create_lock_triggers` again after it (a test checks that every
trigger exists at head).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

# Columns that hold the signed note, the signature and what the note belongs to.
LOCKED_COLUMNS = (
    "subjective",
    "objective",
    "assessment",
    "plan",
    "status",
    "signed_at",
    "signed_by",
    "client_id",
    "started_at",
)
SIGNED_MESSAGE = "visit is signed and locked"
AMENDMENT_MESSAGE = "amendments are never changed or removed"
TRIGGERS = ("visit_signed_locked", "amendment_no_update", "amendment_no_delete")


def _changed(old: str, new: str, op: str) -> str:
    return " OR ".join(f"{new}.{c} {op} {old}.{c}" for c in LOCKED_COLUMNS)


def _sqlite(conn: Connection) -> None:
    conn.execute(
        text(
            "CREATE TRIGGER visit_signed_locked BEFORE UPDATE ON visit FOR EACH ROW "
            f"WHEN OLD.status = 'signed' AND ({_changed('OLD', 'NEW', 'IS NOT')}) "
            f"BEGIN SELECT RAISE(ABORT, '{SIGNED_MESSAGE}'); END"
        )
    )
    for name, event in (("amendment_no_update", "UPDATE"), ("amendment_no_delete", "DELETE")):
        conn.execute(
            text(
                f"CREATE TRIGGER {name} BEFORE {event} ON amendment FOR EACH ROW "
                f"BEGIN SELECT RAISE(ABORT, '{AMENDMENT_MESSAGE}'); END"
            )
        )


def _postgresql(conn: Connection) -> None:
    # ERRCODE check_violation: drivers report it as an integrity error like a CHECK constraint.
    conn.execute(
        text(
            "CREATE FUNCTION visit_signed_locked() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN IF OLD.status = 'signed' AND ({_changed('OLD', 'NEW', 'IS DISTINCT FROM')}) "
            f"THEN RAISE EXCEPTION '{SIGNED_MESSAGE}' USING ERRCODE = 'check_violation', "
            "CONSTRAINT = 'visit_signed_locked'; END IF; RETURN NEW; END $$"
        )
    )
    conn.execute(
        text(
            "CREATE TRIGGER visit_signed_locked BEFORE UPDATE ON visit FOR EACH ROW "
            "EXECUTE FUNCTION visit_signed_locked()"
        )
    )
    conn.execute(
        text(
            "CREATE FUNCTION amendment_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{AMENDMENT_MESSAGE}' USING ERRCODE = 'check_violation', "
            "CONSTRAINT = 'amendment_unchanged'; END $$"
        )
    )
    for name, event in (("amendment_no_update", "UPDATE"), ("amendment_no_delete", "DELETE")):
        conn.execute(
            text(
                f"CREATE TRIGGER {name} BEFORE {event} ON amendment FOR EACH ROW "
                "EXECUTE FUNCTION amendment_unchanged()"
            )
        )


def create_lock_triggers(conn: Connection) -> None:
    """Create the triggers on the database behind ``conn`` (inside the caller's transaction)."""
    if conn.dialect.name == "postgresql":
        _postgresql(conn)
    else:
        _sqlite(conn)


def drop_lock_triggers(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP TRIGGER IF EXISTS visit_signed_locked ON visit"))
        for name in TRIGGERS[1:]:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON amendment"))
        conn.execute(text("DROP FUNCTION IF EXISTS visit_signed_locked()"))
        conn.execute(text("DROP FUNCTION IF EXISTS amendment_unchanged()"))
    else:
        for name in TRIGGERS:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


def existing_triggers(conn: Connection) -> set[str]:
    """Names of the lock triggers present in the database (for checks and tests)."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(
                "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relnamespace = to_regnamespace(current_schema())"
            )
        )
    else:
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    return {r[0] for r in rows} & set(TRIGGERS)
