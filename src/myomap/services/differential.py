"""The differential as a use case: one drawing (:func:`locate`) or many (:func:`locate_many`).

Both go through the same vectorised engine, so a drawing ranked alone and the same drawing ranked
in a batch get the same numbers. Every result carries the visceral warnings its drawing matches;
there is no way to ask for a ranking without them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.differential import Evidence
from myomap.domain.errors import UnknownRegionError, UsageError
from myomap.domain.findings import AnyFinding, MovementFinding, parse_any_finding
from myomap.domain.ranking import Ranking, build_ranking
from myomap.domain.visceral import visceral_warnings

# The Python API compiles and ranks from one module; the compiled model lives in knowledge/.
from myomap.knowledge.differential import Differential as Differential
from myomap.knowledge.differential import build_differential as build_differential
from myomap.knowledge.differential import default_differential as default_differential

if TYPE_CHECKING:  # Pydantic models load only when a drawing file or an atlas is read
    from myomap.domain.drawing import PainDrawing

DifferentialResult = Ranking


# -- inputs ------------------------------------------------------------------------------------


def check_regions(ids: Iterable[str], bodymap: BodyMap) -> list[str]:
    """Region ids as given, or an error naming the first unknown id with close suggestions."""
    out: list[str] = []
    for rid in ids:
        if rid not in bodymap:
            close = difflib.get_close_matches(rid, list(bodymap.regions), n=4, cutoff=0.6)
            raise UnknownRegionError(rid, close)
        out.append(rid)
    return out


def expand_side(ids: Iterable[str], side: str | None, bodymap: BodyMap) -> list[str]:
    """Concrete ids from ids or bilateral base ids; a base without a side means both sides."""
    out: dict[str, None] = {}
    for rid in ids:
        if rid in bodymap:
            region = bodymap.get(rid)
            if side in ("left", "right") and not region.is_midline:
                rid = bodymap.on_side(region.base, Side(side))
            elif side == "both" and not region.is_midline:
                out[bodymap.on_side(region.base, Side.LEFT)] = None
                rid = bodymap.on_side(region.base, Side.RIGHT)
            out[rid] = None
        elif bodymap.is_bilateral_base(rid):
            sides = [Side(side)] if side in ("left", "right") else [Side.LEFT, Side.RIGHT]
            for s in sides:
                out[bodymap.on_side(rid, s)] = None
        else:
            check_regions([rid], bodymap)
    return list(out)


def evidence_from_drawing(drawing: PainDrawing, diff: Differential) -> Evidence:
    """Region weights from the areas of a drawing (strokes via the raster when available)."""
    params = diff.model.params
    painful: dict[str, float] = {}

    def add(rid: str, coverage: float, intensity: float) -> None:
        w = params.region_weight(coverage, intensity)
        if w > painful.get(rid, 0.0):
            painful[rid] = w

    for area in drawing.areas:  # named regions first: the raster cannot place unknown ids
        check_regions(area.regions, diff.bodymap)
    strokes = any(a.strokes for a in drawing.areas)
    if strokes:
        for rid, pain in _raster_pain(drawing).items():
            add(rid, float(pain[0]), float(pain[1]))
    for area in drawing.areas:
        for rid in check_regions(area.regions, diff.bodymap):
            add(rid, 1.0, float(area.intensity))
    not_painful = frozenset(check_regions(drawing.not_painful, diff.bodymap)) - set(painful)
    return Evidence(painful, not_painful)


def _raster_pain(drawing: PainDrawing) -> dict[str, tuple[float, float]]:
    """(coverage, intensity) per region from strokes, on the equal-area template."""
    from myomap.domain.raster import coverage_by_region
    from myomap.services.drawings import template

    return {
        rid: (p.coverage, float(p.intensity))
        for rid, p in coverage_by_region(drawing, template()).items()
    }


def _is_drawing(item: object) -> bool:
    """A PainDrawing, recognised without importing the Pydantic models on the fast path."""
    return hasattr(item, "areas") and hasattr(item, "not_painful")


def to_evidence(item: PainDrawing | Sequence[str] | Evidence, diff: Differential) -> Evidence:
    if isinstance(item, Evidence):
        check_regions([*item.painful, *item.not_painful], diff.bodymap)
        return item
    if _is_drawing(item):
        return evidence_from_drawing(item, diff)  # type: ignore[arg-type]
    if isinstance(item, str):
        item = [item]
    ids = check_regions(item, diff.bodymap)  # type: ignore[arg-type]
    return Evidence(dict.fromkeys(ids, 1.0))


def parse_findings(
    findings: Iterable[AnyFinding | str], diff: Differential | None = None
) -> list[AnyFinding]:
    """Findings from text or values; with ``diff``, movement names become vocabulary ids (an
    unknown movement is a usage error with suggestions)."""
    out = [parse_any_finding(f) if isinstance(f, str) else f for f in findings]
    if diff is not None:
        out = [
            diff.model.movements.resolve(f) if isinstance(f, MovementFinding) else f for f in out
        ]
    return out


# -- use cases ---------------------------------------------------------------------------------


def locate(
    drawing_or_regions: PainDrawing | Sequence[str] | Evidence,
    *,
    side: str | None = None,
    findings: Iterable[AnyFinding | str] = (),
    top: int = 10,
    differential: Differential | None = None,
) -> DifferentialResult:
    """Rank the trigger points most likely to produce one drawing, with explanations.

    ``drawing_or_regions`` is a :class:`PainDrawing`, concrete region ids, or bilateral base ids
    placed on ``side`` (``left``, ``right`` or ``both``; default both).
    """
    diff = differential or default_differential()
    if top < 1:
        raise UsageError("--top must be at least 1.")
    if isinstance(drawing_or_regions, str):
        drawing_or_regions = [drawing_or_regions]
    if not isinstance(drawing_or_regions, Evidence) and not _is_drawing(drawing_or_regions):
        drawing_or_regions = expand_side(drawing_or_regions, side, diff.bodymap)  # type: ignore[arg-type]
    evidence = to_evidence(drawing_or_regions, diff)
    fs = parse_findings(findings, diff)
    model = diff.model
    x = model.encode([evidence])
    inf = model.infer(x, model.finding_log_odds(fs)) if fs else model.infer(x)
    before = model.infer(x) if fs else None
    return build_ranking(
        model,
        inf,
        0,
        evidence,
        top=top,
        findings=fs,
        before=before,
        labels=diff.labels,
        warnings=visceral_warnings(diff.visceral, evidence.marked()),
    )


def locate_many(
    drawings: Iterable[PainDrawing | Sequence[str] | Evidence],
    *,
    top: int = 10,
    chunk: int = 512,
    differential: Differential | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[DifferentialResult]:
    """Rank many drawings, scoring each chunk with one matrix product; results keep input order.

    ``progress`` is called with the number of drawings finished after each chunk.
    """
    diff = differential or default_differential()
    if top < 1:
        raise UsageError("--top must be at least 1.")
    batch: list[Evidence] = []
    for item in drawings:
        batch.append(to_evidence(item, diff))
        if len(batch) >= chunk:
            yield from _rank_chunk(batch, top, diff)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        yield from _rank_chunk(batch, top, diff)
        if progress:
            progress(len(batch))


def _rank_chunk(batch: list[Evidence], top: int, diff: Differential) -> Iterator[Ranking]:
    model = diff.model
    inf = model.infer(model.encode(batch))
    for row, ev in enumerate(batch):
        yield build_ranking(
            model,
            inf,
            row,
            ev,
            top=top,
            labels=diff.labels,
            warnings=visceral_warnings(diff.visceral, ev.marked()),
        )


# -- output ------------------------------------------------------------------------------------


def ranking_to_dict(r: Ranking) -> dict[str, Any]:
    """The JSON shape of ``myomap locate --json`` (documented in docs/differential.md)."""
    return {
        "atlas_version": r.atlas_version,
        "regions": list(r.regions),
        "not_painful": list(r.not_painful),
        "candidates": [
            {
                "rank": c.rank,
                "muscle": c.muscle,
                "trigger_point": c.trigger_point,
                "side": c.side.value,
                "probability": round(c.probability, 6),
                "essential": list(c.essential),
                "spillover": list(c.spillover),
                "unexplained": list(c.unexplained),
                "findings": [f.label() for f in c.findings],
                "probability_without_findings": (
                    None
                    if c.probability_without_findings is None
                    else round(c.probability_without_findings, 6)
                ),
                "why": c.why,
            }
            for c in r.candidates
        ],
        "muscles": [
            {"muscle": m.muscle, "probability": round(m.probability, 6)} for m in r.muscles
        ],
        "explanations": [
            {
                "trigger_points": [
                    {"trigger_point": t, "side": s.value} for t, s in e.trigger_points
                ],
                "probability": round(e.probability, 6),
                "unexplained": list(e.unexplained),
            }
            for e in r.explanations
        ],
        "next_palpation": [
            {
                "trigger_point": p.trigger_point,
                "side": p.side.value,
                "expected_gain": p.expected_gain,
            }
            for p in r.next_palpation
        ],
        "warnings": [w.to_dict() for w in r.warnings],
    }
