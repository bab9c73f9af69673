"""How fast the command line starts: ``myomap --help`` and a typical ``myomap locate``.

Each command runs in a fresh process ``--runs`` times (the first run also warms the compiled
differential cache and writes the bytecode, and is not counted); the minimum and the median of the
wall time and of the CPU time (user + system; less disturbed by other jobs on a busy machine) are
printed, next to a bare ``python -c pass`` for the interpreter's own start. ``--src`` points at
another source tree (an older checkout) to compare. Then ``python -X importtime`` shows
which packages the CLI imports at start, largest first, so that a heavy import made eagerly is
easy to spot. Prints numbers and never asserts them. Run: ``python benchmarks/bench_cli_start.py``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Import the CLI and parse a locate command line into its parameters, without running it; with
# Pydantic's plugin search off, as ``myomap.cli.main`` sets it before it parses anything.
PARSE_ONLY = """
import os
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
import myomap.cli
from typer.main import get_command
group = get_command(myomap.cli.app)
ctx = group.make_context("myomap", ["locate"])
locate = group.get_command(ctx, "locate")
locate.make_context("locate", ["temple_r", "neck_back_r", "--json"], parent=ctx)
"""
COMMANDS: dict[str, list[str]] = {
    "python -c pass (interpreter only)": ["-c", "pass"],
    "import myomap.cli (import + command tree)": ["-c", "import myomap.cli"],
    "import + parse 'locate temple_r neck_back_r --json'": ["-c", PARSE_ONLY],
    "myomap --help": ["-m", "myomap", "--help"],
    "myomap locate --help (import + parse + help)": ["-m", "myomap", "locate", "--help"],
    "myomap locate temple_r neck_back_r --json": [
        "-m",
        "myomap",
        "locate",
        "temple_r",
        "neck_back_r",
        "--json",
    ],
}
WATCHED = (
    "fastapi",
    "starlette",
    "pydantic",
    "sqlalchemy",
    "alembic",
    "weasyprint",
    "matplotlib",
    "numpy",
    "jinja2",
    "fhir",
    "rich",
    "typer",
    "click",
    "argon2",
    "httpx",
    "myomap.cli",
)


def _env(data_dir: str, src: Path) -> dict[str, str]:
    env = dict(os.environ)
    # An installed package has its bytecode compiled; let the warm-up run write it here too.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    env["MYOMAP_DATA_DIR"] = data_dir
    return env


def time_command(
    args: list[str], runs: int, env: dict[str, str]
) -> tuple[list[float], list[float]]:
    """Wall and CPU times of ``runs`` fresh processes, after one untimed warm-up run."""
    cmd = [sys.executable, *args]
    subprocess.run(cmd, env=env, capture_output=True, check=True)
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall, cpu


def import_profile(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Cumulative import time (s) of each package, from ``-X importtime``: the row where the
    package itself is first imported, at whatever depth, covers everything it pulls in."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args], env=env, capture_output=True, text=True
    )
    per: dict[str, float] = {}
    for line in done.stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue
        name = fields[2].strip()
        if ("." not in name or name in WATCHED) and name not in per:
            per[name] = int(fields[1]) / 1e6
    return per


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="source tree to time")
    opts = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data_dir:
        env = _env(data_dir, opts.src)
        print(f"CLI start-up of {opts.src}, fresh processes, {opts.runs} runs")
        print(f"  {'command':<52} {'wall min':>8} {'median':>7} {'CPU min':>8} {'median':>7}")
        for label, args in COMMANDS.items():
            wall, cpu = time_command(args, opts.runs, env)
            print(
                f"  {label:<52} {min(wall):8.3f} {statistics.median(wall):7.3f}"
                f" {min(cpu):8.3f} {statistics.median(cpu):7.3f}"
            )
        for label in ("myomap --help", "myomap locate temple_r neck_back_r --json"):
            per = import_profile(COMMANDS[label], env)
            shown = sorted(((n, s) for n, s in per.items() if n in WATCHED), key=lambda x: -x[1])
            print(f"imports at start of {label} (cumulative s, one run):")
            print("  " + ", ".join(f"{n} {s:.3f}" for n, s in shown))
            absent = [n for n in WATCHED if n not in per]
            print("  not imported: " + ", ".join(absent))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
