"""Store fixtures: every test runs on SQLite and on PostgreSQL, each in a fresh empty database.

SQLite gets a temporary file. PostgreSQL gets a throwaway schema in the database named by
``MYOMAP_TEST_DATABASE_URL`` (default: the local server), selected through ``search_path`` so
that the application sees an ordinary empty database; the schema is dropped afterwards. With
``CI=true`` an unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from myomap.services.database import Store, open_store

if TYPE_CHECKING:
    from sqlalchemy import Connection

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA_PREFIX = "myomap_t_"
STALE_AFTER_S = 3600


def _drop_stale_schemas(conn: Connection) -> None:
    """Remove test schemas left by runs that were killed before their teardown."""
    from sqlalchemy import text

    names = conn.execute(
        text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"),
        {"p": SCHEMA_PREFIX.replace("_", "\\_") + "%"},
    ).scalars()
    for name in list(names):
        stamp = name[len(SCHEMA_PREFIX) :].split("_", 1)[0]
        if stamp.isdigit() and time.time() - int(stamp) > STALE_AFTER_S:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))


def postgres_base_url() -> str:
    return os.environ.get("MYOMAP_TEST_DATABASE_URL") or DEFAULT_PG


def _pg_unavailable(reason: str) -> None:
    message = f"PostgreSQL is not reachable ({reason}); run scripts/ensure_postgres.sh"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """URL of a new empty schema on the test server, dropped on exit (skips if unreachable)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    base = postgres_base_url()
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    schema = f"{SCHEMA_PREFIX}{int(time.time())}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            _drop_stale_schemas(conn)
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        _pg_unavailable(type(exc.orig).__name__)
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database (nothing migrated yet) on the parametrised back end."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    url: str = request.getfixturevalue("fresh_postgres_url")
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Store]:
    """An opened store migrated to head."""
    store = open_store(db_url)
    try:
        yield store
    finally:
        store.close()
