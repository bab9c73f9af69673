"""Opening the record store and running one unit of work in one transaction.

Every use case in :mod:`myomap.services` takes a :class:`~sqlalchemy.orm.Session` and never
commits; the caller (a CLI command, a web request) wraps one user action in
``with store.transaction() as session:`` so that an action is saved whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from myomap.domain.errors import ConflictError, UsageError

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

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception.

        A database rule violation becomes a ConflictError naming only the rule: the driver's
        own message quotes the row's values, which can be health data.
        """
        from sqlalchemy.exc import IntegrityError

        try:
            with self.sessions.begin() as session:
                yield session
        except IntegrityError as exc:
            rule = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
            where = f" ({rule})" if rule else ""
            raise ConflictError(
                f"the change breaks a rule of the record store{where}; nothing was saved. "
                "Check the values and ids given."
            ) from None

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Connect to ``url``; with ``migrate`` the schema is brought to head on first use."""
    from sqlalchemy.exc import DatabaseError, OperationalError
    from sqlalchemy.orm import sessionmaker

    from myomap.store import migrate as migrations
    from myomap.store.engine import make_engine

    try:
        engine = make_engine(url)
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
    return Store(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def open_from_settings(settings: Settings, *, migrate: bool = True) -> Store:
    return open_store(settings.effective_database_url, migrate=migrate)
