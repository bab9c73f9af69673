"""Hostile input to the CLI: every crash site found by fuzzing is a regression case, and a
bounded property test keeps looking. A crash is any exception that escapes the command (the
runner re-raises it) or an exit code outside the documented ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

Cli = Callable[..., Any]
EXIT_CODES = {0, 1, 2, 3, 4, 5, 6}
BIG = str(2**63)
LONG = "a" * 300 + ".json"  # over the 255-byte limit of a file name


def _files(tmp: Path) -> dict[str, str]:
    deep_list = "[" * 1000 + "]" * 1000
    (tmp / "deep.json").write_text('{"format":"myomap.drawing/1","areas":' + deep_list + "}")
    (tmp / "deepobj.json").write_text('{"a":' * 1000 + "1" + "}" * 1000)
    (tmp / "deep.jsonl").write_text('{"regions":' + deep_list + "}\n")
    (tmp / "stroke.json").write_text(
        json.dumps(
            {
                "format": "myomap.drawing/1",
                "areas": [
                    {
                        "regions": ["nosuch_region"],
                        "intensity": 5,
                        "strokes": [{"view": "front", "points": [[10, 10], [20, 20]]}],
                    }
                ],
            }
        )
    )
    (tmp / "in.jsonl").write_text(json.dumps({"regions": ["temple_r"]}) + "\n")
    return {"T": str(tmp)}


# (arguments, phrase the error line must contain); {T} is a folder of hostile files.
CRASH_SITES: list[tuple[str, str]] = [
    ("drawing extent {T}/deep.json", "nested too deeply"),
    ("drawing extent {T}/deepobj.json", "nested too deeply"),
    ("locate --drawing {T}/deep.json", "nested too deeply"),
    ("plan --drawing {T}/deep.json", "nested too deeply"),
    ("screen {T}/deepobj.json", "nested too deeply"),
    ("batch {T}/deep.jsonl", ""),
    ("locate --drawing {T}/stroke.json", "Unknown body region 'nosuch_region'"),
    ("drawing extent {T}/stroke.json", "Unknown body region 'nosuch_region'"),
    ("chart -o {T}/o.svg --drawing {T}/stroke.json", ""),
    ("resolve \udcff\udcfe", "Unknown body region"),
    ("locate \udcffx", "Unknown body region"),
    ("client add --name \udcff", "not valid UTF-8"),
    ("client add --name Fine --contact \udcff", "not valid UTF-8"),
    ("muscles --region \udcc3(", "Unknown body region"),
    ("drawing extent {T}/\udcff.json", "does not exist"),
    (f"visit show {BIG}", "too large"),
    (f"client show {BIG}", "too large"),
    (f"visit sign {BIG} --by x", "too large"),
    (f"visit note {BIG} --subjective x", "too large"),
    (f"measure list {BIG}", ""),
    (f"drawing extent {{T}}/{LONG}", "Cannot read drawing file"),
    (f"backup {{T}}/{'b' * 300}.sqlite3", "File name too long"),
    (f"restore {{T}}/{LONG}", "File name too long"),
    ("batch {T}/in.jsonl -o /proc/self/out.jsonl", "Cannot write"),
    ("drawing extent /dev/zero", "too large"),
    ("locate --drawing /dev/zero", "too large"),
    ("screen /dev/zero", "too large"),
    ("visit drawing 1 /dev/zero", "too large"),
    ("batch /dev/zero", ""),
    ("restore /dev/zero", "not a file"),
    ("import /dev/zero", ""),
]


@pytest.fixture
def hostile(call_cli: Cli, tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "hostile"
    folder.mkdir()
    assert call_cli("demo").exit_code == 0
    return _files(folder)


@pytest.mark.parametrize(("line", "phrase"), CRASH_SITES)
def test_each_known_crash_site_is_one_plain_line(
    call_cli: Cli, hostile: dict[str, str], line: str, phrase: str
) -> None:
    args = [a.replace("{T}", hostile["T"]) for a in line.split(" ")]
    result = call_cli(*args)
    assert result.exit_code in EXIT_CODES - {0}, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    assert phrase in result.stderr


COMMANDS = [
    ["resolve"],
    ["locate"],
    ["muscles", "--region"],
    ["show"],
    ["client", "show"],
    ["visit", "show"],
    ["visit", "note"],
    ["visit", "sign"],
    ["measure", "list"],
    ["drawing", "extent"],
    ["client", "add"],
    ["regions", "--side"],
    ["score"],
]
ARG = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(
        [
            "--json",
            "--by",
            "--subjective",
            "-",
            "/dev/null",
            "/dev/zero",
            "",
            "\udcff",
            "a" * 300,
            "temple_r",
            "1",
            "0",
            "nan",
            "1e309",
        ]
    ),
)


@settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(command=st.sampled_from(COMMANDS), args=st.lists(ARG, max_size=4))
def test_random_arguments_never_crash_the_cli(
    call_cli: Cli, command: list[str], args: list[str]
) -> None:
    if any("\x00" in a for a in args):
        return  # the operating system cannot pass NUL in an argument
    result = call_cli(*command, *args)
    assert result.exit_code in EXIT_CODES, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
