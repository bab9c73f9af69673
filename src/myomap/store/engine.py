"""URL to Engine, with the SQLite settings the record store relies on.

SQLite is the default store, so every connection gets foreign keys on (off by default in SQLite),
write-ahead logging (readers never block the writer, and a killed writer leaves the file
consistent) and a busy timeout (a second process waits for the lock instead of failing at once).
Transactions are begun explicitly so that schema changes are transactional too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from myomap.domain.errors import UsageError

POSTGRES_EXTRA_HELP = (
    "a postgresql:// database needs the PostgreSQL driver, which is not installed: install "
    "myomap with the postgres extra, e.g. pip install 'myomap[postgres]' (the SQLite default "
    "needs no driver)"
)

BUSY_TIMEOUT_MS = 10_000


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for other back ends and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 module commits before DDL and opens transactions lazily; take over so that
    # a migration (CREATE/ALTER) is one atomic transaction like every other write.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # The timeout first: switching to WAL needs a lock that another process may hold.
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an Engine for ``url``; creates the folder of a SQLite file if needed."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: SQL logging or driver errors must never print client data.
    try:
        engine = create_engine(url, pool_pre_ping=path is None, hide_parameters=True, **kwargs)
    except ModuleNotFoundError as exc:
        # psycopg is an extra (myomap[postgres]): say which one, not a traceback from SQLAlchemy.
        if exc.name and exc.name.split(".")[0] in {"psycopg", "psycopg2"}:
            raise UsageError(POSTGRES_EXTRA_HELP) from None
        raise
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(connection: Connection) -> None:
    # "IMMEDIATE" (execution option sqlite_begin) takes the write lock up front, waiting up to the
    # busy timeout; migrations use it so two processes never interleave schema changes.
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def began_with_write_lock(connection: Connection) -> bool:
    """True when this SQLite transaction took the write lock as it began (``BEGIN IMMEDIATE``):
    nothing can have changed since its first read, so neither a second read of a row nor an
    empty write to take the lock is needed inside it (each would lengthen the time the lock is
    held by every writer)."""
    return (
        connection.dialect.name == "sqlite"
        and connection.get_execution_options().get("sqlite_begin") == "IMMEDIATE"
    )


def write_lock(session: Session) -> None:
    """Take SQLite's write lock before the first read of a transaction that will write.

    A transaction that reads and then writes cannot wait for a concurrent writer once its read
    snapshot is stale (SQLite answers "database is locked" at once), so writing transactions
    start with an empty write that waits its turn instead. A store opened by ``open_store``
    already begins with the lock (``BEGIN IMMEDIATE``); PostgreSQL needs nothing.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    if not began_with_write_lock(session.connection()):
        session.execute(text("UPDATE app_secret SET value = value WHERE 1 = 0"))
