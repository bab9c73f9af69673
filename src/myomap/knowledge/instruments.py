"""Outcome instruments: the bundled catalogue and a clinic's licensed additions.

The bundled instruments are strict package data (memoised per process). A clinic adds licensed
instruments (PSQI, ODI, NDI, BPI, PROMIS ...) as ``*.json`` files in its instrument folder (the
``instruments_dir`` setting, by default ``<data_dir>/instruments``); those load in warn mode, so a
bad entry is reported and skipped without blocking the bundled ones.
"""

from __future__ import annotations

import json
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from myomap.domain.errors import DataError
from myomap.domain.outcomes import Catalogue, Instrument, parse_catalogue
from myomap.knowledge.loader import data_root, read_json

CLINIC_FOLDER = "instruments"


@lru_cache(maxsize=1)
def bundled_document() -> dict[str, Any]:
    doc: dict[str, Any] = read_json(data_root() / "outcomes" / "instruments.json")
    return doc


@lru_cache(maxsize=1)
def bundled_catalogue() -> Catalogue:
    doc = bundled_document()
    instruments, problems = parse_catalogue(doc, origin="outcomes/instruments.json")
    sources = doc.get("sources", {})
    for inst in instruments.values():
        for sid in (
            *inst.bands_source,
            *inst.responder_source,
            *inst.mdc_source,
            *(inst.mcid.source if inst.mcid else ()),
        ):
            if sid not in sources:
                problems.append(f"outcomes/instruments.json: {inst.id}: unknown source {sid!r}")
    if problems:
        raise DataError("invalid instrument data:\n  " + "\n  ".join(problems))
    return Catalogue(
        instruments=instruments,
        version=str(doc.get("version", "")),
        sources=sources,
        measures=doc.get("measures", {}),
    )


def clinic_folder(data_dir: Path) -> Path:
    return data_dir / CLINIC_FOLDER


def load_catalogue(data_dir: Path | None = None) -> Catalogue:
    """Bundled instruments plus ``<data_dir>/instruments/*.json``; problems become warnings."""
    catalogue, problems = load_instruments(None if data_dir is None else clinic_folder(data_dir))
    for problem in problems:
        warnings.warn(problem, stacklevel=2)
    return catalogue


def load_instruments(folder: Path | None) -> tuple[Catalogue, tuple[str, ...]]:
    """Bundled instruments plus a clinic's ``folder/*.json``, and what was skipped and why."""
    base = bundled_catalogue()
    if folder is None or not folder.is_dir():
        return base, ()
    extra: dict[str, Instrument] = {}
    skipped: list[str] = []
    for path in sorted(folder.glob("*.json")):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            skipped.append(f"{path.name}: not readable JSON ({type(exc).__name__}); skipped")
            continue
        found, problems = parse_catalogue(
            raw, origin=path.name, reserved=[*base.instruments, *extra]
        )
        skipped += problems
        extra.update({k: v.model_copy(update={"licensed": True}) for k, v in found.items()})
    if not extra:
        return base, tuple(skipped)
    merged = base.model_copy(update={"instruments": {**base.instruments, **extra}})
    return merged, tuple(skipped)
