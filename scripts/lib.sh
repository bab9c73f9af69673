# Shared helpers for scripts/*.sh: a project virtualenv and the Debian packages tests need.

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1; fi
}

apt_install() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 || {
        as_root apt-get update -q >/dev/null
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
    }
}

# ensure_venv [app|dev]: .venv with myomap installed at the versions pinned in the lock files.
# "app" (scripts/start.sh) installs only what the app needs at run time (requirements.lock);
# "dev" (scripts/test.sh, the default) adds the test toolchain and the PostgreSQL driver
# (requirements-dev.lock). The lock files are constraints: pyproject.toml still says what is
# installed, the lock only fixes the versions.
ensure_venv() {
    local py="${PYTHON:-python3}" target=".[dev]" lock=requirements-dev.lock
    if [ "${1:-dev}" = app ]; then target="."; lock=requirements.lock; fi
    if [ ! -x .venv/bin/python ]; then
        "$py" -m venv .venv 2>/dev/null || { rm -rf .venv; apt_install python3-venv; "$py" -m venv .venv; }
    fi
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
    .venv/bin/python -m pip install -q --disable-pip-version-check -c "$lock" -e "$target" 2>&1 | grep -v "^WARNING: Location" || true
    .venv/bin/python -c "import myomap" || { echo "installing myomap failed" >&2; exit 1; }
}

# Debian's chromium drives the browser tests (Playwright cannot download a browser here);
# poppler-utils turns PDFs into images; DejaVu gives reports and charts a font.
ensure_system_packages() {
    local missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
    # The clinic-server test (tests/deploy) puts Debian's Caddy in front of myomap serve.
    command -v caddy >/dev/null || missing+=(caddy)
    # tests/deploy checks the shipped systemd units and runs myomap backup's pg_dump.
    command -v systemd-analyze >/dev/null || missing+=(systemd)
    command -v pg_dump >/dev/null || missing+=(postgresql-client)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "== installing ${missing[*]}"
        apt_install "${missing[@]}"
    fi
}

# axe-core (npm) checks the pages' accessibility in the browser tests; it is loaded into the
# page under test only and installed into the git-ignored tests/browser/axe/node_modules.
ensure_axe() {
    [ -f tests/browser/axe/node_modules/axe-core/axe.min.js ] && return 0
    command -v npm >/dev/null || apt_install npm
    echo "== installing axe-core for the browser tests"
    (cd tests/browser/axe && npm install --no-audit --no-fund --silent)
}

# Node.js runs the independent FHIR checks (Medplum's validator and in-memory FHIR server,
# pinned in tests/fhir_node/package-lock.json) into a git-ignored node_modules.
ensure_node_packages() {
    command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
    if [ ! -d tests/fhir_node/node_modules/@medplum/mock ]; then
        echo "== npm ci (tests/fhir_node)"
        npm ci --prefix tests/fhir_node --no-audit --no-fund --loglevel=error >/dev/null
    fi
}
