"""A hostile user's pass over the whole CLI: every bad input gets one clear line and an exit code.

Each row is a command line, the exit code it must end with and a phrase its ``Error:`` line must
contain. ``{T}`` is a folder of broken files, ``{D}`` a valid drawing, ``{I}`` a valid intake.
Rows under "records" run against a store holding client 1 with draft visit 1 and signed visit 2.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]
ROOT = Path(__file__).resolve().parents[2]
DRAWING = ROOT / "examples" / "intake" / "desk-worker-drawing.json"
INTAKE = ROOT / "examples" / "intake" / "desk-worker.json"

USAGE, NOT_FOUND, CONFLICT = 2, 4, 5

# (command line, exit code, phrase in the message)
STATELESS: list[tuple[str, int, str]] = [
    # body map
    ('resolve "   "', USAGE, "Empty body region"),
    ("resolve xyzzy --json", USAGE, "Unknown body region 'xyzzy'"),
    ("regions --view sideways", USAGE, "Unknown view 'sideways'"),
    ("regions --side up", USAGE, "Unknown side 'up'"),
    ("regions export --to nowhere temple_r", USAGE, "use one of choir, michigan"),
    ("regions export --to choir", USAGE, "Name at least one region"),
    ("regions export --to choir --drawing {T}/dir", USAGE, "is a folder"),
    ("regions export --to choir --drawing {T}/bin.json", USAGE, "not UTF-8 text"),
    ("regions export --to choir --drawing {T}/empty.json", USAGE, "is not valid JSON"),
    ("regions export --to choir --json --csv temple_r", USAGE, "either --json or --csv"),
    ("drawing extent {T}/missing.json", USAGE, "does not exist"),
    ("drawing extent {T}/dir", USAGE, "Cannot read drawing file"),
    ("drawing extent {T}/list.json", USAGE, 'JSON object with an "areas" list'),
    ("drawing extent {T}/badregion.json", USAGE, "Unknown body region 'nosuch'"),
    ("drawing jaccard {D} {T}/bad.json", USAGE, "is not valid JSON"),
    ("drawing frequency {D} -o {T}/x.txt", USAGE, ".svg or .png"),
    ("drawing frequency {D} -o {T}/nodir/x.png", USAGE, "No such file or directory"),
    # chart
    ("chart -o {T}/out.txt --highlight temple_r", USAGE, ".svg or .png"),
    ("chart -o {T}/nodir/out.svg --highlight temple_r", USAGE, "No such file or directory"),
    ("chart -o {T}/out.svg --highlight temple_r=11", USAGE, "from 0 to 10"),
    ("chart -o {T}/out.svg --highlight temple_r=abc", USAGE, "from 0 to 10"),
    ("chart -o {T}/out.svg --highlight =5", USAGE, "name a region before '='"),
    ("chart -o {T}/out.svg --mark nosuch", USAGE, "Unknown body region"),
    ("chart -o {T}/out.svg --view sideways", USAGE, "Unknown view 'sideways'"),
    # atlas
    ("muscles --region nosuchplace", USAGE, "Unknown body region"),
    ("show nosuchmuscle", NOT_FOUND, "No muscle called 'nosuchmuscle'"),
    ("show trapezius -o {T}/x.txt", USAGE, ".svg or .png"),
    ("show trapezius --side midline -o {T}/x.svg", USAGE, "--side must be 'left' or 'right'"),
    # differential
    ("locate", USAGE, "Name where it hurts"),
    ("locate temple_r --side up", USAGE, "--side must be one of"),
    ("locate temple_r --finding garbage", USAGE, "Cannot read the finding 'garbage'"),
    ("locate temple_r --finding nosuch.tp1=confirmed", USAGE, "Unknown trigger point"),
    ("locate temple_r --finding trapezius.tp1=maybe", USAGE, "use confirmed or absent"),
    ("locate temple_r --finding movement:nosuch=restricted", USAGE, "Unknown movement"),
    ("locate --drawing {T}/missing.json", USAGE, "not found"),
    ("locate --drawing {T}/dir", USAGE, "is a folder"),
    ("locate --drawing {T}/empty.json", USAGE, "is not valid JSON"),
    ("locate --drawing {T}/bin.json", USAGE, "is not valid JSON (not UTF-8 text)"),
    ("screen {T}/bin.json", USAGE, "is not valid JSON (not UTF-8 text)"),
    ("screen {I} --rules {T}/bin.json", USAGE, "is not valid JSON (not UTF-8 text)"),
    ("locate --drawing {T}/list.json", USAGE, "(top level: Input should be a valid dict"),
    ("locate --drawing {T}/badint.json", USAGE, "less than or equal to 10"),
    ("locate --drawing {I}", USAGE, "is not a myomap drawing"),
    ("locate --drawing {T}/obj.json", USAGE, "has no painful area"),
    ("batch {T}/missing.json -o {T}/o.jsonl", USAGE, "not found"),
    ("batch {T}/dir -o {T}/o.jsonl", USAGE, "is a folder"),
    ("batch {T}/bad.jsonl -o {T}/o.jsonl", USAGE, "Line 1 of 'bad.jsonl' is not a drawing"),
    ("batch {T}/list.jsonl -o {T}/o.jsonl", USAGE, "not an object"),
    ("batch {T}/bad.csv -o {T}/o.jsonl", USAGE, "needs a 'regions' column"),
    ("batch {T}/one.jsonl -o {T}/nodir/o.jsonl", USAGE, "folder"),
    ("batch {T}/one.jsonl -o {T}/d.jsonl", USAGE, "is a folder"),
    ("chart -o {T}/d.svg --highlight temple_r", USAGE, "Is a directory"),
    ("batch {T}/one.jsonl -o {T}/one.jsonl", USAGE, "must not be the input file"),
    ("batch {T}/regions5.jsonl -o {T}/o.jsonl", USAGE, "'regions' must be a list"),
    ("batch {T}/bin.json -o {T}/o.jsonl", USAGE, "is not UTF-8 text"),
    ("batch {T}/unknown.csv -o {T}/o.csv", USAGE, "Drawing 2 of 'unknown.csv': Unknown body"),
    ("batch {T}/badint.jsonl -o {T}/o.jsonl", USAGE, "(areas.0.intensity:"),
    ("batch {T}/one.jsonl -o {T}/o.txt", USAGE, ".jsonl or .csv"),
    # screening and plans
    ("screen {T}/missing.json", USAGE, "myomap screen --template"),
    ("screen {T}/dir", USAGE, "is a folder"),
    ("screen {T}/empty.json", USAGE, "is not valid JSON"),
    ("screen {T}/list.json", USAGE, "expected a JSON object with 'answers'"),
    ("screen {T}/intake_list.json", USAGE, "expected an object of question id"),
    ("screen {I} --drawing {T}/badregion.json", USAGE, "Unknown body region"),
    ("screen {I} --rules {T}/missing.json", USAGE, "Rules file"),
    ("screen {I} --rules {T}/dir", USAGE, "is a folder"),
    ("screen {I} --rules {T}/list.json", USAGE, "must be a JSON object"),
    ("plan --drawing {D} --minutes -5", USAGE, "--minutes must be between"),
    ("plan --drawing {D} --intake {T}/dir", USAGE, "is a folder"),
    ("plan --drawing {D} --finding trapezius.tp1=maybe", USAGE, "use confirmed or absent"),
    ("plan --drawing {T}/list.json", USAGE, "is not a myomap drawing"),
    ("handout --drawing {D} -o {T}/h.txt", USAGE, ".pdf or .html"),
    ("handout --drawing {D} -o {T}/nodir/h.html", USAGE, "No such file or directory"),
    ("handout --drawing {D} -o {T}/h.html --intake {T}/bad.json", USAGE, "is not valid JSON"),
    # scoring
    ("score nosuch 1", USAGE, "unknown instrument 'nosuch'"),
    ("score nrs 11", USAGE, "out of range"),
    ("score nrs abc", USAGE, "answers must be numbers"),
    ("score phq9 1 1 1", USAGE, "9 item(s) but 3 answer(s)"),
    ("score vas nan", USAGE, "out of range"),
    ("score nrs -", USAGE, "unanswered"),
]

RECORDS: list[tuple[str, int, str]] = [
    ("client show 999", NOT_FOUND, "no client with id 999"),
    ('client add --name "   "', USAGE, "display name is required"),
    ("client add --name X --birth-year 1800", USAGE, "birth year must be"),
    ("client add --name X --sex robot", USAGE, "sex must be one of"),
    ("client restore 1 --by me", CONFLICT, "nothing to restore"),
    ('client delete 1 --reason "" --by me', USAGE, "reason is required"),
    ("visit start 999", NOT_FOUND, "no client with id 999"),
    ("visit show 999", NOT_FOUND, "no visit with id 999"),
    ("visit note 1", USAGE, "give at least one of"),
    ("visit sign 1 --by Dr", USAGE, "empty note"),
    ("visit sign 2 --by Dr", CONFLICT, "signed and locked"),
    ("visit note 2 -s again", CONFLICT, "signed and locked"),
    ("visit amend 1 --field subjective --text t --reason r --author a", CONFLICT, "is a draft"),
    ("visit amend 2 --field nosuch --text t --reason r --author a", USAGE, "field must be"),
    ("visit finding 1 --trp trapezius.tp1 --side up --taut-band", USAGE, "side must be"),
    (
        "visit treat 1 --technique ischemic_compression --side left --pressure 11",
        USAGE,
        "pressure must be",
    ),
    (
        "visit treat 1 --technique ischemic_compression --side left --hold -5",
        USAGE,
        "hold seconds must be",
    ),
    (
        "visit rom 1 --movement cervical_rotation --side left --degrees nan",
        USAGE,
        "degrees must be",
    ),
    ("visit ppt 1 --site upper_trapezius --side left --kpa -5", USAGE, "kPa trial must be"),
    ("visit drawing 1 {T}/missing.json", USAGE, "does not exist"),
    ("visit drawing 1 {T}/dir", USAGE, "is a folder; give a JSON file"),
    ("visit drawing 1 {T}/bin.json", USAGE, "not UTF-8 text"),
    ("visit drawing 1 {T}/empty.json", USAGE, "it is empty"),
    ("visit homecare 1 {T}/bad.json", USAGE, "line 1: Expecting property name"),
    ("visit drawing 1 {T}/list.json", USAGE, "myomap.drawing/1"),
    ("visit drawing 1 {T}/badregion.json", USAGE, "Unknown body region"),
    ("visit homecare 1 {T}/null.json", USAGE, "non-empty JSON object"),
    ("visit repeat 999", NOT_FOUND, "no visit with id 999"),
    ("visit restore 1 --by me", CONFLICT, "nothing to restore"),
    ("visit delete 999 --reason r --by me", NOT_FOUND, "no visit with id 999"),
    ("measure add 999 nrs 5", NOT_FOUND, "no client with id 999"),
    ("measure add 1 nosuch 5", USAGE, "unknown instrument"),
    ("measure add 1 nrs 5 --visit 999", NOT_FOUND, "no visit with id 999"),
    ("measure add 1 nrs 5 --at yesterday", USAGE, "ISO 8601"),
    ("measure add 1 nrs 5 --at 2026-01-01", USAGE, "needs a time zone"),
    ("measure add 1 nrs 5 --at 2999-01-01T09:00+00:00", USAGE, "is in the future"),
    ("measure add 1 nrs 5 --at 1800-01-01T09:00+00:00", USAGE, "before 1900"),
    ("measure ppt 1 300 --site upper_trapezius --side left --unit lbs", USAGE, "kPa or kg/cm2"),
    ("progress", USAGE, "give a CLIENT id"),
    ("progress 999", NOT_FOUND, "no client with id 999"),
    ("cohort --png {T}/nodir/x.png", USAGE, "folder"),
    ("cohort --png {T}/dir.pdf", USAGE, "must name a .png file"),
    ("cohort --png {T}/x.txt", USAGE, ".png"),
    ("report 999 -o {T}/r.pdf", NOT_FOUND, "no client with id 999"),
    ("report 1 -o {T}/r.pdf --kind nosuch", USAGE, "--kind must be one of"),
    ("report 1 -o {T}/dir.pdf --overwrite", USAGE, "is a folder"),
    ("export fhir 999 -o {T}/b.json", NOT_FOUND, "no client with id 999"),
    ("export csv -o {T}/empty.json", USAGE, "is a file, not a folder"),
    ("export fhir 1 -o {T}/b.txt", USAGE, "-o must end in .json"),
    ("report 1 -o {T}/r.pdf --html", USAGE, "-o must end in .html"),
    ("report 1 -o {T}/r.txt", USAGE, "-o must end in .pdf"),
    ("import csv {T}/missing", USAGE, "is not a folder"),
    ("import csv {T}/dir", USAGE, "clients.csv is missing"),
    ("backup {T}/d.jsonl --overwrite", USAGE, "is a folder; give a file name"),
    ("restore {T}/missing.db", USAGE, "does not exist"),
    ("restore {T}/notsqlite.db", USAGE, "not a SQLite file"),
    ('user add "bad name!" --password-stdin', USAGE, "username must be"),
    ("user add bob --role god --password-stdin", USAGE, "role must be one of"),
    ("user passwd nosuch --password-stdin", NOT_FOUND, "no user 'nosuch'"),
    ("user list --database garbage", USAGE, "--database must be a URL starting with sqlite:///"),
    ("user add bob --database nosuch://x --password-stdin", USAGE, "--database must be a URL"),
    ("serve --database garbage", USAGE, "--database must be a URL"),
]


def _broken_files(folder: Path) -> Path:
    texts = {
        "empty.json": "",
        "obj.json": "{}",
        "list.json": "[]",
        "null.json": "null",
        "bad.json": "{not json",
        "badregion.json": json.dumps(
            {"format": "myomap.drawing/1", "areas": [{"regions": ["nosuch"], "intensity": 5}]}
        ),
        "badint.json": json.dumps(
            {"format": "myomap.drawing/1", "areas": [{"regions": ["temple_r"], "intensity": 50}]}
        ),
        "intake_list.json": json.dumps({"format": "myomap.intake/1", "answers": []}),
        "bad.jsonl": "{x\n",
        "list.jsonl": "[1, 2]\n",
        "bad.csv": "a,b\n1,2\n",
        "one.jsonl": json.dumps({"id": "a", "regions": ["temple_r"]}) + "\n",
        "notsqlite.db": "hello",
        "regions5.jsonl": json.dumps({"id": "a", "regions": 5}) + "\n",
        "unknown.csv": "id,regions\na,temple_r\nb,nosuch_region\n",
        "badint.jsonl": json.dumps({"areas": [{"regions": ["temple_r"], "intensity": 50}]}),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
    (folder / "dir").mkdir()
    (folder / "dir.pdf").mkdir()
    (folder / "d.jsonl").mkdir()
    (folder / "d.svg").mkdir()
    return folder


def _argv(line: str, folder: Path) -> list[str]:
    filled = line.format(T=folder, D=DRAWING, I=INTAKE)
    return shlex.split(filled)


def _assert_one_clear_line(result: Any, code: int, phrase: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert phrase in lines[0], lines[0]


@pytest.fixture(autouse=True)
def _default_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MYOMAP_DATABASE_URL", raising=False)
    monkeypatch.delenv("MYOMAP_SCREENING_RULES", raising=False)


@pytest.mark.parametrize(("line", "code", "phrase"), STATELESS)
def test_bad_input_gets_one_clear_line(
    call_cli: Cli, tmp_path: Path, line: str, code: int, phrase: str
) -> None:
    folder = _broken_files(tmp_path / "in")
    _assert_one_clear_line(call_cli(*_argv(line, folder)), code, phrase)


def _records(cli: Cli) -> None:
    """Client 1 with draft visit 1 and signed visit 2; account 'alice'."""
    steps = [
        ("client", "add", "--name", "Test Person"),
        ("visit", "start", "1"),
        ("visit", "start", "1"),
        ("visit", "note", "2", "-s", "ok"),
        ("visit", "sign", "2", "--by", "Dr"),
    ]
    for step in steps:
        assert cli(*step).exit_code == 0


@pytest.mark.parametrize(("line", "code", "phrase"), RECORDS)
def test_bad_record_input_gets_one_clear_line(
    call_cli: Cli, tmp_path: Path, line: str, code: int, phrase: str
) -> None:
    folder = _broken_files(tmp_path / "in")
    _records(call_cli)
    before = call_cli("client", "show", "1", "--json").json()
    result = call_cli(*_argv(line, folder), input="secretpassword1\n")
    _assert_one_clear_line(result, code, phrase)
    assert call_cli("client", "show", "1", "--json").json() == before


@pytest.mark.parametrize(
    "line",
    [
        "locate --drawing {T}/dir",
        "screen {I} --rules {T}/dir",
        "batch {T}/one.jsonl -o {T}/nodir/o.jsonl",
        "drawing extent {T}/bin.json",
        "score nrs 11",
        "show trapezius -o {T}/nodir/x.svg",
    ],
)
def test_no_traceback_from_the_real_entry_point(tmp_path: Path, line: str) -> None:
    folder = _broken_files(tmp_path)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("MYOMAP_DATABASE_URL", "MYOMAP_SCREENING_RULES")
    }
    env["MYOMAP_DATA_DIR"] = str(tmp_path / "data")
    out = subprocess.run(
        [sys.executable, "-m", "myomap", *_argv(line, folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert out.returncode == USAGE, out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("Error: ") and out.stderr.count("\n") == 1, out.stderr


def test_damaged_store_is_reported_and_can_be_restored(call_cli: Cli, tmp_path: Path) -> None:
    _records(call_cli)
    backup = tmp_path / "before.db"
    assert call_cli("backup", str(backup)).exit_code == 0
    store = tmp_path / "data" / "myomap.sqlite3"
    for extra in ("-wal", "-shm"):
        store.with_name(store.name + extra).unlink(missing_ok=True)
    store.write_bytes(b"not a database at all")
    _assert_one_clear_line(call_cli("client", "list"), USAGE, "not a readable database")
    assert store.read_bytes() == b"not a database at all"
    restored = call_cli("restore", str(backup))
    assert restored.exit_code == 0, restored.stderr
    kept = list(store.parent.glob("myomap.before-restore-*.sqlite3"))
    assert [p.read_bytes() for p in kept] == [b"not a database at all"]
    assert [c["id"] for c in call_cli("client", "list", "--json").json()] == [1]


def test_a_broken_clinic_instrument_file_is_one_warning_line(call_cli: Cli, tmp_path: Path) -> None:
    from myomap.knowledge.instruments import CLINIC_FOLDER

    folder = tmp_path / "data" / CLINIC_FOLDER
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    result = call_cli("score", "nrs", "5", "--json")
    assert result.exit_code == 0
    assert result.json()["total"] == 5
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Warning: broken.json:"), result.stderr


def test_batch_never_overwrites_its_input(call_cli: Cli, tmp_path: Path) -> None:
    folder = _broken_files(tmp_path / "in")
    before = (folder / "one.jsonl").read_bytes()
    result = call_cli("batch", str(folder / "one.jsonl"), "-o", str(folder / "one.jsonl"))
    assert result.exit_code == USAGE
    assert (folder / "one.jsonl").read_bytes() == before


def test_a_deleted_clients_draft_visit_is_frozen(call_cli: Cli) -> None:
    _records(call_cli)
    assert call_cli("client", "delete", "1", "--reason", "duplicate", "--by", "me").exit_code == 0
    for args in (
        ("visit", "note", "1", "-s", "later"),
        ("visit", "treat", "1", "--technique", "stretching", "--side", "left"),
    ):
        _assert_one_clear_line(call_cli(*args), NOT_FOUND, "client 1 is deleted")
    assert call_cli("client", "restore", "1", "--by", "me").exit_code == 0
    assert call_cli("visit", "note", "1", "-s", "later").exit_code == 0
