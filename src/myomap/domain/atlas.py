"""The trigger point atlas as immutable, validated values.

These Pydantic models are both the in-memory atlas and the schema of the data files under
``myomap/data/atlas/`` (exported as JSON Schema by ``tools/export_schema.py``). They validate shape
only; cross-file rules (regions exist, sources resolve, symmetry) live in
:mod:`myomap.knowledge.checks`.

Zones name *base* regions (``temple``, ``infraspinous``) relative to the side of the trigger point:
a bare base id means the same side, ``contra:<base>`` the opposite side, ``both:<base>`` both
sides; midline bases (``sternum``) are used as they are. A side is chosen only when the atlas is
expanded for a patient, so every pattern is left/right symmetric by construction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from myomap.domain.bodymap import parse_zone as parse_zone  # the zone grammar, without Pydantic

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
TrPId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$", max_length=96)]
ZoneRef = Annotated[
    str, StringConstraints(pattern=r"^((contra|both):)?[a-z][a-z0-9_]*$", max_length=80)
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
MovementRef = Annotated[
    str, StringConstraints(pattern=r"^((contra|both):)?[a-z][a-z0-9_]*$", max_length=80)
]
MovementSides = Literal["none", "limb", "direction"]

Prevalence = Literal["very_common", "common", "occasional", "rare"]
PalpationMethod = Literal["flat", "pincer", "flat_or_pincer", "internal"]
SourceKind = Literal["book", "paper", "guideline", "consensus", "review", "website"]


class Frozen(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True
    )


class Source(Frozen):
    """A citable source. ``caveat`` states the evidence limits in plain words."""

    citation: Text
    kind: SourceKind
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: str | None = None
    caveat: str | None = None


class SourceRef(Frozen):
    """A pointer from an entry to a source, optionally to a chapter or page."""

    source: Identifier
    detail: str | None = None  # e.g. "Vol 1, ch. 6"


class Location(Frozen):
    """Where the TrP lies: a base region (same side as the TrP) and a point inside it.

    ``at`` is the position within the region's bounding box on the chart, as fractions
    (0 = the region's medial/top edge for x/y on the right side of the body; mirrored for left).
    """

    region: Identifier
    at: tuple[float, float] = (0.5, 0.5)
    description: str | None = None

    @field_validator("at")
    @classmethod
    def _in_unit_square(cls, v: tuple[float, float]) -> tuple[float, float]:
        if not all(0.0 <= c <= 1.0 for c in v):
            raise ValueError("location 'at' fractions must lie between 0 and 1")
        return v


class MovementTest(Frozen):
    """A movement the TrP restricts or makes painful, and the test that shows it.

    ``movement_id`` names the movement in the controlled vocabulary (``atlas/movements.json``),
    relative to the TrP's side like a zone: bare is the same side, ``contra:`` the opposite side,
    ``both:`` either side. It is what lets a movement finding update the differential; entries
    that describe an activity or posture rather than a joint movement leave it empty.
    """

    movement: Text  # the movement the TrP restricts, e.g. "neck rotation to the same side"
    test: Text  # the test that shows it, e.g. "ear-to-shoulder lateral flexion"
    movement_id: MovementRef | None = None  # e.g. "neck_rotation", "contra:neck_lateral_flexion"


class Movement(Frozen):
    """One entry of the movement vocabulary.

    ``sides`` says what a side means in a finding about this movement: ``limb`` the side of the
    limb (or shoulder girdle) moved, ``direction`` the side the head, jaw or trunk moves toward,
    ``none`` that the movement has no side (mouth opening, trunk flexion).
    """

    id: Identifier
    label: Text
    joint: Identifier
    region: Identifier  # base region where the movement is felt, e.g. "neck_back"
    sides: MovementSides
    synonyms: tuple[str, ...] = ()


class MovementFile(Frozen):
    """``data/atlas/movements.json``: the controlled vocabulary of examined movements."""

    vocabulary_version: str
    statement: str | None = None
    sources: tuple[Identifier, ...] = ()
    movements: tuple[Movement, ...] = Field(min_length=1)


class Palpation(Frozen):
    method: PalpationMethod
    position: Text  # patient position
    notes: str | None = None


class TriggerPoint(Frozen):
    id: TrPId  # "<muscle id>.<tag>", stable across atlas versions
    name: Text
    part: Identifier | None = None  # "upper", "sternal", "deep", "lateral_head" ...
    location: Location
    essential: tuple[ZoneRef, ...] = Field(min_length=1)
    spillover: tuple[ZoneRef, ...] = ()
    prevalence: Prevalence = "common"
    prevalence_note: str | None = None
    symptoms: tuple[str, ...] = ()  # other than pain: dizziness, tinnitus, numbness ...
    restricted_movements: tuple[MovementTest, ...] = ()
    palpation: Palpation
    activating_factors: tuple[str, ...] = ()
    perpetuating_factors: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()  # empty means "the muscle's sources"
    notes: str | None = None  # e.g. zones left out because uncertain

    @property
    def muscle_id(self) -> str:
        return self.id.split(".", 1)[0]


class Attachments(Frozen):
    origin: Text
    insertion: Text


class PressureRelease(Frozen):
    position: Text  # patient position
    direction: Text  # direction of pressure
    hold_seconds: tuple[int, int] = (30, 90)
    repetitions: int = Field(default=3, ge=1, le=10)
    notes: str | None = None


class Exercise(Frozen):
    name: Text
    instructions: Text
    hold_seconds: int | None = Field(default=None, ge=0, le=600)
    repetitions: int | None = Field(default=None, ge=1, le=50)


class SelfCare(Frozen):
    """A self-treatment version; ``safe`` False means the muscle must not be self-treated."""

    safe: bool
    tool: str | None = None  # "tennis ball", "fingers", "foam roller" ...
    position: str | None = None
    instructions: str | None = None
    hold_seconds: int | None = Field(default=None, ge=0, le=600)
    repetitions: int | None = Field(default=None, ge=1, le=50)
    frequency: str | None = None  # "2-3 times a day"
    reason_if_unsafe: str | None = None


class Release(Frozen):
    pressure: PressureRelease
    stretch: Exercise
    rom_exercise: Exercise


Group = Literal[
    "head_neck", "shoulder_arm", "forearm_hand", "trunk", "pelvis_hip", "thigh_leg_foot"
]


class Muscle(Frozen):
    id: Identifier
    name: Text
    synonyms: tuple[str, ...] = ()
    group: Group
    regions: tuple[Identifier, ...] = Field(min_length=1)  # base regions the muscle lies under
    attachments: Attachments
    action: Text
    innervation: Text
    release: Release
    self_care: SelfCare
    cautions: tuple[str, ...] = ()  # nearby artery or nerve, e.g. "femoral triangle"
    key_for: tuple[Identifier, ...] = ()  # muscles that may develop satellite TrPs from this one
    trigger_points: tuple[TriggerPoint, ...] = Field(min_length=1)
    sources: tuple[SourceRef, ...] = Field(min_length=1)
    evidence_note: str | None = None


class VisceralPattern(Frozen):
    """A visceral referral pattern that can mimic muscle pain; used to raise safety warnings.

    Regions here are concrete ids (``arm_inner_l``) because organs are not symmetric.
    ``match_any`` groups: the pattern matches when the drawing hits at least ``min_groups`` of
    the groups (each group counts once if any of its regions is painful).
    """

    id: Identifier
    organ: Text
    condition: Text
    cluster: Identifier  # the red-flag cluster it feeds, e.g. "cardiac"
    regions: tuple[Identifier, ...] = Field(min_length=1)
    match_any: tuple[tuple[Identifier, ...], ...] = Field(min_length=1)
    min_groups: int = Field(default=2, ge=1)
    features: tuple[str, ...] = ()  # accompanying features that raise suspicion
    advice: Text
    sources: tuple[SourceRef, ...] = Field(min_length=1)


class MuscleFile(Frozen):
    """One file under ``data/atlas/muscles/``: a group of muscles and the sources they add."""

    group: Group
    sources: Mapping[Identifier, Source] = Field(default_factory=dict)
    muscles: tuple[Muscle, ...]


class VisceralFile(Frozen):
    sources: Mapping[Identifier, Source] = Field(default_factory=dict)
    patterns: tuple[VisceralPattern, ...]


class Atlas(Frozen):
    """The whole atlas with lookups; built by :func:`myomap.knowledge.loader.load_atlas`."""

    version: str
    sources: Mapping[str, Source]
    muscles: tuple[Muscle, ...]
    visceral: tuple[VisceralPattern, ...] = ()
    movements: tuple[Movement, ...] = ()  # the movement vocabulary, when the file exists

    def muscle(self, muscle_id: str) -> Muscle:
        for m in self.muscles:
            if m.id == muscle_id:
                return m
        raise KeyError(muscle_id)

    def trigger_points(self) -> Iterator[tuple[Muscle, TriggerPoint]]:
        for m in self.muscles:
            for tp in m.trigger_points:
                yield m, tp

    def trigger_point(self, trp_id: str) -> tuple[Muscle, TriggerPoint]:
        for m, tp in self.trigger_points():
            if tp.id == trp_id:
                return m, tp
        raise KeyError(trp_id)
