"""Round trip: a list exported from the portal imports back unchanged — in xlsx and in csv,
for a curator (no «Организация» column) and for a coordinator (with it)."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from core.importing import run_import
from core.models import AuditEntry
from core.testing.factories import ConsentFactory, MentorRecordFactory, PersonFactory, TeacherFactory
from registry.importers import PersonImporter
from registry.models import Person

#: The columns of the list of people that are not columns of the import.
NOT_IMPORTED = ["Класс / должность", "Базы", "Согласия"]


@pytest.fixture
def people(world):
    a = world.school_a
    persons = [
        PersonFactory(
            organization=a, last_name="Соколова", first_name="Мария", middle_name="Андреевна", class_name="7Б", sex="f"
        ),
        PersonFactory(organization=a, last_name="Ким", first_name="Виктор", middle_name="", class_name="5А"),
        PersonFactory(organization=a, last_name="Иванова-Петрова", first_name="Анна", middle_name="", class_name="11А"),
        PersonFactory(
            organization=a, last_name="Мамедов", first_name="Руслан", middle_name="Ахмед Оглы", class_name="9В"
        ),
        # A value a spreadsheet would take for a formula: written as text, read back as text.
        PersonFactory(organization=a, last_name="=Сидоров", first_name="Олег", middle_name="", class_name="6Б"),
        TeacherFactory(
            organization=a,
            last_name="Петров",
            first_name="Илья",
            middle_name="Сергеевич",
            birth_date=datetime.date(1990, 11, 2),
            teaching_since=datetime.date(2015, 9, 1),
            phone="+7 900 123-45-67",
            email="petrov@example.ru",
            notes="классный руководитель 7Б",
        ),
        TeacherFactory(organization=a, last_name="Орлова", first_name="Анна", middle_name="", position="завуч"),
    ]
    MentorRecordFactory(person=persons[-1])
    withdrawn = PersonFactory(organization=a, last_name="Отозвавшая", first_name="Анна")
    ConsentFactory(person=withdrawn, withdrawn_on=datetime.date.today())
    PersonFactory(organization=world.school_b, last_name="Лебедев", first_name="Павел")
    return persons


def _snapshot():
    return {person.pk: model_to_dict(person) | {"updated_at": person.updated_at} for person in Person.objects.all()}


def _export(client, fmt):
    response = client.get(reverse("registry:person_list"), {"export": fmt})
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_imports_a_curators_export_back_without_changes(client, world, people, fmt):
    client.force_login(world.curator_a)
    content = _export(client, fmt)
    before = _snapshot()
    writes = AuditEntry.objects.filter(action__in=["create", "update"]).count()
    result = run_import(
        PersonImporter(user=world.curator_a, organization=world.school_a),
        name=f"Люди.{fmt}",
        content=content,
        dry_run=False,
    )
    assert result.file_error == ""
    assert result.errors == []
    # Every exported person is found again; the one who withdrew consent was not exported.
    assert result.summary == {"rows": 7, "new": 0, "updated": 0, "unchanged": 7, "rejected": 0}
    assert result.ignored_columns == NOT_IMPORTED
    assert _snapshot() == before
    assert AuditEntry.objects.filter(action__in=["create", "update"]).count() == writes


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_imports_a_coordinators_export_back_by_the_organization_column(client, world, people, fmt):
    client.force_login(world.coordinator)
    content = _export(client, fmt)
    before = _snapshot()
    result = run_import(PersonImporter(user=world.coordinator), name=f"Люди.{fmt}", content=content, dry_run=False)
    assert result.errors == []
    assert result.summary == {"rows": 8, "new": 0, "updated": 0, "unchanged": 8, "rejected": 0}
    assert result.ignored_columns == NOT_IMPORTED
    assert _snapshot() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_updates_only_what_was_changed_in_an_exported_file(client, world, people, fmt):
    """Edit one birth date in the exported file: that row is a new person (the birth date is part
    of who a person is); every other row stays unchanged."""
    client.force_login(world.curator_a)
    content = _export(client, fmt)
    if fmt == "csv":
        content = content.replace(b"02.11.1990", b"03.11.1990")
    else:
        import io

        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content))
        for row in book.active.iter_rows(min_row=2):
            if row[1].value == datetime.datetime(1990, 11, 2):
                row[1].value = datetime.date(1990, 11, 3)
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
    result = run_import(
        PersonImporter(user=world.curator_a, organization=world.school_a),
        name=f"Люди.{fmt}",
        content=content,
        dry_run=True,
    )
    assert result.errors == []
    assert result.summary == {"rows": 7, "new": 1, "updated": 0, "unchanged": 6, "rejected": 0}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_imports_back_a_person_whose_name_part_holds_a_space(client, world, fmt):
    PersonFactory(organization=world.school_a, last_name="Кара Мурза", first_name="Алексей", middle_name="")
    client.force_login(world.curator_a)
    content = _export(client, fmt)
    result = run_import(
        PersonImporter(user=world.curator_a, organization=world.school_a),
        name=f"Люди.{fmt}",
        content=content,
        dry_run=True,
    )
    assert result.summary == {"rows": 1, "new": 0, "updated": 0, "unchanged": 1, "rejected": 0}
