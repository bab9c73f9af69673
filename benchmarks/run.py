"""Run every ``benchmarks/bench_*.py`` in turn and print their numbers.

Benchmarks report; they never assert. Pass names to run a subset:
``python benchmarks/run.py differential web``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if any(name in s.stem for name in argv)]
    status = 0
    for script in scripts:
        print(f"\n=== {script.stem}", flush=True)
        status |= subprocess.run([sys.executable, str(script)], check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
