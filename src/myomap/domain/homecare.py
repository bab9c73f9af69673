"""The home-care half of a plan: what the client does between visits.

Only muscles the atlas marks safe to self-treat get self-pressure, and none in a region screening
says to avoid or when a screening rule forbids self-pressure. Every muscle treated gets its
stretch and range-of-motion exercise, the perpetuating factors to change, and the same list of
when to stop and seek care. Guidance is written for a layperson.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from myomap.domain.atlas import Atlas, Exercise
from myomap.domain.bodymap import BodyMap, Side
from myomap.domain.plan_steps import Step, TrPStep
from myomap.domain.planner import PlanningData, location_region
from myomap.domain.screening import Screening


@dataclass(frozen=True)
class SelfPressure:
    """How the client presses on a muscle themselves, in lay words."""

    tool: str
    position: str | None
    instructions: str | None
    hold_seconds: int
    repetitions: int
    frequency: str
    pressure: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "position": self.position,
            "instructions": self.instructions,
            "hold_seconds": self.hold_seconds,
            "repetitions": self.repetitions,
            "frequency": self.frequency,
            "pressure": self.pressure,
        }


@dataclass(frozen=True)
class HomeExercise:
    """A stretch or range-of-motion exercise, with how often to do it at home."""

    name: str
    instructions: str
    hold_seconds: int | None
    repetitions: int | None
    frequency: str

    @classmethod
    def of(cls, ex: Exercise, frequency: str) -> HomeExercise:
        return cls(ex.name, ex.instructions, ex.hold_seconds, ex.repetitions, frequency)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "instructions": self.instructions,
            "hold_seconds": self.hold_seconds,
            "repetitions": self.repetitions,
            "frequency": self.frequency,
        }


@dataclass(frozen=True)
class MuscleCare:
    muscle: str
    name: str
    sides: tuple[str, ...]
    trigger_points: tuple[str, ...]
    self_pressure: SelfPressure | None
    not_self_treated: str | None
    stretch: HomeExercise
    rom_exercise: HomeExercise
    cautions: tuple[str, ...]
    regions: tuple[str, ...]  # where the treated trigger points lie, for the chart
    pressure_notes: str | None = None  # the atlas' notes on pressing this muscle

    def to_dict(self) -> dict[str, Any]:
        return {
            "muscle": self.muscle,
            "name": self.name,
            "sides": list(self.sides),
            "trigger_points": list(self.trigger_points),
            "self_pressure": None if self.self_pressure is None else self.self_pressure.to_dict(),
            "not_self_treated": self.not_self_treated,
            "stretch": self.stretch.to_dict(),
            "rom_exercise": self.rom_exercise.to_dict(),
            "cautions": list(self.cautions),
            "regions": list(self.regions),
            "pressure_notes": self.pressure_notes,
        }


@dataclass(frozen=True)
class HomeCare:
    muscles: tuple[MuscleCare, ...]
    perpetuating_factors: tuple[str, ...]
    stop_and_seek_care: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "muscles": [m.to_dict() for m in self.muscles],
            "perpetuating_factors": list(self.perpetuating_factors),
            "stop_and_seek_care": list(self.stop_and_seek_care),
        }


def stop_rules(data: PlanningData, screening: Screening) -> tuple[str, ...]:
    """General stop-and-seek-care advice plus what this client's screening asked to watch."""
    out = list(data.doses.stop_and_seek_care)
    out += [r.message for r in screening.reasons if r.severity == "modify"]
    return tuple(dict.fromkeys(out))


def build_home_care(
    steps: Sequence[Step],
    atlas: Atlas,
    bodymap: BodyMap,
    data: PlanningData,
    screening: Screening,
    max_factors: int = 8,
) -> HomeCare:
    """Home care for each muscle treated in the session, in session order."""
    defaults = data.doses.home_defaults
    avoid = set(screening.avoid_regions)
    light = screening.pressure_limit == "light"
    by_muscle: dict[str, list[TrPStep]] = {}
    for s in steps:
        if isinstance(s, TrPStep):
            by_muscle.setdefault(s.muscle, []).append(s)
    cares: list[MuscleCare] = []
    factors: dict[str, None] = {}
    for mid, mine in by_muscle.items():
        muscle = atlas.muscle(mid)
        regions: list[str] = []
        for s in mine:
            _, tp = atlas.trigger_point(s.trigger_point)
            regions.append(location_region(tp, Side(s.side), bodymap))
            factors.update(dict.fromkeys(tp.perpetuating_factors))
        sc = muscle.self_care
        why_not: str | None = None
        if not sc.safe:
            why_not = sc.reason_if_unsafe or "This muscle is best left to your therapist."
        elif not screening.self_pressure_allowed:
            why_not = "Your screening answers rule out pressing on it yourself for now."
        elif any(r in avoid for r in regions):
            why_not = "It lies in an area to keep away from for now."
        self_pressure = None
        if why_not is None:
            self_pressure = SelfPressure(
                tool=sc.tool or "your fingers",
                position=sc.position,
                instructions=sc.instructions,
                hold_seconds=sc.hold_seconds or defaults.hold_seconds,
                repetitions=sc.repetitions or defaults.repetitions,
                frequency=sc.frequency or defaults.frequency,
                pressure=(
                    "gentle only: you should feel it, but it must not hurt"
                    if light
                    else "a tolerable ache that fades while you hold"
                ),
            )
        st, rom = muscle.release.stretch, muscle.release.rom_exercise
        cares.append(
            MuscleCare(
                muscle=mid,
                name=muscle.name,
                sides=tuple(dict.fromkeys(s.side for s in mine)),
                trigger_points=tuple(s.trigger_point for s in mine),
                self_pressure=self_pressure,
                not_self_treated=why_not,
                stretch=HomeExercise.of(st, defaults.stretch_frequency),
                rom_exercise=HomeExercise.of(rom, defaults.rom_frequency),
                cautions=muscle.cautions,
                regions=tuple(dict.fromkeys(regions)),
                pressure_notes=muscle.release.pressure.notes,
            )
        )
    return HomeCare(tuple(cares), tuple(list(factors)[:max_factors]), stop_rules(data, screening))
