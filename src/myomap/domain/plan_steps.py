"""The steps of a treatment session, one type per kind of step.

A step's fields are the plan's published JSON (``myomap plan --json``, docs/planning.md): each
``to_dict`` writes them in the published order, so typing the steps cannot reorder or rename a
field. Pure values: the planner builds them, the CLI, the web and the handout read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Exercise:
    """A stretch or range-of-motion exercise as the atlas gives it."""

    name: str
    instructions: str
    hold_seconds: int | None
    repetitions: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "instructions": self.instructions,
            "hold_seconds": self.hold_seconds,
            "repetitions": self.repetitions,
        }


@dataclass(frozen=True)
class Dose:
    """Pressure, hold and repetitions for one trigger point."""

    level: str  # standard, first_visit or light
    pressure: str
    hold_seconds: tuple[int, int]
    repetitions: int
    method: str  # compression or barrier
    instruction: str
    barrier_option: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "pressure": self.pressure,
            "hold_seconds": list(self.hold_seconds),
            "repetitions": self.repetitions,
            "method": self.method,
            "instruction": self.instruction,
            "barrier_option": self.barrier_option,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Step:
    """A step without fields of its own (check-in, re-test, home-care teaching)."""

    kind: str
    title: str
    minutes: float

    def fields(self) -> dict[str, Any]:
        """The fields of this kind of step, after kind, title and minutes."""
        return {}

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "minutes": round(self.minutes, 1),
            **self.fields(),
        }


@dataclass(frozen=True)
class CalmingStep(Step):
    reason: str
    instruction: str

    def fields(self) -> dict[str, Any]:
        return {"reason": self.reason, "instruction": self.instruction}


@dataclass(frozen=True)
class BlockStep(Step):
    """Regional work (deep tissue, myofascial release) over several chart regions."""

    regions: tuple[str, ...]
    region_labels: tuple[str, ...]
    instruction: str

    def fields(self) -> dict[str, Any]:
        return {
            "regions": list(self.regions),
            "region_labels": list(self.region_labels),
            "instruction": self.instruction,
        }


@dataclass(frozen=True)
class TrPStep(Step):
    """Pressure release on one trigger point, on one side, with its stretch and ROM exercise."""

    trigger_point: str
    muscle: str
    muscle_name: str
    side: str
    region: str
    region_label: str
    role: str | None  # key, satellite or None
    probability: float
    confirmed: bool
    confirm_first: bool
    technique: str
    position: str
    direction: str
    dose: Dose
    stretch: Exercise
    rom_exercise: Exercise
    cautions: tuple[str, ...]
    pressure_notes: str | None
    retest: tuple[str, ...]

    def fields(self) -> dict[str, Any]:
        return {
            "trigger_point": self.trigger_point,
            "muscle": self.muscle,
            "muscle_name": self.muscle_name,
            "side": self.side,
            "region": self.region,
            "region_label": self.region_label,
            "role": self.role,
            "probability": self.probability,
            "confirmed": self.confirmed,
            "confirm_first": self.confirm_first,
            "technique": self.technique,
            "position": self.position,
            "direction": self.direction,
            "dose": self.dose.to_dict(),
            "stretch": self.stretch.to_dict(),
            "rom_exercise": self.rom_exercise.to_dict(),
            "cautions": list(self.cautions),
            "pressure_notes": self.pressure_notes,
            "retest": list(self.retest),
        }


@dataclass(frozen=True)
class SetAside:
    """A trigger point left out of this session (deferred to the next, or skipped), and why."""

    trigger_point: str
    side: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"trigger_point": self.trigger_point, "side": self.side, "reason": self.reason}


@dataclass(frozen=True)
class Session:
    minutes: int
    estimated_minutes: float
    steps: tuple[Step, ...]
    deferred: tuple[SetAside, ...]
    skipped: tuple[SetAside, ...]
    retests: tuple[str, ...]
    frequency: str
    notes: tuple[str, ...]

    def trigger_point_steps(self) -> list[TrPStep]:
        return [s for s in self.steps if isinstance(s, TrPStep)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "minutes": self.minutes,
            "estimated_minutes": self.estimated_minutes,
            "steps": [s.to_dict() for s in self.steps],
            "deferred": [d.to_dict() for d in self.deferred],
            "skipped": [d.to_dict() for d in self.skipped],
            "retests": list(self.retests),
            "frequency": self.frequency,
            "notes": list(self.notes),
        }
