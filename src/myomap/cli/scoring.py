"""``myomap score`` and ``myomap instruments``: score an outcome instrument without a database."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from myomap.cli._common import JSON_OPT, catalogue

if TYPE_CHECKING:
    pass


def score_command(
    instrument: str = typer.Argument(
        ...,
        help="Instrument id: nrs, vas, pgic, gad7, phq2, phq9, "
        "pss10, pss4, sleep, analgesic (or a clinic's own).",
    ),
    answers: list[str] = typer.Argument(
        ..., metavar="ANSWER...", help="One answer per item in order; '-' if unanswered."
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """Score an instrument: total, band and item scores (reverse items already reversed)."""
    from myomap.domain.outcomes import score
    from myomap.services.outcomes import parse_answer

    inst = catalogue().get(instrument)
    result = score(inst, [parse_answer(a) for a in answers])
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    low, high = inst.total_range
    total = result.to_json()["total"]
    line = f"{inst.short}: {total} (range {low:g}-{high:g})"
    if result.band:
        line += f", {result.band}"
    if result.imputed:
        line += f"; {result.missing} unanswered item(s) filled by the instrument's rule"
    typer.echo(line)


def instruments_command(as_json: bool = JSON_OPT) -> None:
    """List the instruments that can be scored, with ranges, MCIDs and licence notes."""
    cat = catalogue()
    rows = []
    for inst in sorted(cat.instruments.values(), key=lambda i: i.id):
        low, high = inst.total_range
        rows.append(
            {
                "id": inst.id,
                "name": inst.name,
                "items": inst.items.count,
                "range": [low, high],
                "reverse_items": list(inst.items.reverse),
                "mcid": inst.mcid.model_dump() if inst.mcid else None,
                "loinc": inst.loinc,
                "licensed": inst.licensed,
                "licence": inst.licence,
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        mark = " (clinic-supplied)" if r["licensed"] else ""
        typer.echo(f"{r['id']:<10} {r['items']:>3} item(s)  {r['name']}{mark}")


def register(app: typer.Typer) -> None:
    settings = {"ignore_unknown_options": True}  # so that answers like -1 reach the validator
    app.command("score", context_settings=settings)(score_command)
    app.command("instruments")(instruments_command)
