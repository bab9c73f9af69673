"""The ``myomap.csv/1`` folder: its files and columns, and what an import or export did.

Kept apart from the exporter and the importer so that both read one definition of the format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CSV_FORMAT = "myomap.csv/1"
FILES: dict[str, tuple[str, ...]] = {
    "clients.csv": ("client_ref", "display_name", "birth_year", "sex"),
    "visits.csv": (
        "visit_ref",
        "client_ref",
        "started_at",
        "practitioner",
        "status",
        "signed_at",
        "signed_by",
        "subjective",
        "objective",
        "assessment",
        "plan",
    ),
    "measurements.csv": (
        "client_ref",
        "visit_ref",
        "instrument",
        "recorded_at",
        "answers",
        "total",
        "band",
    ),
    "drawings.csv": (
        "visit_ref",
        "drawing_json",
        "regions",
        "choir_ids",
        "michigan_ids",
        "extent_percent",
    ),
    "ppt.csv": ("visit_ref", "site", "side", "trials_kpa", "mean_kpa"),
    "rom.csv": ("visit_ref", "movement", "side", "degrees"),
}
# Lists inside a cell (answers, regions, CHOIR ids...) are comma separated, as CHOIR's tools
# expect; the import also reads the ';' that exports before this change wrote.
LIST_SEP = ","


@dataclass
class CsvSummary:
    folder: Path
    rows: dict[str, int] = field(default_factory=dict)
    skipped_clients: list[str] = field(default_factory=list)
    created_clients: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "format": CSV_FORMAT,
            "rows": self.rows,
            "created_clients": self.created_clients,
            "skipped_clients": self.skipped_clients,
        }
