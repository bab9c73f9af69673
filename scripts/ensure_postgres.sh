# Sourced by scripts/test.sh: make sure a PostgreSQL server answers and export
# MYOMAP_TEST_DATABASE_URL for the store tests (tests/integration). Order of preference:
#   1. an explicit MYOMAP_TEST_DATABASE_URL;
#   2. a server already answering on 127.0.0.1:5432;
#   3. the installed Debian cluster, started with pg_ctlcluster;
#   4. a throwaway cluster (initdb + pg_ctl) in a temporary folder on a free port, stopped when
#      the calling script exits. initdb refuses to run as root, so it runs as the postgres user;
#      the postgresql package is installed first if no server binaries exist.
# MYOMAP_PG_THROWAWAY=1 skips steps 2 and 3 (to exercise step 4).
# Needs as_root and apt_install from scripts/lib.sh when run as root without a server.

_pg_log() { echo "== postgres: $*" >&2; }

_pg_ready() { # host port
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$1" -p "$2" 2>/dev/null
    else
        (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
    fi
}

_pg_wait() { # host port seconds
    local i
    for i in $(seq 1 "$(( $3 * 4 ))"); do
        _pg_ready "$1" "$2" && return 0
        sleep 0.25
    done
    return 1
}

_pg_bindir() { # a folder with initdb, pg_ctl and createdb: Debian's versioned dir, else PATH
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/createdb" ] && { echo "$d"; return 0; }
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"; return 0
    fi
    return 1
}

_pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

_pg_start_installed_cluster() {
    command -v pg_ctlcluster >/dev/null 2>&1 || return 1
    local version
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
    [ -n "$version" ] || return 1
    _pg_log "starting the installed cluster $version/main"
    if [ "$(id -u)" = 0 ]; then
        pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    else
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
    fi
    _pg_wait 127.0.0.1 5432 15
}

_pg_start_throwaway_cluster() {
    local bindir port dir createdb run=() as=""
    if ! bindir="$(_pg_bindir)"; then
        _pg_log "no PostgreSQL server binaries; installing the postgresql package"
        apt_install postgresql || return 1
        bindir="$(_pg_bindir)" || return 1
    fi
    port="$(_pg_free_port)"
    dir="$(mktemp -d "${TMPDIR:-/tmp}/myomap-pg.XXXXXX")"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /bin/sh postgres
        chown postgres "$dir"
        run=(runuser -u postgres --)
        as="runuser -u postgres -- "
    fi
    _pg_log "creating a throwaway cluster in $dir on port $port"
    "${run[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
    "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
        || { cat "$dir/server.log" >&2; return 1; }
    # Stop the server and remove its files when the calling script ends.
    trap "${as}'$bindir/pg_ctl' -D '$dir/data' -m fast stop >/dev/null 2>&1; rm -rf '$dir'" EXIT
    createdb="$bindir/createdb"
    [ -x "$createdb" ] || createdb="$(command -v createdb)"
    "${run[@]}" "$createdb" -h 127.0.0.1 -p "$port" -U postgres test || return 1
    MYOMAP_PG_THROWAWAY_DIR="$dir"
    export MYOMAP_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$port/test"
}

if [ -z "${MYOMAP_TEST_DATABASE_URL:-}" ]; then
    if [ "${MYOMAP_PG_THROWAWAY:-0}" != 1 ] && { _pg_ready 127.0.0.1 5432 || _pg_start_installed_cluster; }; then
        export MYOMAP_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    elif ! _pg_start_throwaway_cluster; then
        _pg_log "could not start any PostgreSQL server; the store tests will fail under CI=true"
    fi
fi
_pg_log "using ${MYOMAP_TEST_DATABASE_URL:-nothing}"
