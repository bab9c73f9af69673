"""Outcome commands: ``measure add``, ``progress``, ``cohort``, ``report``, ``export fhir|csv``
and ``import csv``.

Each command is one transaction through :mod:`myomap.services`; a refused answer set or CSV row
leaves the store as it was.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from myomap.domain.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.domain.outcomes import Catalogue

T = TypeVar("T")
JSON_OPT = typer.Option(False, "--json", help="Print JSON instead of text.")

measure_app = typer.Typer(help="Record outcome measurements.", no_args_is_help=True)
export_app = typer.Typer(help="Export records: FHIR R4 Bundle or CSV.", no_args_is_help=True)
import_app = typer.Typer(help="Import records exported as CSV.", no_args_is_help=True)


def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name in some containers
        return "cli"


def _run(action: Callable[[Session], T]) -> T:
    from myomap.cli.records import open_cli_store

    with open_cli_store() as store, store.transaction() as session:
        return action(session)


def _catalogue() -> Catalogue:
    from myomap.services.outcomes import settings_catalogue

    return settings_catalogue()


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _parse_at(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError("--at must be an ISO 8601 time such as 2026-03-01T09:00+00:00") from None
    if parsed.tzinfo is None:
        raise UsageError("--at needs a time zone, e.g. 2026-03-01T09:00+00:00")
    return parsed


@measure_app.command("add", context_settings={"ignore_unknown_options": True})
def measure_add(
    client_id: int = typer.Argument(..., metavar="CLIENT"),
    instrument: str = typer.Argument(..., help="Instrument id (see 'myomap instruments')."),
    answers: list[str] = typer.Argument(..., metavar="ANSWER...",
                                        help="One answer per item in order; '-' if unanswered."),
    visit: int | None = typer.Option(None, "--visit", help="Visit the measurement belongs to."),
    at: str | None = typer.Option(None, "--at", help="When it was taken (default: now)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Score and store an instrument's answers for a client."""
    from myomap.services.outcomes import parse_answer, record

    values = [parse_answer(a) for a in answers]
    when = _parse_at(at)
    view, result = _run(lambda s: record(s, client_id, instrument=instrument, answers=values,
                                         visit_id=visit, recorded_at=when, actor=_actor()))
    if as_json:
        _echo_json({**view.to_json(), "band": result.band, "items": result.to_json()["items"]})
        return
    band = f" ({result.band})" if result.band else ""
    typer.echo(f"Measurement {view.id} stored: {view.instrument} total "
               f"{result.to_json()['total']}{band}.")


@export_app.command("fhir")
def export_fhir(
    client_id: int = typer.Argument(..., metavar="CLIENT"),
    output: Path = typer.Option(..., "-o", "--output", help="Bundle JSON file to write."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace FILE if it exists."),
) -> None:
    """Export a client's record as a FHIR R4 Bundle (validated before it is written)."""
    from myomap.services import exports
    from myomap.store.orm import utcnow

    if output.exists() and not overwrite:
        raise UsageError(f"{output} exists; pass --overwrite or choose another file")
    cat = _catalogue()
    bundle = _run(lambda s: exports.export_fhir(s, client_id, cat, exported_at=utcnow()))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(bundle, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    typer.echo(f"FHIR Bundle with {len(bundle['entry'])} resources written to {output}.")


@export_app.command("csv")
def export_csv(
    output: Path = typer.Option(..., "-o", "--output", help="Folder to write the CSV files to."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace files in the folder."),
    as_json: bool = JSON_OPT,
) -> None:
    """Export measures, drawings (with CHOIR ids), PPT and ROM of every client as CSV."""
    from myomap.services import exports

    cat = _catalogue()
    summary = _run(lambda s: exports.export_csv(s, output, cat, overwrite=overwrite))
    if as_json:
        _echo_json(summary.to_json())
        return
    counts = ", ".join(f"{n} {name}" for name, n in summary.rows.items())
    typer.echo(f"CSV written to {output}: {counts}.")


@import_app.command("csv")
def import_csv(
    folder: Path = typer.Argument(..., metavar="DIR", help="A folder from 'myomap export csv'."),
    as_json: bool = JSON_OPT,
) -> None:
    """Import a CSV folder; clients already in the store (same reference) are skipped."""
    from myomap.services import exports

    summary = _run(lambda s: exports.import_csv(s, folder, actor=_actor()))
    if as_json:
        _echo_json(summary.to_json())
        return
    typer.echo(f"Imported {len(summary.created_clients)} client(s), "
               f"{summary.rows.get('visits.csv', 0)} visit(s), "
               f"{summary.rows.get('measurements.csv', 0)} measurement(s); "
               f"{len(summary.skipped_clients)} already present and skipped.")


def register(app: typer.Typer) -> None:
    app.add_typer(measure_app, name="measure")
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
