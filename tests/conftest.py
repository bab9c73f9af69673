"""Fixtures shared by every test category. Category folders add their own conftest.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from myomap.domain.atlas import Atlas
from myomap.domain.bodymap import BodyMap
from myomap.knowledge.loader import load_atlas, load_bodymap


@pytest.fixture(scope="session")
def bodymap() -> BodyMap:
    return load_bodymap()


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    return load_atlas()


class CliResult:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def call_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Callable[..., CliResult]:
    """Run the CLI in-process with an isolated data directory; returns exit code and output."""
    from myomap.cli import app

    monkeypatch.setenv("MYOMAP_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> CliResult:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run
