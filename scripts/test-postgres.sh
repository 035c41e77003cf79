#!/usr/bin/env bash
# Run the pytest suite on PostgreSQL. Arguments are passed to pytest.
#   scripts/test-postgres.sh -x -k login
#
# 1. If a server answers on 127.0.0.1:5432, use it as user postgres
#    (trust auth); pytest-django creates test_mentorship there.
# 2. Otherwise start a throwaway cluster with pg_virtualenv (installing the
#    `postgresql` server package first if no server is installed) and run
#    pytest inside it.
# 3. If neither works, fail loudly: PostgreSQL is never skipped.
#
# TEST_PG_VIRTUALENV=1 forces step 2 even when a server answers on 5432.
# TEST_PG_DB=name uses another database name than «mentorship» (parallel checkouts).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
project=$(pwd)
pytest_bin=${PYTEST:-$project/.venv/bin/pytest}
# TEST_PG_DB names the database (pytest-django creates test_<name>), so that two checkouts can
# run their suites on one server at once.
db_name=${TEST_PG_DB:-mentorship}

# pytest.ini sets this too, but an exported DJANGO_SETTINGS_MODULE would win over it.
export DJANGO_SETTINGS_MODULE=config.settings.test

fail() {
    echo >&2
    echo "ERROR (PostgreSQL tests): $*" >&2
    echo "PostgreSQL tests were NOT run; this counts as a failure." >&2
    exit 1
}

# --- Inside pg_virtualenv: it exported PGHOST, PGPORT, PGUSER, PGPASSWORD. ---
if [ "${_TEST_PG_INSIDE_VIRTUALENV:-}" = 1 ]; then
    unset _TEST_PG_INSIDE_VIRTUALENV
    : > "$_TEST_PG_STARTED_MARKER"
    password=$("$project/.venv/bin/python" -c \
        'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PGPASSWORD")
    export DATABASE_URL="postgres://$PGUSER:$password@$PGHOST:$PGPORT/$db_name"
    echo "DATABASE_URL=postgres://$PGUSER:***@$PGHOST:$PGPORT/$db_name (throwaway cluster)"
    exec "$pytest_bin" "$@"
fi

echo
echo "=== PostgreSQL ==="

# --- 1. A server on 127.0.0.1:5432 -------------------------------------------
if [ "${TEST_PG_VIRTUALENV:-0}" != 1 ] \
    && command -v pg_isready >/dev/null \
    && pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db_name"
    echo "DATABASE_URL=$DATABASE_URL"
    exec "$pytest_bin" "$@"
fi

# --- 2. A throwaway cluster -----------------------------------------------------
echo "No PostgreSQL server answers on 127.0.0.1:5432; using a throwaway cluster (pg_virtualenv)."

have_server() { compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; }

if ! have_server || ! command -v pg_virtualenv >/dev/null; then
    echo "Installing the Debian package postgresql (server and pg_virtualenv)..."
    if [ "$(id -u)" = 0 ]; then
        sudo=()
    elif command -v sudo >/dev/null; then
        sudo=(sudo)
    else
        fail "no PostgreSQL server package installed and not root (no sudo): install 'postgresql' and 'postgresql-common'."
    fi
    command -v apt-get >/dev/null || fail "apt-get not found; install a PostgreSQL server by hand."
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        || fail "apt-get update failed."
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends postgresql postgresql-common \
        || fail "could not install the Debian package postgresql."
fi
have_server || fail "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin."
command -v pg_virtualenv >/dev/null || fail "pg_virtualenv not found (Debian package postgresql-common)."

marker=$(mktemp -t test-postgres-started.XXXXXX)
rm -f "$marker"
trap 'rm -f "$marker"' EXIT

# -t keeps the cluster in a temporary directory even as root, so it never
# touches /etc/postgresql or collides with a leftover "regress" cluster.
rc=0
_TEST_PG_INSIDE_VIRTUALENV=1 _TEST_PG_STARTED_MARKER="$marker" \
    pg_virtualenv -t "$project/scripts/test-postgres.sh" "$@" || rc=$?

if [ ! -e "$marker" ]; then
    fail "pg_virtualenv could not start a throwaway PostgreSQL cluster (exit $rc); see its output above."
fi
exit "$rc"
