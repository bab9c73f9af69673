"""Everything myomap knows, built once from the settings: :func:`load` returns a :class:`Knowledge`.

The bundled data files are immutable package data; a clinic adds its own screening rules file
and instrument folder. Both reach the use cases only through this object, which the
application builds once (:class:`myomap.app.Myomap`) and hands down, so the CLI and the web app
give the same answer for the same settings. Each part is read on first use and kept for the
life of the object, so a command that needs only the body map never compiles the differential.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from myomap.config import Settings
from myomap.domain.atlas import Atlas
from myomap.domain.bodymap import BodyMap
from myomap.domain.geometry import ChartGeometry
from myomap.domain.outcomes import Catalogue
from myomap.domain.planning_data import PlanningData
from myomap.domain.screening import Condition, Questionnaire, RuleSet
from myomap.knowledge.differential import Differential, cached_differential
from myomap.knowledge.instruments import load_instruments
from myomap.knowledge.loader import load_atlas, load_bodymap, load_geometry
from myomap.knowledge.planning import load_planning
from myomap.knowledge.screening import (
    LoadedRules,
    follow_up_conditions,
    load_questionnaire,
    load_rules,
)


@dataclass(frozen=True)
class KnowledgeSources:
    """Where the clinic's additions come from and how the compiled model is cached."""

    screening_rules: Path | None = None
    instruments_dir: Path | None = None
    cache_dir: Path | None = None
    compiled_cache: bool = False


class Knowledge:
    """Body map, atlas, differential, questionnaire, rules, planning data and instruments."""

    def __init__(self, sources: KnowledgeSources | None = None) -> None:
        self.sources = sources or KnowledgeSources()

    @cached_property
    def bodymap(self) -> BodyMap:
        return load_bodymap()

    @cached_property
    def geometry(self) -> ChartGeometry:
        """The body chart's polygons (only the pages and pictures need them)."""
        return load_geometry()

    @cached_property
    def atlas(self) -> Atlas:
        return load_atlas()

    @cached_property
    def differential(self) -> Differential:
        """The compiled bundled atlas; from the on-disk cache when the sources allow it."""
        return cached_differential(self.sources.cache_dir, enabled=self.sources.compiled_cache)

    @cached_property
    def questionnaire(self) -> Questionnaire:
        return load_questionnaire()

    @cached_property
    def follow_ups(self) -> dict[str, Condition]:
        """When each follow-up question of the questionnaire is asked."""
        return follow_up_conditions()

    @cached_property
    def loaded_rules(self) -> LoadedRules:
        """Bundled rules plus the clinic's file, with what the clinic's file got wrong."""
        return load_rules(self.sources.screening_rules)

    @property
    def rules(self) -> RuleSet:
        return self.loaded_rules.rules

    @cached_property
    def planning(self) -> PlanningData:
        return load_planning()

    @cached_property
    def _instruments(self) -> tuple[Catalogue, tuple[str, ...]]:
        return load_instruments(self.sources.instruments_dir)

    @property
    def catalogue(self) -> Catalogue:
        """Bundled instruments plus the clinic's folder."""
        return self._instruments[0]

    @property
    def catalogue_problems(self) -> tuple[str, ...]:
        """Clinic instrument files or entries that were skipped, one line each."""
        return self._instruments[1]

    def with_rules(self, path: Path | None) -> Knowledge:
        """The same knowledge with another clinic rule file (``--rules`` on one command)."""
        if path is None or path == self.sources.screening_rules:
            return self
        other = Knowledge(
            KnowledgeSources(
                path,
                self.sources.instruments_dir,
                self.sources.cache_dir,
                self.sources.compiled_cache,
            )
        )
        for name in ("differential", "bodymap", "atlas", "geometry"):
            if name in self.__dict__:
                other.__dict__[name] = self.__dict__[name]
        return other


def load(settings: Settings, *, compiled_cache: bool = False) -> Knowledge:
    """The knowledge the settings describe. ``compiled_cache`` is for short-lived processes
    (the CLI), where reading the compiled differential from disk beats compiling it."""
    return Knowledge(
        KnowledgeSources(
            screening_rules=settings.screening_rules,
            instruments_dir=settings.effective_instruments_dir,
            cache_dir=settings.cache_dir,
            compiled_cache=compiled_cache and not settings.no_cache,
        )
    )
