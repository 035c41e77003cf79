#!/usr/bin/env bash
# Run the pytest suite on SQLite. Arguments are passed to pytest.
#   scripts/test-sqlite.sh -x -k login
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
project=$(pwd)
pytest_bin=${PYTEST:-$project/.venv/bin/pytest}

# pytest.ini sets this too, but an exported DJANGO_SETTINGS_MODULE would win over it.
export DJANGO_SETTINGS_MODULE=config.settings.test
# pytest-django creates (and removes) its own test database next to this name.
export DATABASE_URL="sqlite:///$project/.test-db.sqlite3"

echo
echo "=== SQLite ==="
echo "DATABASE_URL=$DATABASE_URL"
exec "$pytest_bin" "$@"
