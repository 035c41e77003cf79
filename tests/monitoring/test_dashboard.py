"""The home page's dashboard (monitoring.dashboard): each chart's numbers agree with what they sum
up, a school's people see their school's, an observer of several municipalities sees the region
view, and the page's queries do not grow with the schools."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.models import RoleAssignment
from core.testing.factories import OrganizationFactory
from mentorship.models import Pair, PairStatus
from monitoring import dashboard as dash
from monitoring.coverage import compute_coverage
from registry.models import Municipality, current_academic_year_start
from roadmaps import selectors as roadmap_selectors
from roadmaps.models import Roadmap
from tests.mentorship.data import make_pairs
from tests.roadmaps.data import make_roadmaps

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    return make_pairs(world), make_roadmaps(world)


def chart(board, key):
    return next(c for c in board.charts if c.key == key)


def test_the_pairs_chart_counts_the_pairs_by_form_and_status(world, data):
    board = dash.dashboard(world.coordinator)
    pairs = chart(board, "pairs")
    for index, form_name in enumerate(pairs.labels):
        for series, (status, _label) in zip(pairs.series, PairStatus.choices, strict=True):
            expected = Pair.objects.filter(
                organization__municipality=world.municipality, form__name=form_name, status=status
            ).count()
            assert series.values[index] == expected
    assert (
        sum(sum(s.values) for s in pairs.series)
        == Pair.objects.filter(organization__municipality=world.municipality).count()
    )
    assert all("form=" in link for link in pairs.row_links)


def test_the_coverage_chart_adds_up_the_forms_people(world, data):
    year = current_academic_year_start()
    board = dash.dashboard(world.coordinator)
    coverage = chart(board, "coverage")
    start, end, on = dash.academic_year(year)
    organizations = dash.participating_organizations(world.coordinator)
    computed = compute_coverage(organizations, start=start, end=end, on=on)
    this_year = coverage.series[1].values
    people = ("mentees_10_18", "mentors_15_18", "young_teachers")
    assert this_year == [sum(computed.total[f][form] for f in people) for form in dash.FORMS_ORDER]
    assert sum(this_year) > 0  # the world's pairs are of this academic year


def test_the_roadmap_chart_is_what_each_schools_roadmap_pages_count(world, data):
    today = timezone.localdate()
    roadmaps_chart = chart(dash.dashboard(world.coordinator, today=today), "roadmaps")
    approved = list(Roadmap.objects.filter(municipality=world.municipality, status="approved"))
    assert roadmaps_chart.labels, "the world has approved roadmaps addressed to its schools"
    for index, name in enumerate(roadmaps_chart.labels):
        school = world.school_a if name == world.school_a.short_name else world.school_b
        shares = roadmap_selectors.roadmap_shares(approved, organization_ids={school.pk}, today=today)
        done = sum(s.done for s in shares.values())
        overdue = sum(s.overdue for s in shares.values())
        asked = sum(s.asked for s in shares.values())
        done_series, overdue_series, rest_series = roadmaps_chart.series
        assert (done_series.values[index], overdue_series.values[index]) == (done, overdue)
        assert rest_series.values[index] == asked - done - overdue


def test_the_indicators_chart_is_the_plan_and_fact_of_the_indicators_page(world, data):
    from decimal import Decimal

    from monitoring.choices import Indicator
    from monitoring.indicators import plan_fact
    from monitoring.models import IndicatorTarget

    year = current_academic_year_start()
    IndicatorTarget.objects.create(
        municipality=world.municipality, indicator=Indicator.MENTEE_SHARE, year_start=year, target=Decimal("25")
    )
    indicators = chart(dash.dashboard(world.coordinator), "indicators")
    municipal = next(b for b in plan_fact(world.coordinator, years=[year]).blocks if b.organization is None)
    cells = {line.indicator: line.cells[0] for line in municipal.lines}
    plan, fact = indicators.series
    assert plan.values[0] == 25.0
    expected = cells[Indicator.MENTEE_SHARE].actual
    assert fact.values[0] == (None if expected is None else float(expected))
    assert plan.values[1] is None  # no target: «нет данных» in the table, not 0


def test_a_schools_people_see_their_schools_figures_only(world, data):
    board = dash.dashboard(world.curator_a)
    assert chart(board, "roadmaps").labels == [world.school_a.short_name]
    school_pairs = sum(sum(s.values) for s in chart(board, "pairs").series)
    assert school_pairs == Pair.objects.filter(organization=world.school_a).count()
    assert board.region == [] and board.region_total is None


def test_an_observer_of_two_municipalities_sees_the_region(world, data):
    RoleAssignment.objects.create(user=world.observer, role=Role.OBSERVER, municipality=world.other_municipality)
    board = dash.dashboard(world.observer)
    both = Municipality.objects.filter(pk__in=[world.municipality.pk, world.other_municipality.pk])
    assert [row.municipality for row in board.region] == list(both.order_by("name"))  # the Russian collation
    here = next(row for row in board.region if row.municipality == world.municipality)
    assert (
        here.pairs_live
        == Pair.objects.filter(organization__municipality=world.municipality, status__in=("approved", "active")).count()
    )
    assert board.region_total.pairs_live == sum(row.pairs_live for row in board.region)
    assert board.region_total.covered == sum(row.covered for row in board.region)


def test_the_region_view_charts_its_municipalities_and_leaves_the_schools_tables_out(client, world, data):
    RoleAssignment.objects.create(user=world.observer, role=Role.OBSERVER, municipality=world.other_municipality)
    board = dash.dashboard(world.observer)
    roadmaps = chart(board, "roadmaps")
    assert roadmaps.labels == [row.municipality.name for row in board.region]
    assert roadmaps.series[0].values == [row.roadmap_percent for row in board.region]
    client.force_login(world.observer)
    html = client.get(reverse("home")).content.decode()
    assert "Муниципалитеты региона" in html and "Исполнение муниципальных дорожных карт, %" in html
    assert "Наставнические пары по школам" not in html and "Организации муниципалитета" not in html
    # The municipality's coordinator still gets the schools' tables.
    client.force_login(world.coordinator)
    html = client.get(reverse("home")).content.decode()
    assert "Наставнические пары по школам" in html and "Организации муниципалитета" in html


def test_the_region_view_takes_the_same_queries_whatever_the_number_of_municipalities(world, data):
    RoleAssignment.objects.create(user=world.observer, role=Role.OBSERVER, municipality=world.other_municipality)

    def queries() -> int:
        observer = type(world.observer).objects.get(pk=world.observer.pk)  # a fresh scope
        with CaptureQueriesContext(connection) as captured:
            dash.dashboard(observer, today=datetime.date(2026, 11, 1))
        return len(captured.captured_queries)

    before = queries()
    for n in range(3):
        more = Municipality.objects.create(name=f"Район {n}", region="Край", authority_name="Управление")
        OrganizationFactory(municipality=more)
        RoleAssignment.objects.create(user=world.observer, role=Role.OBSERVER, municipality=more)
    assert queries() == before


def test_the_home_page_draws_every_chart_with_its_table(client, world, data):
    client.force_login(world.coordinator)
    html = client.get(reverse("home")).content.decode()
    board = dash.dashboard(world.coordinator)
    assert html.count('id="chart-') == len(board.charts) == 4
    # A chart with nothing to draw says so instead of an empty picture (here: no indicator targets).
    assert html.count("data-chart=") == sum(not c.empty for c in board.charts) == 3
    assert "Данных пока нет." in html
    assert "chart.umd.min.js" in html and "js/charts.js" in html
    assert "Охват наставничеством по формам" in html and "Исполнение дорожных карт по школам" in html


def test_the_dashboard_takes_the_same_queries_whatever_the_number_of_schools(world, data):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            dash.dashboard(world.coordinator, today=datetime.date(2026, 11, 1))
        return len(captured.captured_queries)

    dash.dashboard(world.coordinator)  # the scope, read once
    before = queries()
    for _ in range(4):
        OrganizationFactory(municipality=world.municipality)
    assert queries() == before
