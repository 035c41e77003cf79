"""The roadmap figures of the home page equal the lists they open (as tests/registry/test_figures.py
asks of every figure): a school's items due within 14 days or overdue, and the overdue ones, counted
by the due list's own reading; the coordinator's counts per school equal each school's list. The
figures are cached with the home page's others, and a roadmap write gives fresh ones."""

import pytest
from django.urls import reverse

from roadmaps.choices import ExecutionStatus
from tests.registry.test_figures import figures_on, list_count
from tests.roadmaps.data import make_roadmaps


@pytest.fixture
def data(world):
    return make_roadmaps(world)


def due_figures(client, url):
    prefix = reverse("roadmaps:due_list")
    return [(href, shown) for href, shown in figures_on(client, url) if href.startswith(prefix)]


@pytest.mark.parametrize(
    ("actor", "shown"),
    [
        # A curator's «Что сделать дальше» has the overdue step first, then the roadmap block.
        ("curator_a", [1, 3, 1]),
        ("director_a", [3, 1]),
        ("curator_b", [1, 2, 1]),
    ],
)
def test_it_shows_on_the_home_page_the_due_items_the_due_list_counts(client, world, data, actor, shown):
    client.force_login(getattr(world, actor))
    figures = due_figures(client, reverse("home"))
    assert [figure for _, figure in figures] == shown
    for url, shown in figures:
        assert list_count(client, url) == shown, url


def test_it_lists_the_nearest_items_and_the_overdue_step_on_a_curators_home(client, world, data):
    client.force_login(world.curator_a)
    response = client.get(reverse("home"))
    body = response.content.decode()
    [school] = response.context["roadmap_due"]
    assert [line["number"] for line in school["items"]] == ["1.", "2.", "1.2."]  # overdue first, then nearest
    assert data.school_items[0].title in body
    assert "Просрочены пункты дорожной карты: 1 пункт" in body
    # The director reads the block but has no steps to take.
    client.force_login(world.director_a)
    body = client.get(reverse("home")).content.decode()
    assert "Дорожная карта: сроки в ближайшие 14 дней" in body
    assert "Просрочены пункты дорожной карты" not in body


def test_it_shows_no_roadmap_block_to_the_coordinator(client, world, data):
    client.force_login(world.coordinator)
    response = client.get(reverse("home"))
    assert response.context["roadmap_due"] == []
    assert not due_figures(client, reverse("home"))


def test_it_gives_fresh_figures_after_a_roadmap_write(client, world, data):
    client.force_login(world.curator_a)
    assert [shown for _, shown in due_figures(client, reverse("home"))] == [1, 3, 1]
    item = data.school_items[0]
    client.post(reverse("roadmaps:execution_edit", args=[item.pk, world.school_a.pk]), {"status": ExecutionStatus.DONE})
    # No cache cleared by hand: the write's journal line gives the next visit a new key.
    assert [shown for _, shown in due_figures(client, reverse("home"))] == [2]


def test_it_shows_the_coordinator_per_school_counts_that_equal_each_schools_list(client, world, data):
    client.force_login(world.coordinator)
    figures = due_figures(client, reverse("roadmaps:due_list"))
    assert len(figures) == 2 * 2 + 2  # open and soon for both schools, overdue for both
    for url, shown in figures:
        assert list_count(client, url) == shown, url
    # School A: three municipal items for every school, three of its own roadmap, two of its copy.
    summary = {entry.organization: entry for entry in client.get(reverse("roadmaps:due_list")).context["summary"]}
    assert (summary[world.school_a].open, summary[world.school_a].soon, summary[world.school_a].overdue) == (8, 3, 1)
