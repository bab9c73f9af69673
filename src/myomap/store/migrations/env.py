"""Alembic environment: the URL comes from myomap's settings (or a connection handed in).

``render_as_batch`` lets migrations alter tables on SQLite, which cannot ALTER most things in
place; ``compare_type`` makes the model check notice column type changes.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from myomap.store.orm import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from myomap.config import load_settings
    from myomap.store.engine import make_engine

    url = config.get_main_option("sqlalchemy.url") or load_settings().effective_database_url
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run 'myomap db upgrade'")
run_migrations_online()
