#!/usr/bin/env bash
# The README's run command: install myomap (the app alone, at the versions in requirements.lock)
# into .venv, migrate the embedded SQLite database, add the fictional demo clients (once) and
# serve the web app on http://127.0.0.1:8000.
# Extra arguments go to 'myomap serve' (e.g. --port 8080). Stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_venv app
.venv/bin/python -m myomap db upgrade
.venv/bin/python -m myomap demo
exec .venv/bin/python -m myomap serve "$@"
