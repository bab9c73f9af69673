"""Progress of one client, and the cohort view across clients.

Progress puts every measure on a time line with its change from baseline (responder
classification by the instrument's own thresholds), a trend only from three points on, pain
drawings before and after with extent and overlap, and which treatments preceded which change
in pain. The cohort view counts responders by technique and by painted region and builds
pain-drawing frequency maps. Both are observational summaries: they describe what happened and
never show that a treatment caused it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.drawing import PainDrawing
from myomap.domain.exam_measures import percent_of_norm, side_difference
from myomap.domain.outcomes import (
    NOT_ENOUGH_DATA,
    Catalogue,
    classify_change,
    improvement,
)
from myomap.domain.raster import coverage_by_region, extent_percent, frequency_map, jaccard
from myomap.domain.trend import trend, trend_threshold
from myomap.knowledge.loader import load_bodymap
from myomap.services.clients import get_client, list_clients
from myomap.services.diary_progress import diary_measurements
from myomap.services.exports import client_visits, template
from myomap.services.referral import referral_summary, treatment_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.domain.drawing import PainDrawing
    from myomap.domain.raster import FrequencyMap
    from myomap.domain.records import ClientDetail, MeasurementView, VisitDetail

PAIN_INSTRUMENT = "nrs"
CAUTION = (
    "Observational summary of recorded care: it describes change over time and does not "
    "show that a treatment caused it. Supports a qualified person's judgement; not a "
    "diagnosis."
)


def _days(start: datetime, when: datetime) -> float:
    return (when - start).total_seconds() / 86400


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _label(regions: dict[str, str], rid: str) -> str:
    return regions.get(rid, rid.replace("_", " "))


def measure_series(
    catalogue: Catalogue, measures: Sequence[MeasurementView], start: datetime
) -> list[dict[str, Any]]:
    """One entry per instrument, points in time order, with change and trend."""
    by_instrument: dict[str, list[MeasurementView]] = {}
    for m in sorted(measures, key=lambda m: (m.recorded_at, m.id)):
        if m.total is not None:
            by_instrument.setdefault(m.instrument, []).append(m)
    order = list(catalogue.instruments)
    out = []
    for name in sorted(by_instrument, key=lambda n: (order.index(n) if n in order else 99, n)):
        rows = by_instrument[name]
        inst = catalogue.instruments.get(name)
        points = [
            {
                "at": m.recorded_at.isoformat(),
                "visit_id": m.visit_id,
                "total": m.total,
                "band": inst.band(m.total) if inst else None,
            }
            for m in rows
        ]
        entry: dict[str, Any] = {
            "instrument": name,
            "name": inst.name if inst else name,
            "short": inst.short if inst else name,
            "unit": inst.unit if inst else "",
            "direction": inst.direction if inst else "lower_is_better",
            "range": list(inst.total_range) if inst else None,
            "points": points,
            "change": None,
            "status": NOT_ENOUGH_DATA if len(rows) < 2 else "measured",
        }
        totals = [float(m.total) for m in rows if m.total is not None]
        if inst is not None and inst.direction == "global_change":
            entry["change"] = classify_change(inst, totals[0], totals[-1]).to_json()
            entry["status"] = "measured"
        elif inst is not None and len(totals) >= 2:
            entry["change"] = classify_change(inst, totals[0], totals[-1]).to_json()
        if inst is not None:
            series = [(_days(start, m.recorded_at), t) for m, t in zip(rows, totals, strict=True)]
            entry["trend"] = trend(inst.direction, series, trend_threshold(inst)).to_json()
            entry["mcid"] = inst.mcid.model_dump() if inst.mcid else None
        else:
            entry["trend"] = {
                "status": NOT_ENOUGH_DATA,
                "points": len(rows),
                "slope_per_week": None,
            }
        out.append(entry)
    return out


def ppt_series(visits: Sequence[VisitDetail]) -> list[dict[str, Any]]:
    series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for v in visits:
        for p in v.ppt:
            series.setdefault((p.site, p.side), []).append(
                {
                    "at": v.started_at.isoformat(),
                    "visit_id": v.id,
                    "mean_kpa": p.mean_kpa,
                    "trials_kpa": list(p.trials_kpa),
                }
            )
    out = []
    for (site, side), points in sorted(series.items()):
        first, last = points[0]["mean_kpa"], points[-1]["mean_kpa"]
        other = {"left": "right", "right": "left"}.get(side)
        mirror = series.get((site, other)) if other else None
        diff = None
        if mirror and side == "left":
            diff = side_difference(last, mirror[-1]["mean_kpa"])
        out.append(
            {
                "site": site,
                "side": side,
                "points": points,
                "change_kpa": _r(improvement("higher_is_better", first, last))
                if len(points) > 1
                else None,
                "left_minus_right_kpa": _r(diff),
            }
        )
    return out


def rom_series(catalogue: Catalogue, visits: Sequence[VisitDetail]) -> list[dict[str, Any]]:
    series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for v in visits:
        for r in v.rom:
            norm = catalogue.rom_norm(r.movement)
            series.setdefault((r.movement, r.side), []).append(
                {
                    "at": v.started_at.isoformat(),
                    "visit_id": v.id,
                    "degrees": r.degrees,
                    "percent_of_norm": _r(percent_of_norm(r.degrees, norm)),
                }
            )
    return [
        {
            "movement": movement,
            "side": side,
            "norm_degrees": catalogue.rom_norm(movement),
            "points": points,
            "change_degrees": points[-1]["degrees"] - points[0]["degrees"]
            if len(points) > 1
            else None,
        }
        for (movement, side), points in sorted(series.items())
    ]


def _parsed(visits: Sequence[VisitDetail]) -> list[tuple[VisitDetail, PainDrawing]]:
    return [(v, PainDrawing.model_validate(d.drawing)) for v in visits for d in v.drawings]


def drawing_summary(visits: Sequence[VisitDetail], labels: dict[str, str]) -> dict[str, Any]:
    tpl = template()
    drawings = _parsed(visits)
    points: list[dict[str, Any]] = []
    for v, d in drawings:
        cover = coverage_by_region(d, tpl)
        points.append(
            {
                "visit_id": v.id,
                "at": v.started_at.isoformat(),
                "extent_percent": _r(extent_percent(cover, tpl), 2),
                "regions": sorted(cover),
                "intensity": {rid: p.intensity for rid, p in sorted(cover.items())},
            }
        )
    out: dict[str, Any] = {"points": points, "first": None, "last": None, "jaccard": None}
    if drawings:
        out["first"], out["last"] = points[0], points[-1]
    if len(drawings) >= 2:
        out["jaccard"] = _r(jaccard(drawings[0][1], drawings[-1][1], tpl), 3)
        gone = set(points[0]["regions"]) - set(points[-1]["regions"])
        new = set(points[-1]["regions"]) - set(points[0]["regions"])
        out["resolved_regions"] = [{"region": r, "label": _label(labels, r)} for r in sorted(gone)]
        out["new_regions"] = [{"region": r, "label": _label(labels, r)} for r in sorted(new)]
    return out


def treatment_steps(
    visits: Sequence[VisitDetail], measures: Sequence[MeasurementView]
) -> list[dict[str, Any]]:
    """For each visit with treatments: what was given (by name), and pain at this visit and
    the next."""
    pain: dict[int, float] = {}
    for m in sorted(measures, key=lambda m: (m.recorded_at, m.id)):
        if m.instrument == PAIN_INSTRUMENT and m.visit_id is not None and m.total is not None:
            pain.setdefault(m.visit_id, m.total)
    steps = []
    for i, v in enumerate(visits):
        if not v.treatments:
            continue
        nxt = visits[i + 1] if i + 1 < len(visits) else None
        before = pain.get(v.id)
        after = pain.get(nxt.id) if nxt else None
        given = sorted({treatment_name(t.technique, t.trp_id, t.side) for t in v.treatments})
        steps.append(
            {
                "visit_id": v.id,
                "at": v.started_at.isoformat(),
                "treatments": given,
                "pain_at_visit": before,
                "pain_next_visit": after,
                "pain_change": None if before is None or after is None else after - before,
            }
        )
    return steps


def client_progress(
    session: Session, client_id: int, catalogue: Catalogue, *, scope: Actor = OPERATOR
) -> dict[str, Any]:
    client = get_client(session, client_id, include_deleted=False, scope=scope)
    visits = sorted(client_visits(session, client), key=lambda v: (v.started_at, v.id))
    live_ids = {v.id for v in visits}
    measures = [m for m in client.measurements if m.visit_id is None or m.visit_id in live_ids]
    measures += diary_measurements(session, client_id)
    times = [v.started_at for v in visits] + [m.recorded_at for m in measures]
    start = min(times) if times else client.created_at
    labels = {r.id: r.label for r in load_bodymap()}
    return {
        "client": _client_json(client),
        "visits": len(visits),
        "first_visit": visits[0].started_at.isoformat() if visits else None,
        "last_visit": visits[-1].started_at.isoformat() if visits else None,
        "measures": measure_series(catalogue, measures, start),
        "ppt": ppt_series(visits),
        "rom": rom_series(catalogue, visits),
        "drawings": drawing_summary(visits, labels),
        "treatments": treatment_steps(visits, measures),
        "referral": referral_summary(session, client, visits),
        "caution": CAUTION,
    }


def _client_json(client: ClientDetail) -> dict[str, Any]:
    return {
        "id": client.id,
        "display_name": client.display_name,
        "birth_year": client.birth_year,
        "sex": client.sex,
    }


# --- cohort ----------------------------------------------------------------------------------


def _rate(bucket: dict[str, Any]) -> dict[str, Any]:
    n, k = bucket["evaluable"], bucket["responders"]
    return {**bucket, "rate": None if n == 0 else round(k / n, 3)}


def _frequency_json(freq: FrequencyMap, labels: dict[str, str]) -> dict[str, Any]:
    ranked = sorted(freq.region_fraction.items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "drawings": freq.drawings,
        "regions": [
            {"region": r, "label": _label(labels, r), "fraction": round(f, 3)} for r, f in ranked
        ],
    }


def cohort(
    session: Session, catalogue: Catalogue
) -> tuple[dict[str, Any], dict[str, FrequencyMap]]:
    """Responder rates (pain NRS, first to latest) by technique and by baseline region, and
    frequency maps of baseline and latest drawings. Returns the JSON view and the maps."""
    nrs = catalogue.get(PAIN_INSTRUMENT)
    labels = {r.id: r.label for r in load_bodymap()}
    techniques: dict[str, dict[str, Any]] = {}
    regions: dict[str, dict[str, Any]] = {}
    baseline: list[PainDrawing] = []
    latest: list[PainDrawing] = []
    totals = {"clients": 0, "evaluable": 0, "responders": 0, "substantial": 0}
    for summary in list_clients(session):
        client = get_client(session, summary.id, include_deleted=False)
        visits = sorted(client_visits(session, client), key=lambda v: (v.started_at, v.id))
        totals["clients"] += 1
        live = {v.id for v in visits}
        reported = [*client.measurements, *diary_measurements(session, summary.id)]
        pain = [
            m.total
            for m in sorted(reported, key=lambda m: (m.recorded_at, m.id))
            if m.instrument == PAIN_INSTRUMENT
            and m.total is not None
            and (m.visit_id is None or m.visit_id in live)
        ]
        drawings = _parsed(visits)
        if drawings:
            baseline.append(drawings[0][1])
            latest.append(drawings[-1][1])
        change = classify_change(nrs, pain[0], pain[-1]) if len(pain) >= 2 else None
        if change is not None:
            totals["evaluable"] += 1
            totals["responders"] += bool(change.responder)
            totals["substantial"] += change.category == "substantial improvement"
        keys_t = {t.technique for v in visits for t in v.treatments}
        keys_r = set(drawings[0][1].region_ids()) if drawings else set()
        for keys, table in ((keys_t, techniques), (keys_r, regions)):
            for key in keys:
                bucket = table.setdefault(key, {"clients": 0, "evaluable": 0, "responders": 0})
                bucket["clients"] += 1
                if change is not None:
                    bucket["evaluable"] += 1
                    bucket["responders"] += bool(change.responder)
    tpl = template()
    maps = {"baseline": frequency_map(baseline, tpl), "latest": frequency_map(latest, tpl)}
    view = {
        "responder_definition": "pain NRS first to latest: at least 30 % lower (IMMPACT "
        "moderate) or at least 2 points lower (Farrar 2001)",
        **totals,
        "rate": None
        if not totals["evaluable"]
        else round(totals["responders"] / totals["evaluable"], 3),
        "by_technique": [{"technique": k, **_rate(v)} for k, v in sorted(techniques.items())],
        "by_region": [
            {"region": k, "label": _label(labels, k), **_rate(v)}
            for k, v in sorted(regions.items(), key=lambda kv: (-kv[1]["clients"], kv[0]))
        ],
        "frequency": {name: _frequency_json(m, labels) for name, m in maps.items()},
        "caution": CAUTION,
    }
    return view, maps
