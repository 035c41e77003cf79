"""The list of roadmaps (filters in the URL, a search that ignores case and «ё» on both databases,
the share done, the export as filtered, an empty state that says what to do) and the due list (a
school's items nearest first, overdue first; a school chosen in the URL; its empty states)."""

import io

import openpyxl
import pytest
from django.urls import reverse

from core.models import AuditEntry
from core.testing.factories import user_with_role
from roadmaps.choices import ExecutionStatus, RoadmapStatus
from tests.roadmaps.data import add_item, day, make_roadmap, make_roadmaps, mark


@pytest.fixture
def data(world):
    return make_roadmaps(world)


def titles(response) -> list[str]:
    return [row.record.title for row in response.context["table"].paginated_rows]


def test_it_filters_the_list_by_status_level_school_and_title(client, world, data):
    client.force_login(world.coordinator)
    url = reverse("roadmaps:roadmap_list")
    assert len(titles(client.get(url))) == 4
    assert set(titles(client.get(url, {"level": "school"}))) == {data.school.title, data.copy.title}
    assert set(titles(client.get(url, {"level": "municipal"}))) == {data.municipal.title, data.template.title}
    # The school's own roadmap and its copy of the template are drafts (a copy starts as one).
    assert set(titles(client.get(url, {"status": RoadmapStatus.DRAFT}))) == {data.school.title, data.copy.title}
    assert set(titles(client.get(url, {"organization": world.school_a.pk}))) == {data.school.title, data.copy.title}
    # Case is ignored in Russian on both databases.
    assert titles(client.get(url, {"q": "ШАБЛОН школы"})) == [data.template.title] * 2  # and its copy
    assert titles(client.get(url, {"q": "внедрения ЦЕЛЕВОЙ"})) == [data.municipal.title]
    assert titles(client.get(url, {"q": "122\\1"})) == [data.municipal.title]  # the order's number


def test_it_finds_a_title_written_with_yo_when_searched_with_e(client, world, data):
    make_roadmap(world.municipality, title="Дорожная карта: ещё одна, «Объединённая»")
    client.force_login(world.coordinator)
    url = reverse("roadmaps:roadmap_list")
    assert titles(client.get(url, {"q": "объединенная"})) == ["Дорожная карта: ещё одна, «Объединённая»"]


def test_it_refuses_a_school_outside_the_coordinators_municipality(client, world, data):
    client.force_login(world.coordinator)
    response = client.get(reverse("roadmaps:roadmap_list"), {"organization": world.school_elsewhere.pk})
    assert "Этой школы нет среди доступных вам" in response.content.decode()
    # A curator has no school filter: their list is their school's and the municipality's.
    client.force_login(world.curator_a)
    form = client.get(reverse("roadmaps:roadmap_list")).context["filter"].form
    assert "organization" not in form.fields


def test_it_shows_the_share_done_for_the_viewers_school_or_overall(client, world, data):
    url = reverse("roadmaps:roadmap_list")
    client.force_login(world.curator_a)
    body = client.get(url, {"level": "municipal", "q": "внедрения"}).content.decode()
    # School A: 1.2 in progress, 1.3 done, 2.1 and 2.2 not started (2.3 is school B's).
    assert "25\xa0% (1 из 4)" in body
    client.force_login(world.coordinator)
    body = client.get(url, {"level": "municipal", "q": "внедрения"}).content.decode()
    # Everyone: the authority's 1.1, both schools' 1.2, 1.3, 2.1, 2.2, school B's 2.3.
    assert "10\xa0% (1 из 10)" in body
    assert "просрочено: 2" in body  # the authority's 1.1, and 1.3 of school B; school A's 1.3 is done


def test_it_exports_the_list_as_filtered_and_journals_it(client, world, data):
    client.force_login(world.coordinator)
    response = client.get(reverse("roadmaps:roadmap_list"), {"level": "school", "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Дорожная карта", "Уровень", "Период", "Приказ", "Статус", "Пунктов", "Выполнено")
    assert {row[0] for row in rows[1:]} == {data.school.title, data.copy.title}
    assert {row[1] for row in rows[1:]} == {world.school_a.short_name}
    entry = AuditEntry.objects.get(action="export")
    assert entry.data["filters"] == {"level": "school"}
    assert entry.data["personal_data"] is False


def test_it_says_what_to_do_when_there_are_no_roadmaps(client, world):
    client.force_login(world.curator_a)
    body = client.get(reverse("roadmaps:roadmap_list")).content.decode()
    assert "Загрузите дорожную карту из Word или Excel" in body
    assert reverse("import_start") + "?kind=roadmap" in body
    assert "Создать вручную" in body and reverse("roadmaps:roadmap_create") in body
    client.force_login(world.director_a)
    body = client.get(reverse("roadmaps:roadmap_list")).content.decode()
    assert "Создать вручную" not in body and "?kind=roadmap" not in body


def test_it_lists_what_a_school_has_to_do_overdue_first_then_nearest(client, world, data):
    client.force_login(world.curator_a)
    response = client.get(reverse("roadmaps:due_list"))
    due = response.context["table"].data.data
    numbers = [(entry.item.roadmap_id, entry.item.number) for entry in due]
    assert numbers[:3] == [
        (data.school.pk, "1."),  # overdue since yesterday
        (data.school.pk, "2."),  # in 3 days
        (data.municipal.pk, "1.2."),  # in 5 days
    ]
    assert due[0].overdue and not due[1].overdue
    body = response.content.decode()
    assert "срок прошёл вчера" in body and "через 3 дня" in body
    assert data.curators_item.title not in body  # done
    assert data.named_item.title not in body  # school B's
    assert data.authority_item.title not in body  # the authority's
    mark_url = reverse("roadmaps:execution_edit", args=[data.school_items[0].pk, world.school_a.pk])
    assert mark_url in body
    soon = client.get(reverse("roadmaps:due_list"), {"show": "soon"}).context["table"].data.data
    assert [entry.item.number for entry in soon] == ["1.", "2.", "1.2."]
    overdue = client.get(reverse("roadmaps:due_list"), {"show": "overdue"}).context["table"].data.data
    assert [entry.item.number for entry in overdue] == ["1."]


def test_it_shows_a_director_the_list_without_marks(client, world, data):
    client.force_login(world.director_a)
    response = client.get(reverse("roadmaps:due_list"))
    assert response.context["due_count"] == 8
    assert "Отметить" not in response.content.decode()


def test_it_lets_a_user_of_several_schools_choose_one(client, world, data):
    from core.choices import Role
    from core.models import RoleAssignment

    user = user_with_role(Role.CURATOR, world.school_a)
    RoleAssignment.objects.create(user=user, role=Role.CURATOR, organization=world.school_b)
    client.force_login(user)
    url = reverse("roadmaps:due_list")
    first = client.get(url)
    assert first.context["several"] and first.context["organization"] == world.school_a
    response = client.get(url, {"organization": world.school_b.pk})
    assert response.context["organization"] == world.school_b
    assert data.named_item.title in response.content.decode()
    response = client.get(url, {"organization": world.school_elsewhere.pk})
    assert response.context["form"].errors["organization"] == [
        "Этой школы нет среди доступных вам. Выберите школу из списка."
    ]
    assert "table" not in response.context


def test_it_says_when_everything_is_done_or_there_is_no_roadmap_yet(client, world):
    client.force_login(world.curator_b)
    assert "Дорожных карт пока нет." in client.get(reverse("roadmaps:due_list")).content.decode()
    roadmap = make_roadmap(world.municipality, world.school_b, title="Школьная")
    item = add_item(roadmap, "1.", "Совещание", deadline=day(2))
    mark(item, world.school_b, ExecutionStatus.DONE)
    assert "Все пункты выполнены." in client.get(reverse("roadmaps:due_list")).content.decode()


def test_it_opens_a_schools_list_for_the_coordinator_with_marks(client, world, data):
    client.force_login(world.coordinator)
    response = client.get(reverse("roadmaps:due_list"), {"organization": world.school_b.pk})
    body = response.content.decode()
    assert response.context["organization"] == world.school_b
    assert reverse("roadmaps:execution_edit", args=[data.named_item.pk, world.school_b.pk]) in body
