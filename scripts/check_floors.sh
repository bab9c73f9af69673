#!/usr/bin/env bash
# Tested floors: install myomap with every direct dependency pinned to the minimum version that
# pyproject.toml declares (the runtime dependencies and the postgres extra), into a throwaway venv,
# then run scripts/smoke_install.py there (locate, a PDF, a FHIR export, the web app's first
# page). A floor that no longer works fails here instead of on a clinic's machine.
# Called from scripts/test.sh; pip's cache keeps a repeated run to about a minute.
# MYOMAP_SKIP_FLOORS=1 skips it (e.g. offline). Extra pip options go in PIP_OPTIONS.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${MYOMAP_SKIP_FLOORS:-0}" = 1 ]; then
    echo "== floors: skipped (MYOMAP_SKIP_FLOORS=1)"; exit 0
fi

py="${PYTHON:-python3}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/myomap-floors.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Every ">=X" of a direct dependency becomes "==X" in a constraints file (pip has no
# --resolution=lowest; uv's lowest-direct does the same thing).
"$py" - "$tmp/floors.txt" <<'EOF'
import re, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
requirements = list(project["dependencies"]) + list(project["optional-dependencies"]["postgres"])
lines = []
for req in requirements:
    # A floor, optionally followed by an upper bound kept for a stated reason ("<0.29").
    m = re.fullmatch(
        r"\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*>=\s*([^,;\s]+)\s*(,\s*<\s*[^,;\s]+\s*)?", req
    )
    if not m:
        sys.exit(f"check_floors: {req!r} has no plain '>=' floor; give every dependency one")
    lines.append(f"{m.group(1)}=={m.group(3)}")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
EOF
echo "== floors: $(tr '\n' ' ' <"$tmp/floors.txt")"

"$py" -m venv "$tmp/venv"
pip=("$tmp/venv/bin/python" -m pip -q --disable-pip-version-check)
"${pip[@]}" install ${PIP_OPTIONS:-} -c "$tmp/floors.txt" ".[postgres]" 2>&1 \
    | grep -v "^WARNING: Location" || true
"$tmp/venv/bin/python" -c "import myomap" || { echo "floors: installing the minimums failed" >&2; exit 1; }
# The pins really took: a resolver that silently picked something else would test nothing.
"$tmp/venv/bin/python" - "$tmp/floors.txt" <<'EOF'
import sys
from importlib.metadata import version
from pip._vendor.packaging.version import Version
bad = []
for line in open(sys.argv[1]):
    name, want = line.strip().split("==")
    if Version(version(name)) != Version(want):
        bad.append(f"{name} {version(name)} (floor {want})")
if bad:
    sys.exit("floors not installed as declared: " + ", ".join(bad))
EOF
"$tmp/venv/bin/python" scripts/smoke_install.py
echo "== floors: the declared minimum versions pass the smoke test"
