"""The coverage pages: who sees which form, the people behind a figure, the downloads, the scope
(another school's or municipality's answers 404) and the query counts (constant)."""

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.choices import AuditAction
from core.models import AuditEntry
from core.testing.factories import OrganizationFactory
from tests.monitoring.coverage_data import ES, SS, TT, full, make_coverage_case, make_pair, student

pytestmark = pytest.mark.django_db
PERIOD_START = datetime.date(2025, 9, 1)
PERIOD = {"start": "2025-09-01", "end": "2026-08-31", "on": "2025-09-01"}
COVERAGE = reverse("monitoring:coverage")
PEOPLE = reverse("monitoring:coverage_people")
EXPORT = reverse("monitoring:coverage_export")


def url(base, **params):
    return f"{base}?{urlencode({**PERIOD, **params})}"


@pytest.fixture
def case(world):
    return make_coverage_case(world)


def login(client, user):
    client.force_login(user)
    return client


def test_curator_sees_their_school_form_with_the_definitions(client, world, case):
    response = login(client, world.curator_a).get(url(COVERAGE))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Образовательное учреждение: " in html and str(case.school_a) in html
    assert str(case.school_b) not in html
    assert response.context["schools"][0][0] == case.school_a
    rows = response.context["schools"][0][1]
    expected = full(case.expected_a)
    assert [[value for value, _url, _name in row.cells] for row in rows] == [
        [expected[figure][form] for form in expected[figure]] for figure in expected
    ]
    assert "Как считаются показатели" in html
    assert "полных лет" in html
    assert "1 сентября по 31 августа" in html
    assert reverse("monitoring:coverage_people") in rows[0].cells[0][1]


def test_defaults_are_the_current_academic_year(client, world, case):
    response = login(client, world.curator_a).get(COVERAGE)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.is_valid()
    start, end, on = (form.cleaned_data[name] for name in ("start", "end", "on"))
    assert (start.month, start.day, end.month, end.day, end.year - start.year) == (9, 1, 8, 31, 1)
    assert on == start


def test_coordinator_sees_the_consolidated_table(client, world, case):
    response = login(client, world.coordinator).get(url(COVERAGE))
    html = response.content.decode()
    schools = [school for school, _, _ in response.context["summary"]]
    assert schools == [case.school_a, case.school_b]  # no partner enterprise row
    total = [value for value, _url, _name in response.context["total"]]
    expected = full(case.expected_total)
    assert total == [expected[figure][form] for figure in expected for form in expected[figure]]
    assert "Итого по муниципалитету (без повторов)" in html
    assert "считается один раз" in html
    school_link = response.context["summary"][0][1]
    assert f"organization={case.school_a.pk}" in school_link
    school_page = client.get(school_link)
    assert school_page.context["schools"][0][0] == case.school_a


def test_invalid_period_says_what_to_fix(client, world, case):
    response = login(client, world.curator_a).get(f"{COVERAGE}?start=2026-09-01&end=2025-09-01&on=2025-09-01")
    assert response.status_code == 200
    assert "Конец периода раньше начала" in response.content.decode()
    assert "schools" not in response.context


@pytest.mark.parametrize(
    ("actor", "params"),
    [
        ("curator_a", "organization=school_b"),
        ("director_a", "organization=school_b"),
        ("curator_a", "organization=school_elsewhere"),
        ("coordinator", "organization=school_elsewhere"),
        ("coordinator", "municipality=other_municipality"),
        ("observer", "municipality=other_municipality"),
        ("coordinator_elsewhere", "organization=school_a"),
        ("curator_a", "municipality=municipality"),
        ("curator_a", "organization=abc"),
    ],
)
@pytest.mark.parametrize("base", [COVERAGE, PEOPLE, EXPORT])
def test_outside_the_scope_answers_404(client, world, actor, params, base):
    name, _, attribute = params.partition("=")
    place = getattr(world, attribute, None)
    value = place.pk if place is not None else attribute
    response = login(client, getattr(world, actor)).get(
        url(base, **{name: value, "figure": "mentees_10_18", "form": SS})
    )
    assert response.status_code == 404


def test_people_behind_a_figure(client, world, case):
    response = login(client, world.curator_a).get(
        url(PEOPLE, organization=case.school_a.pk, figure="young_teachers", form=TT)
    )
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Стаж3", "Стаж4Завтра", "Стаж0"):
        assert name in html
    assert "Стаж4 " not in html and "БезСтажа" not in html
    assert "пара №" in html


def test_the_enterprises_of_the_municipality_counted_once(client, world, case):
    response = login(client, world.coordinator).get(
        url(PEOPLE, municipality=world.municipality.pk, figure="enterprises", form=ES)
    )
    assert [entry.organization for entry, _ in response.context["people"]] == [case.partner]
    assert "1 организация" in response.content.decode().replace("\xa0", " ")


def test_people_export_is_journalled_as_personal_data(client, world, case):
    response = login(client, world.curator_a).get(
        url(PEOPLE, organization=case.school_a.pk, figure="mentees_10_18", form=SS, format="xlsx")
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = {row[0].split()[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"Ученик10", "Ученик18", "Выбывший", "Завершивший"}
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert entry.data["personal_data"] is True
    assert entry.data["rows"] == 4
    assert entry.data["filters"]["figure"] == "mentees_10_18"


def test_people_page_without_a_figure_says_where_to_start(client, world):
    response = login(client, world.curator_a).get(PEOPLE)
    assert response.status_code == 200
    assert "нажмите на число в таблице" in response.content.decode()


def test_form_download(client, world, case):
    response = login(client, world.coordinator).get(url(EXPORT, municipality=world.municipality.pk))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Свод", case.school_a.short_name, case.school_b.short_name]
    assert book[case.school_a.short_name]["B11"].value == full(case.expected_a)["mentees_10_18"][SS]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_curator_downloads_their_school_only(client, world, case):
    response = login(client, world.curator_a).get(url(EXPORT))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Свод", case.school_a.short_name]


def test_navbar_links_to_coverage(client, world):
    html = login(client, world.curator_a).get(reverse("home")).content.decode()
    assert f'href="{COVERAGE}"' in html


def queries_for(client, address) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


def add_schools_with_pairs(world, count):
    from registry.choices import BaseRole

    for index in range(count):
        school = OrganizationFactory(municipality=world.municipality)
        mentor, mentee = student(school, f"Н{index}", age_on=16), student(school, f"У{index}", age_on=12)
        make_pair(
            school, SS, [(mentor, BaseRole.MENTOR, PERIOD_START, None), (mentee, BaseRole.MENTEE, PERIOD_START, None)]
        )


@pytest.mark.parametrize("actor", ["coordinator", "observer", "curator_a"])
def test_query_counts_do_not_grow_with_the_schools(client, world, case, actor):
    login(client, getattr(world, actor))
    addresses = [url(COVERAGE), url(PEOPLE, figure="mentees_10_18", form=SS)]
    few = [queries_for(client, address) for address in addresses]
    add_schools_with_pairs(world, 6)
    many = [queries_for(client, address) for address in addresses]
    assert few == many


def test_each_numbers_link_says_what_it_counts(client, world):
    client.force_login(world.coordinator)
    html = client.get(reverse("monitoring:coverage")).content.decode()
    assert 'aria-label="0: наставляемые 10–18 лет, Ученик – ученик, итого по муниципалитету"' in html
    assert f'aria-label="0: предприятия, Работодатель – ученик, {world.school_b}"' in html
