"""Answers of the record routes (clients, visits, outcomes, links, admin) that the services'
typed views (:mod:`myomap.domain.records`) do not already describe; see
:mod:`myomap.web.api_models` for why the shapes are fixed as they are."""

from __future__ import annotations

from typing import Any

from myomap.domain.records import IntakeView, MeasurementView, TreatmentView, VisitSummary
from myomap.web.api_models import ApiOut, Number, ScreeningOut


class ClientNamedOut(ApiOut):
    id: int
    display_name: str


class IntakeScreenedOut(ApiOut):
    """The stored intake and the screening it was stored with."""

    intake: IntakeView
    screening: ScreeningOut


class VisitStartedOut(VisitSummary):
    """A new draft, or (``reopened``) the client's open draft answered instead."""

    reopened: bool = False


class RemovedOut(ApiOut):
    removed: str
    id: int
    visit_id: int


class OverrideOut(ApiOut):
    id: int
    visit_id: int
    decision: str
    reason: str
    recorded_by: str
    recorded_at: str


class ChartedOut(ApiOut):
    """Several entries charted in one step (repeating the last visit's treatments)."""

    items: list[TreatmentView]


class InstrumentOut(ApiOut):
    id: str
    name: str
    short: str
    items: int
    min: Number
    max: Number
    direction: str


class ScoreOut(ApiOut):
    """A dry-run score: what saving the answers would store."""

    instrument: str
    total: Number | None
    band: str | None
    items: list[Number | None]
    missing: int
    imputed: bool


class MeasuredOut(MeasurementView):
    band: str | None


class ProgressClientOut(ApiOut):
    id: int
    display_name: str
    birth_year: int | None
    sex: str | None


class MeasurePointOut(ApiOut):
    at: str
    visit_id: int | None
    total: Number
    band: str | None


class MeasureSeriesOut(ApiOut):
    """One instrument over time; ``mcid`` is left out for an instrument no longer in the
    catalogue."""

    instrument: str
    name: str
    short: str
    unit: str
    direction: str
    range: list[Number] | None
    points: list[MeasurePointOut]
    change: dict[str, Any] | None
    status: str
    trend: dict[str, Any]
    mcid: dict[str, Any] | None = None


class ProgressOut(ApiOut):
    """Measures with change, responder status and trend; PPT, ROM, drawings and treatments
    (the series are described in docs/outcomes.md)."""

    client: ProgressClientOut
    visits: int
    first_visit: str | None
    last_visit: str | None
    measures: list[MeasureSeriesOut]
    ppt: list[dict[str, Any]]
    rom: list[dict[str, Any]]
    drawings: dict[str, Any]
    treatments: list[dict[str, Any]]
    referral: dict[str, Any] | None
    caution: str


class LinkOut(ApiOut):
    """A new client link; the token inside ``url`` is shown this once."""

    url: str
    expires: str
    qr: str


class RevokedOut(ApiOut):
    revoked: int


class AuditOut(ApiOut):
    id: int
    at: str
    actor: str
    action: str
    record_type: str
    record_id: int | None


class AccountOut(ApiOut):
    id: int
    username: str
    role: str
    clinic: str | None
    disabled: bool
