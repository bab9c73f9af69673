"""Store administration commands: ``db upgrade``, ``backup``, ``restore`` and ``demo``.

Registered by :mod:`myomap.cli.records`.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

db_app = typer.Typer(help="Set up and migrate the record store.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Create the database or migrate it to the current schema."""
    from myomap.cli._common import open_cli_store
    from myomap.store import migrate

    with open_cli_store() as store:
        rev = migrate.current_revision(store.engine)
        safe = store.engine.url.render_as_string(hide_password=True)
        backend = store.backend
    if as_json:
        typer.echo(json.dumps({"database": safe, "backend": backend, "revision": rev}))
    else:
        typer.echo(f"Database {safe} is at revision {rev} (head).")


def backup(
    file: Path = typer.Argument(
        ..., help="Where to write the backup (a SQLite file, or a pg_dump archive for PostgreSQL)."
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace FILE if it exists."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Back up the store to FILE while in use: SQLite's online backup API, or pg_dump.

    FILE.manifest.json beside a SQLite backup records the schema revision, row counts and
    SHA-256 that 'myomap restore' checks.
    """
    from myomap.cli._common import open_cli_store
    from myomap.services import backup as service

    with open_cli_store() as store:
        url = store.url
    info = service.backup(url, file, overwrite=overwrite)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "path": str(info.path),
                    "bytes": info.bytes,
                    "clients": info.clients,
                    "visits": info.visits,
                    "revision": info.revision,
                    "manifest": str(info.manifest) if info.manifest else None,
                    "tables": info.tables,
                },
                indent=2,
            )
        )
    else:
        written = (
            f"Backup written to {info.path} ({info.bytes} bytes, {info.clients} "
            f"client(s), {info.visits} visit(s))"
        )
        if info.manifest is None:  # a pg_dump archive: pg_restore checks it
            typer.echo(f"{written}; restore it with pg_restore (see docs/deploy.md).")
        else:
            typer.echo(
                f"{written}; its manifest (tables, row counts, SHA-256) is {info.manifest}. "
                "Keep both files together."
            )


def restore(
    file: Path = typer.Argument(..., help="A backup made with 'myomap backup'."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Replace the store with FILE after checking it; the current database is kept as a copy.

    FILE must match its manifest (FILE.manifest.json) and pass SQLite's integrity check before
    anything is replaced.
    """
    from myomap.config import load_settings
    from myomap.services import backup as service

    info = service.restore(load_settings().effective_database_url, file)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "restored_from": str(info.restored_from),
                    "previous_copy": str(info.previous_copy) if info.previous_copy else None,
                    "clients": info.clients,
                    "visits": info.visits,
                    "revision": info.revision,
                },
                indent=2,
            )
        )
        return
    typer.echo(
        f"Restored {info.clients} client(s) and {info.visits} visit(s) from {info.restored_from}."
    )
    if info.previous_copy:
        typer.echo(f"The database as it was before is kept at {info.previous_copy}.")


def demo(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text.")) -> None:
    """Add the fictional demo clients (safe to run again: existing ones are left alone)."""
    from myomap.cli._common import open_cli_store
    from myomap.services import demo as service

    with open_cli_store() as store, store.transaction() as session:
        result = service.seed(session)
    if as_json:
        typer.echo(json.dumps({"created": result.created, "existing": result.existing}))
    elif result.created:
        typer.echo(
            f"Added {len(result.created)} fictional demo client(s): ids "
            f"{', '.join(map(str, result.created))}. Try 'myomap client list'."
        )
    else:
        typer.echo("Demo clients are already present; nothing added.")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("demo")(demo)
