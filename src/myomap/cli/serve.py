"""``myomap serve`` (the web app) and ``myomap user add|list|passwd`` (its accounts).

The server binds 127.0.0.1 unless told otherwise; any other address needs at least one account,
because anyone on the network could otherwise read the records.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING

import typer

from myomap.domain.errors import UsageError

if TYPE_CHECKING:
    from myomap.services.database import Store

user_app = typer.Typer(help="Web app accounts: add, list, change password.", no_args_is_help=True)


def _check_database(database: str | None) -> None:
    """Name the --database option, not the environment variable, when its URL is wrong."""
    if database is None:
        return
    scheme = database.strip().split("://", 1)[0] if "://" in database else ""
    if not (scheme.startswith("sqlite") or scheme.startswith("postgres")):
        raise UsageError(
            "--database must be a URL starting with sqlite:/// or postgresql:// "
            "(e.g. sqlite:///myomap.sqlite3)."
        )


def _store(database: str | None = None) -> Store:
    from myomap.config import load_settings
    from myomap.services.database import open_from_settings

    _check_database(database)
    env = dict(os.environ)
    if database:
        env["MYOMAP_DATABASE_URL"] = database
    return open_from_settings(load_settings(env))


def _read_password(from_stdin: bool, confirm: bool = True) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=confirm)
    return value


def serve(
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to bind; other than loopback needs at least one account (myomap user add).",
    ),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    database: str | None = typer.Option(
        None,
        "--database",
        help="SQLAlchemy URL of the "
        "record store (default: MYOMAP_DATABASE_URL or the "
        "SQLite file in the data folder).",
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Worker processes; they share nothing but the database."
    ),
    proxy_headers: bool = typer.Option(
        False,
        "--proxy-headers",
        help="Behind a reverse proxy "
        "(Caddy): take the scheme and client address from its "
        "X-Forwarded-Proto/-For headers.",
    ),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1",
        "--forwarded-allow-ips",
        help="With "
        "--proxy-headers: comma-separated proxy addresses "
        "whose forwarded headers are trusted.",
    ),
    personal: bool = typer.Option(
        False,
        "--personal",
        help="For one person on this computer: / opens their own page (pain drawing, safety "
        "questions, self-care trigger points, diary). Loopback only, no accounts.",
    ),
) -> None:
    """Run the web app (migrations are applied at start)."""
    import uvicorn

    from myomap.config import load_settings
    from myomap.knowledge.load import load as load_knowledge
    from myomap.services.database import open_from_settings
    from myomap.web.security import any_active_user, is_loopback

    env = dict(os.environ)
    env["MYOMAP_HOST"] = host
    env["MYOMAP_PORT"] = str(port)
    if personal:
        env["MYOMAP_PERSONAL"] = "true"
    _check_database(database)
    if database:
        env["MYOMAP_DATABASE_URL"] = database
    settings = load_settings(env)
    if settings.screening_rules is not None:  # a missing or broken clinic file stops it here
        for problem in load_knowledge(settings).loaded_rules.problems:
            typer.echo(f"Warning: {problem}", err=True)
    store = open_from_settings(settings)  # migrates; errors here are clear UsageErrors
    try:
        with store.transaction() as session:
            has_users = any_active_user(session)
    finally:
        store.close()
    if not is_loopback(host) and not has_users:
        raise UsageError(
            f"refusing to listen on {host}: other computers could read the records without a "
            "login. Create an account first with 'myomap user add USERNAME --role admin', or "
            "bind to 127.0.0.1."
        )
    if settings.personal and (has_users or not is_loopback(host)):
        raise UsageError(
            "personal mode is for one person on this computer: bind to 127.0.0.1 and use a "
            "database without accounts (or leave out --personal)"
        )
    # Workers are separate processes: hand them the settings through the environment.
    for key in ("MYOMAP_HOST", "MYOMAP_PORT", "MYOMAP_DATABASE_URL", "MYOMAP_PERSONAL"):
        if env.get(key):
            os.environ[key] = env[key]
    mode = "login required" if has_users or not is_loopback(host) else "open (loopback only)"
    if settings.personal:
        mode = "personal, loopback only"
    typer.echo(
        f"myomap web app on http://{host}:{port}/ ({mode}, {workers} worker(s)); Ctrl+C stops it.",
        err=True,
    )
    uvicorn.run(
        "myomap.web.app:factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="warning",
        server_header=False,
        # Forwarded headers are believed only from the named proxy, never from any client.
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
    )


@user_app.command("add")
def user_add(
    username: str = typer.Argument(..., help="Login name (letters, digits, . _ - @)."),
    role: str = typer.Option(
        "practitioner", "--role", help="admin, practitioner, front_desk or researcher."
    ),
    clinic: str | None = typer.Option(
        None, "--clinic", help="Clinic name; users only see clients of their own clinic."
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
    database: str | None = typer.Option(None, "--database", help="Record store URL."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create a web app account (password hashed with Argon2)."""
    from myomap.web.security import add_user

    password = _read_password(password_stdin)
    store = _store(database)
    try:
        with store.transaction() as session:
            view = add_user(session, username=username, role=role, password=password, clinic=clinic)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(view.to_json()))
    else:
        typer.echo(
            f"Added {view.role} {view.username!r}"
            f"{f' in clinic {view.clinic!r}' if view.clinic else ''}."
        )


@user_app.command("list")
def user_list(
    database: str | None = typer.Option(None, "--database", help="Record store URL."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List accounts (never passwords or hashes)."""
    from myomap.web.security import list_users

    store = _store(database)
    try:
        with store.transaction() as session:
            users = list_users(session)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps([u.to_json() for u in users], indent=2))
        return
    if not users:
        typer.echo(
            "No accounts yet: the web app is open on 127.0.0.1 only. Add one with "
            "'myomap user add USERNAME --role admin'."
        )
        return
    for u in users:
        state = " (disabled)" if u.disabled else ""
        typer.echo(f"{u.id:>4}  {u.username:<24} {u.role:<13} {u.clinic or '-'}{state}")


@user_app.command("passwd")
def user_passwd(
    username: str = typer.Argument(..., help="Login name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the new password from stdin."
    ),
    database: str | None = typer.Option(None, "--database", help="Record store URL."),
) -> None:
    """Set a new password; the user's open sessions end."""
    from myomap.web.security import set_password

    password = _read_password(password_stdin)
    store = _store(database)
    try:
        with store.transaction() as session:
            set_password(session, username=username, password=password)
    finally:
        store.close()
    typer.echo(f"Password of {username.strip().lower()!r} changed; old sessions are ended.")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(user_app, name="user")
