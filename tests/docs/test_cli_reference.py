"""docs/cli.md is the current, complete reference, and every command the issues promise exists.

The contract table below is written from the issues (2 body map, 3 atlas, 4 differential,
5 screening and plans, 6 records and outcomes, 7 web): later tools and scripts call these
commands exactly like this, so a renamed flag or a missing group must fail here, never skip.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

Cli = Callable[..., Any]


def _options(command: Any) -> set[str]:
    names: set[str] = set()
    for param in command.params:
        if getattr(param, "param_type_name", "") != "argument":
            names.update(param.opts)
            names.update(getattr(param, "secondary_opts", []))
    return names


def _arguments(command: Any) -> list[Any]:
    return [p for p in command.params if getattr(p, "param_type_name", "") == "argument"]


def _section(text: str, name: str) -> str:
    """The part of docs/cli.md under the heading of command ``name``."""
    match = re.search(rf"^## `{re.escape(name)}`\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"docs/cli.md has no section for `{name}`: run tools/gen_cli_docs.py"
    return match.group(1)


def test_generated_reference_is_current(cli_docs: ModuleType, root: Path) -> None:
    current = (root / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == cli_docs.render(), "docs/cli.md is stale: run python tools/gen_cli_docs.py"


def test_generator_check_mode_tells_stale_from_current(
    cli_docs: ModuleType, tmp_path: Path
) -> None:
    target = tmp_path / "cli.md"
    assert cli_docs.main(["--output", str(target), "--check"]) == 1  # missing
    assert cli_docs.main(["--output", str(target)]) == 0
    assert cli_docs.main(["--output", str(target), "--check"]) == 0
    target.write_text(target.read_text(encoding="utf-8").replace("--json", "--jsn"), "utf-8")
    assert cli_docs.main(["--output", str(target), "--check"]) == 1


def test_every_command_and_option_of_the_app_is_documented(
    commands: dict[tuple[str, ...], Any], root: Path
) -> None:
    text = (root / "docs" / "cli.md").read_text(encoding="utf-8")
    assert len(commands) > 40  # the walk really saw the command tree
    for path, command in commands.items():
        name = " ".join(("myomap", *path))
        section = _section(text, name)
        for option in _options(command):
            assert f"`{option}`" in section, f"{name} {option} is missing from docs/cli.md"
        for argument in _arguments(command):
            label = str(argument.metavar or argument.name.upper()).rstrip(".")
            assert f"`{label}" in section, f"{name} argument {label} is missing"
        if path:
            assert f"](#{'-'.join(name.split())})" in text, f"{name} is not in the command table"


# (command words, flags the contract names, positional arguments it takes: "+" one or more)
CONTRACTS: list[tuple[str, tuple[str, ...], str]] = [
    # issue 2: body map
    ("regions", ("--json",), ""),
    ("resolve", ("--json",), "+"),
    ("chart", ("--view", "--highlight", "-o"), ""),
    ("drawing extent", ("--json",), "1"),
    # issue 3: atlas
    ("atlas check", (), ""),
    ("atlas stats", ("--json",), ""),
    ("muscles", ("--json", "--region"), ""),
    ("show", ("--json", "-o"), "1"),
    # issue 4: differential
    ("locate", ("--side", "--top", "--finding", "--json", "--drawing"), "*"),
    ("batch", ("-o", "--top"), "1"),
    # issue 5: screening, plans, handouts
    ("screen", ("--drawing", "--json", "--template"), "?"),
    ("plan", ("--drawing", "--intake", "--finding", "--minutes", "--json"), ""),
    ("handout", ("--drawing", "--intake", "-o"), ""),
    # issue 6: records and outcomes (every read command takes --json)
    ("client add", (), ""),
    ("client list", ("--json",), ""),
    ("client show", ("--json",), "1"),
    ("visit start", (), "1"),
    ("visit sign", (), "1"),
    ("visit amend", (), "1"),
    ("visit show", ("--json",), "1"),
    ("measure add", (), "+"),
    ("progress", ("--json",), "?"),
    ("report", ("-o",), "1"),
    ("export fhir", ("-o",), "1"),
    ("export csv", ("-o",), ""),
    ("import csv", (), "1"),
    ("backup", (), "1"),
    ("restore", (), "1"),
    ("demo", (), ""),
    ("score", ("--json",), "+"),
    # issue 7: web app
    ("serve", ("--host", "--port", "--database", "--workers"), ""),
    ("user add", (), "1"),
    ("user list", (), ""),
    ("user passwd", (), "1"),
]

# Flags whose contract says they can be given more than once.
REPEATABLE = {("chart", "--highlight"), ("locate", "--finding"), ("plan", "--finding")}


@pytest.mark.parametrize(
    ("words", "flags", "arity"), CONTRACTS, ids=[c[0].replace(" ", "-") for c in CONTRACTS]
)
def test_contract_command_exists_with_its_flags(
    call_cli: Cli,
    commands: dict[tuple[str, ...], Any],
    words: str,
    flags: tuple[str, ...],
    arity: str,
) -> None:
    path = tuple(words.split())
    assert path in commands, f"'myomap {words}' does not exist"
    command = commands[path]
    options = _options(command)
    for flag in flags:
        assert flag in options, f"'myomap {words}' has no {flag} (has {sorted(options)})"
        if (words, flag) in REPEATABLE:
            param = next(p for p in command.params if flag in p.opts)
            assert param.multiple, f"'myomap {words} {flag}' must be repeatable"
    arguments = _arguments(command)
    if arity == "":
        assert arguments == [], f"'myomap {words}' takes no positional arguments"
    elif arity == "1":
        assert len(arguments) == 1 and arguments[0].required and arguments[0].nargs == 1
    elif arity == "?":
        assert len(arguments) == 1 and arguments[0].nargs == 1
    else:
        assert arguments, f"'myomap {words}' takes positional arguments"
        assert arguments[-1].nargs == -1, f"'myomap {words}' takes any number of values"
        assert arguments[-1].required == (arity == "+")
    result = call_cli(*path, "--help")
    assert result.exit_code == 0, result.stderr
    assert "Usage" in result.stdout and f"myomap {words}" in " ".join(result.stdout.split())
    assert "Traceback" not in result.stdout + result.stderr


def test_score_accepts_every_instrument_id_of_the_contract(call_cli: Cli) -> None:
    """The issue names the instrument ids and the JSON keys; score each at its lowest answers."""
    listed = call_cli("instruments", "--json")
    assert listed.exit_code == 0, listed.stderr
    catalogue = {str(item["id"]): item for item in listed.json()}
    for instrument in ("nrs", "vas", "pgic", "gad7", "phq2", "phq9", "pss10", "pss4", "sleep"):
        item = catalogue[instrument]
        lowest = f"{item['range'][0]:g}" if item["items"] == 1 else "0"
        answers = [lowest] * int(item["items"])
        result = call_cli("score", instrument, *answers, "--json")
        assert result.exit_code == 0, (instrument, result.stderr)
        data = result.json()
        assert {"instrument", "total", "band", "items"} <= set(data)
        assert data["instrument"] == instrument
