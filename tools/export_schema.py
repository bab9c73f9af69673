"""Export the JSON Schema of every data file format to ``docs/schema/``.

The Pydantic models in ``myomap.domain`` are the schema; this keeps a readable copy for authors
and for tools in other languages. ``tests/content/test_atlas_content.py`` checks it is current.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from myomap.domain.atlas import MovementFile, MuscleFile, VisceralFile
from myomap.domain.coverage import CoverageFile
from myomap.domain.drawing import PainDrawing
from myomap.domain.planning_data import BenefitsFile, Doses, SourcesFile, TechniquesFile

SCHEMAS: dict[str, type[BaseModel]] = {
    "atlas-muscles.schema.json": MuscleFile,
    "atlas-visceral.schema.json": VisceralFile,
    "atlas-movements.schema.json": MovementFile,
    "drawing.schema.json": PainDrawing,
    "screening-coverage.schema.json": CoverageFile,
    "planning-techniques.schema.json": TechniquesFile,
    "planning-doses.schema.json": Doses,
    "planning-benefits.schema.json": BenefitsFile,
    "planning-sources.schema.json": SourcesFile,
}
OUT = Path(__file__).resolve().parent.parent / "docs" / "schema"


def rendered() -> dict[str, str]:
    return {
        name: json.dumps(model.model_json_schema(), indent=1, sort_keys=True) + "\n"
        for name, model in SCHEMAS.items()
    }


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in rendered().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote docs/schema/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
