"""How the portal talks to its database (config/settings/base.py)."""

import pytest
from django.db import connection


def test_it_runs_postgresql_without_jit_compilation(db):
    """JIT compiled the coordinator's home summary for 855 of its 884 ms (bench/profile_pages.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
