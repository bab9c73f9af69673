"""Turning service results into what pages and the API show: names, zones and chart marks.

Presentation only: rankings come from :func:`myomap.services.differential.locate`, zones from the
compiled model's instances and mark positions from the chart geometry, never recomputed here.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any
from xml.sax.saxutils import escape

from fastapi import Request

from myomap.chart import Mark, chart_svg, intensity_colour, trp_point
from myomap.domain.atlas import Muscle, parse_zone
from myomap.domain.bodymap import Side
from myomap.domain.drawing import QUALITIES
from myomap.domain.errors import NotFoundError
from myomap.domain.instances import Instance
from myomap.knowledge.load import Knowledge
from myomap.web import client_drawing
from myomap.web.security import escape_script_json

DRAWING_CACHE_SIZE = 1024


class Presenter:
    """Page views of one application's knowledge, each computed once and kept as long as the
    web app that owns this object (``app.state.presenter``, built in ``create_app``): nothing
    here outlives the knowledge it was computed from, so two apps with different knowledge in
    one process never share a cached picture."""

    def __init__(self, known: Knowledge) -> None:
        self.known = known
        self._overlays: dict[tuple[str, str], dict[str, Any]] = {}
        self._muscle_charts: dict[str, str] = {}
        self._trp_charts: dict[tuple[str, str], str] = {}
        self._drawing_places: dict[str, list[dict[str, Any]]] = {}

    @cached_property
    def chart_markup(self) -> str:
        """The front and back chart as inline SVG (region paths carry ids and labels)."""
        svg = chart_svg("both")
        # Let CSS size it: the viewBox keeps the proportions.
        head, rest = svg.split(">", 1)
        head = head.replace('width="800" ', "").replace('height="1040" ', "")
        head = head.replace('role="img"', 'class="chart" role="group"')
        return head + ">" + rest

    @cached_property
    def bodymap_config_json(self) -> str:
        """Region labels and mirrors, the intensity ramp and qualities, for the drawing script."""
        bm = self.known.bodymap
        return escape_script_json(
            json.dumps(
                {
                    "regions": {
                        r.id: {"label": r.label, "mirror": bm.mirror(r.id), "view": r.view.value}
                        for r in bm
                    },
                    "colours": [intensity_colour(i) for i in range(11)],
                    "qualities": list(QUALITIES),
                    "viewWidth": self.known.geometry.width,
                },
                separators=(",", ":"),
            )
        )

    def drawing_places(self, doc: dict[str, Any] | None) -> list[dict[str, Any]]:
        """A stored drawing's places in words, read once: diary entries never change, and a
        page listing thirty of them would otherwise read every stroke again on each visit."""
        if not doc:
            return []
        key = json.dumps(doc, sort_keys=True)
        if key not in self._drawing_places:
            if len(self._drawing_places) >= DRAWING_CACHE_SIZE:
                self._drawing_places.clear()
            self._drawing_places[key] = client_drawing.places(self.known, doc)
        return [dict(p) for p in self._drawing_places[key]]

    @cached_property
    def _instances(self) -> dict[tuple[str, str], Instance]:
        model = self.known.differential.model
        return {(i.trigger_point, i.side.value): i for i in model.instances}

    def trp_overlay(self, trp_id: str, side: str) -> dict[str, Any]:
        """Full essential and spillover zones of one side of a TrP, and where to draw its X."""
        key = (trp_id, side)
        if key not in self._overlays:
            muscle, tp = self.known.atlas.trigger_point(trp_id)
            inst = self._instances.get(key)
            region = self.known.bodymap.on_side(tp.location.region, Side(side))
            view, x, y = trp_point(region, tp.location.at)
            self._overlays[key] = {
                "muscle_name": muscle.name,
                "trp_name": tp.name,
                "zones": {
                    "essential": list(inst.essential) if inst else [],
                    "spillover": list(inst.spillover) if inst else [],
                },
                "mark": {"view": view.value, "x": round(x, 1), "y": round(y, 1), "region": region},
            }
        return self._overlays[key]

    def enrich_ranking(self, data: dict[str, Any]) -> dict[str, Any]:
        """Add names, whole zones and the chart mark to each candidate of ``ranking_to_dict``."""
        for c in data["candidates"]:
            c.update(self.trp_overlay(c["trigger_point"], c["side"]))
            if isinstance(c.get("why"), str):
                c["why_text"] = self.plain_words(c["why"])
        names = self.muscle_names
        for m in data["muscles"]:
            m["muscle_name"] = names.get(m["muscle"], m["muscle"])
        return data

    @cached_property
    def muscle_names(self) -> dict[str, str]:
        return {m.id: m.name for m in self.known.atlas.muscles}

    def region_label(self, rid: str) -> str:
        bm = self.known.bodymap
        return bm.get(rid).label if rid in bm else rid

    def trp_name(self, trp_id: str | None) -> str:
        """The atlas name of a trigger point id, or the id itself when the atlas has none."""
        if not trp_id:
            return ""
        try:
            muscle, tp = self.known.atlas.trigger_point(trp_id)
        except KeyError:
            return trp_id
        return (
            tp.name
            if muscle.name.split()[0].lower() in tp.name.lower()
            else f"{muscle.name}: {tp.name}"
        )

    def plain_words(self, text: str | None) -> str:
        """Page wording for a message: CLI advice becomes what to do on the page, and trigger
        point ids become their atlas names."""
        if not text:
            return ""
        out = text
        for pattern, words in _WEB_WORDS:
            out = pattern.sub(words, out)
        out = " ".join(s for s in re.split(r"(?<=[.;])\s+", out) if "'myomap " not in s)
        return _TRP_ID.sub(lambda m: self._trp_words(m.group(1)), out)

    def _trp_words(self, trp_id: str) -> str:
        try:
            _, tp = self.known.atlas.trigger_point(trp_id)
        except KeyError:
            return trp_id
        return tp.name

    def zone_label(self, zone: str) -> str:
        """A referral zone of the atlas (``contra:``/``both:`` prefixed base ids) in words."""
        bm = self.known.bodymap
        mode, base = parse_zone(zone)
        ids = [r.id for r in bm if r.base == base]
        name = bm.get(ids[0]).label if ids else base
        for word in (" (left)", " (right)", "left ", "right ", "Left ", "Right "):
            name = name.replace(word, "")
        prefix = {"contra": "opposite side: ", "both": "both sides: "}.get(mode, "")
        return prefix + name

    def _right_overlay(self, region: str, trp_id: str) -> dict[str, Any]:
        side = "right" if self.known.bodymap.is_bilateral_base(region) else "midline"
        try:
            return self.trp_overlay(trp_id, side)
        except KeyError:
            return self.trp_overlay(trp_id, "right")

    def muscle_chart(self, m: Muscle) -> str:
        """Right-side referral zones (essential solid, spillover stippled) and each TrP's X."""
        if m.id not in self._muscle_charts:
            bm = self.known.bodymap
            zones: dict[str, str] = {}
            marks = []
            for tp in m.trigger_points:
                overlay = self._right_overlay(tp.location.region, tp.id)
                for rid in overlay["zones"]["spillover"]:
                    zones.setdefault(rid, "stippled")
                for rid in overlay["zones"]["essential"]:
                    zones[rid] = "solid"
                region = bm.on_side(tp.location.region, Side.RIGHT)
                marks.append(Mark(region, tp.location.at, ""))
            svg = chart_svg("both", zones=zones, marks=marks)
            self._muscle_charts[m.id] = svg.replace('width="800" height="1040" ', "", 1)
        return self._muscle_charts[m.id]

    def trigger_point_chart(self, m: Muscle, tp_id: str) -> str:
        """One trigger point's own picture: its X and its zones, on the view they fall on.

        A muscle with seven TrPs gets seven pictures beside the combined chart. Several SVGs
        share the page, so region ids are dropped and the stipple pattern gets an id of its own.
        """
        key = (m.id, tp_id)
        if key in self._trp_charts:
            return self._trp_charts[key]
        bm = self.known.bodymap
        tp = next((t for t in m.trigger_points if t.id == tp_id), None)
        if tp is None:
            raise NotFoundError(f"{m.name} has no trigger point {tp_id!r}")
        overlay = self._right_overlay(tp.location.region, tp.id)
        zones: dict[str, str] = dict.fromkeys(overlay["zones"]["spillover"], "stippled")
        zones.update(dict.fromkeys(overlay["zones"]["essential"], "solid"))
        region = bm.on_side(tp.location.region, Side.RIGHT)
        views = {bm.get(r).view.value for r in (*zones, region) if r in bm}
        view = views.pop() if len(views) == 1 else "both"
        svg = chart_svg(view, zones=zones, marks=[Mark(region, tp.location.at, "")])
        svg = re.sub(r'\swidth="\d+" height="\d+"', "", svg, count=1)
        svg = re.sub(r' id="[^"]+" class="region"', ' class="region"', svg)
        pattern = "stipple-" + re.sub(r"[^a-z0-9]+", "-", tp.id)
        self._trp_charts[key] = svg.replace('id="stipple"', f'id="{pattern}"').replace(
            "url(#stipple)", f"url(#{pattern})"
        )
        return self._trp_charts[key]


def presenter(request: Request) -> Presenter:
    """The presenter of the app serving this request."""
    found: Presenter = request.app.state.presenter
    return found


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
