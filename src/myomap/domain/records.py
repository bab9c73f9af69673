"""Plain, JSON-ready views of records, returned by the services to the CLI, web, FHIR and reports.

Views are frozen Pydantic models built from ORM rows, so adapters never hold a live row (no lazy
loads after the transaction ends) and ``model_dump(mode="json")`` is the ``--json`` output.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class View(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class ClientSummary(View):
    id: int
    display_name: str
    birth_year: int | None
    sex: str | None
    visit_count: int
    last_visit_at: datetime | None
    deleted: bool


class IntakeView(View):
    id: int
    answers: dict[str, Any]
    decision: str
    recorded_by: str
    recorded_at: datetime


class MeasurementView(View):
    id: int
    client_id: int
    visit_id: int | None
    instrument: str
    answers: list[float | None]
    total: float | None
    recorded_at: datetime


class DeletionView(View):
    id: int
    record_type: str
    record_id: int
    deleted_at: datetime
    deleted_by: str
    reason: str
    restored_at: datetime | None
    restored_by: str | None


class VisitSummary(View):
    id: int
    client_id: int
    started_at: datetime
    status: str
    signed_at: datetime | None
    signed_by: str | None
    practitioner: str | None
    amendment_count: int
    deleted: bool
    version: int


class ClientDetail(ClientSummary):
    contact: str | None
    external_ref: str | None
    created_at: datetime
    visits: list[VisitSummary]
    intakes: list[IntakeView]
    measurements: list[MeasurementView]
    deletions: list[DeletionView]


class SoapField(View):
    """One SOAP section: the text as signed, the text now, and whether amendments changed it."""

    original: str
    current: str
    amended: bool


class AmendmentView(View):
    id: int
    field: str
    old_value: str
    new_value: str
    reason: str
    author: str
    created_at: datetime


class DrawingView(View):
    id: int
    drawing: dict[str, Any]
    recorded_at: datetime


class FindingView(View):
    """``kind`` "criteria" carries the three consensus criteria; "confirmed" and "absent" are
    one-tap results whose criteria were not recorded (None)."""

    id: int
    trp_id: str
    side: str
    kind: str
    taut_band: bool | None
    hypersensitive_spot: bool | None
    referred_pain: bool | None
    recognised: bool | None
    confirmed: bool
    note: str | None


class RomView(View):
    id: int
    movement: str
    side: str
    degrees: float


class PptView(View):
    id: int
    site: str
    side: str
    trials_kpa: list[float]
    mean_kpa: float


class TreatmentView(View):
    id: int
    technique: str
    trp_id: str | None
    side: str
    pressure: float | None
    hold_seconds: int | None
    repetitions: int | None
    response: str | None


class HomeCareView(View):
    id: int
    plan: dict[str, Any]
    given_at: datetime


class VisitDetail(VisitSummary):
    soap: dict[str, SoapField]
    amendments: list[AmendmentView]
    drawings: list[DrawingView]
    findings: list[FindingView]
    rom: list[RomView]
    ppt: list[PptView]
    treatments: list[TreatmentView]
    home_care: list[HomeCareView]
    measurements: list[MeasurementView]
    deletions: list[DeletionView]
