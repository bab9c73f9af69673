"""Outcome instruments for the adapters: the catalogue, scoring and recording measurements.

The bundled instruments are strict package data. A clinic adds licensed instruments (PSQI, ODI,
NDI, BPI, PROMIS ...) by putting ``*.json`` files in the ``instruments`` folder of its data
directory; those load in warn mode, so a bad entry is reported and skipped without blocking the
bundled ones.
"""

from __future__ import annotations

import json
import warnings
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from myomap.domain.errors import DataError, UsageError
from myomap.domain.outcomes import Catalogue, Instrument, Score, parse_catalogue, score

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from myomap.services.views import MeasurementView

CLINIC_FOLDER = "instruments"


@lru_cache(maxsize=1)
def bundled_document() -> dict[str, Any]:
    from myomap.knowledge.loader import data_root, read_json

    doc: dict[str, Any] = read_json(data_root() / "outcomes" / "instruments.json")
    return doc


@lru_cache(maxsize=1)
def bundled_catalogue() -> Catalogue:
    doc = bundled_document()
    instruments, problems = parse_catalogue(doc, origin="outcomes/instruments.json")
    sources = doc.get("sources", {})
    for inst in instruments.values():
        for sid in (*inst.bands_source, *inst.responder_source, *inst.mdc_source,
                    *(inst.mcid.source if inst.mcid else ())):
            if sid not in sources:
                problems.append(f"outcomes/instruments.json: {inst.id}: unknown source {sid!r}")
    if problems:
        raise DataError("invalid instrument data:\n  " + "\n  ".join(problems))
    return Catalogue(instruments=instruments, version=str(doc.get("version", "")),
                     sources=sources, measures=doc.get("measures", {}))


def clinic_folder(data_dir: Path) -> Path:
    return data_dir / CLINIC_FOLDER


def load_catalogue(data_dir: Path | None = None) -> Catalogue:
    """Bundled instruments plus those a clinic supplies in ``<data_dir>/instruments/*.json``."""
    base = bundled_catalogue()
    if data_dir is None or not clinic_folder(data_dir).is_dir():
        return base
    extra: dict[str, Instrument] = {}
    for path in sorted(clinic_folder(data_dir).glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            warnings.warn(f"{path.name}: not readable JSON ({type(exc).__name__}); skipped",
                          stacklevel=2)
            continue
        found, problems = parse_catalogue(raw, origin=path.name,
                                          reserved=[*base.instruments, *extra])
        for problem in problems:
            warnings.warn(problem, stacklevel=2)
        extra.update({k: v.model_copy(update={"licensed": True}) for k, v in found.items()})
    if not extra:
        return base
    return base.model_copy(update={"instruments": {**base.instruments, **extra}})


def settings_catalogue() -> Catalogue:
    """The catalogue for the data directory named by the settings (MYOMAP_DATA_DIR)."""
    from myomap.config import load_settings

    return load_catalogue(load_settings().data_dir)


def parse_answer(text: str) -> float | None:
    """One answer from the command line or a CSV cell: a number, or '-', '' or 'na' if missing."""
    cleaned = text.strip().lower()
    if cleaned in ("", "-", "na", "n/a", "none"):
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise UsageError(
            "answers must be numbers; use '-' for an unanswered item"
        ) from None


def score_answers(instrument: str, answers: list[float | None],
                  catalogue: Catalogue | None = None) -> Score:
    cat = catalogue or settings_catalogue()
    return score(cat.get(instrument), answers)


def record(session: Session, client_id: int, *, instrument: str, answers: list[float | None],
           visit_id: int | None = None, recorded_at: datetime | None = None,
           actor: str = "unknown") -> tuple[MeasurementView, Score]:
    """Score, then store: an answer set the instrument refuses is never saved."""
    from myomap.services import measurements

    result = score_answers(instrument, answers)
    view = measurements.add_measurement(session, client_id, instrument=instrument,
                                        answers=answers, visit_id=visit_id,
                                        recorded_at=recorded_at, actor=actor)
    return view, result
