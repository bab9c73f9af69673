"""Read the bundled data files into domain values.

Loading is strict by default (``Mode.RAISE``): any schema or cross-file problem raises
:class:`~myomap.domain.errors.DataError` listing every problem. ``Mode.WARN`` is for
user-supplied extensions, where problems are reported but usable entries still load.
Results are cached per process because the files are immutable package data.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from pydantic import ValidationError

from myomap.domain.anatomy import Anatomy
from myomap.domain.atlas import (
    Atlas,
    Movement,
    MovementFile,
    Muscle,
    MuscleFile,
    Source,
    VisceralFile,
    VisceralPattern,
)
from myomap.domain.bodymap import BodyMap, Region, Side, View, region_id
from myomap.domain.crosswalk import Crosswalk, build_crosswalk
from myomap.domain.errors import DataError
from myomap.domain.geometry import ChartGeometry, parse_geometry, region_area_percent
from myomap.knowledge.checks import check_atlas

MANIFEST = "MANIFEST.json"


class Mode(StrEnum):
    RAISE = "raise"
    WARN = "warn"


def data_root() -> Traversable:
    return resources.files("myomap") / "data"


def read_json(path: Traversable) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path.name}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc


def format_validation(name: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        out.append(f"{name}: {loc}: {err['msg']}")
    return out


def _report(problems: list[str], mode: Mode) -> None:
    if not problems:
        return
    if mode is Mode.RAISE:
        raise DataError("invalid clinical data:\n  " + "\n  ".join(problems))
    for p in problems:
        warnings.warn(p, stacklevel=3)


@lru_cache(maxsize=1)
def load_bodymap() -> BodyMap:
    """The region vocabulary, with each region's share of the chart area when geometry exists."""
    raw = read_json(data_root() / "bodymap" / "regions.json")
    areas = _region_areas()
    regions: list[Region] = []
    for entry in raw["regions"]:
        sides = (Side.RIGHT, Side.LEFT) if entry["laterality"] == "bilateral" else (Side.MIDLINE,)
        for side in sides:
            rid = region_id(entry["id"], side)
            label = entry["label"]
            if side is not Side.MIDLINE:
                label = f"{side.value.capitalize()} {label[0].lower()}{label[1:]}"
            regions.append(
                Region(
                    id=rid,
                    base=entry["id"],
                    label=label,
                    side=side,
                    view=View(entry["view"]),
                    parent=entry["parent"],
                    synonyms=tuple(entry.get("synonyms", ())),
                    area=areas.get(rid, 0.0),
                )
            )
    return BodyMap.build(
        regions,
        version=raw.get("vocabulary_version", ""),
        phrases=_bodymap_phrases(),
        anatomy=_bodymap_anatomy(),
    )


def _bodymap_anatomy() -> Anatomy:
    """Direction words per body part ("posterior knee"), from phrases.json."""
    path = data_root() / "bodymap" / "phrases.json"
    if not path.is_file():
        return Anatomy()
    return Anatomy.from_data(read_json(path))


def _bodymap_phrases() -> dict[str, tuple[str, ...]]:
    """Multi-region everyday phrases ("lower back") keyed by each wording, from phrases.json."""
    path = data_root() / "bodymap" / "phrases.json"
    if not path.is_file():
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for entry in read_json(path)["phrases"]:
        for wording in (entry["phrase"], *entry.get("also", ())):
            out[wording] = tuple(entry["regions"])
    return out


@lru_cache(maxsize=1)
def load_crosswalk() -> Crosswalk:
    """The region crosswalk to the CHOIR and Michigan body maps, checked against the vocabulary."""
    return build_crosswalk(read_json(data_root() / "bodymap" / "crosswalk.json"), load_bodymap())


def _region_areas() -> dict[str, float]:
    """Percent of body-chart area per region, from the chart geometry if it is present."""
    path = data_root() / "bodymap" / "geometry.json"
    if not path.is_file():
        return {}
    return region_area_percent(read_json(path))


def atlas_version() -> str:
    return str(read_json(data_root() / "atlas" / "atlas.json")["atlas_version"])


def load_atlas(mode: Mode = Mode.RAISE) -> Atlas:
    return _load_atlas_cached(mode)


@lru_cache(maxsize=2)
def _load_atlas_cached(mode: Mode) -> Atlas:
    root = data_root() / "atlas"
    problems: list[str] = []
    sources: dict[str, Source] = {}
    for sid, src in read_json(root / "sources.json")["sources"].items():
        try:
            sources[sid] = Source.model_validate(src)
        except ValidationError as exc:
            problems += format_validation(f"sources.json:{sid}", exc)
    muscles: list[Muscle] = []
    files = sorted(
        (p for p in (root / "muscles").iterdir() if p.name.endswith(".json")), key=lambda p: p.name
    )
    for path in files:
        try:
            mf = MuscleFile.model_validate(read_json(path))
        except ValidationError as exc:
            problems += format_validation(f"muscles/{path.name}", exc)
            continue
        for sid, src in mf.sources.items():
            if sid in sources and sources[sid] != src:
                problems.append(f"muscles/{path.name}: source {sid!r} redefined differently")
            sources[sid] = src
        muscles.extend(mf.muscles)
    visceral: tuple[VisceralPattern, ...] = ()
    vpath = root / "visceral.json"
    if vpath.is_file():
        try:
            vf = VisceralFile.model_validate(read_json(vpath))
            visceral = vf.patterns
            for sid, src in vf.sources.items():
                sources.setdefault(sid, src)
        except ValidationError as exc:
            problems += format_validation("visceral.json", exc)
    movements: tuple[Movement, ...] = ()
    mpath = root / "movements.json"
    if mpath.is_file():
        try:
            mvf = MovementFile.model_validate(read_json(mpath))
            movements = mvf.movements
            problems += [
                f"movements.json: unknown source {sid!r}"
                for sid in mvf.sources
                if sid not in sources
            ]
        except ValidationError as exc:
            problems += format_validation("movements.json", exc)
    atlas = Atlas(
        version=atlas_version(),
        sources=sources,
        muscles=tuple(sorted(muscles, key=lambda m: m.id)),
        visceral=visceral,
        movements=movements,
    )
    problems += check_atlas(atlas, load_bodymap())
    _report(problems, mode)
    return atlas


def file_hashes() -> dict[str, str]:
    """SHA-256 of every data file except the manifest, keyed by path relative to ``data/``."""
    out: dict[str, str] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, rel + "/")
            elif rel != MANIFEST and not child.name.endswith(".py"):
                out[rel] = hashlib.sha256(child.read_bytes()).hexdigest()

    walk(data_root(), "")
    return out


def manifest_problems() -> list[str]:
    """Differences between the data files and ``MANIFEST.json`` (regenerate with tools/)."""
    path = data_root() / MANIFEST
    if not path.is_file():
        return ["MANIFEST.json is missing: run 'python tools/build_manifest.py'"]
    manifest = read_json(path)
    problems = []
    if manifest.get("atlas_version") != atlas_version():
        problems.append("MANIFEST.json atlas_version differs from atlas/atlas.json")
    recorded: dict[str, str] = manifest.get("files", {})
    actual = file_hashes()
    for rel in sorted(set(recorded) | set(actual)):
        if rel not in actual:
            problems.append(f"{rel}: listed in MANIFEST.json but missing")
        elif rel not in recorded:
            problems.append(f"{rel}: not in MANIFEST.json (run 'python tools/build_manifest.py')")
        elif recorded[rel] != actual[rel]:
            problems.append(
                f"{rel}: changed since MANIFEST.json was built (bump the version and "
                "run 'python tools/build_manifest.py')"
            )
    return problems


@lru_cache(maxsize=1)
def load_geometry() -> ChartGeometry:
    """The body-chart polygons (``bodymap/geometry.json``) as typed values."""
    return parse_geometry(read_json(data_root() / "bodymap" / "geometry.json"))
