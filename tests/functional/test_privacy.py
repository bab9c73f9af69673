"""Health data never reaches logs or stderr, and the layers depend on each other in one direction.

A realistic session runs through the CLI for a client whose name, contact, notes and answers carry
sentinel words, with every logger at DEBUG (``caplog``) and the process's real file descriptors
captured (``capfd``). The sentinel may appear on stdout where the user asked to see the record,
and in files the user asked to write; never in a log record or on stderr, on the happy path or
on the error paths.
"""

from __future__ import annotations

import ast
import csv
import json
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]

NAME = "Zzsentinel Qqpatient"
NOTE = "Zzsentinelnote Qqheadache since the divorce"
ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "myomap"


def _leaks(text: str) -> list[str]:
    """Which sentinel words occur in ``text`` (case-insensitive: ids get lower-cased)."""
    low = text.lower()
    return [word for word in ("zzsentinel", "qqpatient", "qqheadache", "divorce") if word in low]


@pytest.fixture
def watched(
    call_cli: Cli,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[..., Any]]:
    """``call_cli`` that records every result; afterwards no log record or stderr may leak."""
    monkeypatch.delenv("MYOMAP_DATABASE_URL", raising=False)
    # Root and every logger that inherits from it at DEBUG, as a verbose deployment would run.
    # SQLAlchemy keeps its own loggers at WARNING unless SQL echo is switched on; that myomap
    # never switches it on is checked separately below.
    caplog.set_level(logging.DEBUG)
    for name in ("alembic", "myomap", "uvicorn", "httpx", "weasyprint", "fontTools"):
        caplog.set_level(logging.DEBUG, logger=name)
    results: list[tuple[tuple[str, ...], Any]] = []

    def run(*args: str, input: str | None = None) -> Any:
        result = call_cli(*args, input=input)
        results.append((args, result))
        return result

    yield run

    assert results, "the session ran no commands"
    records = caplog.get_records("call")  # teardown has its own, empty list
    assert records, "DEBUG logging captured nothing: the check would prove nothing"
    for record in records:
        message = record.getMessage() + repr(record.args) + str(record.exc_text or "")
        assert not _leaks(message), f"log record from {record.name} leaks health data"
    for args, result in results:
        assert not _leaks(result.stderr), f"stderr of 'myomap {args[0]} {args[1:2]}' leaks"
        assert "Traceback" not in result.stderr
    captured = capfd.readouterr()
    assert not _leaks(captured.err), "something wrote health data to the real stderr"
    # SQL statement logging would carry names and notes as parameters: it must stay off.
    for name in ("sqlalchemy", "sqlalchemy.engine", "sqlalchemy.engine.Engine"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), f"{name} logs SQL"


def _ok(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    return result


def test_a_full_session_keeps_health_data_out_of_logs_and_stderr(
    watched: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = watched
    cid = _ok(
        cli(
            "client",
            "add",
            "--name",
            NAME,
            "--contact",
            NOTE,
            "--birth-year",
            "1980",
            "--sex",
            "female",
            "--json",
        )
    ).json()["id"]
    vid = _ok(
        cli("visit", "start", str(cid), "--practitioner", "Pat Practitioner", "--json")
    ).json()["id"]
    _ok(cli("visit", "drawing", str(vid), str(ROOT / "examples/drawings/temple-headache.json")))
    _ok(cli("visit", "note", str(vid), "--subjective", NOTE, "--assessment", NOTE))
    _ok(
        cli(
            "visit",
            "finding",
            str(vid),
            "--trp",
            "trapezius.tp1",
            "--side",
            "right",
            "--taut-band",
            "--spot",
            "--recognised",
            "--note",
            NOTE,
        )
    )
    _ok(
        cli(
            "visit",
            "rom",
            str(vid),
            "--movement",
            "cervical_rotation",
            "--side",
            "right",
            "--degrees",
            "55",
        )
    )
    _ok(
        cli(
            "visit",
            "ppt",
            str(vid),
            "--site",
            "trapezius_upper",
            "--side",
            "right",
            "--kpa",
            "210",
            "--kpa",
            "230",
            "--kpa",
            "220",
        )
    )
    _ok(
        cli(
            "visit",
            "treat",
            str(vid),
            "--technique",
            "ischemic_compression",
            "--side",
            "right",
            "--trp",
            "trapezius.tp1",
            "--pressure",
            "6",
            "--hold",
            "60",
            "--reps",
            "3",
            "--response",
            NOTE,
        )
    )
    _ok(cli("measure", "add", str(cid), "nrs", "7", "--visit", str(vid)))
    _ok(
        cli(
            "measure",
            "add",
            str(cid),
            "phq9",
            "1",
            "1",
            "2",
            "1",
            "0",
            "1",
            "2",
            "0",
            "1",
            "--visit",
            str(vid),
        )
    )
    _ok(cli("visit", "sign", str(vid), "--by", "Pat Practitioner"))
    _ok(
        cli(
            "visit",
            "amend",
            str(vid),
            "--field",
            "plan",
            "--text",
            NOTE,
            "--reason",
            NOTE,
            "--author",
            "Pat Practitioner",
        )
    )
    second = _ok(cli("visit", "start", str(cid), "--json")).json()["id"]
    _ok(cli("visit", "repeat", str(second)))
    _ok(cli("visit", "note", str(second), "--subjective", NOTE))
    _ok(cli("measure", "add", str(cid), "nrs", "3", "--visit", str(second)))
    _ok(cli("visit", "sign", str(second), "--by", "Pat Practitioner"))

    # Reading the record back: stdout shows it because the user asked for it.
    shown = _ok(cli("client", "show", str(cid), "--json"))
    assert NAME in shown.stdout
    progress = _ok(cli("progress", str(cid), "--json")).json()
    assert progress["client"]["id"] == cid
    _ok(cli("visit", "show", str(vid)))
    _ok(cli("client", "list"))
    _ok(cli("cohort", "--json"))

    # Files the user asked for hold the record; saying so on stdout must not name the client.
    report = _ok(cli("report", str(cid), "-o", str(tmp_path / "report.pdf")))
    fhir = _ok(cli("export", "fhir", str(cid), "-o", str(tmp_path / "bundle.json")))
    exported = _ok(cli("export", "csv", "-o", str(tmp_path / "csv")))
    backup = _ok(cli("backup", str(tmp_path / "backup.sqlite3")))
    for result in (report, fhir, exported, backup):
        assert not _leaks(result.stdout)
    assert NAME in (tmp_path / "bundle.json").read_text(encoding="utf-8")

    monkeypatch.setenv("MYOMAP_DATA_DIR", str(tmp_path / "other"))
    imported = _ok(cli("import", "csv", str(tmp_path / "csv")))
    assert not _leaks(imported.stdout)
    _ok(cli("client", "delete", "1", "--reason", NOTE, "--by", "Pat Practitioner"))


def test_error_paths_keep_health_data_out_of_messages(watched: Cli, tmp_path: Path) -> None:
    cli = watched
    cid = _ok(cli("client", "add", "--name", NAME, "--json")).json()["id"]
    vid = _ok(cli("visit", "start", str(cid), "--json")).json()["id"]
    bad: list[tuple[tuple[str, ...], str | None, int]] = [
        (("client", "add", "--name", NAME, "--sex", NAME), None, 2),
        (("client", "add", "--name", NAME, "--birth-year", "3000"), None, 2),
        (("measure", "add", str(cid), "nrs", NAME), None, 2),
        (("measure", "add", str(cid), "gad7", "1", "9", "0", "0", "0", "0", "0"), None, 2),
        (
            ("visit", "drawing", str(vid), "-"),
            '{"format": "myomap.drawing/1", "areas": '
            f'[{{"regions": ["temple_r"], "intensity": 3, "quality": "{NOTE}"}}]}}',
            2,
        ),
        (("visit", "drawing", str(vid), "-"), f'{{"note": "{NOTE}", ', 2),
        (
            (
                "visit",
                "treat",
                str(vid),
                "--technique",
                "stretch",
                "--side",
                "left",
                "--pressure",
                "15",
                "--response",
                NOTE,
            ),
            None,
            2,
        ),
        (
            (
                "visit",
                "amend",
                str(vid),
                "--field",
                "plan",
                "--text",
                NOTE,
                "--reason",
                NOTE,
                "--author",
                "Pat",
            ),
            None,
            5,
        ),
    ]
    for args, stdin, code in bad:
        result = cli(*args, input=stdin)
        assert result.exit_code == code, (args[:2], result.exit_code, result.stderr)
        assert result.stderr.startswith("Error:") or "Usage" in result.stderr
    _ok(cli("visit", "note", str(vid), "--subjective", "ok"))
    _ok(cli("visit", "sign", str(vid), "--by", "Pat"))
    locked = cli("visit", "note", str(vid), "--plan", NOTE)
    assert locked.exit_code == 5

    # A tampered CSV export: the bad cell holds health data and must not be quoted back.
    _ok(cli("export", "csv", "-o", str(tmp_path / "csv")))
    clients = tmp_path / "csv" / "clients.csv"
    with clients.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["birth_year"] = NOTE
    with clients.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    refused = cli("import", "csv", str(tmp_path / "csv"))
    assert refused.exit_code == 2, refused.stderr


def test_a_real_process_keeps_health_data_off_stderr(tmp_path: Path) -> None:
    """The installed command, with its real stderr and whatever logging its libraries set up."""
    import os
    import subprocess

    script = Path(sys.executable).with_name("myomap")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MYOMAP_")}
    env.update(
        MYOMAP_DATA_DIR=str(tmp_path / "data"),
        MYOMAP_CACHE_DIR=str(tmp_path / "cache"),
        PYTHONWARNINGS="default",
    )

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        out = subprocess.run(
            [str(script), *args],
            capture_output=True,
            text=True,
            env=env,
            input=stdin,
            timeout=120,
            check=False,
        )
        assert not _leaks(out.stderr), f"stderr of 'myomap {args[0]}' leaks health data"
        assert "Traceback" not in out.stderr
        return out

    added = run("client", "add", "--name", NAME, "--contact", NOTE, "--json")
    assert added.returncode == 0, added.stderr
    cid = str(json.loads(added.stdout)["id"])
    vid = str(json.loads(run("visit", "start", cid, "--json").stdout)["id"])
    assert run("visit", "note", vid, "--subjective", NOTE).returncode == 0
    assert run("measure", "add", cid, "nrs", "5", "--visit", vid).returncode == 0
    assert run("visit", "drawing", vid, "-", stdin=f'{{"note": "{NOTE}"').returncode == 2
    assert run("visit", "sign", vid, "--by", "Pat").returncode == 0
    assert NAME in run("progress", cid, "--json").stdout
    assert run("visit", "note", vid, "--plan", NOTE).returncode == 5
    assert run("client", "add", "--name", NAME, "--sex", NOTE).returncode == 2
    assert run("measure", "add", cid, "nrs", NOTE).returncode == 2


# --- dependency direction -------------------------------------------------------------------

RULES = {
    "myomap.domain": (
        "myomap.store",
        "myomap.web",
        "myomap.cli",
        "myomap.services",
        "myomap.reports",
        "myomap.fhir",
        "myomap.chart",
    ),
    "myomap.knowledge": ("myomap.store", "myomap.web", "myomap.cli"),
    "myomap.services": ("myomap.cli", "myomap.web"),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Absolute names a module imports anywhere in its body (function-level imports included)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _violations(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    folder = PACKAGE / layer.split(".", 1)[1]
    out = []
    for path in sorted(folder.rglob("*.py")):
        for name in sorted(imports_of(path)):
            if any(name == bad or name.startswith(bad + ".") for bad in forbidden):
                out.append(f"{_module_name(path)} imports {name}")
    return out


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layers_import_only_downwards(layer: str) -> None:
    assert list((PACKAGE / layer.split(".", 1)[1]).rglob("*.py")), f"{layer} has no modules"
    violations = _violations(layer, RULES[layer])
    assert not violations, "\n".join(violations)


def test_the_import_check_sees_every_kind_of_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checker itself: absolute, from-, relative and function-level imports are all seen."""
    fake = tmp_path / "myomap" / "domain"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / "bad.py").write_text(
        "import myomap.web.app\n"
        "from ..store import orm\n"
        "def f() -> None:\n"
        "    from myomap.cli import app\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "myomap")
    found = _violations("myomap.domain", RULES["myomap.domain"])
    assert found == [
        "myomap.domain.bad imports myomap.cli",
        "myomap.domain.bad imports myomap.cli.app",
        "myomap.domain.bad imports myomap.store",
        "myomap.domain.bad imports myomap.store.orm",
        "myomap.domain.bad imports myomap.web.app",
    ]
