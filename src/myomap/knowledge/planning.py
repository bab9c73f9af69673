"""The planning data (techniques, adjuncts, doses, benefits) with its sources checked.

Package data, read strictly and memoised per process; :class:`~myomap.knowledge.load.Knowledge`
hands it to the planner.
"""

from __future__ import annotations

from functools import lru_cache

from myomap.domain.errors import DataError
from myomap.domain.planner import PlanningData
from myomap.knowledge.screening import _read


@lru_cache(maxsize=1)
def load_planning() -> PlanningData:
    tech = _read("planning/techniques.json")
    doses = _read("planning/doses.json")
    data = PlanningData(
        techniques=tech["techniques"],
        adjuncts=tech["adjuncts"],
        signals=tech["signals"],
        default_technique=str(tech["default"]),
        benefits=_read("planning/benefits.json")["benefits"],
        doses=doses,
        sources=_read("planning/sources.json")["sources"],
    )
    missing = sorted(
        {
            s
            for t in [*data.techniques.values(), *data.adjuncts.values()]
            for s in t["evidence"]["sources"]
            if s not in data.sources
        }
        | {s for b in data.benefits for s in b["sources"] if s not in data.sources}
    )
    if missing:
        raise DataError(f"planning data: unknown sources {', '.join(missing)}")
    return data
