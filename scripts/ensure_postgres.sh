# Sourced by scripts/test.sh: make sure a PostgreSQL server answers and export
# MYOMAP_TEST_DATABASE_URL for the store tests. Order: an explicit URL; the local server on
# 127.0.0.1:5432 (started with pg_ctlcluster if it is installed but down).
if [ -z "${MYOMAP_TEST_DATABASE_URL:-}" ]; then
    if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
        if command -v pg_ctlcluster >/dev/null; then
            as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
        fi
    fi
    export MYOMAP_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
fi
