"""Schema migrations through ``alembic.command``, with the scripts shipped inside the package.

Used by ``myomap db upgrade``, by the services on first use of a database and by the web app at
start-up. ``check`` compares the migrated schema with the models so a forgotten migration fails
a test instead of a clinic's upgrade.
"""

from __future__ import annotations

import sys
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from myomap.store.orm import Base

SCRIPT_LOCATION = "myomap.store:migrations"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` to ``revision`` in one transaction."""
    with engine.connect() as conn:
        conn.execution_options(sqlite_begin="IMMEDIATE")
        with conn.begin():
            command.upgrade(alembic_config(conn), revision)


def ensure_current(engine: Engine) -> bool:
    """Upgrade to head if needed (first use of a database); True when an upgrade was run.

    Two processes may open a new database at the same moment (the web app and a command); the
    loser's upgrade fails on tables the winner just created, which is fine once head is reached.
    """
    from sqlalchemy.exc import DBAPIError

    head = head_revision()
    if current_revision(engine) == head:
        return False
    try:
        upgrade(engine)
    except DBAPIError:
        if current_revision(engine) != head:
            raise
        return False
    return True


def check(engine: Engine) -> list[Any]:
    """Differences between the database schema and the models (empty when they match)."""
    from alembic.autogenerate import compare_metadata

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        return list(compare_metadata(ctx, Base.metadata))


def _revision(message: str, url: str) -> None:
    """Autogenerate a new revision against ``url`` (a database at the current head)."""
    command.revision(alembic_config(url=url), message=message, autogenerate=True)


if __name__ == "__main__":  # pragma: no cover - developer tool
    if len(sys.argv) != 4 or sys.argv[1] != "revision":
        sys.exit("usage: python -m myomap.store.migrate revision MESSAGE SQLALCHEMY_URL")
    _revision(sys.argv[2], sys.argv[3])
