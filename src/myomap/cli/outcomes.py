"""Outcome commands: ``measure add``, ``progress``, ``cohort``, ``report``, ``export fhir|csv``
and ``import csv``.

Each command is one transaction through :mod:`myomap.services`; a refused answer set or CSV row
leaves the store as it was.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from myomap.cli._common import JSON_OPT, catalogue
from myomap.cli._common import actor as _actor
from myomap.cli._common import echo_json as _echo_json
from myomap.cli._common import run_in_transaction as _run
from myomap.domain.errors import DataError, UsageError

if TYPE_CHECKING:
    pass


measure_app = typer.Typer(help="Record outcome measurements.", no_args_is_help=True)
export_app = typer.Typer(help="Export records: FHIR R4 Bundle or CSV.", no_args_is_help=True)
import_app = typer.Typer(
    help="Import records exported as CSV, or a clinic's client list.", no_args_is_help=True
)


def _output_file(output: Path, suffixes: tuple[str, ...], overwrite: bool = True) -> None:
    """Refuse a wrong suffix, a folder or an existing file before any work is done."""
    if output.suffix.lower() not in suffixes:
        raise UsageError(f"-o must end in {' or '.join(suffixes)}, not {output.name!r}.")
    if output.is_dir():
        raise UsageError(
            f"{output} is a folder; give a file name ending in {' or '.join(suffixes)}."
        )
    if output.exists() and not overwrite:
        raise UsageError(f"{output} exists; pass --overwrite or choose another file")


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
    answers: list[str] = typer.Argument(
        ..., metavar="ANSWER...", help="One answer per item in order; '-' if unanswered."
    ),
    visit: int | None = typer.Option(None, "--visit", help="Visit the measurement belongs to."),
    at: str | None = typer.Option(None, "--at", help="When it was taken (default: now)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Score and store an instrument's answers for a client."""
    from myomap.services.outcomes import parse_answer, record_measurement

    values = [parse_answer(a) for a in answers]
    when = _parse_at(at)
    cat = catalogue()
    view, result = _run(
        lambda s: record_measurement(
            s,
            cat,
            client_id,
            instrument=instrument,
            answers=values,
            visit_id=visit,
            recorded_at=when,
            actor=_actor(),
        )
    )
    if as_json:
        _echo_json({**view.to_json(), "band": result.band, "items": result.to_json()["items"]})
        return
    band = f" ({result.band})" if result.band else ""
    typer.echo(
        f"Measurement {view.id} stored: {view.instrument} total {result.to_json()['total']}{band}."
    )


@measure_app.command("ppt")
def measure_ppt(
    visit_id: int = typer.Argument(..., metavar="VISIT"),
    values: list[float] = typer.Argument(..., metavar="TRIAL...", help="Trials, usually 3."),
    site: str = typer.Option(..., "--site", help="Site, e.g. upper_trapezius."),
    side: str = typer.Option(..., "--side", help="left, right or midline."),
    unit: str = typer.Option("kPa", "--unit", help="kPa or kg/cm2 (stored as kPa)."),
    as_json: bool = JSON_OPT,
) -> None:
    """Record pressure pain threshold trials in kPa or kg/cm²; the mean is shown."""
    from myomap.domain.exam_measures import to_kpa
    from myomap.services import examination

    factor = catalogue().measures["ppt"].kpa_per_kg_cm2
    if factor is None:
        raise DataError("outcomes/instruments.json: measures.ppt has no kpa_per_kg_cm2")
    trials = [round(to_kpa(v, unit, factor), 2) for v in values]
    view = _run(
        lambda s: examination.add_ppt(
            s, visit_id, site=site, side=side, trials_kpa=trials, actor=_actor()
        )
    )
    if as_json:
        _echo_json(view.to_json())
        return
    typer.echo(
        f"PPT recorded for visit {visit_id}: mean {view.mean_kpa:g} kPa over "
        f"{len(view.trials_kpa)} trial(s)."
    )


@export_app.command("fhir")
def export_fhir(
    client_id: int = typer.Argument(..., metavar="CLIENT"),
    output: Path = typer.Option(..., "-o", "--output", help="Bundle JSON file to write."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace FILE if it exists."),
    transaction: bool = typer.Option(
        False,
        "--transaction",
        help="Write a transaction Bundle of conditional creates to "
        "POST to a FHIR server's base URL (sending it again creates nothing twice).",
    ),
) -> None:
    """Export a client's record as a FHIR R4 Bundle (validated before it is written)."""
    from myomap.services import exports
    from myomap.store.orm import utcnow

    _output_file(output, (".json",), overwrite)
    cat = catalogue()
    bundle = _run(
        lambda s: exports.export_fhir(
            s, client_id, cat, exported_at=utcnow(), transaction=transaction
        )
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(bundle, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    kind = "transaction Bundle" if transaction else "Bundle"
    typer.echo(f"FHIR {kind} with {len(bundle['entry'])} resources written to {output}.")


@export_app.command("csv")
def export_csv(
    output: Path = typer.Option(..., "-o", "--output", help="Folder to write the CSV files to."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace files in the folder."),
    as_json: bool = JSON_OPT,
) -> None:
    """Export measures, drawings (with CHOIR ids), PPT and ROM of every client as CSV."""
    from myomap.services import exports

    cat = catalogue()
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

    cat = catalogue()
    summary = _run(lambda s: exports.import_csv(s, folder, cat, actor=_actor()))
    if as_json:
        _echo_json(summary.to_json())
        return
    typer.echo(
        f"Imported {len(summary.created_clients)} client(s), "
        f"{summary.rows.get('visits.csv', 0)} visit(s), "
        f"{summary.rows.get('measurements.csv', 0)} measurement(s); "
        f"{len(summary.skipped_clients)} already present and skipped."
    )


@import_app.command("clients")
def import_clients(
    path: Path = typer.Argument(
        ..., metavar="FILE", help="The client list CSV exported by the practice software."
    ),
    source: str = typer.Option(
        ..., "--from", help="Which product wrote FILE: jane, cliniko or clinicsense."
    ),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        help="Show what would be created and the duplicates found; write nothing.",
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """Import a clinic's client list (name, birth year, contact) from Jane, Cliniko or
    ClinicSense; clients already in the store are reported as duplicates and skipped."""
    from myomap.services.client_import import import_client_list

    result = _run(
        lambda s: import_client_list(s, path, source.lower(), dry_run=dry_run, actor=_actor())
    )
    if as_json:
        _echo_json(result.to_json())
        return
    verb = "Would create" if dry_run else "Created"
    typer.echo(
        f"{verb} {len(result.to_create)} client(s); {len(result.duplicates)} duplicate(s) skipped."
    )
    for c in result.to_create:
        born = f", born {c['birth_year']}" if c["birth_year"] else ""
        typer.echo(f"  + line {c['line']}: {c['display_name']}{born}")
    for d in result.duplicates:
        typer.echo(f"  = line {d['line']}: {d['display_name']} matches {d['matches']}")


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def progress_text(p: dict[str, Any]) -> str:
    c = p["client"]
    lines = [
        f"Client {c['id']}: {c['display_name']}, {p['visits']} visit(s)"
        + (f", {p['first_visit'][:10]} to {p['last_visit'][:10]}" if p["visits"] else "")
    ]
    lines.append(f"  {'measure':<16}{'first':>7}{'latest':>8}  {'change':<28}trend")
    for m in p["measures"]:
        ch = m["change"]
        first = m["points"][0]["total"]
        last = m["points"][-1]["total"]
        if ch is None:
            verdict = m["status"]
        else:
            verdict = ch["category"] + (" (responder)" if ch["responder"] else "")
        lines.append(
            f"  {m['short'][:15]:<16}{_fmt(first):>7}{_fmt(last):>8}  "
            f"{verdict[:27]:<28}{m['trend']['status']}"
        )
    for s in p["ppt"]:
        pts = s["points"]
        lines.append(
            f"  PPT {s['site']} {s['side']}: {_fmt(pts[0]['mean_kpa'])} -> "
            f"{_fmt(pts[-1]['mean_kpa'])} kPa over {len(pts)} visit(s)"
        )
    for r in p["rom"]:
        pts = r["points"]
        norm = f" (adult norm {_fmt(r['norm_degrees'])})" if r["norm_degrees"] else ""
        lines.append(
            f"  ROM {r['movement']} {r['side']}: {_fmt(pts[0]['degrees'])} -> "
            f"{_fmt(pts[-1]['degrees'])} degrees{norm}"
        )
    d = p["drawings"]
    if d["first"]:
        overlap = f", overlap (Jaccard) {d['jaccard']}" if d["jaccard"] is not None else ""
        lines.append(
            f"  Pain extent: {d['first']['extent_percent']} % -> "
            f"{d['last']['extent_percent']} % of body area{overlap}"
        )
    for t in p["treatments"]:
        change = t["pain_change"]
        after = (
            ""
            if change is None
            else f"; pain {_fmt(t['pain_at_visit'])} -> "
            f"{_fmt(t['pain_next_visit'])} by the next visit"
        )
        lines.append(f"  {t['at'][:10]}: {', '.join(t['treatments'])}{after}")
    lines.append(p["caution"])
    return "\n".join(lines)


def progress_command(
    client_id: int | None = typer.Argument(None, metavar="CLIENT"),
    cohort: bool = typer.Option(False, "--cohort", help="Show the cohort view instead."),
    as_json: bool = JSON_OPT,
) -> None:
    """Show a client's progress: every measure over time, responders, drawings, treatments."""
    if cohort:
        cohort_command(png=None, as_json=as_json)
        return
    if client_id is None:
        raise UsageError("give a CLIENT id, or --cohort for the whole store")
    from myomap.services.progress import client_progress

    cat = catalogue()
    data = _run(lambda s: client_progress(s, client_id, cat))
    if as_json:
        _echo_json(data)
    else:
        typer.echo(progress_text(data))


def cohort_command(
    png: Path | None = typer.Option(
        None, "--png", help="Write the baseline pain-drawing frequency map as a PNG."
    ),
    as_json: bool = JSON_OPT,
) -> None:
    """Responder rates by technique and by region, and pain-drawing frequency maps."""
    from myomap.services.progress import cohort

    if png is not None:
        if png.suffix.lower() != ".png":
            raise UsageError(f"--png must name a .png file, not {png.name!r}.")
        if png.is_dir():
            raise UsageError(f"--png {png} is a folder; give a file name ending in .png.")
        if not png.parent.is_dir():
            raise UsageError(
                f"Cannot write {png}: the folder {png.parent} does not exist; create it first."
            )
    cat = catalogue()
    view, maps = _run(lambda s: cohort(s, cat))
    if png is not None:
        from myomap.reports.plots import frequency_png

        png.write_bytes(frequency_png(maps["baseline"]))
    if as_json:
        _echo_json(view)
        return
    rate = "-" if view["rate"] is None else f"{view['rate']:.0%}"
    lines = [
        f"{view['clients']} client(s), {view['evaluable']} with two or more pain ratings; "
        f"responders {view['responders']} ({rate}). Responder: "
        f"{view['responder_definition']}.",
        "By technique:",
    ]
    for row in view["by_technique"]:
        r = "-" if row["rate"] is None else f"{row['rate']:.0%}"
        lines.append(f"  {row['technique']:<28} {row['responders']}/{row['evaluable']} ({r})")
    lines.append("By region painted at baseline:")
    for row in view["by_region"][:15]:
        r = "-" if row["rate"] is None else f"{row['rate']:.0%}"
        lines.append(f"  {row['label'][:40]:<41} {row['responders']}/{row['evaluable']} ({r})")
    lines.append(view["caution"])
    typer.echo("\n".join(lines))


def report_command(
    client_id: int = typer.Argument(..., metavar="CLIENT"),
    output: Path = typer.Option(..., "-o", "--output", help="PDF file to write."),
    kind: str = typer.Option(
        "clinician",
        "--kind",
        help="clinician (one page) or progress (longer, every measure and visit).",
    ),
    html: bool = typer.Option(False, "--html", help="Write HTML instead of PDF."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace FILE if it exists."),
) -> None:
    """Write a clinician report (one page) or a progress report as PDF."""
    from myomap.knowledge.loader import atlas_version
    from myomap.reports.render import KINDS, render_html, render_pdf
    from myomap.services.progress import client_progress
    from myomap.store.orm import utcnow

    if kind not in KINDS:
        raise UsageError(f"--kind must be one of: {', '.join(KINDS)}")
    _output_file(output, (".html", ".htm") if html else (".pdf",), overwrite)
    cat = catalogue()
    data = _run(lambda s: client_progress(s, client_id, cat))
    sources = sorted(cat.sources.values())
    args: dict[str, Any] = {
        "atlas_version": atlas_version(),
        "generated_at": utcnow(),
        "sources": sources,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    if html:
        output.write_text(render_html(data, kind, **args), encoding="utf-8")  # type: ignore[arg-type]
    else:
        output.write_bytes(render_pdf(data, kind, **args))  # type: ignore[arg-type]
    typer.echo(f"{kind.capitalize()} report for client {client_id} written to {output}.")


def register(app: typer.Typer) -> None:
    app.add_typer(measure_app, name="measure")
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
    app.command("progress")(progress_command)
    app.command("cohort")(cohort_command)
    app.command("report")(report_command)
