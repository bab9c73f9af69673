#!/usr/bin/env bash
# Install everything the test suite needs and run all of it: lint, types, every test category
# (unit, content, spec, integration on SQLite and PostgreSQL, functional, web, browser).
# This is the README's test command; .ci/run calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_venv
ensure_system_packages
. scripts/ensure_postgres.sh

echo "== ruff"; .venv/bin/ruff check src tests benchmarks tools
echo "== mypy"; .venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest "$@"
