"""What every command module shares: the application object, the store, the actor, output.

Each command builds one :class:`~myomap.app.Myomap` from the ``MYOMAP_*`` settings and passes
its knowledge and store down; nothing below the CLI reads the environment. Imports of the
application stay inside the functions so that ``myomap --help`` and ``myomap locate`` start fast.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.app import Myomap
    from myomap.domain.outcomes import Catalogue
    from myomap.knowledge.load import Knowledge
    from myomap.services.database import Store

T = TypeVar("T")
JSON_OPT = typer.Option(False, "--json", help="Print JSON instead of text.")


def application() -> Myomap:
    """The application for this command, from the process environment's settings."""
    from myomap.app import Myomap
    from myomap.config import load_settings

    return Myomap(load_settings(), compiled_cache=True)


def knowledge() -> Knowledge:
    """The application's knowledge (a command that needs no store builds nothing else)."""
    return application().knowledge


def with_rules(known: Knowledge, rules: Path | None) -> Knowledge:
    """``known`` with ``--rules`` in place of the configured rule file; each problem of the
    clinic's rule file becomes one 'Warning:' line."""
    known = known.with_rules(rules)
    if known.sources.screening_rules is not None:
        for problem in known.loaded_rules.problems:
            typer.echo(f"Warning: {problem}", err=True)
    return known


def catalogue(known: Knowledge | None = None) -> Catalogue:
    """The instrument catalogue; a clinic file that was skipped becomes one 'Warning:' line."""
    known = known or application().knowledge
    for problem in known.catalogue_problems:
        typer.echo(f"Warning: {problem}", err=True)
    return known.catalogue


def actor() -> str:
    """Who is acting, for the audit log: the operating-system user.

    The command line is the machine's local operator: it holds the database file, so the use
    cases it calls run with :data:`myomap.domain.actor.OPERATOR`, whose clinic scope is every
    record (the default of each use case's ``scope``); the web passes its logged-in user instead.
    """
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name in some containers
        return "cli"


@contextmanager
def open_cli_store() -> Iterator[Store]:
    """The store named by the settings (MYOMAP_DATABASE_URL or the data folder), migrated."""
    app = application()
    try:
        yield app.store
    finally:
        app.close()


def run_in_transaction(action: Callable[[Session], T]) -> T:
    """Run one use case in one transaction of the configured store."""
    with open_cli_store() as store, store.transaction() as session:
        return action(session)


def echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
