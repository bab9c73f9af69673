"""Building a session that fits the minutes booked.

The order of trigger points comes from :func:`myomap.domain.planner.order_trigger_points`; this
module adds the fixed steps (check-in, an optional calming opener, regional deep tissue or
myofascial release blocks, re-tests, home-care teaching), doses each trigger point, and fits
the total: first by holding at the short end of the range, then by deferring the lowest-priority
trigger points to the next visit. The estimate never exceeds the minutes booked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from myomap.domain.atlas import Atlas, Exercise
from myomap.domain.bodymap import BodyMap
from myomap.domain.plan_steps import (
    BlockStep,
    CalmingStep,
    Session,
    SetAside,
    Step,
    TrPStep,
)
from myomap.domain.plan_steps import (
    Exercise as StepExercise,
)
from myomap.domain.planner import (
    PlanningData,
    TechniqueChoice,
    TrPCandidate,
    dose_for,
    location_region,
    needs_calming,
    order_trigger_points,
    trp_minutes,
)
from myomap.domain.screening import Intake, Screening


def _exercise(ex: Exercise) -> StepExercise:
    return StepExercise(ex.name, ex.instructions, ex.hold_seconds, ex.repetitions)


def _trp_step(
    c: TrPCandidate,
    role: str | None,
    atlas: Atlas,
    bodymap: BodyMap,
    data: PlanningData,
    screening: Screening,
    first_visit: bool,
    hold: Literal["high", "low"],
    labels: dict[str, str],
) -> TrPStep:
    muscle, tp = atlas.trigger_point(c.trigger_point)
    region = location_region(tp, c.side, bodymap)
    light = screening.pressure_limit == "light" or region in screening.light_pressure_regions
    dose = dose_for(muscle, data, first_visit=first_visit, light=light)
    minutes = trp_minutes(muscle, dose, data, confirmed=c.confirmed, hold=hold)
    if hold == "low":
        dose = replace(
            dose,
            instruction=dose.instruction
            + f" Today, release at about {dose.hold_seconds[0]} s to fit the session.",
        )
    side = "" if c.side.value == "midline" else f" ({c.side.value})"
    return TrPStep(
        kind="trigger_point",
        title=f"{tp.name}{side}",
        minutes=minutes,
        trigger_point=tp.id,
        muscle=muscle.id,
        muscle_name=muscle.name,
        side=c.side.value,
        region=region,
        region_label=labels.get(region, region),
        role=role,
        probability=round(c.probability, 4),
        confirmed=c.confirmed,
        confirm_first=not c.confirmed,
        technique="pressure_release",
        position=muscle.release.pressure.position,
        direction=muscle.release.pressure.direction,
        dose=dose,
        stretch=_exercise(muscle.release.stretch),
        rom_exercise=_exercise(muscle.release.rom_exercise),
        cautions=tuple(muscle.cautions),
        pressure_notes=muscle.release.pressure.notes,
        retest=tuple(f"{mt.movement}: {mt.test}" for mt in tp.restricted_movements),
    )


def _block(
    kind: str, title: str, minutes: float, regions: Sequence[str], labels: dict[str, str], text: str
) -> BlockStep:
    return BlockStep(
        kind,
        title,
        minutes,
        regions=tuple(regions),
        region_labels=tuple(labels.get(r, r) for r in regions),
        instruction=text,
    )


def build_session(
    ordered: Sequence[TrPCandidate],
    atlas: Atlas,
    bodymap: BodyMap,
    data: PlanningData,
    screening: Screening,
    intake: Intake,
    choice: TechniqueChoice,
    painful: Sequence[str],
    minutes: int,
) -> Session:
    """Timed steps for the session; see the module docstring for how the time is fitted."""
    m = data.doses.minutes
    labels = {r.id: r.label for r in bodymap}
    first_visit = intake.get("first_visit") is not False  # unknown counts as a first visit
    notes: list[str] = []
    fixed: list[Step] = [
        Step("check_in", "Check-in: review screening, pain drawing and consent", m.check_in)
    ]
    calm = needs_calming(intake, data)
    if calm:
        fixed.append(
            CalmingStep(
                "calming",
                "Calming opener: slow rhythmic strokes and slow breathing",
                m.calming,
                reason=calm,
                instruction="Slow, even strokes over the back or shoulders while "
                "the client breathes out slowly; return to this if the client tenses.",
            )
        )
    avoid = set(screening.avoid_regions)
    treatable = [r for r in painful if r not in avoid]
    blocks: list[BlockStep] = []
    if "deep_tissue" in choice.combination and treatable:
        mins = min(
            len(treatable) * data.doses.deep_tissue_minutes_per_region,
            data.doses.deep_tissue_max_minutes,
        )
        blocks.append(
            _block(
                "deep_tissue",
                "Deep tissue work over the painful areas",
                float(mins),
                treatable,
                labels,
                "Slow, firm strokes along the muscle fibres, within the client's "
                "tolerance; no deep work over regions to avoid.",
            )
        )
    if "myofascial_release" in choice.combination and treatable:
        lo, hi = data.doses.mfr_hold_seconds
        mins = min(len(treatable) * data.doses.mfr_minutes_per_area, data.doses.mfr_max_minutes)
        blocks.append(
            _block(
                "myofascial_release",
                "Myofascial release over the restricted areas",
                float(mins),
                treatable,
                labels,
                f"Gentle sustained stretch of the skin and fascia, no oil, each hold "
                f"{lo}-{hi} s or longer until the tissue gives (practitioner "
                "guidance; no trial-based dose).",
            )
        )
    tail = [
        Step(
            "retest",
            "Re-test: palpation, range of motion and pressure pain threshold",
            m.retest,
        ),
        Step("home_care_teaching", "Teach the home-care plan", m.home_care_teaching),
    ]
    skipped: list[SetAside] = []
    chosen: list[TrPCandidate] = []
    for c in ordered:
        _, tp = atlas.trigger_point(c.trigger_point)
        region = location_region(tp, c.side, bodymap)
        if region in avoid:
            skipped.append(
                SetAside(
                    c.trigger_point,
                    c.side.value,
                    f"lies in {labels.get(region, region).lower()}, a region "
                    "screening says to avoid",
                )
            )
        else:
            chosen.append(c)
    with_roles = order_trigger_points(chosen, atlas, bodymap, data)
    base = sum(s.minutes for s in [*fixed, *blocks, *tail])
    # The most likely trigger point is the point of the session: keep room for it (at the short
    # end of its hold) before regional blocks are fitted, so a short booking still treats it.
    reserve = 0.0
    if with_roles:
        first, role = with_roles[0]
        reserve = _trp_step(
            first, role, atlas, bodymap, data, screening, first_visit, "low", labels
        ).minutes
    budget = minutes - reserve
    while blocks and base > budget:  # regional blocks shrink before trigger points go
        big = max(blocks, key=lambda s: s.minutes)
        if big.minutes <= 2:
            break
        blocks[blocks.index(big)] = replace(big, minutes=big.minutes - 1)
        base -= 1
    while blocks and base > budget:
        base -= blocks.pop().minutes
    deferred: list[SetAside] = []
    steps: list[TrPStep] = []
    hold: Literal["high", "low"] = "high"
    attempts: tuple[Literal["high", "low"], ...] = ("high", "low")
    for attempt in attempts:
        hold = attempt
        steps = [
            _trp_step(c, role, atlas, bodymap, data, screening, first_visit, hold, labels)
            for c, role in with_roles
        ]
        if base + sum(s.minutes for s in steps) <= minutes:
            break
    if hold == "low":
        notes.append("Holds planned at the short end of their range to fit the time.")
    while steps and base + sum(s.minutes for s in steps) > minutes:
        dropped = steps.pop()
        deferred.append(
            SetAside(
                dropped.trigger_point, dropped.side, "does not fit this session; treat next visit"
            )
        )
    if first_visit:
        notes.append(
            "First visit: lighter pressure and fewer repetitions; increase next time if "
            "well tolerated."
        )
    notes.extend(f"Position: {p}" for p in screening.positions)
    if minutes < 60:
        notes.append(data.doses.frequency.short_session_note)
    retests = [
        "Palpation: is each treated spot less tender, and does it still reproduce the pain?",
        "Range of motion: repeat the movement tests listed with each trigger point.",
        "Pressure pain threshold (algometer) at the treated spots, compared with the start "
        "and with the other side.",
    ]
    all_steps = [*fixed, *blocks, *steps, *tail]
    spare = minutes - sum(st.minutes for st in all_steps)
    if spare >= 10:
        notes.append(
            f"About {spare:.0f} minutes are free: palpate the next candidates from the "
            "differential, or practise the home-care exercises together."
        )
    return Session(
        minutes=minutes,
        estimated_minutes=round(sum(s.minutes for s in all_steps), 1),
        steps=tuple(all_steps),
        deferred=tuple(deferred),
        skipped=tuple(skipped),
        retests=tuple(retests),
        frequency=data.doses.frequency.text,
        notes=tuple(notes),
    )
