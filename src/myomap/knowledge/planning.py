"""The planning data (techniques, adjuncts, doses, benefits) with its sources checked.

Package data, read strictly and memoised per process; :class:`~myomap.knowledge.load.Knowledge`
hands it to the planner. A bad file is a :class:`~myomap.domain.errors.DataError` naming the file
and the path of every bad entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from myomap.domain.errors import DataError
from myomap.domain.planning_data import (
    BenefitsFile,
    Doses,
    PlanningData,
    SourcesFile,
    TechniquesFile,
)
from myomap.knowledge.loader import format_validation
from myomap.knowledge.screening import _read

M = TypeVar("M", bound=BaseModel)

FILES: dict[str, type[BaseModel]] = {
    "techniques.json": TechniquesFile,
    "doses.json": Doses,
    "benefits.json": BenefitsFile,
    "sources.json": SourcesFile,
}


def _parse(name: str, model: type[M], raw: Any) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = format_validation(f"planning/{name}", exc)
        raise DataError("invalid planning data:\n  " + "\n  ".join(problems)) from None


def parse_planning(docs: Mapping[str, Any]) -> PlanningData:
    """The planning data from the four documents of ``data/planning/`` (keyed by file name)."""
    missing = sorted(set(FILES) - set(docs))
    if missing:
        raise DataError(f"planning data: missing {', '.join(missing)}")
    data = PlanningData.of(
        _parse("techniques.json", TechniquesFile, docs["techniques.json"]),
        _parse("doses.json", Doses, docs["doses.json"]),
        _parse("benefits.json", BenefitsFile, docs["benefits.json"]),
        _parse("sources.json", SourcesFile, docs["sources.json"]),
    )
    unknown = data.unknown_sources()
    if unknown:
        raise DataError(f"planning data: unknown sources {', '.join(unknown)}")
    return data


@lru_cache(maxsize=1)
def load_planning() -> PlanningData:
    return parse_planning({name: _read(f"planning/{name}") for name in FILES})
