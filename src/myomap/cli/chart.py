"""``myomap chart`` and ``myomap drawing``: body charts and pain-drawing metrics.

Regions are given as ids (``temple_r``) or, where the plain-words resolver is present, as words
(``"left temple"``). Bad input ends with one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from myomap.domain.errors import UnknownRegionError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from myomap.domain.bodymap import BodyMap

DEFAULT_INTENSITY = 6.0

drawing_app = typer.Typer(
    help="Pain drawing metrics: extent, overlap between two drawings, frequency over many.",
    no_args_is_help=True,
)


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def resolve_regions(text: str, bodymap: BodyMap) -> list[str]:
    """Region ids for an id or, through the resolver when available, for plain words."""
    import difflib

    text = text.strip()
    if text in bodymap:
        return [text]
    resolve_phrase: Callable[[str, BodyMap], list[str]] | None
    try:
        from myomap.domain.resolver import resolve_phrase
    except ImportError:  # resolver not part of this build: ids only
        resolve_phrase = None
    if resolve_phrase is not None:
        ids = resolve_phrase(text, bodymap)
        if ids:
            return list(ids)
    raise UnknownRegionError(text, difflib.get_close_matches(text, list(bodymap.regions), 3))


def parse_highlight(spec: str, bodymap: BodyMap) -> dict[str, float]:
    """``REGION`` or ``REGION=INTENSITY`` (0–10) → intensity per region id."""
    region, sep, value = spec.rpartition("=")
    if not sep:
        region, value = spec, ""
    intensity = DEFAULT_INTENSITY
    if value.strip():
        try:
            intensity = float(value)
        except ValueError:
            intensity = math.nan
        if not 0 <= intensity <= 10:
            raise UsageError(
                f"Highlight {spec!r}: intensity must be a number from 0 to 10, as in temple_r=7."
            )
    if not region.strip():
        raise UsageError(f"Highlight {spec!r}: name a region before '=', as in temple_r=7.")
    return dict.fromkeys(resolve_regions(region, bodymap), intensity)


def chart(
    output: Path = typer.Option(..., "-o", "--output", help="Output file: .svg or .png."),
    view: str = typer.Option("front", "--view", help="front, back or both."),
    highlight: list[str] = typer.Option(
        [], "--highlight", help="REGION[=INTENSITY 0-10]; repeat for more regions."
    ),
    mark: list[str] = typer.Option([], "--mark", help="Put an X on REGION; repeatable."),
) -> None:
    """Draw the body chart with highlighted regions and marks, as SVG or PNG."""
    from myomap.chart import VIEW_CHOICES, Mark, save_chart
    from myomap.knowledge.loader import load_bodymap

    if view not in VIEW_CHOICES:
        raise UsageError(f"Unknown view {view!r}: use front, back or both.")
    if output.suffix.lower() not in (".svg", ".png"):
        raise UsageError(f"Cannot write {output.name!r}: name the output file .svg or .png.")
    bodymap = load_bodymap()
    highlights: dict[str, float] = {}
    for spec in highlight:
        highlights.update(parse_highlight(spec, bodymap))
    marks = [Mark(rid) for text in mark for rid in resolve_regions(text, bodymap)]
    shown = {"front": {"front"}, "back": {"back"}, "both": {"front", "back"}}[view]
    hidden = sorted(
        {
            rid
            for rid in [*highlights, *(m.region for m in marks)]
            if bodymap.get(rid).view.value not in shown
        }
    )
    save_chart(output, view=view, highlights=highlights, marks=marks)
    if hidden:
        typer.echo(
            f"Note: not on the {view} view: {', '.join(hidden)} (use --view both).", err=True
        )
    typer.echo(f"Wrote {output}")


def extent(
    file: Path = typer.Argument(..., help="Drawing file (myomap.drawing/1 JSON)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Pain extent (percent of body area) and per-region coverage of a drawing."""
    from myomap.services.drawings import drawing_metrics, load_drawing

    metrics = drawing_metrics(load_drawing(file))
    if as_json:
        _echo_json(metrics.to_json())
        return
    typer.echo(
        f"Pain extent: {metrics.extent_percent:.2f} % of body area "
        f"({metrics.areas} area{'s' if metrics.areas != 1 else ''})"
    )
    for rid, pain in sorted(metrics.regions.items(), key=lambda kv: -kv[1].coverage):
        quality = f"  {pain.quality}" if pain.quality else ""
        typer.echo(f"  {rid:<28} {100 * pain.coverage:6.1f} %  intensity {pain.intensity}{quality}")


def jaccard_cmd(
    first: Path = typer.Argument(..., help="First drawing file."),
    second: Path = typer.Argument(..., help="Second drawing file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Location overlap of two drawings (Jaccard index of the painted body area)."""
    from myomap.services.drawings import drawing_jaccard, drawing_metrics, load_drawing

    a, b = load_drawing(first), load_drawing(second)
    value = drawing_jaccard(a, b)
    ea, eb = drawing_metrics(a).extent_percent, drawing_metrics(b).extent_percent
    if as_json:
        _echo_json({"jaccard": round(value, 4), "extent_percent": [round(ea, 3), round(eb, 3)]})
        return
    typer.echo(f"Jaccard overlap: {value:.3f} (extent {ea:.2f} % and {eb:.2f} %)")


def frequency(
    files: list[Path] = typer.Argument(..., help="Drawing files."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Heat chart .png or .svg."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """How often each region is painted across many drawings, optionally as a heat chart."""
    from myomap.services.drawings import drawing_frequency, load_drawing

    if output is not None and output.suffix.lower() not in (".svg", ".png"):
        raise UsageError(f"Cannot write {output.name!r}: name the output file .svg or .png.")
    drawings = [load_drawing(f) for f in files]
    freq = drawing_frequency(drawings)
    if output is not None:
        from myomap.chart import save_chart

        if freq.drawings:
            # the pixel map shows where within regions the drawings agree
            heat = {v: c / freq.drawings for v, c in freq.pixel_counts.items()}
            save_chart(output, view="both", heat=heat)
        else:
            save_chart(
                output,
                view="both",
                highlights={rid: 10.0 * f for rid, f in freq.region_fraction.items()},
            )
    if as_json:
        _echo_json(
            {
                "drawings": freq.drawings,
                "regions": {rid: round(f, 4) for rid, f in sorted(freq.region_fraction.items())},
                "max_pixel_count": freq.max_count,
            }
        )
    else:
        typer.echo(f"{freq.drawings} drawings")
        for rid, f in sorted(freq.region_fraction.items(), key=lambda kv: (-kv[1], kv[0])):
            typer.echo(f"  {rid:<28} {100 * f:5.1f} %")
    if output is not None:
        typer.echo(f"Wrote {output}", err=as_json)


def register(app: typer.Typer) -> None:
    app.command("chart")(chart)
    drawing_app.command("extent")(extent)
    drawing_app.command("jaccard")(jaccard_cmd)
    drawing_app.command("frequency")(frequency)
    app.add_typer(drawing_app, name="drawing")
