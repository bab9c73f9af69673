"""``myomap regions``, ``myomap regions export`` and ``myomap resolve``: the body map vocabulary.

``regions`` lists every concrete region with its crosswalk ids; ``resolve`` turns plain words into
region ids the way every other command reads them; ``regions export`` shows the CHOIR or Michigan
ids a set of regions (or a drawing file) becomes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from myomap.domain.errors import UsageError

if TYPE_CHECKING:
    from myomap.domain.bodymap import BodyMap, Region
    from myomap.domain.crosswalk import Crosswalk, Target

regions_app = typer.Typer(
    help="List the body regions (id, label, side, view, parent, synonyms, area, crosswalk ids).",
    invoke_without_command=True,
)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _console() -> Any:
    import sys

    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else 160, highlight=False)


def region_record(region: Region, crosswalk: Crosswalk) -> dict[str, Any]:
    """The JSON shape of one region (the `myomap regions --json` contract)."""
    from myomap.domain.crosswalk import Target

    ids = crosswalk.regions.get(region.id, {})
    return {
        "id": region.id,
        "base": region.base,
        "label": region.label,
        "side": region.side.value,
        "view": region.view.value,
        "parent": region.parent,
        "synonyms": list(region.synonyms),
        "area": round(region.area, 4),
        "choir": list(ids.get(Target.CHOIR, ())),
        "michigan": list(ids.get(Target.MICHIGAN, ())),
    }


def _filtered(
    bodymap: BodyMap, view: str | None, parent: str | None, side: str | None
) -> list[Region]:
    views = sorted({r.view.value for r in bodymap})
    parents = sorted({r.parent for r in bodymap})
    sides = sorted({r.side.value for r in bodymap})
    for name, value, allowed in (
        ("view", view, views),
        ("parent", parent, parents),
        ("side", side, sides),
    ):
        if value is not None and value not in allowed:
            raise UsageError(f"Unknown {name} {value!r}: use one of {', '.join(allowed)}.")
    return [
        r
        for r in bodymap
        if (view is None or r.view.value == view)
        and (parent is None or r.parent == parent)
        and (side is None or r.side.value == side)
    ]


@regions_app.callback()
def regions(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    view: str | None = typer.Option(None, "--view", help="Only regions of this view (front/back)."),
    parent: str | None = typer.Option(
        None, "--parent", help="Only regions of this body part (e.g. shoulder, knee)."
    ),
    side: str | None = typer.Option(None, "--side", help="Only left, right or midline regions."),
) -> None:
    """List every body region; `myomap regions export` shows research body map ids."""
    if ctx.invoked_subcommand is not None:
        return
    from myomap.knowledge.loader import load_bodymap, load_crosswalk

    bodymap = load_bodymap()
    crosswalk = load_crosswalk()
    rows = [region_record(r, crosswalk) for r in _filtered(bodymap, view, parent, side)]
    if as_json:
        _echo_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"Body regions ({len(rows)})", show_lines=False)
    for column in ("id", "label", "side", "view", "parent", "area %", "CHOIR", "Michigan"):
        table.add_column(column, no_wrap=True)
    table.add_column("synonyms", overflow="fold")
    for row in rows:
        table.add_row(
            row["id"],
            row["label"],
            row["side"],
            row["view"],
            row["parent"],
            f"{row['area']:.2f}",
            ",".join(str(i) for i in row["choir"]),
            ",".join(str(i) for i in row["michigan"]),
            "; ".join(row["synonyms"]),
        )
    _console().print(table)


def _target(value: str) -> Target:
    from myomap.domain.crosswalk import Target

    try:
        return Target(value.lower())
    except ValueError:
        allowed = ", ".join(t.value for t in Target)
        raise UsageError(f"Unknown body map {value!r} for --to: use one of {allowed}.") from None


@regions_app.command("export")
def export(
    regions: list[str] = typer.Argument(
        None, help="Region ids or plain words (e.g. temple_l, 'lower back')."
    ),
    to: str = typer.Option(..., "--to", help="Target body map: choir or michigan."),
    drawing: Path | None = typer.Option(
        None, "--drawing", help="Also export the painful regions of a drawing file."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    as_csv: bool = typer.Option(
        False, "--csv", help="Print only the ids, comma separated (the CHOIR export format)."
    ),
) -> None:
    """Show the CHOIR or Michigan body map ids that regions (or a drawing) correspond to."""
    from myomap.domain.resolver import resolve_phrase
    from myomap.knowledge.loader import load_bodymap, load_crosswalk
    from myomap.services.inputs import read_drawing_file

    target = _target(to)
    if as_json and as_csv:
        raise UsageError("Give either --json or --csv, not both.")
    if not regions and drawing is None:
        raise UsageError("Name at least one region (e.g. temple_l) or pass --drawing FILE.")
    bodymap = load_bodymap()
    crosswalk = load_crosswalk()
    region_ids: list[str] = []
    for phrase in regions or []:
        region_ids += resolve_phrase(phrase, bodymap)
    ids = crosswalk.export(region_ids, target)
    if drawing is not None:
        pain = read_drawing_file(drawing)
        unknown = [rid for rid in pain.region_ids() if rid not in bodymap]
        if unknown:
            from myomap.domain.errors import UnknownRegionError

            raise UnknownRegionError(unknown[0], [])
        region_ids += [r for a in pain.areas if a.intensity > 0 for r in a.regions]
        ids = sorted(set(ids) | set(crosswalk.export_drawing(pain, target)))
    region_ids = list(dict.fromkeys(region_ids))
    areas = crosswalk.areas[target]
    if as_json:
        _echo_json(
            {
                "to": target.value,
                "regions": region_ids,
                "ids": ids,
                "areas": [{"id": i, "label": areas[i].label, "key": areas[i].key} for i in ids],
            }
        )
        return
    if as_csv:
        typer.echo(",".join(str(i) for i in ids))
        return
    for i in ids:
        key = f" [{areas[i].key}]" if areas[i].key else ""
        typer.echo(f"{i}\t{areas[i].label}{key}")


def resolve(
    phrases: list[str] = typer.Argument(..., help="Plain words, e.g. 'left temple'."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Turn plain words into region ids; unknown words get the closest regions."""
    from myomap.domain.resolver import resolve as resolve_words
    from myomap.knowledge.loader import load_bodymap

    bodymap = load_bodymap()
    results = [resolve_words(p, bodymap) for p in phrases]
    if as_json:
        _echo_json([{"phrase": r.phrase, "regions": list(r.regions)} for r in results])
        return
    for r in results:
        typer.echo(f"{r.phrase}: {' '.join(r.regions)}")


def register(app: typer.Typer) -> None:
    app.add_typer(regions_app, name="regions")
    app.command("resolve")(resolve)
