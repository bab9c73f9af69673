"""Opening the record store and running one unit of work in one transaction.

Every use case in :mod:`myomap.services` takes a :class:`~sqlalchemy.orm.Session` and never
commits; the caller (a CLI command, a web request) wraps one user action in
``with store.transaction() as session:`` so that an action is saved whole or not at all.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from myomap.domain.errors import (
    BusyError,
    ConflictError,
    MyomapError,
    StaleError,
    UsageError,
)
from myomap.store import engine as store_engine
from myomap.store import migrate as migrations
from myomap.store.locks import AMENDMENT_MESSAGE, SIGNED_MESSAGE

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from myomap.config import Settings


@dataclass
class Store:
    """An engine plus a session factory for one database URL."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    # SQLite only: threads of this process take turns here before BEGIN IMMEDIATE. A thread
    # waiting on SQLite's lock polls it with sleeps of up to 100 ms, so under load a few
    # unlucky writers waited seconds; a lock in the process wakes the next one at once.
    gate: threading.RLock | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception.

        A database rule violation becomes a ConflictError naming only the rule: the driver's
        own message quotes the row's values, which can be health data. On SQLite the write
        lock is taken when the transaction begins (see :func:`open_store`), so a transaction
        never reads a state that a concurrent writer changes before it writes.
        """
        from sqlalchemy.exc import DataError, IntegrityError, OperationalError

        try:
            with self._turn(), self.sessions.begin() as session:
                yield session
        except IntegrityError as exc:
            raise ConflictError(_rule_message(exc.orig)) from None
        except UnicodeEncodeError:
            # Text from an argument that was not UTF-8 (Python keeps such bytes as surrogates).
            raise UsageError(
                "a text given is not valid UTF-8 (check the terminal's encoding); nothing was saved"
            ) from None
        except (OverflowError, DataError):
            # An id or count beyond the column's range (SQLite: 2^63, PostgreSQL: 2^31) cannot
            # name a stored record; the drivers refuse to even send it.
            raise UsageError(
                "a number given is too large for the record store (ids and counts go up to "
                f"{MAX_INTEGER}); nothing was saved. Check the ids given."
            ) from None
        except OperationalError as exc:
            mapped = _operational(exc.orig)
            if mapped is None:
                raise
            raise mapped from None

    @contextmanager
    def _turn(self) -> Iterator[None]:
        if self.gate is None:
            yield
            return
        if not self.gate.acquire(timeout=store_engine.BUSY_TIMEOUT_MS / 1000):
            raise _operational(RuntimeError("database is locked")) or RuntimeError()
        try:
            yield
        finally:
            self.gate.release()

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


MAX_INTEGER = 2**31 - 1


def _rule_message(orig: BaseException | None) -> str:
    rule = getattr(getattr(orig, "diag", None), "constraint_name", None)
    text = str(orig)
    if rule == "visit_signed_locked" or SIGNED_MESSAGE in text:
        return (
            "the visit is signed and locked; nothing was saved. Record a change as an "
            "amendment ('myomap visit amend')."
        )
    if rule == "amendment_unchanged" or AMENDMENT_MESSAGE in text:
        return "amendments are never changed or removed; nothing was saved."
    where = f" ({rule})" if rule else ""
    return (
        f"the change breaks a rule of the record store{where}; nothing was saved. "
        "Check the values and ids given."
    )


def _operational(orig: BaseException | None) -> MyomapError | None:
    """A lock that could not be had, or a race the database detected, in one plain line."""
    text = str(orig).lower()
    if "database is locked" in text or "database is busy" in text:
        # read at the time of the error: the timeout is a setting of the engine module
        seconds = f"{store_engine.BUSY_TIMEOUT_MS / 1000:g}"
        return BusyError(
            f"the record store is busy: another program (e.g. the web app) held its write lock "
            f"for more than {seconds} s; nothing was saved. Try again in a moment."
        )
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate in ("40001", "40P01", "55P03"):
        return StaleError(
            "another change to the same record was being saved at the same moment; nothing "
            "was saved. Reload and try again."
        )
    return None


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Connect to ``url``; with ``migrate`` the schema is brought to head on first use."""
    from sqlalchemy.exc import DatabaseError, OperationalError
    from sqlalchemy.orm import sessionmaker

    try:
        engine = store_engine.make_engine(url)
    except OSError as exc:
        raise UsageError(
            f"cannot create the folder of the record store ({exc.strerror}). Set MYOMAP_DATA_DIR "
            "or MYOMAP_DATABASE_URL to a writable place."
        ) from None
    try:
        if migrate:
            migrations.ensure_current(engine)
    except OperationalError as exc:
        engine.dispose()
        safe = engine.url.render_as_string(hide_password=True)
        raise UsageError(
            f"cannot open the record store at {safe} ({type(exc.orig).__name__}). Check "
            "MYOMAP_DATABASE_URL, that the server is running, and that the folder is writable."
        ) from None
    except DatabaseError:
        engine.dispose()
        safe = engine.url.render_as_string(hide_password=True)
        raise UsageError(
            f"the record store at {safe} is not a readable database (damaged or not a myomap "
            "store). It was left untouched: restore a backup with 'myomap restore FILE' or set "
            "MYOMAP_DATA_DIR or MYOMAP_DATABASE_URL to another store."
        ) from None
    # SQLite: every transaction takes the write lock when it begins (BEGIN IMMEDIATE, waiting up
    # to the busy timeout). A deferred transaction that read first would fail at once with
    # "database is locked" when another process wrote in between.
    bind = (
        engine.execution_options(sqlite_begin="IMMEDIATE")
        if engine.dialect.name == "sqlite"
        else engine
    )
    gate = threading.RLock() if engine.dialect.name == "sqlite" else None
    return Store(
        url=url, engine=engine, sessions=sessionmaker(bind, expire_on_commit=False), gate=gate
    )


def open_from_settings(settings: Settings, *, migrate: bool = True) -> Store:
    return open_store(settings.effective_database_url, migrate=migrate)
