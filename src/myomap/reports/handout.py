"""The printable home-care handout: a plan rendered for the client, as HTML or PDF.

The template (``templates/handout.html``) is plain Jinja2 so the web app can render the same page;
this module builds its context, embeds body charts as PNG data URIs (WeasyPrint and browsers
both show them, and they cannot clash the way inline SVG ids can), and writes the file. Charts
mark the treated trigger points with an X and shade their referral zones (solid: essential,
stippled: spillover). The handout holds health data: it is written only where the user asks.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from myomap.chart import Mark, chart_png, scene
from myomap.chart.pose_svg import pose_svg
from myomap.chart.scene import HEADER
from myomap.domain.bodymap import Side
from myomap.domain.careplan import DISCLAIMER, HEADLINES, Plan
from myomap.domain.errors import UsageError
from myomap.domain.homecare import HomeExercise
from myomap.knowledge.differential import default_differential
from myomap.knowledge.loader import load_atlas, load_bodymap
from myomap.knowledge.poses import PoseLibrary, load_poses

TEMPLATES = Path(__file__).parent / "templates"
VIEW_WORDS = {
    "front": "Seen from the front: your right side is on the left of the picture.",
    "back": "Seen from behind: your right side is on the right of the picture.",
}
GRADE_WORDS = {
    "low": "Low certainty",
    "very low": "Very low certainty",
    "expert opinion": "Expert opinion only",
    "not measured": "Not measured",
    "not established": "Not established",
}


def _png_uri(
    view: str,
    highlights: Mapping[str, float] | None = None,
    zones: Mapping[str, str] | None = None,
    marks: Iterable[Any] = (),
    scale: float = 1.2,
) -> str:

    data = chart_png(view, highlights, zones, list(marks), scale=scale)
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _view_for(regions: Sequence[str]) -> str:
    """The chart view showing all of ``regions``: front, back, or both when they span the two."""

    bodymap = load_bodymap()
    views = {bodymap.get(r).view.value for r in regions if r in bodymap}
    return views.pop() if len(views) == 1 else "both"


def _cropped_png(
    view: str,
    zones: Mapping[str, str],
    marks: Sequence[Any],
    scale: float = 2.0,
    pad: float = 35.0,
    min_size: float = 200.0,
) -> str:
    """PNG of the chart zoomed onto the zones and marks, so a small mark stays visible."""
    import io

    from PIL import Image

    sc = scene(view, None, zones, marks)
    xs: list[float] = []
    ys: list[float] = []
    for panel in sc.panels:
        for rid, rings in sc.regions(panel.view):
            if rid in zones:
                for ring in rings:
                    xs.extend(p[0] + panel.offset_x for p in ring)
                    ys.extend(p[1] + HEADER for p in ring)
        for pm in sc.marks.get(panel.view, ()):
            xs.append(pm.x + panel.offset_x)
            ys.append(pm.y + HEADER)
    png = chart_png(view, None, zones, list(marks), scale=scale)
    if xs:
        x0, x1 = min(xs) - pad, max(xs) + pad
        y0, y1 = min(ys) - pad, max(ys) + pad
        for lo_hi, limit in (((x0, x1), sc.width), ((y0, y1), sc.height)):
            lo, hi = lo_hi
            if hi - lo < min_size:
                grow = (min_size - (hi - lo)) / 2
                lo, hi = lo - grow, hi + grow
            lo, hi = max(0.0, lo), min(limit, hi)
            if limit is sc.width:
                x0, x1 = lo, hi
            else:
                y0, y1 = lo, hi
        x0, y0, x1, y1 = _whole_side_labels(sc, (x0, y0, x1, y1))
        img = Image.open(io.BytesIO(png))
        box = (round(x0 * scale), round(y0 * scale), round(x1 * scale), round(y1 * scale))
        out = io.BytesIO()
        img.crop(box).save(out, format="PNG")
        png = out.getvalue()
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _whole_side_labels(
    sc: Any,
    box: tuple[float, float, float, float],
) -> tuple[float, float, float, float]:
    """Grow a crop box so it never cuts through a "Patient's right" side label.

    Charts that draw side labels beside the shoulders expose their position in
    :mod:`myomap.chart.scene`; older charts without them leave the box as it is.
    """
    from importlib import import_module

    chart_scene: Any = import_module("myomap.chart.scene")  # the module, not chart.scene()
    side_x = getattr(chart_scene, "SIDE_X", None)
    note_y = getattr(chart_scene, "SIDE_NOTE_Y", None)
    letter_y = getattr(chart_scene, "SIDE_Y", None)
    if side_x is None or note_y is None or letter_y is None:
        return box
    x0, y0, x1, y1 = box
    top, bottom = chart_scene.HEADER + note_y - 14, chart_scene.HEADER + letter_y + 4
    for panel in sc.panels:
        for cx in (panel.offset_x + side_x, panel.offset_x + sc.geometry.width - side_x):
            lx0, lx1 = cx - 50, cx + 50
            overlaps = lx0 < x1 and x0 < lx1 and top < y1 and y0 < bottom
            inside = x0 <= lx0 and lx1 <= x1 and y0 <= top and bottom <= y1
            if overlaps and not inside:
                x0, x1 = max(0.0, min(x0, lx0)), min(sc.width, max(x1, lx1))
                y0, y1 = max(0.0, min(y0, top)), min(sc.height, max(y1, bottom))
    return x0, y0, x1, y1


def muscle_chart(trigger_points: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    """Charts of one muscle's treated trigger points (``(trp id, side)``) and their zones: one
    zoomed image per view that shows something, each with a caption saying which side is which.
    """

    model = default_differential().model
    atlas, bodymap = load_atlas(), load_bodymap()
    zones: dict[str, str] = {}
    marks = []
    for trp, side in trigger_points:
        idx = model.instance_index.get((trp, Side(side)))
        if idx is not None:
            inst = model.instances[idx]
            for r in inst.spillover:
                zones.setdefault(r, "stippled")
            for r in inst.essential:
                zones[r] = "solid"
        _, tp = atlas.trigger_point(trp)
        region = bodymap.on_side(tp.location.region, Side(side))
        marks.append(Mark(region, tp.location.at, None))
    out = []
    for view in ("front", "back"):
        in_view = {r: z for r, z in zones.items() if bodymap.get(r).view.value == view}
        view_marks = [m for m in marks if bodymap.get(m.region).view.value == view]
        if in_view or view_marks:
            out.append(
                {"src": _cropped_png(view, in_view, view_marks), "caption": VIEW_WORDS[view]}
            )
    return out


def _picture(poses: PoseLibrary, exercise: HomeExercise) -> str | None:
    """The exercise's picture as an image URI the PDF engine and the browser both show."""
    pose = poses.for_exercise(exercise.name)
    if pose is None:
        return None
    svg = pose_svg(pose, width=120).encode()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def handout_context(
    plan: Plan, *, drawing_regions: Mapping[str, float] | None = None, charts: bool = True
) -> dict[str, Any]:
    """Everything the template shows, in plain words; also the web page's context."""
    s = plan.screening
    reasons = [
        r for r in s.reasons if r.severity != "info" or r.rule in ("not_screened", "no_intake")
    ]
    poses = load_poses()
    muscles = []
    for mc in plan.home_care.muscles:
        tps = list(zip(mc.trigger_points, _sides_of(plan, mc.trigger_points), strict=True))
        muscles.append(
            {
                "name": mc.name,
                "sides": " and ".join(mc.sides) if mc.sides != ("midline",) else "",
                "charts": muscle_chart(tps) if charts else [],
                "self_pressure": mc.self_pressure.to_dict() if mc.self_pressure else None,
                "not_self_treated": mc.not_self_treated,
                "stretch": mc.stretch.to_dict(),
                "rom": mc.rom_exercise.to_dict(),
                "stretch_picture": _picture(poses, mc.stretch),
                "rom_picture": _picture(poses, mc.rom_exercise),
                "cautions": list(mc.cautions),
                "pressure_notes": mc.pressure_notes if mc.self_pressure else None,
            }
        )
    pain_chart = None
    if charts and drawing_regions:
        pain_chart = _png_uri(
            _view_for(list(drawing_regions)), highlights=drawing_regions, scale=1.0
        )

    labels = {r.id: r.label for r in load_bodymap()}
    return {
        "title": "Your home-care plan",
        "date": date.today().isoformat(),
        "atlas_version": plan.atlas_version,
        "decision": s.decision,
        "stopped": plan.stopped,
        "headline": plan.headline,
        "headline_short": HEADLINES[s.decision],
        "reasons": [{"message": r.message, "severity": r.severity} for r in reasons],
        "avoid": [labels.get(r, r) for r in s.avoid_regions],
        "pain_chart": pain_chart,
        "muscles": muscles,
        "factors": list(plan.home_care.perpetuating_factors),
        "stop": list(plan.home_care.stop_and_seek_care),
        "frequency": plan.session.frequency if plan.session else None,
        "benefits": [
            {**b.to_dict(), "grade_words": GRADE_WORDS.get(b.grade, b.grade)} for b in plan.benefits
        ],
        "disclaimer": DISCLAIMER,
    }


def _sides_of(plan: Plan, trps: Sequence[str]) -> list[str]:
    """The side each listed trigger point was treated on, in the same order."""
    steps = plan.session.trigger_point_steps() if plan.session else []
    out: list[str] = []
    used: set[int] = set()
    for trp in trps:
        for n, st in enumerate(steps):
            if n not in used and st.trigger_point == trp:
                used.add(n)
                out.append(st.side)
                break
        else:
            out.append("midline")
    return out


def sentence(text: str | None) -> str:
    """Text as a sentence: first letter upper case, ending with a full stop."""
    if not text:
        return ""
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def render_html(context: Mapping[str, Any]) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"])
    )
    env.filters["sentence"] = sentence
    return env.get_template("handout.html").render(**context)


def write_handout(
    plan: Plan, path: Path, drawing_regions: Mapping[str, float] | None = None
) -> Path:
    """Write the handout as HTML or PDF (chosen by the suffix) through a temporary file."""
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise UsageError(
            f"Cannot write a handout as {suffix or 'a file without suffix'!r}: "
            "name the output file .pdf or .html."
        )
    html = render_html(handout_context(plan, drawing_regions=drawing_regions))
    tmp = path.with_name(path.name + ".part")
    try:
        if suffix == ".pdf":
            import logging

            from weasyprint import HTML

            logging.getLogger("weasyprint").setLevel(logging.ERROR)
            logging.getLogger("fontTools").setLevel(logging.ERROR)
            HTML(string=html, base_url=str(TEMPLATES)).write_pdf(str(tmp))
        else:
            tmp.write_text(html, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"Cannot write {path}: {exc.strerror}.") from None
    return path
