"""The planning data (``data/planning/``) as frozen, validated values.

These Pydantic models are the in-memory planning data and the schema of its files, so a file with
a missing threshold, a misspelt key or a word where a number belongs is refused when it loads, with
the path of the bad entry, instead of failing in the middle of a plan. Numbers that plans print
(thresholds, hold times) keep the type the file gives them: ``7`` stays ``7``, never ``7.0``.
Cross-file rules (every source id resolves) live in :mod:`myomap.knowledge.planning`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Number = int | float  # as written in the file; see the module docstring
PressureLevelName = Literal["standard", "first_visit", "light"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class _Noted(_Model):
    note: str | None = None  # for the reader of the data file; plans never show it


# -- techniques.json -------------------------------------------------------------------------------


class EvidenceEntry(_Model):
    grade: str = Field(min_length=1)
    statement: str = Field(min_length=1)
    sources: tuple[str, ...]


class Adjunct(_Model):
    """A method offered beside the techniques (stretch, ROM, barrier method...)."""

    name: str = Field(min_length=1)
    evidence: EvidenceEntry


class Technique(Adjunct):
    """A hands-on technique and the signals (findings) that favour it, with their weights."""

    plain: str = Field(min_length=1)
    favoured_by: Mapping[str, int]


class TechniquesFile(_Model):
    version: str
    techniques: Mapping[str, Technique]
    adjuncts: Mapping[str, Adjunct]
    default: str
    signals: Mapping[str, str]

    @model_validator(mode="after")
    def _known_default_and_signals(self) -> TechniquesFile:
        if self.default not in self.techniques:
            raise ValueError(f"default technique {self.default!r} is not among the techniques")
        for tid, tech in self.techniques.items():
            unknown = sorted(set(tech.favoured_by) - set(self.signals))
            if unknown:
                raise ValueError(f"technique {tid} is favoured by unknown signals {unknown}")
        return self


# -- doses.json ------------------------------------------------------------------------------------


class Selection(_Noted):
    min_probability: float = Field(ge=0, le=1)
    max_trigger_points: int = Field(ge=1)
    top_candidates: int = Field(ge=1)
    likelihood_tiers: tuple[float, ...]


class SignalThresholds(_Noted):
    widespread_regions: int = Field(ge=1)
    chronic_weeks: int = Field(ge=0)
    likely_probability: float = Field(ge=0, le=1)
    explains_probability: float = Field(ge=0, le=1)
    explains_max_trps: int = Field(ge=1)


class Choice(_Noted):
    combine_ratio: float = Field(ge=0, le=1)
    min_score: int = Field(ge=0)


class PressureLevel(_Noted):
    discomfort: str = Field(min_length=1)
    repetitions_cap: int = Field(ge=1)
    hold_cap_seconds: int | None = Field(default=None, ge=1)
    sources: tuple[str, ...]


class Pressure(_Model):
    standard: PressureLevel
    first_visit: PressureLevel
    light: PressureLevel

    def level(self, name: PressureLevelName) -> PressureLevel:
        return {"standard": self.standard, "first_visit": self.first_visit, "light": self.light}[
            name
        ]


class StepMinutes(_Noted):
    """Fixed allowances per step, in minutes."""

    check_in: float = Field(ge=0)
    retest: float = Field(ge=0)
    home_care_teaching: float = Field(ge=0)
    calming: float = Field(ge=0)
    palpate_confirm: float = Field(ge=0)
    rom: float = Field(ge=0)
    transition: float = Field(ge=0)


class CalmingThresholds(_Noted):
    stress_at_least: Number
    anxiety_at_least: Number
    gad7_at_least: Number
    sources: tuple[str, ...]


class Frequency(_Noted):
    text: str = Field(min_length=1)
    sources: tuple[str, ...]
    short_session_note: str = Field(min_length=1)


class HomeDefaults(_Noted):
    """What self-care says when the atlas gives no hold, repetitions or frequency."""

    frequency: str = Field(min_length=1)
    hold_seconds: int = Field(ge=1)
    repetitions: int = Field(ge=1)
    stretch_frequency: str = Field(min_length=1)
    rom_frequency: str = Field(min_length=1)


class Doses(_Model):
    version: str
    selection: Selection
    signals: SignalThresholds
    choice: Choice
    pressure: Pressure
    mfr_hold_seconds: tuple[int, int]
    deep_tissue_minutes_per_region: int = Field(ge=0)
    deep_tissue_max_minutes: int = Field(ge=0)
    mfr_minutes_per_area: int = Field(ge=0)
    mfr_max_minutes: int = Field(ge=0)
    minutes: StepMinutes
    minutes_allowed: tuple[int, int]
    calming: CalmingThresholds
    frequency: Frequency
    proximal_level: Mapping[str, int]
    stop_and_seek_care: tuple[str, ...]
    home_defaults: HomeDefaults

    @model_validator(mode="after")
    def _ranges(self) -> Doses:
        for name in ("mfr_hold_seconds", "minutes_allowed"):
            lo, hi = getattr(self, name)
            if lo > hi:
                raise ValueError(f"{name}: the first number must not exceed the second")
        return self


# -- benefits.json and sources.json ----------------------------------------------------------------


class Benefit(_Model):
    """A benefit people expect from massage, and what the sources say about it."""

    id: str = Field(min_length=1)
    claim: str = Field(min_length=1)
    grade: str = Field(min_length=1)
    says: str = Field(min_length=1)
    measured_by: str | None = None
    sources: tuple[str, ...]


class BenefitsFile(_Model):
    version: str
    benefits: tuple[Benefit, ...]


class SourceEntry(_Model):
    label: str = Field(min_length=1)
    citation: str = Field(min_length=1)
    url: str | None = None
    evidence: str = Field(min_length=1)


class SourcesFile(_Model):
    sources: Mapping[str, SourceEntry]


# -- the whole -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanningData:
    """The contents of ``data/planning/`` (techniques, benefits, doses, sources)."""

    techniques: Mapping[str, Technique]
    adjuncts: Mapping[str, Adjunct]
    signals: Mapping[str, str]
    default_technique: str
    benefits: tuple[Benefit, ...]
    doses: Doses
    sources: Mapping[str, SourceEntry]

    @classmethod
    def of(
        cls, techniques: TechniquesFile, doses: Doses, benefits: BenefitsFile, sources: SourcesFile
    ) -> PlanningData:
        return cls(
            techniques=techniques.techniques,
            adjuncts=techniques.adjuncts,
            signals=techniques.signals,
            default_technique=techniques.default,
            benefits=benefits.benefits,
            doses=doses,
            sources=sources.sources,
        )

    def source_labels(self, ids: Sequence[str]) -> list[str]:
        return [self.sources[s].label for s in ids if s in self.sources]

    def unknown_sources(self) -> list[str]:
        """Source ids cited by a technique, adjunct, dose or benefit but not in sources.json."""
        d = self.doses
        cited = [
            *(
                s
                for t in [*self.techniques.values(), *self.adjuncts.values()]
                for s in t.evidence.sources
            ),
            *(s for b in self.benefits for s in b.sources),
            *(
                s
                for lv in (d.pressure.standard, d.pressure.first_visit, d.pressure.light)
                for s in lv.sources
            ),
            *d.calming.sources,
            *d.frequency.sources,
        ]
        return sorted({s for s in cited if s not in self.sources})
