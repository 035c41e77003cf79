"""The indicators' pages: who may open and change what, the shortfall as a page shows it, the
export, and query counts that do not grow with the schools and years."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import AuditAction
from core.models import AuditEntry
from core.testing.factories import ContingentFactory, OrganizationFactory
from monitoring.choices import Indicator
from monitoring.indicators import cell_name
from monitoring.models import IndicatorTarget
from tests.monitoring.indicator_data import YEAR, coverage_world, make_pair, pupil

pytestmark = pytest.mark.django_db

PAGE = reverse("monitoring:indicators")
TARGETS = reverse("monitoring:indicator_targets")
READERS = ["coordinator", "observer", "curator_a", "director_a", "curator_b", "coordinator_elsewhere"]


def login(client, world, actor):
    client.force_login(getattr(world, actor))
    return client


def test_it_sends_a_visitor_to_log_in(client):
    for url in (PAGE, TARGETS):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("actor", READERS)
def test_every_role_reads_both_pages(client, world, actor):
    login(client, world, actor)
    assert client.get(PAGE).status_code == 200
    assert client.get(TARGETS).status_code == 200


@pytest.mark.parametrize(
    ("actor", "school", "status"),
    [
        ("coordinator", "school_a", 200),
        ("coordinator", "school_elsewhere", 404),
        ("observer", "school_b", 200),
        ("curator_a", "school_a", 200),
        ("curator_a", "school_b", 404),
        ("director_a", "school_b", 404),
        ("coordinator_elsewhere", "school_a", 404),
    ],
)
def test_another_schools_page_answers_404(client, world, actor, school, status):
    login(client, world, actor)
    pk = getattr(world, school).pk
    assert client.get(PAGE, {"organization": pk}).status_code == status
    assert client.get(TARGETS, {"organization": pk}).status_code == status
    assert client.get(PAGE, {"organization": "x"}).status_code == 404
    if status == 404:
        url = f"{TARGETS}?organization={pk}"
        assert client.post(url, {cell_name(Indicator.MENTEE_SHARE, YEAR): "10"}).status_code == 404


@pytest.mark.parametrize("actor", ["observer", "curator_a", "director_a"])
def test_only_the_coordinator_saves_targets(client, world, actor):
    login(client, world, actor)
    data = {cell_name(Indicator.MENTEE_SHARE, YEAR): "10"}
    assert client.post(TARGETS, data).status_code == 403
    assert client.post(f"{TARGETS}?organization={world.school_a.pk}", data).status_code == 403
    assert not IndicatorTarget.objects.exists()
    assert 'name="t_mentee_share_' in client.get(TARGETS).content.decode()  # read only: disabled fields
    assert "Сохранить план" not in client.get(TARGETS).content.decode()


def test_the_coordinator_adds_a_year_and_saves_the_grid(client, world):
    login(client, world, "coordinator")
    url = f"{TARGETS}?organization={world.school_a.pk}&add=2030"
    page = client.get(url).content.decode()
    assert "2030/2031" in page
    response = client.post(url, {cell_name(Indicator.MENTEE_SHARE, 2030): "12,5"})
    assert response.status_code == 302 and response["Location"] == url
    assert IndicatorTarget.objects.get().organization == world.school_a
    # A wrong cell keeps everything out and says why beside it.
    response = client.post(
        url, {cell_name(Indicator.MENTEE_SHARE, 2030): "150", cell_name(Indicator.ENTERPRISES, 2030): "2"}
    )
    assert response.status_code == 200
    assert "Доля не может быть больше 100 %" in response.content.decode()
    assert IndicatorTarget.objects.count() == 1
    assert client.get(f"{TARGETS}?add=1999").status_code == 200  # a wrong year is said at the field


def test_the_page_highlights_the_shortfall_and_links_the_missing_contingent(client, world):
    coverage_world(world)
    IndicatorTarget.objects.create(
        municipality=world.municipality,
        organization=world.school_a,
        indicator=Indicator.MENTEE_SHARE,
        year_start=YEAR,
        target=Decimal("12.5"),
    )
    login(client, world, "coordinator")
    html = client.get(PAGE).content.decode()
    assert 'class="text-end table-danger" data-state="short"' in html
    assert "не достигнут, не хватает 7,5 %" in html
    assert reverse("registry:contingent_create", args=[world.school_b.pk]) in html
    assert "нет данных" in html and "0,0 %" not in html.split("СОШ № 2")[-1].split("</table>")[0]
    # A director reads: the link goes to the school's page, where the contingent is.
    login(client, world, "director_a")
    assert reverse("registry:contingent_create", args=[world.school_a.pk]) not in client.get(PAGE).content.decode()


def test_it_exports_plan_against_fact_journalled(client, world):
    coverage_world(world)
    login(client, world, "coordinator")
    response = client.get(PAGE, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.data["personal_data"] is False and entry.data["rows"] > 0


def queries_for(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def add_schools(world, count: int, year: int) -> None:
    for _ in range(count):
        school = OrganizationFactory(municipality=world.municipality)
        ContingentFactory(organization=school, year_start=year)
        make_pair(school, "student_student", pupil(school, 16), [pupil(school, 12)])
        IndicatorTarget.objects.create(
            municipality=world.municipality,
            organization=school,
            indicator=Indicator.ENTERPRISES,
            year_start=year,
            target=1,
        )


@pytest.mark.parametrize("actor", ["coordinator", "curator_a", "observer"])
def test_the_pages_cost_the_same_queries_for_2_and_6_schools_and_more_years(client, world, actor):
    coverage_world(world)
    login(client, world, actor)
    urls = [PAGE, TARGETS, f"{TARGETS}?organization={world.school_a.pk}"]
    few = [queries_for(client, url) for url in urls]
    add_schools(world, 4, YEAR)
    for year in (2019, 2020, 2021):
        IndicatorTarget.objects.create(
            municipality=world.municipality, indicator=Indicator.MENTEE_SHARE, year_start=year, target=5
        )
    assert [queries_for(client, url) for url in urls] == few
