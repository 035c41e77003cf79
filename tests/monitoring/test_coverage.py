"""The coverage form of seed 003 computed from the pairs (monitoring/coverage.py), figure by
figure on the hand-built cases of tests/monitoring/coverage_data.py: birthdays on the reference
date, a 9-year-old and an 18-year-old, a teacher at exactly 3 years, a replaced mentor, a mentee
who left, a draft, pairs outside the period, an enterprise in two schools."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing.factories import OrganizationFactory
from monitoring.coverage import (
    FIGURES,
    FORMS,
    CoveredOrganization,
    compute_coverage,
    coverage_people,
)
from registry.choices import FormCode
from tests.monitoring.coverage_data import END, ES, ON, SS, START, TT, US, full, make_coverage_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return make_coverage_case(world)


def compute(case, organizations=None):
    organizations = organizations or [case.school_a.pk, case.school_b.pk]
    return compute_coverage(organizations, start=START, end=END, on=ON)


def test_forms_are_the_seed_columns_in_order():
    assert [FormCode(code).label for code in FORMS] == [
        "Ученик – ученик",
        "Учитель – учитель",
        "Студент – ученик",
        "Работодатель – ученик",
    ]


@pytest.mark.parametrize("figure", FIGURES)
def test_school_a_figure_by_figure(case, figure):
    assert compute(case).figures(case.school_a.pk)[figure] == full(case.expected_a)[figure]


@pytest.mark.parametrize("figure", FIGURES)
def test_school_b_figure_by_figure(case, figure):
    assert compute(case).figures(case.school_b.pk)[figure] == full(case.expected_b)[figure]


@pytest.mark.parametrize("figure", FIGURES)
def test_total_is_distinct_across_schools(case, figure):
    coverage = compute(case)
    assert coverage.total[figure] == full(case.expected_total)[figure]


def test_enterprise_in_two_schools_counts_once_in_the_total(case):
    coverage = compute(case)
    assert coverage.figures(case.school_a.pk)["enterprises"][ES] == 1
    assert coverage.figures(case.school_b.pk)["enterprises"][ES] == 1
    assert coverage.total["enterprises"][ES] == 1
    # The shared mentee: once in each school, once in the total (and not twice).
    by_school = sum(coverage.figures(pk)["mentees_10_18"][ES] for pk in (case.school_a.pk, case.school_b.pk))
    assert by_school == 3
    assert coverage.total["mentees_10_18"][ES] == 2


@pytest.mark.parametrize(
    ("school", "figure", "form"),
    [
        ("a", "mentees_10_18", SS),
        ("a", "mentors_15_18", SS),
        ("a", "young_teachers", TT),
        ("a", "mentors_15_18", US),
        ("b", "mentees_10_18", ES),
    ],
)
def test_people_behind_a_figure_are_the_ones_counted(case, school, figure, form):
    organization = case.school_a if school == "a" else case.school_b
    people = coverage_people(organization.pk, figure, form, start=START, end=END, on=ON)
    assert {entry.person.last_name for entry in people} == case.names[(organization.pk, figure, form)]
    assert len(people) == compute(case).figures(organization.pk)[figure][form]


def test_people_keep_the_memberships_that_made_them_count(case):
    people = coverage_people(case.school_a.pk, "mentees_10_18", SS, start=START, end=END, on=ON)
    twice = next(entry for entry in people if entry.person.last_name == "Ученик10")
    assert len(twice.memberships) == 2  # two pairs, one person
    left = next(entry for entry in people if entry.person.last_name == "Выбывший")
    assert left.memberships[0].left_on == datetime.date(2025, 10, 15)


def test_enterprises_behind_the_fourth_row_are_organizations(case):
    entries = coverage_people([case.school_a.pk, case.school_b.pk], "enterprises", ES, start=START, end=END, on=ON)
    assert len(entries) == 1
    assert isinstance(entries[0], CoveredOrganization)
    assert entries[0].organization == case.partner
    assert {p.last_name for p in entries[0].mentors} == {"Инженер", "Технолог"}


def test_the_period_decides(case):
    """The next academic year: the one pair that starts on 1 September 2026 is all there is."""
    coverage = compute_coverage(
        [case.school_a.pk],
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2027, 8, 31),
        on=datetime.date(2026, 9, 1),
    )
    figures = coverage.figures(case.school_a.pk)
    assert figures["mentees_10_18"][SS] == 1  # «Позже», 14 by then
    assert figures["mentors_15_18"][SS] == 1  # «НаставникВне», 17 by then
    assert sum(n for forms in figures.values() for n in forms.values()) == 2


def test_unknown_figure_or_form_is_refused(case):
    with pytest.raises(ValueError):
        coverage_people(case.school_a.pk, "pupils", SS, start=START, end=END, on=ON)


def test_one_query_on_postgresql_two_elsewhere_whatever_the_number_of_schools(case, world):
    few = [case.school_a.pk]
    many = [case.school_a.pk, case.school_b.pk] + [
        OrganizationFactory(municipality=world.municipality).pk for _ in range(5)
    ]
    with CaptureQueriesContext(connection) as first:
        compute_coverage(few, start=START, end=END, on=ON)
    with CaptureQueriesContext(connection) as second:
        compute_coverage(many, start=START, end=END, on=ON)
    assert len(first) == len(second) == (1 if connection.vendor == "postgresql" else 2)


def test_no_organizations_no_queries(db):
    with CaptureQueriesContext(connection) as queries:
        coverage = compute_coverage([], start=START, end=END, on=ON)
    assert len(queries) == 0
    assert coverage.total["mentees_10_18"][SS] == 0
