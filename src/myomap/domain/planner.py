"""From a screened differential to a technique choice and an ordered, timed session plan.

Screening comes first: when it says emergency or refer, the plan says so and contains no pressure
work. Otherwise the planner picks techniques from what was found (confirmed trigger points favour
pressure release; widespread chronic tension and adhesions deep tissue; fascial restriction,
postural patterns or low pressure tolerance myofascial release), orders the trigger points (key
before satellite, most likely first, proximal before distal), doses each from the atlas, and fits
the whole session into the minutes available. Every threshold and evidence statement comes from
``data/planning/``; the literature is low-certainty, so techniques are presented as options inside
an active plan, never as a cure. The home-care half lives in :mod:`myomap.domain.homecare`.

Pure: no I/O, and nothing here logs a client's answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from myomap.domain.atlas import Atlas, Muscle, TriggerPoint
from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.plan_steps import Dose
from myomap.domain.planning_data import PlanningData, PressureLevelName
from myomap.domain.screening import Intake, Screening

__all__ = [
    "Evidence",
    "PlanningData",
    "TechniqueChoice",
    "TrPCandidate",
    "choose_technique",
    "dose_for",
    "location_region",
    "needs_calming",
    "order_trigger_points",
    "signals",
    "trp_minutes",
]


@dataclass(frozen=True)
class TrPCandidate:
    """A trigger point instance offered to the planner by the differential or by palpation."""

    trigger_point: str
    muscle: str
    side: Side
    probability: float
    confirmed: bool = False


@dataclass(frozen=True)
class Evidence:
    grade: str
    statement: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, str | list[str]]:
        return {"grade": self.grade, "statement": self.statement, "sources": list(self.sources)}


@dataclass(frozen=True)
class TechniqueChoice:
    primary: str | None
    combination: tuple[str, ...]
    scores: Mapping[str, int]
    reasons: tuple[str, ...]
    ruled_out: Mapping[str, str]
    options: tuple[str, ...]
    evidence: Mapping[str, Evidence]
    names: Mapping[str, str]


# -- technique choice ------------------------------------------------------------------------------


def signals(
    data: PlanningData,
    intake: Intake,
    screening: Screening,
    candidates: Sequence[TrPCandidate],
    painful_count: int,
) -> dict[str, str]:
    """Which findings are present, each with its plain-words reason."""
    th = data.doses.signals
    text = data.signals
    out: dict[str, str] = {}
    confirmed = sum(1 for c in candidates if c.confirmed)
    if confirmed:
        noun = "trigger point" if confirmed == 1 else "trigger points"
        out["confirmed_trp"] = text["confirmed_trp"].format(n=f"{confirmed} {noun}")
    top = max((c.probability for c in candidates), default=0.0)
    if top >= th.likely_probability:
        out["likely_trp"] = text["likely_trp"].format(p=f"{th.likely_probability:.0%}")
    explaining = [c for c in candidates if c.confirmed or c.probability >= th.explains_probability]
    if 1 <= len(explaining) <= th.explains_max_trps:
        noun = "trigger point" if len(explaining) == 1 else "trigger points"
        out["few_trps_explain"] = text["few_trps_explain"].format(
            n=f"{len(explaining)} {noun}", p=f"{th.explains_probability:.0%}"
        )
    if painful_count >= th.widespread_regions:
        out["widespread"] = text["widespread"].format(n=painful_count)
        if "few_trps_explain" not in out:
            out["widespread_no_pattern"] = text["widespread_no_pattern"].format(n=painful_count)
    weeks = intake.get("pain_duration_weeks")
    if isinstance(weeks, int) and weeks >= th.chronic_weeks:
        out["chronic"] = text["chronic"].format(n=weeks)
    for name in ("adhesions", "fascial_restriction", "postural_pattern"):
        if intake.get(name) is True:
            out[name] = text[name]
    if intake.get("pressure_tolerance") == "low":
        out["low_pressure_tolerance"] = text["low_pressure_tolerance"]
    if screening.pressure_limit == "light":
        out["pressure_limited"] = text["pressure_limited"]
    return out


def choose_technique(
    data: PlanningData,
    present: Mapping[str, str],
    screening: Screening,
) -> TechniqueChoice:
    """Score each technique by the signals that favour it; screening exclusions rule some out."""
    excluded = screening.excluded_techniques
    rule_of = {m.value: m.rule for m in screening.modifications if m.change == "exclude_technique"}
    scores: dict[str, int] = {}
    reasons: list[str] = []
    ruled_out: dict[str, str] = {}
    names = {tid: t.name for tid, t in data.techniques.items()}
    for tid, tech in data.techniques.items():
        hits = [(sig, w) for sig, w in tech.favoured_by.items() if sig in present]
        scores[tid] = sum(w for _, w in hits)
        if tid in excluded:
            ruled_out[tid] = f"ruled out by screening rule {rule_of[tid]}"
            continue
        for sig, _ in hits:
            reasons.append(
                f"{present[sig][0].upper()}{present[sig][1:]}: favours {names[tid].lower()}."
            )
    allowed = {t: s for t, s in scores.items() if t not in excluded}
    ch = data.doses.choice
    best = max(allowed.values(), default=0)
    if best < ch.min_score:
        primary = data.default_technique if data.default_technique in allowed else None
        combination: tuple[str, ...] = (primary,) if primary else ()
        if primary:
            reasons.append(
                f"No finding points elsewhere: {names[primary].lower()} on the most "
                "likely trigger points, each confirmed by palpation first."
            )
    else:
        order = list(data.techniques)
        ranked = sorted(allowed, key=lambda t: (-allowed[t], order.index(t)))
        primary = ranked[0]
        cut = max(ch.min_score, ch.combine_ratio * best)
        combination = tuple(t for t in ranked if allowed[t] >= cut)
    for tid, why in ruled_out.items():
        reasons.append(f"{names[tid]} {why}.")
    options = ["stretch", "rom", "barrier_method", "post_isometric_relaxation"]
    if "stretch_and_spray" not in excluded:
        options.append("stretch_and_spray")
    evidence = {
        tid: Evidence(
            src.evidence.grade,
            src.evidence.statement,
            tuple(data.source_labels(src.evidence.sources)),
        )
        for tid, src in [*data.techniques.items(), *data.adjuncts.items()]
    }
    names.update({aid: a.name for aid, a in data.adjuncts.items()})
    return TechniqueChoice(
        primary, combination, scores, tuple(reasons), ruled_out, tuple(options), evidence, names
    )


# -- ordering --------------------------------------------------------------------------------------


def location_region(tp: TriggerPoint, side: Side, bodymap: BodyMap) -> str:
    """The concrete chart region the trigger point lies in, on the treated side."""
    return bodymap.on_side(tp.location.region, side)


def order_trigger_points(
    chosen: Sequence[TrPCandidate],
    atlas: Atlas,
    bodymap: BodyMap,
    data: PlanningData,
) -> list[tuple[TrPCandidate, str | None]]:
    """Key before satellite, then most likely first (by tier), then proximal before distal.

    Probabilities are grouped into tiers (``likelihood_tiers``) so that proximal-to-distal can
    order trigger points of similar likelihood; a confirmed trigger point is always top tier.
    Returns each candidate with its role (``key``, ``satellite`` or None).
    """
    tiers = data.doses.selection.likelihood_tiers
    levels = data.doses.proximal_level

    def base_key(c: TrPCandidate) -> tuple[int, int, float, str, str]:
        tier = (
            0
            if c.confirmed
            else next((i for i, t in enumerate(tiers) if c.probability >= t), len(tiers))
        )
        _, tp = atlas.trigger_point(c.trigger_point)
        parent = bodymap.get(location_region(tp, c.side, bodymap)).parent
        return (tier, levels.get(parent, 9), -c.probability, c.trigger_point, c.side.value)

    pending = sorted(chosen, key=base_key)
    muscles = {c.muscle for c in chosen}
    keys_of: dict[str, set[str]] = {m: set() for m in muscles}
    for m in muscles:
        for sat in atlas.muscle(m).key_for:
            if sat in muscles and sat != m:
                keys_of[sat].add(m)
    placed: set[str] = set()
    out: list[tuple[TrPCandidate, str | None]] = []
    while pending:
        pick = next((c for c in pending if keys_of[c.muscle] <= placed | {c.muscle}), pending[0])
        pending.remove(pick)
        role = "satellite" if keys_of[pick.muscle] else None
        if role is None and any(pick.muscle in keys_of[o] for o in muscles):
            role = "key"
        out.append((pick, role))
        if not any(c.muscle == pick.muscle for c in pending):
            placed.add(pick.muscle)
    return out


# -- dosing and timing -----------------------------------------------------------------------------


def dose_for(
    muscle: Muscle,
    data: PlanningData,
    *,
    first_visit: bool,
    light: bool,
) -> Dose:
    """Pressure, hold and repetitions for one trigger point, from the atlas and dose defaults."""
    pr = muscle.release.pressure
    level: PressureLevelName = "light" if light else "first_visit" if first_visit else "standard"
    spec = data.doses.pressure.level(level)
    lo, hi = pr.hold_seconds
    hi = min(hi, spec.hold_cap_seconds if spec.hold_cap_seconds is not None else hi)
    reps = min(pr.repetitions, spec.repetitions_cap)
    method = "barrier" if light else "compression"
    return Dose(
        level=level,
        pressure=spec.discomfort,
        hold_seconds=(lo, max(lo, hi)),
        repetitions=reps,
        method=method,
        instruction=(
            "Press to " + spec.discomfort + ", hold until the tenderness eases "
            f"({lo}-{max(lo, hi)} s), release, repeat up to {reps} times."
            if method == "compression"
            else "Barrier method: lengthen the muscle to comfort, press only to the first tissue "
            f"resistance, hold until it gives ({lo}-{max(lo, hi)} s), take up the slack; up to "
            f"{reps} times."
        ),
        barrier_option=(
            "Gentler option (Simons' barrier method): light pressure at the first resistance, "
            "held until it releases, then take up the slack."
        ),
        sources=tuple(data.source_labels(spec.sources)),
    )


def trp_minutes(
    muscle: Muscle,
    dose: Dose,
    data: PlanningData,
    *,
    confirmed: bool,
    hold: Literal["high", "low"] = "high",
) -> float:
    """Estimated minutes for one trigger point step: palpation, pressure, stretch and ROM."""
    m = data.doses.minutes
    hold_s = dose.hold_seconds[1 if hold == "high" else 0]
    stretch = muscle.release.stretch
    stretch_s = (stretch.hold_seconds or 30) * (stretch.repetitions or 1)
    total = hold_s * dose.repetitions + stretch_s
    return float((0 if confirmed else m.palpate_confirm) + total / 60 + m.rom + m.transition)


def needs_calming(intake: Intake, data: PlanningData) -> str | None:
    """Why a calming component is added, or None (thresholds in doses.json)."""
    th = data.doses.calming
    for item, least, label in (
        ("stress", th.stress_at_least, "stress"),
        ("anxiety", th.anxiety_at_least, "anxiety"),
        ("gad7", th.gad7_at_least, "GAD-7 anxiety score"),
    ):
        got = intake.get(item)
        if isinstance(got, int | float) and not isinstance(got, bool) and got >= least:
            return f"{label} rated {got:g} (at or above {least})"
    return None
