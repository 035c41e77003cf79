"""Mentorship pages cost the same number of queries whatever the number of rows: relations are
joined or prefetched, never fetched row by row (as tests/registry/test_query_counts.py for the
registry)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship import services
from mentorship.models import Meeting, MeetingKind, MonthlyReport, Practice, Recognition, RecognitionKind
from tests.mentorship.helpers import approved, draft, employer_mentor, pupil, teacher_mentor, young_teacher

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def queries_for(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
    return len(context.captured_queries)


def add_pairs(world, count: int) -> None:
    """`count` pairs of each kind in both schools: drafts, active groups with their work, ended ones,
    each with a recognition of its mentor and a practice."""
    for index in range(count):
        school = world.school_a if index % 2 else world.school_b
        draft(organization=school, mentor=teacher_mentor(school), mentees=[young_teacher(school)])
        active = approved(
            organization=school,
            mentor=teacher_mentor(school),
            mentees=[young_teacher(school), young_teacher(school)],
            start=TODAY - 70 * DAY,
        )
        MonthlyReport.objects.create(pair=active, month=active.start_on.replace(day=1), text="Отчёт")
        Recognition.objects.create(
            person=active.mentor, pair=active, kind=RecognitionKind.GRATITUDE, awarded_on=TODAY, grounds="Приказ"
        )
        practice = Practice.objects.create(municipality=world.municipality, organization=school, title="Практика")
        practice.pairs.add(active)
        approved(
            organization=school,
            mentor=teacher_mentor(school),
            mentees=[young_teacher(school)],
            start=TODAY - 300 * DAY,
            end=TODAY - 20 * DAY,
        )


PAGES = [
    ("mentorship:pair_list", "coordinator"),
    ("mentorship:pair_list", "curator_a"),
    ("mentorship:mentor_base", "curator_a"),
    ("mentorship:mentor_base", "coordinator"),
    ("mentorship:recognition_list", "coordinator"),
    ("mentorship:practice_list", "curator_b"),
    ("mentorship:pair_approve", "director_a"),
    ("home", "coordinator"),
    ("home", "curator_a"),
    ("home", "director_a"),
]


@pytest.mark.parametrize(("name", "actor"), PAGES)
def test_it_renders_a_page_in_as_many_queries_for_many_rows_as_for_a_few(client, world, name, actor):
    client.force_login(getattr(world, actor))
    url = reverse(name)
    add_pairs(world, 2)
    with_few = queries_for(client, url)
    add_pairs(world, 6)
    with_many = queries_for(client, url)
    assert with_many == with_few


def add_work(pair, mentor, *, rows: int) -> None:
    """`rows` more of everything the card lists: reports, meetings, plan items, recognitions, practices."""
    plan = pair.plan
    for index in range(rows):
        month = services.add_months(pair.start_on.replace(day=1), len(pair.monthly_reports.all()))
        MonthlyReport.objects.create(pair=pair, month=month, text="…")
        Meeting.objects.create(
            pair=pair, kind=MeetingKind.WORKING, held_on=pair.start_on + index * DAY, topic="Тема", feedback="Да"
        )
        plan.items.create(kind="other", description=f"Пункт {index}", deadline=pair.end_on)
        Recognition.objects.create(
            person=mentor, pair=pair, kind=RecognitionKind.CERTIFICATE, awarded_on=TODAY, grounds="Приказ"
        )
        practice = Practice.objects.create(municipality=pair.organization.municipality, title=f"Практика {index}")
        practice.pairs.add(pair)


def test_it_renders_a_pairs_card_in_as_many_queries_however_much_work_it_holds(client, world):
    client.force_login(world.curator_a)
    school = world.school_a
    mentor = teacher_mentor(school)
    pair = approved(organization=school, mentor=mentor, mentees=[young_teacher(school)], start=TODAY - 200 * DAY)
    services.plan_start(pair=pair, user=None)
    add_work(pair, mentor, rows=1)
    queries_for(client, pair.get_absolute_url())  # the content types of the journal, cached once a process
    with_little = queries_for(client, pair.get_absolute_url())

    services.pair_add_mentee(pair=pair, mentee=young_teacher(school), on=TODAY, user=None)
    services.pair_replace_mentor(
        pair=pair, mentor=teacher_mentor(school), on=TODAY, reason="request", comment="Просьба", user=None
    )
    add_work(pair, mentor, rows=4)
    with_much = queries_for(client, pair.get_absolute_url())
    assert with_much == with_little


def test_it_renders_the_pair_form_with_suggestions_in_as_many_queries_for_many_mentors(client, world):
    client.force_login(world.curator_a)
    school = world.school_a
    mentee = pupil(school, age=13)
    url = reverse("mentorship:pair_create") + f"?mentee={mentee.pk}"
    pupil(school, age=16, role="mentor")
    employer_mentor(world.municipality)
    with_few = queries_for(client, url)
    for _ in range(8):
        pupil(school, age=16, role="mentor")
    with_many = queries_for(client, url)
    assert with_many == with_few


def test_it_renders_a_persons_page_with_their_pairs_in_as_many_queries_for_many_pairs(client, world):
    client.force_login(world.curator_a)
    school = world.school_a
    mentor = teacher_mentor(school)
    draft(organization=school, mentor=mentor, mentees=[young_teacher(school)])
    queries_for(client, mentor.get_absolute_url())  # the content types of the journal, cached once a process
    with_one = queries_for(client, mentor.get_absolute_url())
    for _ in range(3):
        draft(organization=school, mentor=mentor, mentees=[young_teacher(school)])
    with_four = queries_for(client, mentor.get_absolute_url())
    assert with_four == with_one
