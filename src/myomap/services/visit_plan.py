"""Plan for a visit: the plan from what the record holds (drawing, intake, findings).

The web visit page, its API twin and the handout all ask this one question; the findings are
read as typed values from the rows, never rebuilt as finding strings.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.bodymap import Side
from myomap.domain.careplan import Plan
from myomap.domain.errors import UsageError
from myomap.domain.findings import Finding
from myomap.knowledge.load import Knowledge
from myomap.services import inputs, overrides, visits
from myomap.services.care import make_plan, screen_intake
from myomap.services.visits import finding_confirmed
from myomap.store.repositories import exam as exam_repo
from myomap.store.repositories import intakes as intake_repo


def visit_findings(session: Session, visit_id: int) -> list[Finding]:
    """The visit's palpation findings as the differential reads them: the latest per trigger
    point and side wins; a midline finding applies to the trigger point on every side."""
    out: dict[tuple[str, str], Finding] = {}
    for row in exam_repo.findings_of(session, visit_id):
        side = None if row.side == "midline" else Side(row.side)
        out[(row.trp_id, row.side)] = Finding(row.trp_id, side, finding_confirmed(row))
    return list(out.values())


def plan_for_visit(
    session: Session,
    knowledge: Knowledge,
    visit_id: int,
    minutes: int = 60,
    *,
    scope: Actor = OPERATOR,
) -> Plan:
    """The session and home-care plan for the visit's latest drawing, the client's latest
    intake and the visit's findings. An intake stored under older questions is left out."""
    visit = visits.get_row(session, visit_id, include_deleted=True, scope=scope)
    drawing = exam_repo.latest_drawing(session, visit_id)
    if drawing is None:
        raise UsageError(f"visit {visit_id} has no pain drawing yet; save one first")
    answers = intake_repo.latest_answers(session, visit.client_id)
    intake = None
    if answers is not None:
        try:
            intake = inputs.intake_from_answers(knowledge, answers)
        except UsageError:
            intake = None  # an intake stored under older questions: plan without it
    return make_plan(
        inputs.drawing_from_json(knowledge, drawing),
        intake,
        findings=visit_findings(session, visit_id),
        minutes=minutes,
        knowledge=knowledge,
        override_screening=overrides.latest_reason(session, visit_id, "not_screened"),
    )


def visit_decision(
    session: Session, knowledge: Knowledge, visit_id: int, *, scope: Actor = OPERATOR
) -> str:
    """The visit's screening decision: its plan's, or the latest intake's without a drawing,
    or ``not_screened`` when no usable intake is recorded."""
    visit = visits.get_row(session, visit_id, include_deleted=True, scope=scope)
    if exam_repo.latest_drawing(session, visit_id) is not None:
        return str(plan_for_visit(session, knowledge, visit_id, scope=scope).screening.decision)
    answers = intake_repo.latest_answers(session, visit.client_id)
    try:
        intake = inputs.intake_from_answers(knowledge, answers) if answers is not None else None
    except UsageError:
        intake = None
    if intake is None:
        return "not_screened"
    return str(screen_intake(intake, knowledge=knowledge).decision)
