"""The compiled differential: model parameters, the compiled model and its on-disk cache.

The parameters are data (``data/differential/model.json``), with the sources that justify them,
so that changing a probability is a reviewed data change rather than a code edit. Compiling the
bundled atlas costs most of a CLI cold start, so :func:`cached_differential` keeps the compiled
result in a cache folder named by the settings.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from myomap import __version__
from myomap.domain.atlas import Atlas
from myomap.domain.bodymap import BodyMap
from myomap.domain.differential import Model, ModelParams, compile_model
from myomap.domain.visceral import VisceralRule
from myomap.knowledge.loader import load_atlas, load_bodymap, read_json

# sources whose change must invalidate a compiled differential
_ENGINE = (
    "domain/differential.py",
    "domain/differential_params.py",
    "domain/candidate_pool.py",
    "domain/ranking.py",
    "domain/visceral.py",
    "domain/findings.py",
    "domain/bodymap.py",
    "knowledge/differential.py",
    "domain/movements.py",
    "domain/instances.py",
)


def data_root() -> Traversable:
    return resources.files("myomap") / "data"


def compiled_cache_key() -> str:
    """A hash of every data file and of the engine's source, without loading any model, so that
    a cache hit never reads or validates the atlas."""
    digest = hashlib.sha256()
    package = resources.files("myomap")

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".json"):
                digest.update(f"{prefix}{child.name}\0".encode())
                digest.update(child.read_bytes())

    walk(data_root(), "data/")
    for rel in _ENGINE:
        node = package
        for part in rel.split("/"):
            node = node / part
        digest.update(rel.encode() + b"\0" + node.read_bytes())
    import numpy

    digest.update(f"{__version__} {numpy.__version__}".encode())
    return digest.hexdigest()[:24]


def model_params_path() -> Traversable:
    return data_root() / "differential" / "model.json"


def visceral_file_path() -> Traversable:
    return data_root() / "atlas" / "visceral.json"


def muscle_priors_path() -> Traversable:
    return data_root() / "differential" / "muscle_priors.json"


@lru_cache(maxsize=1)
def load_model_params() -> ModelParams:
    """The model parameters, with the muscle priors from patient studies when present."""
    params = ModelParams.from_mapping(read_json(model_params_path()))
    path = muscle_priors_path()
    if not path.is_file():
        return params
    raw = read_json(path)
    odds = {m: float(v["odds_multiplier"]) for m, v in raw.get("muscles", {}).items()}
    return replace(params, muscle_odds=odds)


@dataclass(frozen=True)
class Differential:
    """A compiled model with what results need beside it: labels and visceral patterns."""

    model: Model
    visceral: tuple[VisceralRule, ...]
    labels: Mapping[str, str]
    bodymap: BodyMap


def build_differential(
    atlas: Atlas, bodymap: BodyMap, params: ModelParams | None = None
) -> Differential:
    """Compile any atlas (the bundled one, a test fixture, a user extension)."""
    return Differential(
        model=compile_model(atlas, bodymap, params or load_model_params()),
        visceral=tuple(VisceralRule.from_pattern(p) for p in atlas.visceral),
        labels={r.id: r.label for r in bodymap},
        bodymap=bodymap,
    )


@lru_cache(maxsize=1)
def default_differential() -> Differential:
    """The bundled atlas compiled once per process (immutable package data)."""
    return build_differential(load_atlas(), load_bodymap())


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("myomap"))


def cached_differential(cache_dir: Path | None = None, *, enabled: bool = True) -> Differential:
    """The bundled differential for a fresh process (the CLI), from the cache if possible.

    The compiled result is pickled under ``cache_dir`` (default: the user cache folder),
    keyed by a hash of every data file and of the engine's source. ``enabled=False`` (the
    ``no_cache`` setting) compiles without touching the disk. Any problem with the cache falls
    back to compiling; nothing else is written.
    """
    if not enabled:
        return default_differential()
    path = (cache_dir or default_cache_dir()) / f"differential-{compiled_cache_key()}.pickle"
    try:
        with path.open("rb") as fh:
            cached = pickle.load(fh)
        if isinstance(cached, Differential):
            return cached
    except Exception:  # noqa: BLE001 - a missing, stale or corrupt cache is simply rebuilt
        pass
    diff = default_differential()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(diff, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
    except OSError:
        pass
    return diff
