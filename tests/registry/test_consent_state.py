"""One definition of a person's consent state, written twice: in SQL (registry.selectors, which
filters the lists and counts the home page) and in Python (`Person.consent_state`, which the
lists and the person's page show). They must agree case by case, or a badge would contradict
the filter it sits beside."""

import datetime
import itertools

import pytest
from django.utils import timezone

from core.testing.factories import ConsentFactory, MenteeRecordFactory, MentorRecordFactory, PersonFactory
from registry.choices import ConsentKind
from registry.filters import PersonFilter
from registry.models import Person, years_ago
from registry.selectors import person_list

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)

BIRTHS = {
    "minor": years_ago(14, TODAY),
    "adult": years_ago(30, TODAY),
    "18 today": years_ago(18, TODAY),
    "18 tomorrow": years_ago(18, TODAY) + datetime.timedelta(days=1),
}
BASES = ["none", "mentor", "mentee"]
#: Consents as (kind, state): active, withdrawn, or withdrawn then given again.
CONSENT_SETS = [
    (),
    ((ConsentKind.MENTORING, "active"),),
    ((ConsentKind.MENTORING, "active"), (ConsentKind.PARENT, "active")),
    ((ConsentKind.MENTORING, "active"), (ConsentKind.PERSONAL_DATA, "active")),
    ((ConsentKind.MENTORING, "withdrawn"), (ConsentKind.PERSONAL_DATA, "active")),
    ((ConsentKind.MENTORING, "again"), (ConsentKind.PARENT, "active")),
    ((ConsentKind.MENTORING, "active"), (ConsentKind.PARENT, "withdrawn"), (ConsentKind.PERSONAL_DATA, "active")),
]


@pytest.fixture
def everyone(world):
    people = []
    for birth, base, consents in itertools.product(BIRTHS.values(), BASES, CONSENT_SETS):
        person = PersonFactory(organization=world.school_a, birth_date=birth)
        if base == "mentor":
            MentorRecordFactory(person=person)
        elif base == "mentee":
            MenteeRecordFactory(person=person)
        for kind, state in consents:
            extra = {"representative_name": "Родитель"} if kind == ConsentKind.PARENT else {}
            if state in ("withdrawn", "again"):
                ConsentFactory(person=person, kind=kind, withdrawn_on=YESTERDAY, **extra)
            if state in ("active", "again"):
                ConsentFactory(person=person, kind=kind, **extra)
        people.append(person)
    return people


def test_it_agrees_in_python_and_in_sql_for_every_case(world, everyone):
    sql = {p.pk: p for p in Person.objects.filter(pk__in=[p.pk for p in everyone]).with_consent_state()}
    shown = {p.pk: p.consent_state for p in person_list(user=world.curator_a)}

    assert len(shown) == len(everyone) == len(BIRTHS) * len(BASES) * len(CONSENT_SETS)
    for pk, state in shown.items():
        row = sql[pk]
        assert (state.withdrawn, state.needs, state.lacks, state.missing) == (
            row.consent_withdrawn,
            row.needs_consents,
            row.lacks_consents,
            row.consents_missing,
        ), (row.birth_date, pk)


@pytest.mark.parametrize("value", ["missing", "complete", "not_needed"])
def test_it_filters_the_list_as_the_badges_read(world, everyone, value):
    listed = PersonFilter(data={"consent": value}, queryset=person_list(user=world.curator_a), user=world.curator_a)
    badges = {
        "missing": lambda s: s.missing,
        "complete": lambda s: s.needs and not s.lacks,
        "not_needed": lambda s: not s.needs,
    }[value]
    expected = {
        p.pk for p in person_list(user=world.curator_a) if not p.consent_state.withdrawn and badges(p.consent_state)
    }
    assert expected
    assert {p.pk for p in listed.qs} == expected


def test_it_reads_the_state_of_a_page_of_people_in_two_queries(world, everyone, django_assert_num_queries):
    from core.scoping import get_scope

    get_scope(world.curator_a)  # the scope is read once per request, before the list
    with django_assert_num_queries(2):  # the people with their bases, then their consents
        states = [p.consent_state for p in person_list(user=world.curator_a)[:25]]
    assert len(states) == 25
