"""One parser per document that reaches myomap from outside: the same wording wherever it arrives.

A pain drawing or an intake comes as a file (CLI), a request body (web) or a CSV cell (import);
each adapter reads the bytes and hands the parsed JSON here, so an unknown region or a wrong
field gets one message whichever way the document came in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from myomap.domain.drawing import PainDrawing
from myomap.domain.errors import UsageError
from myomap.domain.resolver import resolve_phrase
from myomap.domain.screening import Intake, parse_intake
from myomap.knowledge.load import Knowledge
from myomap.knowledge.userfiles import read_json_file
from myomap.services.drawings import check_regions, parse_drawing

INTAKE_FORMAT = "myomap.intake/1"


def read_drawing_file(path: Path) -> PainDrawing:
    """A pain drawing file checked against the format (its regions are checked by the use
    case that reads them, which can suggest close ids); the message never quotes the file."""
    raw = read_json_file(path, "Drawing", give="a drawing JSON file")
    try:
        return PainDrawing.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise UsageError(
            f"Drawing file {path.name!r} is not a myomap drawing ({where}: {first['msg']}). "
            "See docs/drawing-format.md."
        ) from None


def drawing_from_json(
    knowledge: Knowledge, data: Mapping[str, Any], source: str = "drawing"
) -> PainDrawing:
    """A validated drawing (schema and region ids) from parsed JSON."""
    drawing = parse_drawing(json.dumps(data), source)
    check_regions(drawing, knowledge.bodymap)
    return drawing


def painful_drawing(
    knowledge: Knowledge, data: Mapping[str, Any], source: str = "drawing"
) -> PainDrawing:
    """A drawing to store in a record: valid and with at least one painful area."""
    drawing = drawing_from_json(knowledge, data, source)
    if not drawing.areas:
        raise UsageError("the drawing is empty: mark at least one painful region or stroke")
    return drawing


def with_region_words(knowledge: Knowledge, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Region answers may be plain words ("left calf"): the resolver turns them into ids."""
    bm = knowledge.bodymap
    kinds = {i.id: i.type for i in knowledge.questionnaire.items}
    out = dict(answers)
    for key, value in answers.items():
        if (
            kinds.get(key) != "regions"
            or not isinstance(value, list)
            or not all(isinstance(item, str) for item in value)
        ):
            continue  # left as given: the intake check names the field and what it expects
        ids: list[str] = []
        for item in value:
            if item in bm or item in bm.bases():
                ids.append(item)
                continue
            try:
                ids.extend(resolve_phrase(item.strip().lower(), bm))
            except UsageError:
                raise UsageError(
                    f"intake field {key!r}: no body region matches one of the "
                    "words given; use region ids or words such as 'left calf'"
                ) from None
        out[key] = list(dict.fromkeys(ids))
    return out


def intake_from_answers(knowledge: Knowledge, answers: Mapping[str, Any]) -> Intake:
    """An intake from answers by question id (region answers may be plain words)."""
    return parse_intake(
        {"format": INTAKE_FORMAT, "answers": with_region_words(knowledge, answers)},
        knowledge.questionnaire,
        knowledge.bodymap,
    )
