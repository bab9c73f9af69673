"""What happens in a visit besides the note: pain drawings, examination findings, treatments
given and home-care plans. All of it belongs to the note, so a signed visit refuses additions.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from myomap.domain.actor import OPERATOR, Actor
from myomap.domain.errors import ConflictError, UsageError
from myomap.domain.records import (
    DrawingView,
    FindingView,
    HomeCareView,
    PptView,
    RomView,
    TreatmentView,
)
from myomap.knowledge.load import Knowledge
from myomap.services import audit, fields, inputs
from myomap.services.visits import draft_row, finding_view, get_row
from myomap.store.orm import (
    HomeCarePlan,
    PainDrawingRecord,
    PptMeasurement,
    RomMeasurement,
    Treatment,
    TrPFinding,
    utcnow,
)
from myomap.store.repositories import visits as visit_repo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SIDES = ("left", "right", "midline")
_TRP_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def trp_id(value: str | None, *, required: bool = True) -> str | None:
    """Trigger point ids look like ``<muscle id>.<tag>`` (the atlas format)."""
    if value is None or not value.strip():
        if required:
            raise UsageError("trp is required, e.g. upper_trapezius.trp1")
        return None
    cleaned = value.strip().lower()
    if not _TRP_ID.match(cleaned) or len(cleaned) > 96:
        raise UsageError("trp must be an atlas trigger point id like upper_trapezius.trp1")
    return cleaned


def clinical_time(value: datetime | None, what: str) -> datetime | None:
    """When something happened clinically, as the caller knows it (an import, a seed, a drawing
    made before it was typed in); refused when it cannot be a real moment of care."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise UsageError(f"{what} must include a time zone (e.g. 2026-03-01T09:00Z)")
    if value.year < 1900:
        raise UsageError(f"{what} is before 1900; check the year")
    if value > datetime.now(value.tzinfo) + timedelta(days=1):
        raise UsageError(f"{what} is in the future; give the time it happened")
    return value


def known_trp_id(knowledge: Knowledge | None, value: str | None, *, required: bool) -> str | None:
    """The trigger point id if the atlas has it (``knowledge``; the bundled one by default).
    The one check of a charted trigger point, whichever door the entry came through."""
    cleaned = trp_id(value, required=required)
    if cleaned is None:
        return None
    try:
        (knowledge or Knowledge()).atlas.trigger_point(cleaned)
    except KeyError:
        raise UsageError(
            f"trp must be an atlas trigger point id such as trapezius.tp1; "
            f"{cleaned[:96]!r} is not in the atlas"
        ) from None
    return cleaned


def identifier(field: str, value: str, *, example: str) -> str:
    cleaned = value.strip().lower().replace("-", "_").replace(" ", "_")
    if not _NAME.match(cleaned) or len(cleaned) > 64:
        raise UsageError(f"{field} must be a lower-case identifier like {example}")
    return cleaned


def add_drawing(
    session: Session,
    visit_id: int,
    drawing: dict[str, Any],
    *,
    knowledge: Knowledge | None = None,
    recorded_at: datetime | None = None,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> DrawingView:
    """Validate a ``myomap.drawing/1`` document (region ids must exist, at least one painful
    area) and attach it, whichever door it came through.

    ``recorded_at`` is when the client drew it (clinical time): given by the caller, else the
    document's own ``recorded_at``, else now (charted as it happens). An import or a record
    entered after the visit passes the time it has, so the record is never dated at entry.
    """
    parsed = inputs.painful_drawing(knowledge or Knowledge(), drawing)
    when = clinical_time(recorded_at, "the drawing's time") or clinical_time(
        parsed.recorded_at, "the drawing's recorded_at"
    )
    row = draft_row(session, visit_id, scope=scope)
    record = PainDrawingRecord(
        visit_id=row.id, drawing=parsed.model_dump(mode="json"), recorded_at=when or utcnow()
    )
    session.add(record)
    session.flush()
    audit.record(session, actor=actor, action="add_drawing", record_type="visit", record_id=row.id)
    return DrawingView.model_validate(record)


def add_finding(
    session: Session,
    visit_id: int,
    *,
    trp: str,
    side: str,
    taut_band: bool | None = None,
    hypersensitive_spot: bool | None = None,
    referred_pain: bool | None = None,
    result: str | None = None,
    recognised: bool | None = None,
    note: str | None = None,
    knowledge: Knowledge | None = None,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> FindingView:
    """Record a palpated trigger point exactly as observed: either the three consensus criteria
    one by one, or a one-tap ``result`` (confirmed or absent) with no criteria claimed.

    The trigger point must exist in the atlas (``knowledge``; the bundled one by default).
    """
    cleaned = known_trp_id(knowledge, trp, required=True)
    assert cleaned is not None
    criteria = (taut_band, hypersensitive_spot, referred_pain)
    if result is not None:
        kind = str(fields.choice("result", result, ("confirmed", "absent")))
        if any(c is not None for c in criteria):
            raise UsageError(
                "give either result (confirmed or absent) or the three criteria, not both"
            )
    elif any(c is None for c in criteria):
        raise UsageError(
            "give result (confirmed or absent) or all of taut_band, "
            "hypersensitive_spot and referred_pain"
        )
    else:
        kind = "criteria"
    row = draft_row(session, visit_id, scope=scope)
    finding = TrPFinding(
        visit_id=row.id,
        trp_id=cleaned,
        side=fields.choice("side", side, SIDES),
        kind=kind,
        taut_band=None if taut_band is None else bool(taut_band),
        hypersensitive_spot=None if hypersensitive_spot is None else bool(hypersensitive_spot),
        referred_pain=None if referred_pain is None else bool(referred_pain),
        recognised=recognised,
        note=fields.text("note", note, max_length=2000, required=False),
    )
    session.add(finding)
    session.flush()
    audit.record(session, actor=actor, action="add_finding", record_type="visit", record_id=row.id)
    return finding_view(finding)


def add_rom(
    session: Session,
    visit_id: int,
    *,
    movement: str,
    side: str,
    degrees: float,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> RomView:
    row = draft_row(session, visit_id, scope=scope)
    rom = RomMeasurement(
        visit_id=row.id,
        movement=identifier("movement", movement, example="cervical_rotation"),
        side=fields.choice("side", side, SIDES),
        degrees=fields.number("degrees", degrees, low=0, high=360, required=True),
    )
    session.add(rom)
    session.flush()
    audit.record(session, actor=actor, action="add_rom", record_type="visit", record_id=row.id)
    return RomView.model_validate(rom)


def add_ppt(
    session: Session,
    visit_id: int,
    *,
    site: str,
    side: str,
    trials_kpa: list[float],
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> PptView:
    """Pressure pain threshold trials in kPa at one site (1 to 5 trials; 3 is the usual)."""
    row = draft_row(session, visit_id, scope=scope)
    if not 1 <= len(trials_kpa) <= 5:
        raise UsageError("kPa trials: give 1 to 5 values (three trials are usual)")
    values = [fields.number("kPa trial", v, low=0, high=2000, required=True) for v in trials_kpa]
    ppt = PptMeasurement(
        visit_id=row.id,
        site=identifier("site", site, example="upper_trapezius"),
        side=fields.choice("side", side, SIDES),
        trials_kpa=[float(v) for v in values if v is not None],
    )
    session.add(ppt)
    session.flush()
    audit.record(session, actor=actor, action="add_ppt", record_type="visit", record_id=row.id)
    return PptView(
        id=ppt.id,
        site=ppt.site,
        side=ppt.side,
        trials_kpa=ppt.trials_kpa,
        mean_kpa=round(sum(ppt.trials_kpa) / len(ppt.trials_kpa), 1),
    )


def add_treatment(
    session: Session,
    visit_id: int,
    *,
    technique: str,
    side: str,
    trp: str | None = None,
    pressure: float | None = None,
    hold_seconds: int | None = None,
    repetitions: int | None = None,
    response: str | None = None,
    knowledge: Knowledge | None = None,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> TreatmentView:
    """Record a treatment given; its trigger point, when named, must exist in the atlas."""
    cleaned = known_trp_id(knowledge, trp, required=False)
    row = draft_row(session, visit_id, scope=scope)
    treatment = Treatment(
        visit_id=row.id,
        technique=identifier("technique", technique, example="ischemic_compression"),
        trp_id=cleaned,
        side=fields.choice("side", side, SIDES),
        pressure=fields.number("pressure", pressure, low=0, high=10),
        hold_seconds=fields.integer("hold seconds", hold_seconds, low=0, high=3600),
        repetitions=fields.integer("repetitions", repetitions, low=0, high=100),
        response=fields.text("response", response, max_length=2000, required=False),
    )
    session.add(treatment)
    session.flush()
    audit.record(
        session, actor=actor, action="add_treatment", record_type="visit", record_id=row.id
    )
    return TreatmentView.model_validate(treatment)


def repeat_last_treatment(
    session: Session, visit_id: int, *, actor: str = "unknown", scope: Actor = OPERATOR
) -> list[TreatmentView]:
    """Copy the treatments of the client's latest earlier visit that had any, in one step.

    The client's response is not copied: it belongs to the visit where it was observed.
    """
    row = draft_row(session, visit_id, scope=scope)
    previous = visit_repo.previous_with_treatments(session, row)
    if previous is None:
        raise ConflictError(
            f"no earlier visit of this client has treatments to repeat; add them to visit "
            f"{visit_id} with 'myomap visit treat'"
        )
    copies = [
        Treatment(
            visit_id=row.id,
            technique=t.technique,
            trp_id=t.trp_id,
            side=t.side,
            pressure=t.pressure,
            hold_seconds=t.hold_seconds,
            repetitions=t.repetitions,
            response=None,
        )
        for t in previous.treatments
    ]
    session.add_all(copies)
    session.flush()
    audit.record(
        session, actor=actor, action="repeat_treatment", record_type="visit", record_id=row.id
    )
    return [TreatmentView.model_validate(t) for t in copies]


def add_home_care(
    session: Session,
    visit_id: int,
    plan: dict[str, Any],
    *,
    given_at: datetime | None = None,
    actor: str = "unknown",
    scope: Actor = OPERATOR,
) -> HomeCareView:
    """Store the home-care plan handed to the client, as the planner produced it (JSON).

    ``given_at`` is when it was handed over (clinical time); now when not given.
    """
    when = clinical_time(given_at, "the time the plan was given")
    row = draft_row(session, visit_id, scope=scope)
    if not isinstance(plan, dict) or not plan:
        raise UsageError("home-care plan must be a non-empty JSON object")
    record = HomeCarePlan(visit_id=row.id, plan=plan, given_at=when or utcnow())
    session.add(record)
    session.flush()
    audit.record(
        session, actor=actor, action="add_home_care", record_type="visit", record_id=row.id
    )
    return HomeCareView.model_validate(record)


__all__ = ["get_row"]
