"""Every figure on a page equals the length of the list it links to (ISSUE: the curator's home said
«без нужных согласий: 7» and its link opened 423 people; the coordinator's table summed to 246
mentees while the tile said 242).

The figures carry `data-figure` with the number shown; each is followed to its list and compared
with the list's count, for every role's home page, the organization list and an organization's page.
People in neither base need no consent yet (registry.selectors.needs_consents_condition); people who
withdrew consent are counted nowhere but in «отозвали согласие»."""

import datetime
from html.parser import HTMLParser

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

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


class FigureLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.figures: list[tuple[str, int]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "data-figure" in attrs:
            self.figures.append((attrs["href"], int(attrs["data-figure"])))


def figures_on(client, url) -> list[tuple[str, int]]:
    response = client.get(url)
    assert response.status_code == 200
    parser = FigureLinks()
    parser.feed(response.content.decode())
    return parser.figures


def list_count(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["table"].paginator.count


@pytest.fixture
def registry_people(world):
    """A bit of everything, in both schools of the municipality."""
    for school in (world.school_a, world.school_b):
        mentor = MentorRecordFactory(person=TeacherFactory(organization=school)).person
        ConsentFactory(person=mentor, kind=ConsentKind.MENTORING)
        ConsentFactory(person=mentor, kind=ConsentKind.PERSONAL_DATA)
        lacking = MenteeRecordFactory(person=PersonFactory(organization=school)).person
        ConsentFactory(person=lacking, kind=ConsentKind.MENTORING)
        complete = MenteeRecordFactory(person=PersonFactory(organization=school)).person
        ConsentFactory(person=complete, kind=ConsentKind.MENTORING)
        ConsentFactory(person=complete, kind=ConsentKind.PARENT, representative_name="Иванова Ольга Петровна")
        withdrawn = MenteeRecordFactory(person=PersonFactory(organization=school)).person
        ConsentFactory(person=withdrawn, kind=ConsentKind.MENTORING, withdrawn_on=YESTERDAY)
        withdrawn_mentor = MentorRecordFactory(person=TeacherFactory(organization=school)).person
        ConsentFactory(person=withdrawn_mentor, kind=ConsentKind.PERSONAL_DATA, withdrawn_on=YESTERDAY)
        reconsented = MenteeRecordFactory(person=PersonFactory(organization=school)).person
        ConsentFactory(person=reconsented, kind=ConsentKind.MENTORING, withdrawn_on=YESTERDAY)
        ConsentFactory(person=reconsented, kind=ConsentKind.MENTORING)
        for _ in range(3):
            PersonFactory(organization=school)  # in no base: no consent needed yet
    PersonFactory(organization=world.school_elsewhere)


@pytest.mark.parametrize("actor", ["coordinator", "observer", "curator_a", "director_a", "curator_b"])
def test_it_shows_on_the_home_page_only_figures_that_equal_their_lists(client, world, registry_people, actor):
    client.force_login(getattr(world, actor))
    figures = figures_on(client, reverse("home"))

    assert len(figures) >= 5
    for url, shown in figures:
        assert list_count(client, url) == shown, url


def test_it_counts_what_the_issue_saw(client, world, registry_people):
    """The coordinator's figures as numbers: the three people in no base are not «без согласий»,
    the withdrawn are counted only as withdrawn, the table sums to the tiles."""
    client.force_login(world.coordinator)
    figures = dict(figures_on(client, reverse("home")))

    # Per school: the mentee without a parent's consent and the minor who re-consented to mentoring only.
    assert figures[reverse("registry:person_list") + "?consent=missing"] == 4
    assert figures[reverse("registry:person_list") + "?withdrawn=only"] == 4
    assert figures[reverse("registry:mentee_list")] == 6
    table_mentees = sum(
        shown
        for url, shown in figures_on(client, reverse("home"))
        if url.startswith(reverse("registry:mentee_list") + "?organization=")
    )
    assert table_mentees == 6


def test_it_shows_the_curator_the_same_number_in_the_tile_and_the_next_step(client, world, registry_people):
    client.force_login(world.curator_a)
    body = client.get(reverse("home")).content.decode()
    assert "Соберите недостающие согласия: 2 человека в базах" in body
    assert dict(figures_on(client, reverse("home")))[reverse("registry:person_list") + "?consent=missing"] == 2


def test_it_shows_on_the_organization_list_counts_that_equal_their_lists(client, world, registry_people):
    client.force_login(world.coordinator)
    figures = figures_on(client, reverse("registry:organization_list"))

    assert len(figures) == 3 * 2  # people, mentors, mentees of both schools (the elsewhere one is not seen)
    for url, shown in figures:
        assert list_count(client, url) == shown, url


@pytest.mark.parametrize("actor", ["coordinator", "curator_a", "director_a"])
def test_it_shows_on_an_organizations_page_counts_that_equal_their_lists(client, world, registry_people, actor):
    client.force_login(getattr(world, actor))
    figures = figures_on(client, reverse("registry:organization_detail", args=[world.school_a.pk]))

    assert len(figures) == 4
    for url, shown in figures:
        assert list_count(client, url) == shown, url


def test_it_agrees_between_the_home_table_and_the_organizations_page(client, world, registry_people):
    client.force_login(world.coordinator)
    home = [shown for url, shown in figures_on(client, reverse("home")) if f"organization={world.school_a.pk}" in url]
    page = figures_on(client, reverse("registry:organization_detail", args=[world.school_a.pk]))
    people, _missing, mentors, mentees = (shown for _, shown in page)
    assert home == [people, mentors, mentees]


def test_it_tells_who_needs_no_consent_yet_in_the_people_list(client, world, registry_people):
    client.force_login(world.curator_a)
    assert list_count(client, reverse("registry:person_list") + "?consent=not_needed") == 3
    assert list_count(client, reverse("registry:person_list") + "?consent=complete") == 2
    body = client.get(reverse("registry:person_list") + "?consent=not_needed").content.decode()
    assert "не нужны" in body
    assert "не хватает" not in body
