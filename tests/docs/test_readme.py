"""What README.md claims can be executed: its commands exist, the tour runs, its numbers are real.

Every ``myomap ...`` line in a ```bash block is parsed against the command tree (command words,
options, values, positional arguments, required options). The tour section is then run in
order, in-process, on an empty record store in a scratch folder, exactly as a reader would type
it; only ``myomap serve`` (which does not return) is parsed but not run.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

FENCE = re.compile(r"^```bash\n(.*?)^```", re.M | re.S)
ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=")
SEPARATORS = {"|", "||", "&&", ";", "&"}
REDIRECTIONS = {">", ">>", "<", "2>", "&>"}
PROGRAMS = {"myomap", ".venv/bin/myomap"}
# `myomap user add` asks for a password twice; every other command ignores stdin.
STDIN = "correct horse battery staple\ncorrect horse battery staple\n"


def _read(root: Path, name: str = "README.md") -> str:
    return (root / name).read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text under ``## heading`` up to the next second-level heading."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {heading}' section"
    return match.group(1)


def shell_lines(text: str) -> list[str]:
    """Command lines of every ```bash block (continuations joined, comments and blanks dropped)."""
    lines = []
    for block in FENCE.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if line.startswith("$ "):
                line = line[2:]
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def tokens(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return list(lexer)


def simple_commands(line: str) -> Iterator[tuple[dict[str, str], list[str]]]:
    """(environment assignments, words) of each command of a shell line, redirections removed."""
    current: list[str] = []
    for tok in [*tokens(line), ";"]:
        if tok in SEPARATORS:
            env: dict[str, str] = {}
            while current and ASSIGNMENT.match(current[0]):
                key, _, value = current.pop(0).partition("=")
                env[key] = value
            if current:
                yield env, current
            current = []
        else:
            current.append(tok)


def without_redirections(words: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in REDIRECTIONS:
            skip = True
        else:
            out.append(word)
    return out


def myomap_calls(line: str) -> list[tuple[dict[str, str], list[str]]]:
    calls = []
    for env, words in simple_commands(line):
        words = without_redirections(words)
        if words and words[0] in PROGRAMS:
            calls.append((env, words[1:]))
        elif words[:3] in (["python", "-m", "myomap"], [".venv/bin/python", "-m", "myomap"]):
            calls.append((env, words[3:]))
    return calls


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def problem(args: list[str], root: Any) -> str | None:
    """Why ``myomap ARGS`` would be refused by the parser, or None if it is a real command line."""
    command, words, i = root, ["myomap"], 0
    while getattr(command, "commands", None) and i < len(args) and args[i] in command.commands:
        command = command.commands[args[i]]
        words.append(args[i])
        i += 1
    name = " ".join(words)
    rest = args[i:]
    if "--help" in rest:
        return None
    options = {
        opt: p
        for p in command.params
        if not _is_argument(p)
        for opt in [*p.opts, *getattr(p, "secondary_opts", [])]
    }
    given: set[str] = set()
    positionals: list[str] = []
    j = 0
    while j < len(rest):
        tok = rest[j]
        if tok == "--":
            positionals += rest[j + 1 :]
            break
        if tok.startswith("-") and tok != "-":
            opt, eq, _ = tok.partition("=")
            param = options.get(opt)
            if param is None:
                return f"{name} has no option {opt}"
            given.add(param.name)
            if getattr(param, "is_flag", False) or getattr(param, "count", False):
                if eq:
                    return f"{name} {opt} is a flag and takes no value"
            elif not eq:
                j += 1
                if j >= len(rest):
                    return f"{name} {opt} needs a value"
        else:
            positionals.append(tok)
        j += 1
    if any(getattr(p, "is_eager", False) for p in command.params if p.name in given):
        return None  # --version, --template and the like end parsing early
    if getattr(command, "commands", None):
        if positionals:
            return f"{name} has no command {positionals[0]!r}"
        return None
    arguments = [p for p in command.params if _is_argument(p)]
    needed = sum(1 for p in arguments if p.required)
    if len(positionals) < needed:
        return f"{name} needs {needed} positional argument(s), got {len(positionals)}"
    if not any(p.nargs == -1 for p in arguments) and len(positionals) > len(arguments):
        return f"{name} takes {len(arguments)} positional argument(s), got {len(positionals)}"
    for p in command.params:
        if not _is_argument(p) and p.required and p.name not in given:
            return f"{name} needs {p.opts[0]}"
    return None


@pytest.fixture(scope="module")
def root_command(commands: dict[tuple[str, ...], Any]) -> Any:
    return commands[()]


def test_readme_tours_the_whole_loop(root: Path, root_command: Any) -> None:
    """The tour shows each step of the loop with a real command line."""
    shown: set[str] = set()
    for line in shell_lines(_read(root)):
        for _, args in myomap_calls(line):
            command, words = root_command, []
            for word in args:
                children = getattr(command, "commands", None) or {}
                if word not in children:
                    break
                command = children[word]
                words.append(word)
            shown.add(" ".join(words))
    loop = {
        "regions",
        "resolve",
        "chart",
        "drawing extent",
        "muscles",
        "show",
        "locate",
        "batch",
        "screen",
        "plan",
        "handout",
        "client add",
        "visit start",
        "visit note",
        "visit sign",
        "visit amend",
        "measure add",
        "score",
        "progress",
        "report",
        "export fhir",
        "export csv",
        "import csv",
        "backup",
        "demo",
        "serve",
        "user add",
    }
    assert loop <= shown, f"the README tour does not show {sorted(loop - shown)}"


@pytest.mark.parametrize("name", ["README.md", "docs/settings.md"])
def test_every_myomap_line_shown_is_a_real_command(
    root: Path, root_command: Any, name: str
) -> None:
    lines = shell_lines(_read(root, name))
    assert any(myomap_calls(line) for line in lines), f"{name} shows no myomap command"
    problems = []
    for line in lines:
        for _, args in myomap_calls(line):
            found = problem(args, root_command)
            if found:
                problems.append(f"{line}\n    -> {found}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "line",
    [
        "myomap locate temple_r --nope",
        "myomap visit begin 1",
        "myomap chart --view both",
        "myomap drawing extent",
        "myomap client show 1 2",
        "myomap locate temple_r --top",
        "myomap locate temple_r --json=yes",
        "MYOMAP_DATA_DIR=x myomap atlas stats --jsn | head",
    ],
)
def test_the_command_check_catches_what_the_parser_would_refuse(
    line: str, root_command: Any, call_cli: Any
) -> None:
    calls = myomap_calls(line)
    assert len(calls) == 1
    assert problem(calls[0][1], root_command) is not None
    # and the real parser agrees: a usage error, not a traceback
    result = call_cli(*calls[0][1])
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_the_command_check_accepts_real_shapes(root_command: Any) -> None:
    for line in [
        "myomap --version",
        "myomap regions --json",
        "myomap screen --template",
        "myomap visit note 1 -s 'words' --append",
        "myomap locate --finding=trapezius.tp1=absent temple_r --side=right",
        "myomap visit finding 1 --trp x.tp1 --side left --not-recognised",
    ]:
        assert problem(myomap_calls(line)[0][1], root_command) is None, line


def test_the_tour_runs_in_order_on_an_empty_store(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from myomap.cli import app

    tour = section(_read(root), "A tour of the loop")
    work = tmp_path / "work"
    work.mkdir()
    (work / "examples").symlink_to(root / "examples")
    monkeypatch.chdir(work)
    monkeypatch.setenv("MYOMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MYOMAP_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("MYOMAP_DATABASE_URL", "MYOMAP_SCREENING_RULES", "MYOMAP_HOST", "MYOMAP_PORT"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    outputs: list[str] = []
    ran = 0
    for line in shell_lines(tour):
        calls = myomap_calls(line)
        if not calls:
            subprocess.run(["bash", "-c", line], cwd=work, check=True, timeout=60)
            continue
        for env, args in calls:
            if args[:1] == ["serve"]:
                continue  # a server does not return; its options are checked above
            with monkeypatch.context() as scoped:
                for key, value in env.items():
                    scoped.setenv(key, value)
                result = runner.invoke(app, args, input=STDIN, catch_exceptions=False)
            assert result.exit_code == 0, f"`{line}` failed:\n{result.stdout}{result.stderr}"
            ran += 1
            for flag in ("-o", "--output"):
                if flag in args:
                    outputs.append(args[args.index(flag) + 1])
    assert ran >= 40
    missing = [name for name in outputs if not (work / name).exists()]
    assert not missing, f"tour commands did not write {missing}"
    # the exports really hold the tour's client
    bundle = json.loads((work / "alex-fhir.json").read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    assert (work / "imported").is_dir()


def test_quick_start_is_exactly_the_two_scripts(root: Path) -> None:
    quick = section(_read(root), "Quick start")
    assert shell_lines(quick) == ["bash scripts/start.sh", "bash scripts/test.sh"]
    for script in ("scripts/start.sh", "scripts/test.sh"):
        path = root / script
        assert path.is_file(), f"the README's quick start runs {script}, which does not exist"
        result = subprocess.run(
            ["bash", "-n", str(path)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for line in ci.splitlines()
        if line.strip() and not line.strip().startswith(("#", "set ", "cd "))
    ]
    assert commands == ["exec bash scripts/test.sh"], "CI must run exactly the README's command"


def test_start_script_does_what_the_readme_says(root: Path) -> None:
    path = root / "scripts" / "start.sh"
    assert path.is_file(), "scripts/start.sh (the README's run command) does not exist"
    script = path.read_text(encoding="utf-8")
    assert ".venv" in script or "ensure_venv" in script
    assert "demo" in script, "start.sh should seed the demo clients"
    assert "serve" in script, "start.sh should start the web app"


def _links(text: str) -> list[str]:
    return [
        t
        for t in re.findall(r"\]\(([^)\s]+)\)", text)
        if not re.match(r"^[a-z]+:", t) and not t.startswith("#")
    ]


@pytest.mark.parametrize("name", ["README.md", "docs/index.md"])
def test_relative_links_resolve(root: Path, name: str) -> None:
    base = (root / name).parent
    links = _links(_read(root, name))
    assert links
    broken = [t for t in links if not (base / t.split("#")[0]).exists()]
    assert not broken, f"{name} links to missing files: {broken}"


def test_docs_index_links_every_doc(root: Path) -> None:
    index = _read(root, "docs/index.md")
    linked = {(root / "docs" / t.split("#")[0]).resolve() for t in _links(index)}
    pages = [
        p
        for p in (root / "docs").rglob("*")
        if p.is_file() and p.name != "index.md" and p.suffix in (".md", ".json")
    ]
    missing = sorted(str(p.relative_to(root)) for p in pages if p.resolve() not in linked)
    assert not missing, f"docs/index.md does not link {missing}"


def test_readme_benchmark_numbers_are_the_measured_ones(root: Path) -> None:
    """Every figure in the Measured column is one the benchmark pages report."""
    bench = section(_read(root), "Benchmarks")
    measured = _read(root, "benchmarks/README.md") + _read(root, "docs/web.md")
    rows = [
        line.split("|")
        for line in bench.splitlines()
        if line.startswith("| ") and not line.startswith("| What")
    ]
    assert len(rows) >= 8
    numbers = [
        n for row in rows for n in re.findall(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:/\d+)?", row[2])
    ]
    assert len(numbers) >= 15
    absent = [n for n in numbers if n not in measured]
    assert not absent, f"README quotes numbers the benchmark pages do not have: {absent}"


def test_readme_atlas_facts_match_the_data(root: Path, call_cli: Any) -> None:
    text = _read(root)
    stats = call_cli("atlas", "stats", "--json").json()
    facts = section(text, "Where the data comes from")
    assert f"**{stats['atlas_version']}**" in facts
    match = re.search(r"(\d+) muscles and (\d+) trigger points", facts)
    assert match and (int(match[1]), int(match[2])) == (stats["muscles"], stats["trigger_points"])
    visceral = re.search(r"(\d+)\s+visceral referral patterns", facts)
    assert visceral and int(visceral[1]) == stats["visceral_patterns"]
    regions = re.search(r"^(\d+) body regions \((\d+) base regions", text, re.M)
    assert regions and int(regions[1]) == stats["regions"]


def test_readme_says_what_myomap_is_not(root: Path) -> None:
    text = section(_read(root), "What myomap is not").lower()
    for claim in ("does not diagnose", "red flags", "debated", "emergency"):
        assert claim in text
