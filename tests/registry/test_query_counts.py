"""Every list page costs the same number of queries whatever the number of rows: relations
are joined or prefetched, never fetched row by row."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.testing.factories import (
    ConsentFactory,
    MenteeRecordFactory,
    MentorRecordFactory,
    OrganizationFactory,
    PersonFactory,
    TeacherFactory,
)
from registry.choices import ConsentKind
from registry.models import MentorLevel, MentorshipForm, RequestTopic

PAGES = [
    "registry:person_list",
    "registry:mentor_list",
    "registry:mentee_list",
    "registry:consent_list",
    "registry:organization_list",
    "home",
]


def add_rows(world, count: int) -> None:
    """`count` rows of every list in the coordinator's municipality, spread over both schools,
    each row with the relations its table shows."""
    forms = list(MentorshipForm.objects.all()[:2])
    topics = [RequestTopic.objects.get_or_create(name=name)[0] for name in ("Адаптация", "Профориентация")]
    level, _ = MentorLevel.objects.get_or_create(name="Старший наставник")
    today = timezone.localdate()
    for index in range(count):
        school = world.school_a if index % 2 else world.school_b
        OrganizationFactory(municipality=world.municipality)

        mentor = MentorRecordFactory(person=TeacherFactory(organization=school), level=level, is_trained=True)
        mentor.forms.set(forms)
        mentor.topics.set(topics)

        mentee = MenteeRecordFactory(person=PersonFactory(organization=school), portrait="active")
        mentee.forms.set(forms[:1])
        mentee.requests.set(topics)

        for person in (mentor.person, mentee.person):
            ConsentFactory(person=person, kind=ConsentKind.MENTORING)
        ConsentFactory(
            person=mentee.person,
            kind=ConsentKind.PARENT,
            representative_name="Родитель Наставляемого",
            withdrawn_on=today - datetime.timedelta(days=1) if index == 0 else None,
        )
        ConsentFactory(person=mentor.person, kind=ConsentKind.PERSONAL_DATA)


def queries_for(client, url: str) -> int:
    """Queries of a visit with nothing cached (the factories write without a journal line, which
    is how the home page's cache would otherwise learn of them)."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_it_renders_a_page_in_as_many_queries_for_30_rows_as_for_3(client, world, name):
    assert MentorshipForm.objects.count() >= 2, "the reference forms come with the migrations"
    client.force_login(world.coordinator)
    url = reverse(name)

    add_rows(world, 3)
    with_3 = queries_for(client, url)
    add_rows(world, 27)
    with_30 = queries_for(client, url)

    assert with_30 == with_3


def test_it_shows_the_rows_it_counted(client, world):
    """The page measured above really lists what was added (25 rows a page)."""
    client.force_login(world.coordinator)
    add_rows(world, 30)

    response = client.get(reverse("registry:mentor_list"))

    table = response.context["table"]
    assert table.paginator.count == 30
    assert len(table.page.object_list) == 25
    assert "Адаптация, Профориентация" in response.content.decode()
