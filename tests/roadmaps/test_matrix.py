"""The coordinator's matrix of a municipal roadmap (items for schools × the schools): its figures
agree with its cells, overdue is exactly «past the last window's end and not closed», the filters
narrow what the URL says, and only those who see the whole municipality open it."""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing.factories import OrganizationFactory
from registry.choices import OrganizationKind
from roadmaps import selectors, services
from roadmaps.choices import CLOSED_STATUSES, ExecutionStatus
from roadmaps.models import Roadmap, RoadmapItem
from tests.roadmaps.matrix_world import TODAY, bulk_matrix, mixed_states, seed_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(world):
    seed = seed_roadmap(world, extra_schools=1)
    mixed_states(world, seed)
    return seed


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def matrix_page(client, user, roadmap, **params):
    client.force_login(user)
    return client.get(reverse("roadmaps:matrix", args=[roadmap.pk]), params)


def cells_of(html: str) -> list[str]:
    """The words of every cell, as a screen reader hears them."""
    return re.findall(r'<td class="matrix-cell[^"]*" title="([^"]*)"', html)


# --- Figures -------------------------------------------------------------------------------


def test_it_counts_a_schools_share_as_its_done_cells_among_the_rows(world, seed):
    matrix = selectors.execution_matrix(seed.roadmap, today=TODAY)
    assert [row.item.number for row in matrix.rows] == [item.number for item in seed.tracked]
    for column, organization in enumerate(matrix.organizations):
        cells = [row.cells[column] for row in matrix.rows]
        share = matrix.by_organization[organization.pk]
        assert share.done == sum(cell.status == ExecutionStatus.DONE for cell in cells)
        assert share.asked == sum(cell.addressed and cell.status != ExecutionStatus.NOT_REQUIRED for cell in cells)
    a = matrix.by_organization[world.school_a.pk]
    assert (a.done, a.asked, a.percent) == (2, 7, 29)  # 1.4 and 3.1 done; 4.2 not required is not asked
    assert sum(share.done for share in matrix.by_organization.values()) == matrix.total.done == 3


def test_it_counts_a_stages_and_an_items_share_over_the_same_cells(world, seed):
    matrix = selectors.execution_matrix(seed.roadmap, today=TODAY)
    for stage in matrix.stages:
        rows = [row for row in matrix.rows if row.stage.pk == stage.pk]
        assert matrix.by_stage[stage.pk].done == sum(row.share.done for row in rows)
        assert matrix.by_stage[stage.pk].asked == sum(row.share.asked for row in rows)
    first = matrix.rows[0]
    assert first.item.number == "1.4."
    assert (first.share.done, first.share.asked) == (2, 3)


def test_it_marks_overdue_exactly_the_cells_past_the_last_windows_end_and_not_closed(world, seed):
    matrix = selectors.execution_matrix(seed.roadmap, today=TODAY)
    overdue = {
        (row.item.number, org.pk)
        for row in matrix.rows
        for org, cell in zip(matrix.organizations, row.cells, strict=True)
        if cell.overdue
    }
    expected = {
        (row.item.number, org.pk)
        for row in matrix.rows
        for org, cell in zip(matrix.organizations, row.cells, strict=True)
        if row.item.due_end < TODAY and cell.status not in CLOSED_STATUSES
    }
    assert overdue == expected
    # 4.2 (24.02.2021): school A said «не требуется», the others are late; 3.1 ends 30.11.2024.
    third = matrix.organizations[2]
    assert ("4.2.", world.school_a.pk) not in overdue
    assert {("4.2.", world.school_b.pk), ("4.2.", third.pk), ("1.4.", third.pk)} <= overdue
    assert not any(number == "3.1" for number, _ in overdue)


def test_it_leaves_the_authoritys_own_items_and_the_headings_out(world, seed):
    matrix = selectors.execution_matrix(seed.roadmap, today=TODAY)
    numbers = [row.item.number for row in matrix.rows]
    assert "1.1." not in numbers  # «Управление образования» alone
    assert not any(row.item.children.exists() for row in matrix.rows)


def test_it_shows_a_heading_with_sub_items_for_schools_only_through_its_sub_items(world):
    seed = seed_roadmap(world)
    parent = seed.items["2.1."]
    child = services.item_save(
        item=RoadmapItem(
            roadmap=seed.roadmap,
            parent=parent,
            number="2.1.1.",
            title="Наполнение раздела",
            deadline_text="2022 г.",
            responsible_organization="Руководители ОО",
        ),
        user=world.coordinator,
    )
    rows = [row.item for row in selectors.execution_matrix(seed.roadmap, today=TODAY).rows]
    assert child in rows and parent not in rows
    assert selectors.stage_of(list(seed.roadmap.items.all()))[child.pk] == seed.items["2."]


def test_it_leaves_a_school_an_item_does_not_name_empty_and_uncounted(world, seed):
    named = services.item_save(
        item=RoadmapItem(
            roadmap=seed.roadmap,
            parent=seed.items["4."],
            number="4.4.",
            title="Трансляция лучших практик на слёте молодых педагогов",
            deadline_text="2022 г.",
            responsible_organization="МБОУ «СОШ № 2»",
        ),
        user=world.coordinator,
    )
    matrix = selectors.execution_matrix(seed.roadmap, today=TODAY)
    row = next(row for row in matrix.rows if row.item == named)
    by_org = dict(zip([org.pk for org in matrix.organizations], row.cells, strict=True))
    assert by_org[world.school_b.pk].addressed and by_org[world.school_b.pk].overdue
    assert not by_org[world.school_a.pk].addressed and not by_org[world.school_a.pk].overdue
    assert (row.share.done, row.share.asked) == (0, 1)


# --- The page ------------------------------------------------------------------------------


def test_it_shows_every_school_item_and_school_with_their_states(client, world, seed):
    response = matrix_page(client, world.coordinator, seed.roadmap)
    assert response.status_code == 200
    html = response.content.decode()
    for item in seed.tracked:
        assert item.title in html
    for number in (1, 2, 3):
        assert f">МБОУ «СОШ №\xa0{number}»</span>" in html
    cells = cells_of(html)
    assert len(cells) == len(seed.tracked) * 3
    assert "МБОУ «СОШ №\xa01», пункт 1.4.: выполнено, есть файл" in cells
    assert "МБОУ «СОШ №\xa02», пункт 4.2.: не начато, просрочено" in cells
    assert "МБОУ «СОШ №\xa01», пункт 4.2.: не требуется" in cells
    assert sum("просрочено" in cell for cell in cells) == 6
    assert "bi-paperclip" in html
    assert "Выполнено: 3\xa0из\xa023 · 13\xa0%" in html
    assert "Просрочено: 6 отметок" in html


def test_it_puts_the_share_of_every_school_under_its_column(client, world, seed):
    html = matrix_page(client, world.coordinator, seed.roadmap).content.decode()
    footer = html.split("<tfoot>")[1]
    shares = re.findall(
        r'<span class="d-block">([^<]*)</span><span class="visually-hidden"> · </span><span class="d-block fw-semibold">([^<]*)</span>',
        footer,
    )
    assert shares == [
        ("2\xa0из\xa07", "29\xa0%"),
        ("1\xa0из\xa08", "13\xa0%"),
        ("0\xa0из\xa08", "0\xa0%"),
        ("3\xa0из\xa023", "13\xa0%"),
    ]


def test_it_groups_the_rows_under_their_stages_with_the_stages_share(client, world, seed):
    html = matrix_page(client, world.coordinator, seed.roadmap).content.decode()
    stages = re.findall(r'<tr class="matrix-stage">\s*<th scope="rowgroup" class="matrix-item">([^<]*)</th>', html)
    assert [stage.split()[0] for stage in stages] == ["1.", "2.", "3.", "4.", "5."]
    assert html.index("Формирование базы наставников") < html.index(
        "Формирование школьного реестра наставников-учителей"
    )


def test_it_narrows_the_rows_to_a_stage(client, world, seed):
    stage = seed.items["3."]
    html = matrix_page(client, world.coordinator, seed.roadmap, stage=stage.pk).content.decode()
    assert len(cells_of(html)) == 2 * 3
    assert "Формирование школьного реестра наставников-учащихся" in html
    assert "Проведение анкетирования" not in html


def test_it_narrows_the_columns_to_a_school(client, world, seed):
    html = matrix_page(client, world.coordinator, seed.roadmap, organization=world.school_b.pk).content.decode()
    cells = cells_of(html)
    assert len(cells) == len(seed.tracked)
    assert all(cell.startswith("МБОУ «СОШ №\xa02»") for cell in cells)
    assert "МБОУ «СОШ №\xa01»</span>" not in html


@pytest.mark.parametrize(
    ("state", "numbers"),
    [
        ("overdue", ["1.4.", "4.2.", "4.3."]),
        (ExecutionStatus.DONE, ["1.4.", "3.1"]),
        (ExecutionStatus.IN_PROGRESS, ["2.1.", "2.2."]),
        (ExecutionStatus.NOT_REQUIRED, ["4.2."]),
    ],
)
def test_it_keeps_the_rows_with_a_cell_in_the_state_asked(client, world, seed, state, numbers):
    response = matrix_page(client, world.coordinator, seed.roadmap, state=state)
    shown = [line.row.item.number for line in response.context["lines"] if line.kind == "item"]
    assert shown == numbers


def test_it_never_shows_a_school_of_another_municipality(client, world, seed):
    html = matrix_page(client, world.coordinator, seed.roadmap).content.decode()
    assert "Устюженская" not in html
    response = matrix_page(client, world.coordinator, seed.roadmap, organization=world.school_elsewhere.pk)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Такой школы нет среди школ муниципалитета" in html
    assert "Устюженская" not in html and not cells_of(html)
    # Staff see every municipality, and still only this roadmap's schools.
    from core.testing.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    html = matrix_page(client, admin, seed.roadmap).content.decode()
    assert len(cells_of(html)) == len(seed.tracked) * 3 and "Устюженская" not in html


def test_it_offers_only_the_municipalitys_schools_and_the_stages_with_school_items(client, world, seed):
    OrganizationFactory(municipality=world.municipality, kind=OrganizationKind.PARTNER, short_name="ООО «Партнёр»")
    form = matrix_page(client, world.coordinator, seed.roadmap).context["form"]
    schools = [label for value, label in form.fields["organization"].choices if value]
    assert schools == ["МБОУ «СОШ №\xa01»", "МБОУ «СОШ №\xa02»", "МБОУ «СОШ №\xa03»"]
    stages = [label.split()[0] for value, label in form.fields["stage"].choices if value]
    assert stages == ["1.", "2.", "3.", "4.", "5."]
    assert [value for value, _ in form.fields["state"].choices] == ["", *ExecutionStatus.values, "overdue"]


@pytest.mark.parametrize(
    "params", [{"stage": "abc"}, {"stage": "999999"}, {"organization": "99999999999999999999"}, {"state": "lost"}]
)
def test_it_answers_a_filter_it_cannot_take_with_a_message_not_an_error(client, world, seed, params):
    response = matrix_page(client, world.coordinator, seed.roadmap, **params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Матрица не показана" in html and 'aria-invalid="true"' in html
    assert "Сбросить" in html


def test_it_links_a_cell_to_the_execution_form_for_those_who_mark_it(client, world, seed, monkeypatch):
    from roadmaps import matrix

    monkeypatch.setattr(matrix, "reverse", lambda name, args: f"/roadmaps/items/{args[0]}/execution/{args[1]}/")
    item = seed.items["1.4."]
    html = matrix_page(client, world.coordinator, seed.roadmap).content.decode()
    assert f'href="/roadmaps/items/{item.pk}/execution/{world.school_a.pk}/"' in html
    html = matrix_page(client, world.observer, seed.roadmap).content.decode()
    assert "/execution/" not in html  # observers read


def test_it_says_so_when_no_item_is_for_schools(client, world):
    seed = seed_roadmap(world)
    RoadmapItem.objects.filter(roadmap=seed.roadmap).update(for_schools=False)
    html = matrix_page(client, world.coordinator, seed.roadmap).content.decode()
    assert "Пунктов, адресованных школам, нет." in html
    assert "«Ответственные: ОО»" in html
    assert "<table" not in html


def test_it_says_so_when_the_filters_leave_no_row(client, world):
    seed = seed_roadmap(world)
    html = matrix_page(client, world.coordinator, seed.roadmap, state=ExecutionStatus.DONE).content.decode()
    assert "Под условия отбора не подходит ни один пункт." in html
    assert "<table" not in html


def test_it_has_a_legend_of_every_colour(client, world, seed):
    html = matrix_page(client, world.coordinator, seed.roadmap).content.decode()
    legend = html.split('aria-label="Обозначения"')[1].split("</ul>")[0]
    for words in ("Не начато", "В работе", "Выполнено", "Не требуется", "Просрочено", "не адресован", "файл"):
        assert words in legend


# --- Who may open it -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("coordinator", 200),
        ("observer", 200),
        ("curator_a", 403),
        ("director_a", 403),
        ("curator_b", 403),
        ("coordinator_elsewhere", 404),
    ],
)
def test_it_opens_the_matrix_to_those_who_see_every_school(client, world, seed, actor, status):
    assert matrix_page(client, getattr(world, actor), seed.roadmap).status_code == status


def test_it_sends_an_anonymous_visitor_to_log_in(client, seed):
    response = client.get(reverse("roadmaps:matrix", args=[seed.roadmap.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_has_no_matrix_for_a_schools_roadmap(client, world):
    roadmap = services.roadmap_save(
        roadmap=Roadmap(
            municipality=world.municipality,
            organization=world.school_a,
            title="Дорожная карта школы",
            starts_on=TODAY.replace(month=9, day=1, year=2022),
            ends_on=TODAY.replace(month=8, day=31, year=2023),
        ),
        user=world.curator_a,
    )
    assert matrix_page(client, world.coordinator, roadmap).status_code == 404
    assert matrix_page(client, world.curator_a, roadmap).status_code == 404
    assert matrix_page(client, world.curator_b, roadmap).status_code == 404


# --- Queries -------------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("params", ["", "?state=overdue", "?organization={school}"])
def test_it_costs_as_many_queries_for_10_items_by_20_schools_as_for_3_by_5(client, world, params):
    client.force_login(world.coordinator)
    small = bulk_matrix(world, items=3, schools=3)  # with schools A and B: 5
    small_url = reverse("roadmaps:matrix", args=[small.pk]) + params.format(school=world.school_a.pk)
    small_count = queries_for(client, small_url)
    large = bulk_matrix(world, items=10, schools=15)  # 20 schools now
    large_url = reverse("roadmaps:matrix", args=[large.pk]) + params.format(school=world.school_a.pk)
    large_count = queries_for(client, large_url)
    assert large_count == small_count
    # The session, the user, the roles, the roadmap, its items and windows, the schools, the
    # schools an item names, the executions, the school select (and the chosen school's check).
    assert large_count <= 11
    if not params:
        assert len(cells_of(client.get(large_url).content.decode())) == 10 * 20


def test_it_leads_back_to_the_roadmap_and_the_list_once_their_pages_exist(client, world, seed, monkeypatch):
    from roadmaps import views

    html = matrix_page(client, world.coordinator, seed.roadmap).content.decode()
    assert 'aria-current="page">Исполнение по школам' in html
    monkeypatch.setattr(views, "reverse", lambda name, args=(): f"/{name.split(':')[1]}/{''.join(map(str, args))}")
    html = matrix_page(client, world.coordinator, seed.roadmap).content.decode()
    assert '<a href="/roadmap_list/">Дорожные карты</a>' in html
    assert f'<a href="/roadmap_detail/{seed.roadmap.pk}">Дорожная карта внедрения' in html
