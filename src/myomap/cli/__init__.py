"""The ``myomap`` command line: thin Typer commands over :mod:`myomap.services`.

Command modules register themselves here. They import heavy libraries (NumPy, SQLAlchemy,
Matplotlib) inside command bodies so that ``myomap locate`` starts fast.
Every :class:`~myomap.domain.errors.MyomapError` becomes a one-line message and a non-zero exit
code, never a traceback.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from typer.core import TyperGroup

from myomap import __version__
from myomap.domain.actor import RecordNotFound
from myomap.domain.errors import MyomapError

# Where a command-line user finds a record whose id was not found.
WHERE_TO_LOOK = {
    "client": "Run 'myomap client list' to see client ids.",
    "visit": "Run 'myomap client show CLIENT' to see its visits.",
}


def message_of(exc: MyomapError) -> str:
    """The error's message as the command line words it."""
    if isinstance(exc, RecordNotFound) and exc.kind in WHERE_TO_LOOK:
        return f"{exc} {WHERE_TO_LOOK[exc.kind]}"
    return str(exc)


class _Group(TyperGroup):
    def invoke(self, ctx: Any) -> Any:  # typer vendors its own click Context type
        try:
            return super().invoke(ctx)
        except MyomapError as exc:
            typer.echo(f"Error: {message_of(exc)}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    name="myomap",
    cls=_Group,
    help="myomap: neuromuscular therapy body maps, trigger point atlas, differential, safety "
    "screening, plans and outcomes. Supports a qualified person's judgement; does not diagnose.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)


def _version(value: bool) -> None:
    if value:
        from myomap.knowledge.loader import atlas_version

        typer.echo(f"myomap {__version__} (atlas {atlas_version()})")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show versions and exit."
    ),
) -> None:
    """myomap command line."""


COMMAND_MODULES = (
    "bodymap",
    "chart",
    "atlas",
    "differential",
    "validate",
    "care",
    "store",
    "records",
    "visits",
    "portal",
    "scoring",
    "outcomes",
    "serve",
)


def _register() -> None:
    from importlib import import_module

    for name in COMMAND_MODULES:
        import_module(f"myomap.cli.{name}").register(app)


_register()


def main() -> None:
    # Pydantic searches every installed package's entry points for plugins when it builds its
    # first model, about a tenth of a second of every command; myomap uses no Pydantic plugin.
    # A value the user set wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="myomap")


if __name__ == "__main__":  # pragma: no cover
    main()
