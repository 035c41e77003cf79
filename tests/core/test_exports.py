"""Every list exports what the user sees, safely, and the export is journalled."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from core.models import AuditEntry
from core.testing.factories import PersonFactory

LISTS = [
    "registry:person_list",
    "registry:mentor_list",
    "registry:mentee_list",
    "registry:consent_list",
    "registry:organization_list",
]


def _xlsx(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[cell.value for cell in row] for row in book.active.iter_rows()], book.active


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_exports_every_list(client, world, name, fmt):
    PersonFactory(organization=world.school_a)
    client.force_login(world.curator_a)
    response = client.get(reverse(name), {"export": fmt})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="export", actor=world.curator_a).count() == 1


def test_it_exports_the_filtered_scoped_list_with_russian_headers_and_real_dates(client, world):
    PersonFactory(organization=world.school_a, last_name="Соколова", birth_date=datetime.date(2011, 3, 14))
    PersonFactory(organization=world.school_a, last_name="Петров")
    PersonFactory(organization=world.school_b, last_name="Соколов")  # another school: not exported
    client.force_login(world.curator_a)
    response = client.get(reverse("registry:person_list"), {"q": "сокол", "export": "xlsx"})
    rows, sheet = _xlsx(response)
    assert rows[0][:3] == ["ФИО", "Дата рождения", "Категория"]
    assert len(rows) == 2
    assert rows[1][0].startswith("Соколова")
    assert rows[1][1] == datetime.datetime(2011, 3, 14)
    assert sheet.cell(row=2, column=2).number_format == "DD.MM.YYYY"
    entry = AuditEntry.objects.get(action="export")
    assert entry.data["rows"] == 1
    assert entry.data["filters"] == {"q": "сокол"}
    assert entry.data["list"] == "Люди"


def test_it_writes_formula_like_values_as_text(client, world):
    PersonFactory(organization=world.school_a, last_name="Сидоров", class_name="=1+2")
    client.force_login(world.curator_a)
    _, sheet = _xlsx(client.get(reverse("registry:person_list"), {"export": "xlsx"}))
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=1+2"]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    text = client.get(reverse("registry:person_list"), {"export": "csv"}).content.decode("utf-8-sig")
    values = [value for row in csv.reader(io.StringIO(text), delimiter=";") for value in row]
    assert "'=1+2" in values
    assert "=1+2" not in values


def test_it_answers_other_organizations_with_an_empty_export(client, world):
    PersonFactory(organization=world.school_a, last_name="Соколова")
    client.force_login(world.curator_b)
    rows, _ = _xlsx(client.get(reverse("registry:person_list"), {"export": "xlsx"}))
    assert len(rows) == 1  # the header only
    # Asking for school A by its id does not widen the scope: the filter offers only school B.
    rows, _ = _xlsx(client.get(reverse("registry:person_list"), {"export": "xlsx", "organization": world.school_a.pk}))
    assert len(rows) == 1


def test_it_keeps_withdrawn_people_out_of_exports_unless_asked(client, world):
    from core.testing.factories import ConsentFactory

    person = PersonFactory(organization=world.school_a, last_name="Соколова")
    ConsentFactory(person=person, withdrawn_on=datetime.date.today())
    client.force_login(world.curator_a)
    rows, _ = _xlsx(client.get(reverse("registry:person_list"), {"export": "xlsx"}))
    assert len(rows) == 1
    rows, _ = _xlsx(client.get(reverse("registry:person_list"), {"export": "xlsx", "withdrawn": "only"}))
    assert len(rows) == 2


def test_it_hides_withdrawn_people_on_a_bare_list_page(client, world):
    from core.testing.factories import ConsentFactory

    person = PersonFactory(organization=world.school_a, last_name="Отозвавшая")
    ConsentFactory(person=person, withdrawn_on=datetime.date.today())
    client.force_login(world.curator_a)
    assert "Отозвавшая" not in client.get(reverse("registry:person_list")).content.decode()
    assert "Отозвавшая" in client.get(reverse("registry:person_list"), {"withdrawn": "only"}).content.decode()


def test_it_exports_every_list_as_data_without_markup(world, client):
    """Each list's export holds values, never the HTML its page renders (links, badges)."""
    import io

    import openpyxl

    from core.testing.pages import list_routes
    from tests.core.page_data import fill_world

    fill_world(world)
    client.force_login(world.coordinator)
    for route in list_routes():
        response = client.get(reverse(route.name), {"export": "xlsx"})
        assert response.status_code == 200, route.name
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
        assert cells, route.name
        assert not [value for value in cells if "<" in value or "&lt;" in value], route.name
