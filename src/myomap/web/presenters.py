"""Turning service results into what pages and the API show: names, zones and chart marks.

Presentation only: rankings come from :func:`myomap.services.differential.locate`, zones from the
compiled model's instances and mark positions from the chart geometry, never recomputed here.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from myomap.domain.bodymap import Side


@lru_cache(maxsize=1)
def chart_markup() -> str:
    """The front and back chart as inline SVG (region paths carry ids and labels)."""
    from myomap.chart import chart_svg

    svg = chart_svg("both")
    # Let CSS size it: the viewBox keeps the proportions.
    head, rest = svg.split(">", 1)
    head = head.replace('width="800" ', "").replace('height="1040" ', "")
    head = head.replace('role="img"', 'class="chart" role="group"')
    return head + ">" + rest


@lru_cache(maxsize=1)
def bodymap_config_json() -> str:
    """Region labels and mirrors, the intensity ramp and qualities, for the drawing script."""
    from myomap.chart import intensity_colour
    from myomap.domain.drawing import QUALITIES
    from myomap.knowledge.loader import load_bodymap, load_geometry

    bm = load_bodymap()
    geometry = load_geometry()
    from myomap.web.security import escape_script_json

    return escape_script_json(
        json.dumps(
            {
                "regions": {
                    r.id: {"label": r.label, "mirror": bm.mirror(r.id), "view": r.view.value}
                    for r in bm
                },
                "colours": [intensity_colour(i) for i in range(11)],
                "qualities": list(QUALITIES),
                "viewWidth": geometry.width,
            },
            separators=(",", ":"),
        )
    )


@lru_cache(maxsize=1)
def _instances() -> dict[tuple[str, str], Any]:
    from myomap.knowledge.differential import default_differential

    return {(i.trigger_point, i.side.value): i for i in default_differential().model.instances}


@lru_cache(maxsize=4096)
def trp_overlay(trp_id: str, side: str) -> dict[str, Any]:
    """Full essential and spillover zones of one side of a TrP, and where to draw its X."""
    from myomap.chart import trp_point
    from myomap.knowledge.loader import load_atlas, load_bodymap

    atlas = load_atlas()
    muscle, tp = atlas.trigger_point(trp_id)
    inst = _instances().get((trp_id, side))
    bm = load_bodymap()
    region = bm.on_side(tp.location.region, Side(side))
    view, x, y = trp_point(region, tp.location.at)
    return {
        "muscle_name": muscle.name,
        "trp_name": tp.name,
        "zones": {
            "essential": list(inst.essential) if inst else [],
            "spillover": list(inst.spillover) if inst else [],
        },
        "mark": {"view": view.value, "x": round(x, 1), "y": round(y, 1), "region": region},
    }


def enrich_ranking(data: dict[str, Any]) -> dict[str, Any]:
    """Add names, whole zones and the chart mark to each candidate of ``ranking_to_dict``."""
    for c in data["candidates"]:
        c.update(trp_overlay(c["trigger_point"], c["side"]))
        if isinstance(c.get("why"), str):
            c["why_text"] = plain_words(c["why"])
    names = muscle_names()
    for m in data["muscles"]:
        m["muscle_name"] = names.get(m["muscle"], m["muscle"])
    return data


@lru_cache(maxsize=1)
def muscle_names() -> dict[str, str]:
    from myomap.knowledge.loader import load_atlas

    return {m.id: m.name for m in load_atlas().muscles}


def region_label(rid: str) -> str:
    from myomap.knowledge.loader import load_bodymap

    bm = load_bodymap()
    return bm.get(rid).label if rid in bm else rid


def line_chart(
    series: list[tuple[str, float]],
    *,
    low: float,
    high: float,
    title: str,
    width: int = 320,
    height: int = 140,
) -> str:
    """A small SVG line chart of (label, value) points: no library, no external request."""
    from xml.sax.saxutils import escape

    pad_l, pad_r, pad_t, pad_b = 34, 10, 22, 24
    w, h = width - pad_l - pad_r, height - pad_t - pad_b
    span = (high - low) or 1.0
    n = len(series)
    pts = []
    for i, (_, v) in enumerate(series):
        x = pad_l + (w * i / (n - 1) if n > 1 else w / 2)
        y = pad_t + h - (min(max(v, low), high) - low) / span * h
        pts.append((x, y))
    out = [
        f'<svg class="linechart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="{pad_l}" y="14" class="lc-title">{escape(title)}</text>',
    ]
    for frac in (0.0, 0.5, 1.0):
        y = pad_t + h - frac * h
        out.append(
            f'<line x1="{pad_l}" x2="{pad_l + w}" y1="{y:.1f}" y2="{y:.1f}" class="lc-grid"/>'
        )
        out.append(
            f'<text x="{pad_l - 4}" y="{y + 4:.1f}" text-anchor="end" '
            f'class="lc-axis">{low + frac * span:g}</text>'
        )
    if pts:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        out.append(f'<polyline points="{path}" class="lc-line"/>')
        for (x, y), (label, v) in zip(pts, series, strict=True):
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" class="lc-dot">'
                f"<title>{escape(label)}: {v:g}</title></circle>"
            )
        first, last = series[0][0], series[-1][0]
        out.append(f'<text x="{pad_l}" y="{height - 6}" class="lc-axis">{escape(first)}</text>')
        if n > 1:
            out.append(
                f'<text x="{pad_l + w}" y="{height - 6}" text-anchor="end" '
                f'class="lc-axis">{escape(last)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def available_downloads(client_id: int) -> list[tuple[str, str]]:
    return [
        ("Clinician report, one page (PDF)", f"/api/clients/{client_id}/report.pdf"),
        ("Progress report (PDF)", f"/api/clients/{client_id}/report.pdf?kind=progress"),
        ("Home-care handout (PDF)", f"/api/clients/{client_id}/handout.pdf"),
        ("FHIR R4 bundle (JSON)", f"/api/clients/{client_id}/fhir.json"),
        ("All records of the clinic (CSV, zip)", "/api/export/csv.zip"),
    ]


# Advice written for the command line, as the pages word it instead.
_WEB_WORDS = (
    (
        re.compile(r"run 'myomap screen --template' for the questions", re.I),
        "answer the questions under Intake & screening",
    ),
    (re.compile(r"with 'myomap visit note'", re.I), "in the SOAP note boxes"),
    (re.compile(r"with 'myomap visit treat'", re.I), "with Chart another treatment"),
    (re.compile(r"\s*\((see|run) '?myomap [^)]*\)", re.I), ""),
)
_TRP_ID = re.compile(r"\b([a-z][a-z0-9_]*\.(?:tp|trp)[a-z0-9_]*)\b")


def plain_words(text: str | None) -> str:
    """Page wording for a message: CLI advice becomes what to do on the page, and trigger point
    ids become their atlas names."""
    if not text:
        return ""
    out = text
    for pattern, words in _WEB_WORDS:
        out = pattern.sub(words, out)
    out = " ".join(s for s in re.split(r"(?<=[.;])\s+", out) if "'myomap " not in s)
    return _TRP_ID.sub(lambda m: _trp_words(m.group(1)), out)


def _trp_words(trp_id: str) -> str:
    from myomap.knowledge.loader import load_atlas

    try:
        muscle, tp = load_atlas().trigger_point(trp_id)
    except KeyError:
        return trp_id
    return tp.name
