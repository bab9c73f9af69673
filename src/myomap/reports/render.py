"""Fill the report templates from a progress view and print them to PDF with WeasyPrint.

Charts are embedded as PNG data URIs, so the HTML is self-contained (the web app can serve it
as is) and the PDF needs no file access. Every chart sits in a ``break-inside: avoid`` block.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from myomap.domain.errors import UsageError
from myomap.knowledge.loader import load_bodymap
from myomap.reports import plots

if TYPE_CHECKING:
    from jinja2 import Environment

Kind = Literal["clinician", "progress"]
KINDS: tuple[str, ...] = ("clinician", "progress")
FOOTER = "myomap: supports a qualified person's judgement; not a diagnosis"


def _uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment for the report templates (shared with the web app)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("myomap.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    labels = {r.id: r.label for r in load_bodymap()}
    env.filters["region_label"] = lambda rid: labels.get(rid, str(rid).replace("_", " "))
    return env


def headline(p: Mapping[str, Any]) -> str:
    """One sentence a physician reads first: pain first to latest and what that change means."""
    from markupsafe import Markup, escape

    by_id = {m["instrument"]: m for m in p["measures"]}
    nrs = by_id.get("nrs") or by_id.get("vas")
    parts: list[str] = []
    if nrs is None:
        parts.append("No pain rating recorded yet.")
    elif nrs["change"] is None:
        parts.append(f"{escape(nrs['short'])}: not enough data yet ({len(nrs['points'])} rating).")
    else:
        ch = nrs["change"]
        first, last = nrs["points"][0]["total"], nrs["points"][-1]["total"]
        pct = ch["percent_improvement"]
        pct_text = "" if pct is None else f", {abs(pct):.0f} % {'lower' if pct >= 0 else 'higher'}"
        verdict = escape(ch["category"])
        met = (
            f"; meets {escape(', '.join(ch['criteria']))}"
            if ch["criteria"]
            else "; below the responder thresholds"
        )
        parts.append(
            f"<b>{escape(nrs['short'])} {first:g} → {last:g}</b> "
            f"({last - first:+g} points{pct_text}): {verdict}{met}."
        )
    pgic = by_id.get("pgic")
    if pgic is not None and pgic["points"]:
        parts.append(f"Latest PGIC: <b>{escape(pgic['points'][-1]['band'] or '')}</b>.")
    drawings = p["drawings"]
    if drawings["first"] and drawings["last"] and drawings["jaccard"] is not None:
        parts.append(
            f"Pain extent {drawings['first']['extent_percent']:g} % → "
            f"{drawings['last']['extent_percent']:g} % of body area."
        )
    return str(Markup(" ".join(parts)))


def _charts(p: Mapping[str, Any], kind: Kind) -> dict[str, Any]:
    charts: dict[str, Any] = {"measures": None, "first_drawing": None, "last_drawing": None}
    measures: Sequence[Mapping[str, Any]] = p["measures"]
    if measures:
        # The one-pager leaves room for the referrer's facts and the note: shorter rows.
        charts["measures"] = _uri(
            plots.measures_png(measures, row_mm=23 if kind == "clinician" else 37)
        )
    drawings = p["drawings"]
    if drawings["first"]:
        charts["first_drawing"] = _uri(plots.drawing_png(drawings["first"]["intensity"]))
    if drawings["last"] and len(drawings["points"]) > 1:
        charts["last_drawing"] = _uri(plots.drawing_png(drawings["last"]["intensity"]))
    if kind == "progress":
        charts["each"] = [_uri(plots.single_png(m)) for m in measures]
        charts["ppt"] = [
            _uri(
                plots.single_png(
                    {
                        "short": f"PPT {s['site'].replace('_', ' ')} {s['side']}, kPa",
                        "points": s["points"],
                        "direction": "higher_is_better",
                    },
                    "mean_kpa",
                )
            )
            for s in p["ppt"]
        ]
        charts["rom"] = [
            _uri(
                plots.single_png(
                    {
                        "short": f"ROM {r['movement'].replace('_', ' ')} {r['side']}, degrees",
                        "points": r["points"],
                        "direction": "higher_is_better",
                        "range": [
                            0,
                            max(r["norm_degrees"] or 0, *(x["degrees"] for x in r["points"])),
                        ],
                    },
                    "degrees",
                )
            )
            for r in p["rom"]
        ]
        charts["drawings"] = [
            {"point": d, "image": _uri(plots.drawing_png(d["intensity"]))}
            for d in drawings["points"]
        ]
    return charts


def render_html(
    p: Mapping[str, Any],
    kind: Kind = "clinician",
    *,
    atlas_version: str,
    generated_at: datetime,
    sources: Sequence[str] = (),
) -> str:
    if kind not in KINDS:
        raise UsageError(f"report kind must be one of: {', '.join(KINDS)}")
    env = environment()
    css = env.get_template("report.css").render(footer=FOOTER)
    return env.get_template(f"{kind}.html").render(
        p=p,
        css=css,
        charts=_charts(p, kind),
        headline=headline(p),
        atlas_version=atlas_version,
        generated=generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        sources=list(sources),
    )


def render_pdf(
    p: Mapping[str, Any],
    kind: Kind = "clinician",
    *,
    atlas_version: str,
    generated_at: datetime,
    sources: Sequence[str] = (),
) -> bytes:
    from weasyprint import HTML

    html = render_html(
        p, kind, atlas_version=atlas_version, generated_at=generated_at, sources=sources
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
