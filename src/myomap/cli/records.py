"""Record commands: ``client``, and the helpers the other record commands share (``visit`` is
in :mod:`myomap.cli.visits`; ``db``, ``backup``, ``restore`` and ``demo`` in
:mod:`myomap.cli.store`).

Each command is one transaction through :mod:`myomap.services`; a refused change leaves the
store as it was. Read commands take ``--json`` and print the service view as it is.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from myomap.cli._common import JSON_OPT
from myomap.cli._common import actor as _actor
from myomap.cli._common import run_in_transaction as _run
from myomap.domain.errors import UsageError

if TYPE_CHECKING:
    pass


def _emit(data: Any, as_json: bool, text: Callable[[], str]) -> None:
    if as_json:
        if isinstance(data, list):
            payload: Any = [d.to_json() for d in data]
        else:
            payload = data.to_json()
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        typer.echo(text())


def _read_json(path: str, what: str) -> Any:
    try:
        from myomap.knowledge.userfiles import MAX_BYTES, read_limited

        raw = (
            sys.stdin.read(MAX_BYTES + 1)
            if path == "-"
            else read_limited(Path(path), what, give="a JSON file").decode("utf-8")
        )
        if len(raw) > MAX_BYTES:
            raise UsageError(f"{what} input is too large (more than {MAX_BYTES} characters)")
        return json.loads(raw)
    except RecursionError:
        raise UsageError(f"{what} file {path} is not usable JSON (nested too deeply)") from None
    except FileNotFoundError:
        raise UsageError(f"{what} file {path} does not exist") from None
    except IsADirectoryError:
        raise UsageError(
            f"{what} file {path} is a folder; give a JSON file, or - to read standard input"
        ) from None
    except UnicodeDecodeError:
        raise UsageError(f"{what} file {path} is not readable JSON (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        problem = "it is empty" if not exc.doc.strip() else f"line {exc.lineno}: {exc.msg}"
        raise UsageError(f"{what} file {path} is not readable JSON ({problem})") from None
    except OSError as exc:
        problem = exc.strerror or type(exc).__name__
        raise UsageError(f"{what} file {path} is not readable JSON ({problem})") from None


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


client_app = typer.Typer(help="Register and look up clients.", no_args_is_help=True)


@client_app.command("add")
def client_add(
    name: str = typer.Option(..., "--name", help="Display name (keep it minimal)."),
    birth_year: int | None = typer.Option(None, "--birth-year", help="Year of birth."),
    sex: str | None = typer.Option(None, "--sex", help="female, male or other."),
    contact: str | None = typer.Option(None, "--contact", help="Phone or e-mail, optional."),
    as_json: bool = JSON_OPT,
) -> None:
    """Register a client and print the new id."""
    from myomap.services import clients

    view = _run(
        lambda s: clients.add_client(
            s, display_name=name, birth_year=birth_year, sex=sex, contact=contact, actor=_actor()
        )
    )
    _emit(view, as_json, lambda: f"Added client {view.id}.")


@client_app.command("list")
def client_list(
    include_deleted: bool = typer.Option(False, "--all", help="Include deleted clients."),
    as_json: bool = JSON_OPT,
) -> None:
    """List clients with their number of visits."""
    from myomap.services import clients

    rows = _run(lambda s: clients.list_clients(s, include_deleted=include_deleted))

    def text() -> str:
        if not rows:
            return "No clients yet. Add one with 'myomap client add --name NAME'."
        lines = [f"{'id':>4}  {'name':<32} {'born':>4}  {'visits':>6}  last visit"]
        for c in rows:
            mark = " (deleted)" if c.deleted else ""
            lines.append(
                f"{c.id:>4}  {c.display_name[:32]:<32} {c.birth_year or '-':>4}  "
                f"{c.visit_count:>6}  {_when(c.last_visit_at)}{mark}"
            )
        return "\n".join(lines)

    _emit(rows, as_json, text)


@client_app.command("show")
def client_show(
    client_id: int = typer.Argument(..., metavar="CLIENT"), as_json: bool = JSON_OPT
) -> None:
    """Show a client with visits, intakes and measurements."""
    from myomap.services import clients

    c = _run(lambda s: clients.get_client(s, client_id))

    def text() -> str:
        lines = [
            f"Client {c.id}: {c.display_name}" + (" (deleted)" if c.deleted else ""),
            f"  born {c.birth_year or '-'}, sex {c.sex or '-'}, contact {c.contact or '-'}",
            f"  visits ({c.visit_count}):",
        ]
        lines += [
            f"    {v.id:>4}  {_when(v.started_at)}  {v.status}"
            + (f" by {v.signed_by}" if v.signed_by else "")
            + (f", {v.amendment_count} amendment(s)" if v.amendment_count else "")
            + (" (deleted)" if v.deleted else "")
            for v in c.visits
        ]
        lines.append(f"  measurements: {len(c.measurements)}")
        lines += [
            f"    {_when(m.recorded_at)}  {m.instrument:<8} total {m.total}" for m in c.measurements
        ]
        return "\n".join(lines)

    _emit(c, as_json, text)


@client_app.command("delete")
def client_delete(
    client_id: int = typer.Argument(..., metavar="CLIENT"),
    reason: str = typer.Option(..., "--reason"),
    by: str = typer.Option(..., "--by"),
) -> None:
    """Mark a client deleted (recorded, reversible with 'client restore')."""
    from myomap.services import clients

    _run(lambda s: clients.delete_client(s, client_id, by=by, reason=reason))
    typer.echo(f"Client {client_id} deleted; undo with 'myomap client restore {client_id}'.")


@client_app.command("restore")
def client_restore(
    client_id: int = typer.Argument(..., metavar="CLIENT"), by: str = typer.Option(..., "--by")
) -> None:
    """Undo the deletion of a client."""
    from myomap.services import clients

    _run(lambda s: clients.restore_client(s, client_id, by=by))
    typer.echo(f"Client {client_id} restored.")


def register(app: typer.Typer) -> None:
    app.add_typer(client_app, name="client")
