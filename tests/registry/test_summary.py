"""The home page's figures count what the registry holds, for each actor's scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing.factories import (
    ConsentFactory,
    MenteeRecordFactory,
    MentorRecordFactory,
    PersonFactory,
    TeacherFactory,
)
from registry.choices import ConsentKind
from registry.selectors import registry_summary


@pytest.fixture
def school_a_people(world):
    """In school A: a teacher mentor with both consents, a minor mentee with only the mentoring
    consent (the parent's is missing), a minor mentee with both, and a student who withdrew."""
    mentor = MentorRecordFactory(person=TeacherFactory(organization=world.school_a)).person
    ConsentFactory(person=mentor, kind=ConsentKind.MENTORING)
    ConsentFactory(person=mentor, kind=ConsentKind.PERSONAL_DATA)
    lacking = MenteeRecordFactory(person=PersonFactory(organization=world.school_a)).person
    ConsentFactory(person=lacking, kind=ConsentKind.MENTORING)
    complete = MenteeRecordFactory(person=PersonFactory(organization=world.school_a)).person
    ConsentFactory(person=complete, kind=ConsentKind.MENTORING)
    ConsentFactory(person=complete, kind=ConsentKind.PARENT, representative_name="Иванова Ольга Петровна")
    withdrawn = MenteeRecordFactory(person=PersonFactory(organization=world.school_a)).person
    ConsentFactory(
        person=withdrawn, kind=ConsentKind.MENTORING, withdrawn_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    PersonFactory(organization=world.school_b)
    return {"mentor": mentor, "lacking": lacking, "complete": complete, "withdrawn": withdrawn}


def test_it_counts_people_bases_and_missing_consents(world, school_a_people):
    summary = registry_summary(user=world.curator_a)
    assert summary == {
        "persons": 3,
        "students": 2,
        "teachers": 1,
        "mentors": 1,
        "mentees": 2,
        "consents_missing": 1,
        "withdrawn": 1,
    }


def test_it_counts_the_whole_municipality_for_the_coordinator(world, school_a_people):
    summary = registry_summary(user=world.coordinator)
    assert summary["persons"] == 4
    assert summary["consents_missing"] == 1
    assert registry_summary(user=world.curator_b)["persons"] == 1
    assert registry_summary(user=world.coordinator_elsewhere)["persons"] == 0


def test_it_shows_the_curator_what_to_do_next(client, world, school_a_people):
    client.force_login(world.curator_a)
    body = client.get(reverse("home")).content.decode()
    assert "Что сделать дальше" in body
    assert "Внесите контингент" in body
    assert "Соберите недостающие согласия: 1 человек в базах" in body
