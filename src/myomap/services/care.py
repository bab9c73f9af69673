"""Screening, plans and handouts as use cases shared by the CLI and the web app.

Every use case takes the application's :class:`~myomap.knowledge.load.Knowledge`, so the clinic's
screening rules (``screening_rules`` setting or ``--rules``) apply wherever the question is
asked. Without one, the bundled knowledge alone is used (no clinic files): that is for the
Python API and tests, never for the adapters, which always pass the application's knowledge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.careplan import Plan, build_plan
from myomap.domain.drawing import PainDrawing
from myomap.domain.errors import UsageError
from myomap.domain.findings import AnyFinding, Finding, parse_any_finding
from myomap.domain.planner import TrPCandidate
from myomap.domain.screening import (
    Context,
    Intake,
    Screening,
    VisceralMatch,
    parse_intake,
    screen,
)
from myomap.knowledge.load import Knowledge
from myomap.knowledge.userfiles import read_json_file
from myomap.services.differential import locate

# -- intake and drawing --------------------------------------------------------------------------


def _known(knowledge: Knowledge | None) -> Knowledge:
    return knowledge if knowledge is not None else Knowledge()


def intake_template(knowledge: Knowledge | None = None) -> dict[str, Any]:
    return _known(knowledge).questionnaire.template()


def intake_from_mapping(
    raw: Any, bodymap: BodyMap | None = None, *, knowledge: Knowledge | None = None
) -> Intake:
    k = _known(knowledge)
    return parse_intake(raw, k.questionnaire, bodymap or k.bodymap)


def read_intake(path: Path, knowledge: Knowledge | None = None) -> Intake:
    """An intake file, with errors that name the field and never echo long answers."""
    raw = read_json_file(
        path,
        "Intake",
        give="an intake JSON file (see 'myomap screen --template')",
        not_found=". Create one with 'myomap screen --template > intake.json'",
    )
    return intake_from_mapping(raw, knowledge=knowledge)


@dataclass(frozen=True)
class DrawingFacts:
    """What screening and planning need from a drawing: painful regions, warnings, candidates."""

    painful: tuple[str, ...]
    visceral: tuple[VisceralMatch, ...]
    candidates: tuple[TrPCandidate, ...]


def drawing_facts(
    drawing: PainDrawing | None,
    findings: Sequence[AnyFinding | str] = (),
    top: int | None = None,
    *,
    knowledge: Knowledge | None = None,
) -> DrawingFacts:
    """Run the differential once; findings re-weight it and TrPs palpated absent drop out.

    Movement findings only re-weight the ranking; palpation findings also decide which TrPs
    count as confirmed for the plan.
    """
    if drawing is None:
        return DrawingFacts((), (), ())
    k = _known(knowledge)
    data = k.planning
    every = [parse_any_finding(f) if isinstance(f, str) else f for f in findings]
    fs = [f for f in every if isinstance(f, Finding)]
    diff = k.differential
    ranking = locate(
        drawing,
        findings=every,
        differential=diff,
        top=top or data.doses.selection.top_candidates,
    )
    absent = {(f.trigger_point, f.side) for f in fs if not f.confirmed}
    confirmed = {(f.trigger_point, f.side) for f in fs if f.confirmed}

    def matches(pairs: set[tuple[str, Side | None]], tp: str, side: Side) -> bool:
        return (tp, side) in pairs or (tp, None) in pairs

    cands: list[TrPCandidate] = []
    seen: set[tuple[str, Side]] = set()
    for c in ranking.candidates:
        if matches(absent, c.trigger_point, c.side):
            continue
        cands.append(
            TrPCandidate(
                c.trigger_point,
                c.muscle,
                c.side,
                c.probability,
                matches(confirmed, c.trigger_point, c.side),
            )
        )
        seen.add((c.trigger_point, c.side))
    model = diff.model
    for f in fs:  # a confirmed TrP outside the top candidates is still treated
        if not f.confirmed:
            continue
        for idx in model.finding_targets(f):
            inst = model.instances[idx]
            if (inst.trigger_point, inst.side) not in seen:
                cands.append(TrPCandidate(inst.trigger_point, inst.muscle, inst.side, 0.0, True))
                seen.add((inst.trigger_point, inst.side))
    visceral = tuple(VisceralMatch(w.pattern, w.cluster, w.message) for w in ranking.warnings)
    return DrawingFacts(tuple(ranking.regions), visceral, tuple(cands))


def questions_to_ask(
    intake: Intake, painful: Sequence[str] = (), *, knowledge: Knowledge | None = None
) -> list[str]:
    """The questions for this person: every base question, and each follow-up whose drawing
    regions or earlier answers call for it (asked again as answers come in)."""
    k = _known(knowledge)
    ctx = Context(painful=frozenset(painful), has_drawing=bool(painful))
    when = k.follow_ups
    return [
        it.id for it in k.questionnaire.items if it.id not in when or when[it.id].holds(intake, ctx)
    ]


def screen_intake(
    intake: Intake,
    drawing: PainDrawing | None = None,
    *,
    knowledge: Knowledge | None = None,
    facts: DrawingFacts | None = None,
) -> Screening:
    """The screening decision for an intake with the knowledge's rules (the clinic's file
    included), combined with the drawing when there is one.

    Follow-up questions the drawing or the answers call for count as unanswered safety
    questions until they are answered; the others are not asked, so they are not reported.
    """
    k = _known(knowledge)
    facts = facts or drawing_facts(drawing, knowledge=k)
    q = k.questionnaire
    asked = set(questions_to_ask(intake, facts.painful, knowledge=k))
    missing = q.unanswered_safety(intake) + [
        i for i in k.follow_ups if i in asked and intake.get(i) is None
    ]
    return screen(
        intake,
        k.rules,
        painful=facts.painful,
        visceral=facts.visceral,
        has_drawing=drawing is not None,
        unanswered=missing,
        screened=q.safety_answered(intake),
    )


# -- planning ------------------------------------------------------------------------------------


def check_minutes(minutes: int, knowledge: Knowledge | None = None) -> int:
    lo, hi = _known(knowledge).planning.doses.minutes_allowed
    if not lo <= minutes <= hi:
        raise UsageError(
            f"--minutes must be between {lo} and {hi} (a session is typically "
            f"30, 60 or 90 minutes), not {minutes}."
        )
    return minutes


OVERRIDE_MAX = 500


def check_override(reason: str) -> str:
    """An override reason is a sentence a colleague can read later: not blank, not an essay."""
    text = reason.strip()
    if not text:
        raise UsageError(
            "--override-screening needs a reason (for example 'screened by phone "
            "today, all answers no'), not an empty text."
        )
    if len(text) > OVERRIDE_MAX or "\x00" in text:
        raise UsageError(
            f"--override-screening: give a reason of at most {OVERRIDE_MAX} "
            "characters without NUL characters."
        )
    return text


def make_plan(
    drawing: PainDrawing,
    intake: Intake | None = None,
    *,
    findings: Sequence[AnyFinding | str] = (),
    minutes: int = 60,
    knowledge: Knowledge | None = None,
    override_screening: str | None = None,
) -> Plan:
    """Screen, rank, choose techniques and build the session and home-care plan.

    ``override_screening`` is the therapist's reason to plan pressure work for a person who was
    not screened; it is recorded in the plan and never lifts ``refer`` or ``emergency``.
    """
    k = _known(knowledge)
    check_minutes(minutes, k)
    intake = intake or Intake({})
    facts = drawing_facts(drawing, findings, knowledge=k)
    screening = screen_intake(intake, drawing, knowledge=k, facts=facts)
    if override_screening is not None:
        screening = screening.with_override(check_override(override_screening))
    return build_plan(
        atlas=k.atlas,
        bodymap=k.bodymap,
        data=k.planning,
        screening=screening,
        intake=intake,
        candidates=facts.candidates,
        painful=facts.painful,
        minutes=minutes,
    )
