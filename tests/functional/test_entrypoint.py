"""The installed ``myomap`` console script works in a fresh process, as a user runs it.

Everything else in tests/functional calls the Typer app in-process; this file runs the script
that ``pip install`` put next to the interpreter, so a broken entry point, an import that only
fails at start-up, or a traceback escaping the error handler shows up here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from myomap import __version__
from myomap.knowledge.loader import atlas_version

SCRIPT = Path(sys.executable).with_name("myomap")


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYOMAP_")}
    env["MYOMAP_DATA_DIR"] = str(tmp_path / "data")
    env["MYOMAP_CACHE_DIR"] = str(tmp_path / "cache")
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_console_script_is_installed() -> None:
    assert SCRIPT.is_file() and os.access(SCRIPT, os.X_OK), f"{SCRIPT} is not installed"


def test_version_names_code_and_atlas(tmp_path: Path) -> None:
    out = run("--version", tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"myomap {__version__} (atlas {atlas_version()})"
    assert out.stderr == ""


def test_a_command_prints_parseable_json(tmp_path: Path) -> None:
    out = run(
        "locate", "right temple", "back of the neck", "--top", "3", "--json", tmp_path=tmp_path
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["atlas_version"] == atlas_version()
    assert data["regions"] == sorted(["temple_r", "neck_back_r"])
    assert [c["rank"] for c in data["candidates"]] == [1, 2, 3]
    probabilities = [c["probability"] for c in data["candidates"]]
    assert probabilities == sorted(probabilities, reverse=True) and 0 < probabilities[0] <= 1


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("locate", "purple elbow wobble", "--json"), "Unknown body region"),
        (("chart", "--highlight", "temple_r=11", "-o", "chart.png"), "from 0 to 10"),
        (("drawing", "extent", "missing.json"), "does not exist"),
        (("locate", "temple_r", "--top", "0"), "--top"),
    ],
)
def test_bad_input_exits_2_with_a_message_and_no_traceback(
    tmp_path: Path, args: tuple[str, ...], hint: str
) -> None:
    out = run(*args, tmp_path=tmp_path)
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr + out.stdout
    assert hint in out.stderr
    assert out.stdout == ""
    assert not (tmp_path / "chart.png").exists()
