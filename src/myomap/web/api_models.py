"""The JSON the API answers with, as models: the OpenAPI document publishes them and FastAPI
checks every answer against them, so a field that changes shape fails a test instead of a client.

Shapes are contracts (scripts and the pages read them): field names, order and which keys may be
left out follow the answers as they were before the models existed. Routes serialise with
``response_model_exclude_unset`` so a key a route leaves out stays out instead of becoming null,
and numbers whose JSON is sometimes an integer and sometimes a decimal are :data:`Number`, so a
``3`` is not rewritten as ``3.0``. Where the services already return typed views
(:mod:`myomap.domain.records`), routes declare those. This module holds the errors and the
stateless answers (session, body map, atlas, screening, plans); records are in
:mod:`myomap.web.api_records`, the client's own pages in :mod:`myomap.web.api_portal`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

# An integer stays an integer and a decimal a decimal (pydantic's smart union keeps the type).
Number = int | float


class ApiOut(BaseModel):
    """Base of the answers: a key the model does not name is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# -- errors ------------------------------------------------------------------------------------


class ErrorOut(ApiOut):
    """Every error answer, 422 included: one sentence saying what is wrong and how to fix it."""

    detail: str


ERROR_MEANINGS: dict[int, str] = {
    400: "A value the services refuse, or a Host name this server does not answer to",
    401: "Login needed",
    403: "Missing or wrong CSRF token, a write from another site, or a role that may not do this",
    404: "No such record, or a record of another clinic",
    409: "The visit is signed and locked (amend instead), or changed since it was read",
    413: "The request body is larger than the server accepts",
    422: "The request body or a parameter has the wrong shape",
    429: "Too many attempts: wait the seconds given in Retry-After",
    503: "The record store is busy: try again",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry that publishes these error statuses with :class:`ErrorOut`."""
    return {code: {"model": ErrorOut, "description": ERROR_MEANINGS[code]} for code in codes}


# What any staff route may answer: the guard's Host, Origin and size checks, a login, the
# request's shape. Routes add what their use case can refuse (404, 409).
STAFF_ERRORS = errors(400, 401, 403, 413, 422)


def download(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry of a route that sends a file instead of JSON."""
    return {200: {"description": what, "content": {media_type: {}}}}


# -- session -----------------------------------------------------------------------------------


class UserOut(ApiOut):
    username: str
    role: str
    clinic_id: int | None


class SessionOut(ApiOut):
    csrf_token: str
    login_required: bool
    user: UserOut | None


class LoginOut(ApiOut):
    user: UserOut | None
    csrf_token: str


# -- body map and differential -----------------------------------------------------------------


class RegionOut(ApiOut):
    id: str
    label: str
    side: str
    view: str
    base: str
    mirror: str


class ZonesOut(ApiOut):
    essential: list[str]
    spillover: list[str]


class MarkOut(ApiOut):
    """Where the chart draws a trigger point's X."""

    view: str
    x: Number
    y: Number
    region: str


class CandidateOut(ApiOut):
    rank: int
    muscle: str
    trigger_point: str
    side: str
    probability: Number
    essential: list[str]
    spillover: list[str]
    unexplained: list[str]
    findings: list[str]
    probability_without_findings: Number | None
    why: Any
    muscle_name: str
    trp_name: str
    zones: ZonesOut
    mark: MarkOut
    why_text: str | None = None


class MuscleChanceOut(ApiOut):
    muscle: str
    probability: Number
    muscle_name: str


class PlacedTrpOut(ApiOut):
    trigger_point: str
    side: str


class ExplanationOut(ApiOut):
    trigger_points: list[PlacedTrpOut]
    probability: Number
    unexplained: list[str]


class NextPalpationOut(ApiOut):
    trigger_point: str
    side: str
    expected_gain: Number


class VisceralWarningOut(ApiOut):
    """Pain in a pattern an organ can refer: shown before any trigger point."""

    pattern: str
    organ: str
    condition: str
    cluster: str
    message: str
    matched_regions: list[str]
    features: list[str]


class LocateOut(ApiOut):
    """The ``myomap locate --json`` shape, each candidate with names, zones and its mark."""

    atlas_version: str
    regions: list[str]
    not_painful: list[str]
    candidates: list[CandidateOut]
    muscles: list[MuscleChanceOut]
    explanations: list[ExplanationOut]
    next_palpation: list[NextPalpationOut]
    warnings: list[VisceralWarningOut]


class MuscleListedOut(ApiOut):
    id: str
    name: str
    group: str
    synonyms: list[str]
    trigger_points: int


# -- screening and plans -----------------------------------------------------------------------


class ReasonOut(ApiOut):
    rule: str
    severity: str
    message: str
    source: str


class ModificationOut(ApiOut):
    rule: str
    change: str
    value: Any


class OverrideAppliedOut(ApiOut):
    """The therapist's reason to go on without screening, and whether it lets pressure work go
    ahead."""

    reason: str
    applied: bool


class ScreeningOut(ApiOut):
    """The ``myomap screen --json`` shape."""

    decision: str
    reasons: list[ReasonOut]
    avoid_regions: list[str]
    modifications: list[ModificationOut]
    override: OverrideAppliedOut | None


class QuestionOut(ApiOut):
    id: str
    section: str
    type: str
    question: str
    options: list[Any]
    min: Number | None
    max: Number | None
    help: str | None
    follow_up: dict[str, Any] | None


class QuestionnaireOut(ApiOut):
    version: str
    sections: dict[str, str]
    items: list[QuestionOut]


class QuestionsOut(ApiOut):
    ask: list[str]


class PlanOut(ApiOut):
    """The ``myomap plan --json`` shape: screening first, then technique, session, home care."""

    headline: str
    screening: ScreeningOut
    pressure_work: bool
    technique: dict[str, Any] | None
    session: dict[str, Any] | None
    home_care: dict[str, Any]
    benefits: list[dict[str, Any]]
    disclaimer: str
    atlas_version: str
