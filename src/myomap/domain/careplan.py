"""A whole care plan: screening first, then technique choice, session and home care.

The screening decision gates everything: with ``emergency`` or ``refer`` the plan's first line
says what to do instead, and it holds no session, no pressure work and no self-pressure. With
``not_screened`` (no safety question answered) the plan holds pressure work the same way until the
questions are asked, unless the therapist overrides with a reason, which the plan then shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from myomap.domain.atlas import Atlas
from myomap.domain.bodymap import BodyMap
from myomap.domain.homecare import HomeCare, build_home_care, stop_rules
from myomap.domain.plan_steps import Session
from myomap.domain.planner import (
    PlanningData,
    TechniqueChoice,
    TrPCandidate,
    choose_technique,
    signals,
)
from myomap.domain.screening import Intake, Screening
from myomap.domain.session import build_session

DISCLAIMER = (
    "This plan supports a qualified therapist's judgement; it is not a diagnosis. The evidence for "
    "hands-on trigger point treatment is low-certainty and mostly short-term, so it is offered as "
    "an option inside an active plan of exercise and self-care, never as a cure."
)
HEADLINES = {
    "emergency": "Seek emergency care now. No treatment today.",
    "refer": "See a doctor before any treatment. No pressure work until then.",
    "not_screened": "Not screened: no pressure work until the safety questions are answered.",
    "modify": "Treatment can go ahead with the changes listed below.",
    "proceed": "No screening rule stops or changes treatment.",
}


@dataclass(frozen=True)
class BenefitEntry:
    """A benefit people expect, what the sources say, and how the client could see it."""

    id: str
    claim: str
    grade: str
    says: str
    measured_by: str | None
    sources: tuple[str, ...]  # labels of the sources

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "claim": self.claim,
            "grade": self.grade,
            "says": self.says,
            "measured_by": self.measured_by,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Plan:
    headline: str
    screening: Screening
    technique: TechniqueChoice | None
    session: Session | None
    home_care: HomeCare
    benefits: tuple[BenefitEntry, ...]
    atlas_version: str

    @property
    def stopped(self) -> bool:
        return self.screening.stops_pressure_work

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``myomap plan --json`` (docs/planning.md)."""
        tech = self.technique
        return {
            "headline": self.headline,
            "screening": self.screening.to_dict(),
            "pressure_work": not self.stopped,
            "technique": None
            if tech is None
            else {
                "primary": tech.primary,
                "combination": list(tech.combination),
                "scores": dict(tech.scores),
                "reasons": list(tech.reasons),
                "ruled_out": dict(tech.ruled_out),
                "options": list(tech.options),
                "evidence": {
                    k: v.to_dict()
                    for k, v in tech.evidence.items()
                    if k in (*tech.combination, *tech.options)
                },
            },
            "session": None if self.session is None else self.session.to_dict(),
            "home_care": self.home_care.to_dict(),
            "benefits": [b.to_dict() for b in self.benefits],
            "disclaimer": DISCLAIMER,
            "atlas_version": self.atlas_version,
        }


def benefit_entries(data: PlanningData) -> tuple[BenefitEntry, ...]:
    return tuple(
        BenefitEntry(
            b.id, b.claim, b.grade, b.says, b.measured_by, tuple(data.source_labels(b.sources))
        )
        for b in data.benefits
    )


def select_candidates(
    candidates: Sequence[TrPCandidate],
    data: PlanningData,
) -> list[TrPCandidate]:
    """Confirmed trigger points always; others above the probability floor, best first."""
    sel = data.doses.selection
    keep = [c for c in candidates if c.confirmed or c.probability >= sel.min_probability]
    keep.sort(key=lambda c: (not c.confirmed, -c.probability, c.trigger_point, c.side.value))
    return keep[: sel.max_trigger_points]


def build_plan(
    *,
    atlas: Atlas,
    bodymap: BodyMap,
    data: PlanningData,
    screening: Screening,
    intake: Intake,
    candidates: Sequence[TrPCandidate],
    painful: Sequence[str],
    minutes: int,
) -> Plan:
    """Screening-gated plan. ``candidates`` exclude trigger points palpated and found absent."""
    first = next(
        (r.message for r in screening.reasons if r.severity in ("emergency", "refer")), None
    )
    headline = HEADLINES[screening.decision]
    if first:
        headline = f"{headline} {first}"
    missing = next(
        (
            r.message
            for r in screening.reasons
            if r.rule in ("not_screened", "no_intake", "unanswered")
        ),
        None,
    )
    if missing and screening.decision not in ("emergency", "refer"):
        headline = f"{headline} {missing}"
    if screening.override_applies:
        headline = (
            f"Not screened: pressure work planned on the therapist's override "
            f"({screening.override}). Ask the safety questions at this visit."
        )
    if screening.stops_pressure_work:
        return Plan(
            headline,
            screening,
            None,
            None,
            HomeCare((), (), stop_rules(data, screening)),
            benefit_entries(data),
            atlas.version,
        )
    chosen = select_candidates(candidates, data)
    present = signals(data, intake, screening, candidates, len(painful))
    choice = choose_technique(data, present, screening)
    session = build_session(
        chosen, atlas, bodymap, data, screening, intake, choice, painful, minutes
    )
    home = build_home_care(session.steps, atlas, bodymap, data, screening)
    return Plan(headline, screening, choice, session, home, benefit_entries(data), atlas.version)
