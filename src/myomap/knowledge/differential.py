"""Read the differential's model parameters and locate the visceral pattern file.

The parameters are data (``data/differential/model.json``), with the sources that justify them,
so that changing a probability is a reviewed data change rather than a code edit.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.abc import Traversable

from myomap.domain.differential import ModelParams
from myomap.knowledge.loader import data_root, read_json


def model_params_path() -> Traversable:
    return data_root() / "differential" / "model.json"


def visceral_file_path() -> Traversable:
    return data_root() / "atlas" / "visceral.json"


@lru_cache(maxsize=1)
def load_model_params() -> ModelParams:
    return ModelParams.from_mapping(read_json(model_params_path()))
