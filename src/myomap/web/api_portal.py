"""Answers of the client's own pages (``/api/me``, personal mode, the web app manifest); see
:mod:`myomap.web.api_models` for why the shapes are fixed as they are."""

from __future__ import annotations

from typing import Any

from myomap.services.consent import ConsentView
from myomap.services.portal import DiaryView
from myomap.web.api_models import ApiOut, Number


class MeClientOut(ApiOut):
    display_name: str
    clinic: str | None


class ExerciseOut(ApiOut):
    id: str
    title: str
    how: str
    cautions: list[str]
    picture: str | None


class MePlanOut(ApiOut):
    given_at: str
    content: dict[str, Any]
    exercises: list[ExerciseOut]


class MeConsentOut(ApiOut):
    version: str
    title: str
    paragraphs: list[str]
    signed: list[ConsentView]


class MeScreeningOut(ApiOut):
    decision: str
    advice: str
    answered_at: str


class MeOut(ApiOut):
    """What the client of this session sees: home care, recent diary, consent, screening."""

    client: MeClientOut
    plan: MePlanOut | None
    diary: list[DiaryView]
    consent: MeConsentOut
    screening: MeScreeningOut | None
    notice: str


class AdviceOut(ApiOut):
    """A screening decision in plain words, for the client."""

    decision: str
    advice: str
    notice: str


class MeIntakeOut(AdviceOut):
    reasons: list[str]


class DiaryAnsweredOut(DiaryView):
    """The stored entry; ``screening`` only when the entry carried safety answers."""

    screening: AdviceOut | None = None


class StretchOut(ApiOut):
    name: str
    instructions: str
    picture: str | None


class SelfCarePointOut(ApiOut):
    trigger_point: str
    muscle: str
    name: str
    side: str
    where: str | None
    find_position: str
    tool: str
    position: str | None
    instructions: str | None
    hold_seconds: Number
    repetitions: Number
    frequency: str
    cautions: list[str]
    stretch: StretchOut


class PointsOut(ApiOut):
    """Personal mode's self-care points; ``reasons`` and ``pressure_limit`` come with a
    screened answer, and no points come with a decision that stops pressure work."""

    decision: str
    advice: str
    reasons: list[str] | None = None
    points: list[SelfCarePointOut]
    left_out: int
    pressure_limit: Any = None


class ManifestIconOut(ApiOut):
    src: str
    sizes: str
    type: str


class ManifestOut(ApiOut):
    """The web app manifest that lets a phone keep the client's page on its home screen."""

    name: str
    short_name: str
    start_url: str
    scope: str
    display: str
    background_color: str
    theme_color: str
    icons: list[ManifestIconOut]
