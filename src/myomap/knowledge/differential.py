"""Read the differential's model parameters and locate the visceral pattern file.

The parameters are data (``data/differential/model.json``), with the sources that justify them,
so that changing a probability is a reviewed data change rather than a code edit.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from myomap.domain.differential import ModelParams

# sources whose change must invalidate a compiled differential
_ENGINE = ("domain/differential.py", "domain/ranking.py", "domain/visceral.py",
           "domain/findings.py", "domain/bodymap.py", "services/differential.py",
           "domain/movements.py", "domain/instances.py")


def data_root() -> Traversable:
    return resources.files("myomap") / "data"


def compiled_cache_key() -> str:
    """A hash of every data file and of the engine's source, without loading any model.

    Kept free of the Pydantic atlas models so that a cache hit never imports them.
    """
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

    from myomap import __version__

    digest.update(f"{__version__} {numpy.__version__}".encode())
    return digest.hexdigest()[:24]


def model_params_path() -> Traversable:
    return data_root() / "differential" / "model.json"


def visceral_file_path() -> Traversable:
    return data_root() / "atlas" / "visceral.json"


@lru_cache(maxsize=1)
def load_model_params() -> ModelParams:
    from myomap.knowledge.loader import read_json

    return ModelParams.from_mapping(read_json(model_params_path()))
