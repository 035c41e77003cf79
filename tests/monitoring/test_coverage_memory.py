"""The region's coverage runs with more memory for its sort on PostgreSQL (monitoring.coverage
WORK_MEM, issue 9 §6: «the region's coverage ≤ 1 s»): the same figures, and the request's
transaction goes on with the server's own setting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring import coverage
from tests.monitoring.coverage_data import END, ON, START, make_coverage_case

pytestmark = pytest.mark.django_db


def figures(case):
    result = coverage.compute_coverage([case.school_a.pk, case.school_b.pk], start=START, end=END, on=ON)
    return result.by_organization, result.total


def work_mem() -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return cursor.fetchone()[0]


def test_it_counts_the_same_with_more_memory_and_leaves_the_setting_as_it_was(world, monkeypatch):
    case = make_coverage_case(world)
    plain = figures(case)
    before = work_mem()
    monkeypatch.setattr(coverage, "WORK_MEM_FROM_ORGANIZATIONS", 2)

    with CaptureQueriesContext(connection) as captured:
        assert figures(case) == plain
    asked = any("set_config('work_mem'" in query["sql"] for query in captured.captured_queries)
    assert asked == (connection.vendor == "postgresql")
    assert sum(plain[1]["mentees_10_18"].values()) > 0
    assert work_mem() == before
