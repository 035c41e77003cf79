"""A curator imports into and exports from their own organization only; a coordinator, who
reaches every school of the municipality, is told when a person is registered in another one."""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.importing import IMPORTERS as REGISTERED
from core.importing import FileRejected, run_import
from core.models import AuditEntry, ImportJob
from core.russian import typeset
from core.testing.factories import PersonFactory
from registry.importers import MenteeRecordImporter, PersonImporter
from registry.models import Person

CORPUS = Path(__file__).parent / "import_corpus"
#: Every kind of import: persons, the bases, consents, pairs (registered by their apps).
IMPORTERS = [REGISTERED[kind] for kind in sorted(REGISTERED)]
LEBEDEV = "ФИО;Дата рождения;Категория\r\nЛебедев Павел Олегович;20.10.2010;обучающийся\r\n".encode()


def _errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


@pytest.fixture
def lebedev_in_b(world):
    return PersonFactory(
        organization=world.school_b,
        last_name="Лебедев",
        first_name="Павел",
        middle_name="Олегович",
        birth_date=datetime.date(2010, 10, 20),
    )


# Choosing another organization -----------------------------------------------------------


def test_it_offers_a_curator_only_their_own_organization(client, world):
    client.force_login(world.curator_a)
    form = client.get(reverse("import_start")).context["form"]
    assert list(form.fields["organization"].queryset) == [world.school_a]
    assert form.fields["organization"].initial == world.school_a


def test_it_refuses_the_choice_of_another_organization_in_the_form(client, world):
    client.force_login(world.curator_a)
    response = client.post(
        reverse("import_start"),
        {
            "kind": "persons",
            "organization": world.school_b.pk,
            "file": SimpleUploadedFile("people.csv", LEBEDEV, "text/csv"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "organization": ["Выберите корректный вариант. Вашего варианта нет среди допустимых значений."]
    }
    assert ImportJob.objects.count() == 0
    assert Person.objects.count() == 0


def test_it_offers_a_coordinator_every_organization_of_their_municipality(client, world):
    client.force_login(world.coordinator)
    form = client.get(reverse("import_start")).context["form"]
    assert set(form.fields["organization"].queryset) == {world.school_a, world.school_b}


@pytest.mark.parametrize("importer", IMPORTERS)
@pytest.mark.parametrize(
    ("actor", "place"),
    [("curator_a", "school_b"), ("curator_b", "school_a"), ("coordinator_elsewhere", "school_a")],
)
def test_it_refuses_an_importer_for_an_organization_out_of_reach(world, importer, actor, place):
    organization = getattr(world, place)
    with pytest.raises(FileRejected) as refused:
        importer(user=getattr(world, actor), organization=organization)
    assert refused.value.message == f"Загружать данные в «{organization}» вам нельзя: выберите свою организацию."


@pytest.mark.parametrize("importer", IMPORTERS)
@pytest.mark.parametrize("actor", ["director_a", "observer"])
def test_it_refuses_an_importer_to_readers(world, importer, actor):
    with pytest.raises(FileRejected):
        importer(user=getattr(world, actor), organization=world.school_a)


def test_it_takes_the_curators_only_organization_when_none_is_chosen(world):
    importer = PersonImporter(user=world.curator_a)
    assert importer.organization == world.school_a
    result = run_import(importer, name="people.csv", content=LEBEDEV, dry_run=False)
    assert result.saved is True
    assert Person.objects.get().organization == world.school_a


def test_it_asks_a_coordinator_for_the_organization_of_each_row(world):
    result = run_import(PersonImporter(user=world.coordinator), name="people.csv", content=LEBEDEV, dry_run=False)
    assert _errors(result) == [
        (2, "Организация", "Не указана организация: заполните столбец или выберите организацию при загрузке.")
    ]
    assert result.saved is False
    assert Person.objects.count() == 0


# A file that names another organization ---------------------------------------------------


def test_it_refuses_a_whole_file_that_names_another_organization(world):
    before = AuditEntry.objects.count()
    result = run_import(
        PersonImporter(user=world.curator_a, organization=world.school_a),
        name="school_b_named.csv",
        content=(CORPUS / "school_b_named.csv").read_bytes(),
        dry_run=False,
    )
    assert result.file_error == (
        "Строка 3: организация «МБОУ «СОШ № 2»» вам недоступна. Файл не загружен: загружайте данные только "
        "своей организации."
    )
    assert result.saved is False
    assert Person.objects.count() == 0  # not even row 2, which names school A
    assert AuditEntry.objects.count() == before


def test_it_refuses_a_file_naming_an_organization_by_its_full_name_or_of_another_municipality(world):
    for name in (world.school_b.full_name, world.school_elsewhere.short_name):
        content = f"ФИО;Дата рождения;Категория;Школа\r\nЛебедев Павел;20.10.2010;обучающийся;{name}\r\n"
        result = run_import(
            PersonImporter(user=world.curator_a, organization=world.school_a),
            name="people.csv",
            content=content.encode(),
            dry_run=False,
        )
        assert result.file_error == (
            f"Строка 2: организация «{name}» вам недоступна. Файл не загружен: загружайте данные только "
            "своей организации."
        )
    assert Person.objects.count() == 0


def test_it_lets_a_coordinator_import_the_file_naming_both_schools(world):
    result = run_import(
        PersonImporter(user=world.coordinator),
        name="school_b_named.csv",
        content=(CORPUS / "school_b_named.csv").read_bytes(),
        dry_run=False,
    )
    assert result.errors == []
    assert result.saved is True
    assert sorted(Person.objects.values_list("last_name", "organization__short_name")) == [
        ("Лебедев", "МБОУ «СОШ № 2»"),
        ("Соколова", "МБОУ «СОШ № 1»"),
    ]


def test_it_rejects_a_row_naming_an_unknown_organization(world):
    content = "ФИО;Дата рождения;Категория;ОО\r\nЛебедев Павел;20.10.2010;обучающийся;Лицей № 99\r\n"
    result = run_import(
        PersonImporter(user=world.curator_a, organization=world.school_a),
        name="people.csv",
        content=content.encode(),
        dry_run=False,
    )
    assert result.file_error == ""
    assert _errors(result) == [
        (2, "ОО", "Организация «Лицей № 99» не найдена. Напишите её краткое наименование, как в портале.")
    ]
    assert Person.objects.count() == 0


# A person registered in another organization -------------------------------------------


def test_it_tells_a_coordinator_that_the_person_is_registered_in_another_school(world, lebedev_in_b):
    result = run_import(
        PersonImporter(user=world.coordinator, organization=world.school_a),
        name="people.csv",
        content=LEBEDEV,
        dry_run=False,
    )
    assert _errors(result) == [
        (
            2,
            "ФИО",
            f"Лебедев Павел Олегович, 20.10.2010, уже есть в реестре: {typeset('МБОУ «СОШ № 2»')} (запись № {lebedev_in_b.pk}). "
            "Если человек перешёл в вашу организацию, измените организацию в его карточке.",
        )
    ]
    assert result.summary == {"rows": 1, "new": 0, "updated": 0, "unchanged": 0, "rejected": 1}
    assert result.saved is False
    assert Person.objects.count() == 1


def test_it_finds_the_person_for_a_coordinator_importing_into_their_school(world, lebedev_in_b):
    result = run_import(
        PersonImporter(user=world.coordinator, organization=world.school_b),
        name="people.csv",
        content=LEBEDEV,
        dry_run=False,
    )
    assert result.errors == []
    assert result.summary == {"rows": 1, "new": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert Person.objects.count() == 1


def test_it_tells_a_curator_nothing_about_a_namesake_in_a_school_they_cannot_see(world, lebedev_in_b):
    """Curator A does not see school B: its people are not matched, so the row adds a person of
    school A, and no message reveals that school B has someone of that name."""
    result = run_import(
        PersonImporter(user=world.curator_a, organization=world.school_a),
        name="people.csv",
        content=LEBEDEV,
        dry_run=False,
    )
    assert result.errors == []
    assert result.summary == {"rows": 1, "new": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    assert result.saved is True
    assert sorted(Person.objects.filter(last_name="Лебедев").values_list("organization", flat=True)) == sorted(
        [world.school_a.pk, world.school_b.pk]
    )
    lebedev_in_b.refresh_from_db()
    assert lebedev_in_b.organization == world.school_b


def test_it_never_changes_a_person_of_another_school_from_a_curators_file(world, lebedev_in_b):
    content = (
        "Фамилия;Имя;Отчество;Дата рождения;Категория;Телефон\r\n"
        "Лебедев;Павел;Олегович;20.10.2010;обучающийся;+7 900 000-00-00\r\n"
    )
    result = run_import(
        PersonImporter(user=world.curator_a, organization=world.school_a),
        name="people.csv",
        content=content.encode(),
        dry_run=False,
    )
    assert result.summary["new"] == 1
    lebedev_in_b.refresh_from_db()
    assert lebedev_in_b.phone == ""


def test_it_finds_a_curators_person_by_name_alone_only_within_their_school(world, lebedev_in_b):
    """A base form without birth dates: curator A's row for a person only school B has cannot
    add them (no birth date) and tells nothing about school B."""
    content = "ФИО наставляемого;Форма наставничества\r\nЛебедев Павел Олегович;Ученик – ученик\r\n"
    result = run_import(
        MenteeRecordImporter(user=world.curator_a, organization=world.school_a),
        name="mentees.csv",
        content=content.encode(),
        dry_run=False,
    )
    assert _errors(result) == [
        (2, "Дата рождения", "Человека нет в реестре: чтобы добавить его, укажите дату рождения.")
    ]
    assert result.saved is False


# Export --------------------------------------------------------------------------------


def _export_rows(client, fmt, **params):
    response = client.get(reverse("registry:person_list"), {"export": fmt, **params})
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [[cell.value for cell in row] for row in sheet.iter_rows()]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_exports_nothing_of_another_organization_to_a_curator(client, world, lebedev_in_b, fmt):
    PersonFactory(organization=world.school_a, last_name="Соколова", first_name="Мария", middle_name="Андреевна")
    client.force_login(world.curator_a)
    rows = _export_rows(client, fmt)
    assert [row[0] for row in rows[1:]] == ["Соколова Мария Андреевна"]
    # Asking for school B by its id gives nothing of school B.
    rows = _export_rows(client, fmt, organization=world.school_b.pk)
    assert "Лебедев Павел Олегович" not in [row[0] for row in rows]
    assert not any("Лебедев" in str(value) for row in rows for value in row)
    assert AuditEntry.objects.filter(action="export", actor=world.curator_a).count() == 2


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_exports_what_the_page_shows_for_another_organizations_id(client, world, lebedev_in_b, fmt):
    PersonFactory(organization=world.school_a, last_name="Соколова", first_name="Мария", middle_name="Андреевна")
    client.force_login(world.curator_a)
    page = client.get(reverse("registry:person_list"), {"organization": world.school_b.pk})
    assert len(page.context["table"].rows) == 0
    rows = _export_rows(client, fmt, organization=world.school_b.pk)
    assert rows[1:] == []


def test_it_exports_both_schools_to_the_coordinator_and_one_when_asked(client, world, lebedev_in_b):
    PersonFactory(organization=world.school_a, last_name="Соколова", first_name="Мария", middle_name="Андреевна")
    client.force_login(world.coordinator)
    rows = _export_rows(client, "xlsx")
    assert sorted(row[0] for row in rows[1:]) == ["Лебедев Павел Олегович", "Соколова Мария Андреевна"]
    rows = _export_rows(client, "xlsx", organization=world.school_b.pk)
    assert [row[0] for row in rows[1:]] == ["Лебедев Павел Олегович"]
