"""Docs fixtures: the generators under ``tools/`` and the command tree the docs describe."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"tools_{name}", ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None, f"tools/{name}.py is missing"
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def cli_docs() -> ModuleType:
    return _tool("gen_cli_docs")


@pytest.fixture(scope="session")
def settings_docs() -> ModuleType:
    return _tool("gen_settings_docs")


@pytest.fixture(scope="session")
def commands(cli_docs: ModuleType) -> dict[tuple[str, ...], Any]:
    """Every command and group of the app by its words after ``myomap`` (root is ``()``)."""
    return {info.path: info.command for info in cli_docs.walk()}
