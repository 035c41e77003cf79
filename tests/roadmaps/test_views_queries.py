"""The roadmaps pages cost the same number of queries whatever the number of items: items, windows,
executions and the schools they address are read in a fixed number of queries, never item by item."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing.factories import OrganizationFactory
from roadmaps.choices import ExecutionStatus
from tests.roadmaps.data import add_item, day, make_roadmap, mark


def add_items(world, municipal, school, count: int) -> None:
    """`count` items in each roadmap, of every kind: stages with sub-items, items the authority
    carries out, items for every school and for one, deadlines parsed, unrecognised and set by
    hand, marked by the schools."""
    for index in range(count):
        number = f"{municipal.items.count() + 1}."
        kind = index % 5
        if kind == 0:
            stage = add_item(municipal, number, f"Этап {number}")
            add_item(municipal, f"{number}1.", "Приказ", parent=stage, deadline=day(-2), responsible_municipal="УО")
        elif kind == 1:
            item = add_item(municipal, number, "Кураторы", deadline=day(4), responsible_organization="Руководители ОО")
            mark(item, world.school_a, ExecutionStatus.DONE)
            mark(item, world.school_b, ExecutionStatus.IN_PROGRESS)
        elif kind == 2:
            add_item(municipal, number, "Площадка", deadline=day(9), responsible_organization=str(world.school_b))
        elif kind == 3:
            add_item(municipal, number, "Программы", deadline="по согласованию", responsible_organization="Кураторы")
        else:
            add_item(municipal, number, "Мониторинг", deadline="постоянно", responsible_organization="Кураторы")
        own = add_item(school, f"{school.items.count() + 1}.", "Пункт школы", deadline=day(index - 3))
        if index % 2:
            mark(own, world.school_a, ExecutionStatus.IN_PROGRESS, comment="В работе")


def queries_for(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def roadmaps(world):
    municipal = make_roadmap(world.municipality, title="Муниципальная")
    school = make_roadmap(world.municipality, world.school_a, title="Школьная")
    return municipal, school


@pytest.mark.parametrize("actor", ["coordinator", "curator_a", "director_a"])
def test_it_renders_a_roadmap_in_as_many_queries_for_30_items_as_for_5(client, world, roadmaps, actor):
    municipal, school = roadmaps
    client.force_login(getattr(world, actor))
    add_items(world, municipal, school, 5)
    few = [queries_for(client, municipal.get_absolute_url()), queries_for(client, school.get_absolute_url())]
    add_items(world, municipal, school, 25)
    OrganizationFactory(municipality=world.municipality)  # a school more to address
    assert municipal.items.count() > 30
    many = [queries_for(client, municipal.get_absolute_url()), queries_for(client, school.get_absolute_url())]
    assert many == few


@pytest.mark.parametrize("actor", ["curator_a", "director_a"])
def test_it_renders_a_schools_due_list_in_as_many_queries_for_30_items_as_for_5(client, world, roadmaps, actor):
    municipal, school = roadmaps
    client.force_login(getattr(world, actor))
    add_items(world, municipal, school, 5)
    urls = [reverse("roadmaps:due_list"), reverse("roadmaps:due_list") + "?show=soon", reverse("home")]
    few = [queries_for(client, url) for url in urls]
    add_items(world, municipal, school, 25)
    assert len(client.get(urls[0]).context["table"].data) > 30
    assert [queries_for(client, url) for url in urls] == few


def test_it_renders_the_coordinators_due_list_in_as_many_queries_for_more_schools(client, world, roadmaps):
    municipal, school = roadmaps
    client.force_login(world.coordinator)
    add_items(world, municipal, school, 5)
    url = reverse("roadmaps:due_list")
    few = queries_for(client, url)
    add_items(world, municipal, school, 25)
    for _ in range(8):
        OrganizationFactory(municipality=world.municipality)
    assert len(client.get(url).context["summary"]) == 10
    assert queries_for(client, url) == few
    assert queries_for(client, url + f"?organization={world.school_a.pk}") <= few + 2


def test_it_renders_the_roadmap_list_in_as_many_queries_for_12_roadmaps_as_for_3(client, world, roadmaps):
    municipal, school = roadmaps
    add_items(world, municipal, school, 5)
    client.force_login(world.coordinator)
    url = reverse("roadmaps:roadmap_list")
    few = queries_for(client, url)
    for index in range(9):
        other = make_roadmap(world.municipality, world.school_b if index % 2 else None, title=f"Ещё {index}")
        add_items(world, other, school, 1) if other.is_municipal else add_item(other, "1.", "Пункт", deadline=day(1))
    assert queries_for(client, url) == few
