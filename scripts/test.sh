#!/usr/bin/env bash
# Install everything the test suite needs and run all of it: lint, types, every test category
# (unit, content, spec, integration on SQLite and PostgreSQL, functional, web, browser).
# This is the README's test command; .ci/run calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_venv
ensure_system_packages
ensure_axe
ensure_node_packages
. scripts/ensure_postgres.sh

# Run every stage even when an earlier one fails, so one run reports everything; fail at the end.
status=0
echo "== ruff"; .venv/bin/ruff check src tests benchmarks tools || status=1
echo "== ruff format"; .venv/bin/ruff format --check src tests benchmarks tools || status=1
echo "== mypy"; .venv/bin/mypy || status=1
echo "== import layers"; .venv/bin/lint-imports || status=1
echo "== pytest"; .venv/bin/python -m pytest "$@" || status=1
echo "== floors"; bash scripts/check_floors.sh || status=1
exit $status
