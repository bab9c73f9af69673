"""What is charted during a visit: findings, ROM, PPT, treatments, screening overrides, and
removing a draft entry. Each write goes through the visit's lock (see :func:`_write`); a signed
visit answers 409.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import Field

from myomap.domain.errors import ConflictError, UsageError
from myomap.domain.records import FindingView, PptView, RomView, TreatmentView
from myomap.services import charting, examination, overrides
from myomap.web.api_models import STAFF_ERRORS
from myomap.web.api_records import ChartedOut, OverrideOut, RemovedOut
from myomap.web.deps import Ctx, RecordId, writer
from myomap.web.inputs import ApiIn
from myomap.web.routes.visits import VISIT_WRITE_ERRORS, Side, _detail, _write, visit_decision

router = APIRouter(responses=STAFF_ERRORS)


class FindingIn(ApiIn):
    """Either ``result`` (one tap: confirmed or absent, stored as a result without criteria)
    or the three criteria one by one."""

    trp: str = Field(min_length=3, max_length=96)
    side: Side
    result: Literal["confirmed", "absent"] | None = None
    taut_band: bool | None = None
    hypersensitive_spot: bool | None = None
    referred_pain: bool | None = None
    recognised: bool | None = None
    note: str | None = Field(default=None, max_length=2000)


class RomIn(ApiIn):
    movement: str = Field(min_length=1, max_length=64)
    side: Side
    degrees: float


class PptIn(ApiIn):
    site: str = Field(min_length=1, max_length=96)
    side: Side
    trials_kpa: list[float] = Field(min_length=1, max_length=5)


class TreatmentIn(ApiIn):
    technique: str = Field(min_length=1, max_length=64)
    side: Side
    trp: str | None = Field(default=None, max_length=96)
    pressure: float | None = None
    hold_seconds: int | None = None
    repetitions: int | None = None
    response: str | None = Field(default=None, max_length=2000)
    override_reason: str | None = Field(default=None, max_length=500)


class OverrideIn(ApiIn):
    reason: str = Field(min_length=1, max_length=500)


@router.post(
    "/api/visits/{visit_id}/findings",
    tags=["visits"],
    status_code=201,
    response_model=FindingView,
    responses=VISIT_WRITE_ERRORS,
)
def api_finding(visit_id: RecordId, body: FindingIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Record a palpated TrP: one tap (``result``, stored as such) or the three criteria.

    The same finding sent twice within a few seconds (a double tap) is charted once."""

    return _write(
        ctx,
        visit_id,
        lambda s: charting.chart_finding(
            s,
            visit_id,
            trp=body.trp,
            side=body.side,
            taut_band=body.taut_band,
            hypersensitive_spot=body.hypersensitive_spot,
            referred_pain=body.referred_pain,
            result=body.result,
            recognised=body.recognised,
            note=body.note,
            knowledge=ctx.knowledge,
            actor=ctx.me.username,
            scope=ctx.me,
        ),
    )


@router.post(
    "/api/visits/{visit_id}/rom",
    tags=["visits"],
    status_code=201,
    response_model=RomView,
    responses=VISIT_WRITE_ERRORS,
)
def api_rom(visit_id: RecordId, body: RomIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Record a range-of-motion measurement in degrees."""

    return _write(
        ctx,
        visit_id,
        lambda s: examination.add_rom(
            s,
            visit_id,
            movement=body.movement,
            side=body.side,
            degrees=body.degrees,
            actor=ctx.me.username,
            scope=ctx.me,
        ),
    )


@router.post(
    "/api/visits/{visit_id}/ppt",
    tags=["visits"],
    status_code=201,
    response_model=PptView,
    responses=VISIT_WRITE_ERRORS,
)
def api_ppt(visit_id: RecordId, body: PptIn, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Record pressure pain threshold trials (kPa) at one site."""

    return _write(
        ctx,
        visit_id,
        lambda s: examination.add_ppt(
            s,
            visit_id,
            site=body.site,
            side=body.side,
            trials_kpa=body.trials_kpa,
            actor=ctx.me.username,
            scope=ctx.me,
        ),
    )


@router.post(
    "/api/visits/{visit_id}/treatments",
    tags=["visits"],
    status_code=201,
    response_model=TreatmentView,
    responses=VISIT_WRITE_ERRORS,
)
def api_treatment(
    visit_id: RecordId, body: TreatmentIn, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Chart what was treated, with the dose (pressure 0-10, hold seconds, repetitions).

    Pressure work (a trigger point or a pressure above 0) on a visit whose screening says
    ``refer`` or ``emergency`` needs ``override_reason``; it is stored with the visit and audited.
    The same treatment sent twice within a few seconds (a double tap) is charted once.
    """

    decision = None
    if body.trp or (body.pressure or 0) > 0:
        decision = visit_decision(ctx, _detail(ctx, visit_id, audit=False))
    if decision in ("refer", "emergency") and not (body.override_reason or "").strip():
        raise ConflictError(
            f"this visit's screening says {decision}: pressure work is charted "
            "only with a reason (send override_reason, e.g. 'cleared by the "
            "GP today')"
        )

    def chart(s: Any) -> Any:
        if decision in ("refer", "emergency"):
            overrides.record_override(
                s,
                visit_id,
                decision=str(decision),
                reason=body.override_reason,
                actor=ctx.me.username,
                scope=ctx.me,
            )
        return charting.chart_treatment(
            s,
            visit_id,
            technique=body.technique,
            side=body.side,
            trp=body.trp,
            pressure=body.pressure,
            hold_seconds=body.hold_seconds,
            repetitions=body.repetitions,
            response=body.response,
            knowledge=ctx.knowledge,
            actor=ctx.me.username,
            scope=ctx.me,
        )

    return _write(ctx, visit_id, chart)


@router.post(
    "/api/visits/{visit_id}/screening-override",
    tags=["visits"],
    status_code=201,
    response_model=OverrideOut,
    responses=VISIT_WRITE_ERRORS,
)
def api_override(
    visit_id: RecordId, body: OverrideIn, ctx: Ctx = Depends(writer)
) -> dict[str, Any]:
    """Record why pressure work goes ahead for a client not screened yet (stored, audited)."""

    decision = visit_decision(ctx, _detail(ctx, visit_id, audit=False))
    if decision != "not_screened":
        raise UsageError(
            f"the screening of visit {visit_id} says {decision}; an override "
            "applies only to a client not screened yet"
        )
    return _write(
        ctx,
        visit_id,
        lambda s: overrides.record_override(
            s,
            visit_id,
            decision=decision,
            reason=body.reason,
            actor=ctx.me.username,
            scope=ctx.me,
        ),
    )


@router.delete(
    "/api/visits/{visit_id}/{kind}/{entry_id}",
    tags=["visits"],
    response_model=RemovedOut,
    responses=VISIT_WRITE_ERRORS,
)
def api_remove(
    visit_id: RecordId,
    kind: Literal["findings", "treatments", "rom", "ppt", "measurements"],
    entry_id: RecordId,
    ctx: Ctx = Depends(writer),
) -> dict[str, Any]:
    """Remove one entry charted on a draft visit (a finding, treatment, ROM, PPT or a measure
    recorded on it; audited); a signed visit answers 409."""

    ctx.me.require("clinical.write")
    with ctx.tx() as session:
        return charting.remove_entry(
            session, visit_id, kind, entry_id, actor=ctx.me.username, scope=ctx.me
        )


@router.post(
    "/api/visits/{visit_id}/treatments/repeat",
    tags=["visits"],
    status_code=201,
    response_model=ChartedOut,
    responses=VISIT_WRITE_ERRORS,
)
def api_repeat(visit_id: RecordId, ctx: Ctx = Depends(writer)) -> dict[str, Any]:
    """Copy the treatments of the client's previous visit in one step.

    Refused on a visit whose screening says refer or emergency: each pressure treatment there is
    charted on its own, with a reason.
    """

    decision = visit_decision(ctx, _detail(ctx, visit_id, audit=False))
    if decision in ("refer", "emergency"):
        raise ConflictError(
            f"this visit's screening says {decision}: chart each treatment "
            "with override_reason instead of repeating the last visit"
        )

    return _write(
        ctx,
        visit_id,
        lambda s: examination.repeat_last_treatment(
            s, visit_id, actor=ctx.me.username, scope=ctx.me
        ),
    )
