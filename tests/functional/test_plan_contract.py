"""The plan's JSON and the handout are contracts: typing the planner must not change a byte.

The expected files in ``plan_contract/`` were produced once, from commit e3fbc3e (before the
planning data became typed models), by running ``myomap plan ARGS --json`` for every case in
``plan_contract/cases.json`` and storing stdout as ``<case>.plan.json``; the handout hashes are the
sha256 of ``myomap handout ARGS -o x.html`` with the day's ISO date replaced by ``DATE``. Regenerate
them only for an intended change of the published shape, and say so in the commit.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "plan_contract"
CASES: dict[str, list[str]] = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))["cases"]
HANDOUTS: dict[str, str] = json.loads((HERE / "handout.sha256.json").read_text(encoding="utf-8"))[
    "sha256"
]


def _args(case: str) -> list[str]:
    """Case arguments with repository paths made absolute (the CLI runs in another folder)."""
    args = CASES[case]
    return [
        str(ROOT / a) if i > 0 and args[i - 1] in ("--drawing", "--intake") else a
        for i, a in enumerate(args)
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_plan_json_is_unchanged(case: str, call_cli: Callable[..., Any]) -> None:
    result = call_cli("plan", *_args(case), "--json")
    assert result.exit_code == 0, result.stderr
    expected = (HERE / f"{case}.plan.json").read_text(encoding="utf-8")
    assert result.stdout == expected


@pytest.mark.parametrize("case", sorted(HANDOUTS))
def test_handout_html_is_unchanged(case: str, call_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "handout.html"
    result = call_cli("handout", *_args(case), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8").replace(datetime.date.today().isoformat(), "DATE")
    assert hashlib.sha256(html.encode()).hexdigest() == HANDOUTS[case]
