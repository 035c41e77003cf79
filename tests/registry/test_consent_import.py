"""The import of consents (registry.importers.ConsentImporter): people of the organization found by
name and birth date, the rules of the consent form (registry.services.consent_validate, Положение
§3.5), all or nothing, a second import that changes nothing, the scope, the template and the
command.

The people are those of the person corpus (tests/core/import_corpus): a pupil, Соколова Мария
Андреевна, 14.03.2011, and a teacher, Петров Илья Сергеевич, 02.11.1990, of school A."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from core.importing import run_import
from core.models import AuditEntry, ImportJob
from core.russian import typeset
from core.testing.factories import ConsentFactory, PersonFactory, TeacherFactory
from registry import services
from registry.choices import ConsentKind
from registry.importers import CONSENT_KINDS_ALLOWED, ConsentImporter
from registry.models import Consent

HEADER = "ФИО;Дата рождения;Вид согласия;Дата подписания;ФИО представителя"
GOOD = [
    "соколова мария андреевна;14.03.2011;родителя;01.09.2025;Соколова Ольга Ивановна",
    "СОКОЛОВА МАРИЯ АНДРЕЕВНА;14.03.2011;наставничество;01.09.2025;",
    "Петров Илья Сергеевич;02.11.1990;ПДн;02.09.2025;",
    "Петров Илья Сергеевич;1990-11-02;Письменное согласие на участие в наставничестве;02.09.2025;",
]
SCHOOL_A = typeset("МБОУ «СОШ № 1»")


def _csv(*rows, header=HEADER, encoding="utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def _import(world, content, *, user=None, organization="school_a", dry_run=False, name="Согласия.csv"):
    importer = ConsentImporter(
        user=user or world.curator_a, organization=getattr(world, organization) if organization else None
    )
    return run_import(importer, name=name, content=content, dry_run=dry_run)


def _errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def _consents():
    return sorted(Consent.objects.values_list("person__last_name", "kind", "signed_on", "representative_name"))


@pytest.fixture
def people(world):
    return {
        "sokolova": PersonFactory(
            organization=world.school_a,
            last_name="Соколова",
            first_name="Мария",
            middle_name="Андреевна",
            birth_date=datetime.date(2011, 3, 14),
        ),
        "petrov": TeacherFactory(
            organization=world.school_a,
            last_name="Петров",
            first_name="Илья",
            middle_name="Сергеевич",
            birth_date=datetime.date(1990, 11, 2),
        ),
    }


SAVED = [
    ("Петров", ConsentKind.MENTORING, datetime.date(2025, 9, 2), ""),
    ("Петров", ConsentKind.PERSONAL_DATA, datetime.date(2025, 9, 2), ""),
    ("Соколова", ConsentKind.MENTORING, datetime.date(2025, 9, 1), ""),
    ("Соколова", ConsentKind.PARENT, datetime.date(2025, 9, 1), "Соколова Ольга Ивановна"),
]


# A good file -------------------------------------------------------------------------------


def test_it_saves_a_good_file_with_every_kind_and_journals_each_consent(world, people):
    result = _import(world, _csv(*GOOD))
    assert result.errors == []
    assert result.summary == {"rows": 4, "new": 4, "updated": 0, "unchanged": 0, "rejected": 0}
    assert result.saved is True
    assert _consents() == SAVED
    entries = AuditEntry.objects.filter(action="create", actor=world.curator_a)
    assert entries.count() == 4
    assert all(entry.data == {"import": True} for entry in entries)
    parent = entries.get(object_id=str(Consent.objects.get(kind=ConsentKind.PARENT).pk))
    assert parent.parent_object_id == str(people["sokolova"].pk)
    assert parent.changes["ФИО родителя (законного представителя)"] == [None, "Соколова Ольга Ивановна"]


def test_it_reads_a_windows_1251_csv_with_semicolons(world, people):
    result = _import(world, _csv(*GOOD, encoding="cp1251"))
    assert result.source == {"name": "Согласия.csv", "format": "csv", "encoding": "cp1251", "delimiter": ";"}
    assert result.saved is True
    assert _consents() == SAVED


def test_it_reads_an_xlsx_with_excel_dates_and_names_in_separate_columns(world, people):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Фамилия", "Имя", "Отчество", "Дата рожд.", "Согласие", "Дата согласия", "ФИО родителя"])
    sheet.append(["Соколова", "Мария", "Андреевна", datetime.datetime(2011, 3, 14), "Согласие родителя", None, "Мать"])
    sheet.append(["Соколова", "Мария", "Андреевна", datetime.date(2011, 3, 14), "согласие родителя", None, "Мать"])
    sheet["F2"] = datetime.date(2025, 9, 1)
    sheet["F3"] = datetime.date(2025, 9, 3)
    buffer = io.BytesIO()
    book.save(buffer)
    result = _import(world, buffer.getvalue(), name="Согласия.xlsx")
    assert result.errors == []
    assert result.summary["new"] == 2
    assert _consents() == [
        ("Соколова", ConsentKind.PARENT, datetime.date(2025, 9, 1), "Мать"),
        ("Соколова", ConsentKind.PARENT, datetime.date(2025, 9, 3), "Мать"),
    ]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("ПДн", ConsentKind.PERSONAL_DATA),
        ("пдн", ConsentKind.PERSONAL_DATA),
        ("обработка персональных данных", ConsentKind.PERSONAL_DATA),
        ("Согласие на обработку персональных данных", ConsentKind.PERSONAL_DATA),
        ("наставничество", ConsentKind.MENTORING),
        ("Письменное согласие на участие в наставничестве", ConsentKind.MENTORING),
        ("родителя", ConsentKind.PARENT),
        ("Согласие родителя (законного представителя)", ConsentKind.PARENT),
        ("законного представителя", ConsentKind.PARENT),
    ],
)
def test_it_understands_the_labels_and_short_names_of_the_kinds(world, people, written, kind):
    representative = "Соколова Ольга Ивановна" if kind == ConsentKind.PARENT else ""
    result = _import(world, _csv(f"Соколова Мария Андреевна;14.03.2011;{written};01.09.2025;{representative}"))
    assert result.errors == []
    assert Consent.objects.get().kind == kind


# Rows the rules refuse -------------------------------------------------------------------------


def test_it_names_every_refused_row_by_column_and_saves_nothing(world, people):
    future = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    result = _import(
        world,
        _csv(
            GOOD[0],
            "Соколова Мария Андреевна;14.03.2011;родителя;01.09.2025;",
            "Петров Илья Сергеевич;02.11.1990;ПДн;01.09.2025;Петрова Анна",
            f"Петров Илья Сергеевич;02.11.1990;наставничество;{future};",
            "Петров Илья Сергеевич;02.11.1990;разрешение;01.09.2025;",
            "Петров Илья Сергеевич;31.02.1990;ПДн;;",
            "Лебедев Павел Олегович;20.10.2010;ПДн;01.09.2025;",
            ";14.03.2011;ПДн;01.09.2025;",
            "соколова мария андреевна;14.03.2011;Согласие родителя;01.09.2025;Соколова Ольга",
        ),
    )
    assert _errors(result) == [
        (3, "ФИО представителя", "Укажите ФИО родителя (законного представителя), подписавшего согласие."),
        (4, "ФИО представителя", "ФИО представителя указывается только в согласии родителя."),
        (5, "Дата подписания", "Дата подписания не может быть в будущем."),
        (6, "Вид согласия", f"Неизвестное значение «разрешение». Допустимо: {CONSENT_KINDS_ALLOWED}."),
        (7, "Дата рождения", "Такой даты нет: «31.02.1990». Проверьте число и месяц."),
        (7, "Дата подписания", "Не указана дата подписания."),
        (
            8,
            "ФИО",
            f"Лебедев Павел Олегович, 20.10.2010: такого человека нет среди людей «{SCHOOL_A}». Сначала загрузите "
            "людей (шаблон «Люди»), потом их согласия — или проверьте ФИО и дату рождения.",
        ),
        (9, "ФИО", "Не указаны фамилия и имя."),
        (10, "", "Повторяет строку 2: одно и то же согласие записано дважды. Удалите одну из строк."),
    ]
    assert result.summary == {"rows": 9, "new": 1, "updated": 0, "unchanged": 0, "rejected": 8}
    assert result.saved is False
    assert Consent.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_it_names_the_parents_column_even_when_the_file_has_none(world, people):
    result = _import(
        world, _csv("Соколова Мария Андреевна;14.03.2011;родителя;01.09.2025", header=HEADER.rsplit(";", 1)[0])
    )
    assert _errors(result) == [
        (2, "ФИО представителя", "Укажите ФИО родителя (законного представителя), подписавшего согласие.")
    ]


def test_it_checks_a_dry_run_the_same_way_and_saves_nothing(world, people):
    result = _import(world, _csv(*GOOD), dry_run=True)
    assert result.errors == []
    assert result.summary["new"] == 4
    assert result.saved is False
    assert Consent.objects.count() == 0
    assert AuditEntry.objects.count() == 0


# Again -------------------------------------------------------------------------------------------


def test_it_changes_nothing_when_the_same_file_is_imported_again(world, people):
    assert _import(world, _csv(*GOOD)).saved is True
    stored = sorted(Consent.objects.values_list("pk", "kind", "signed_on", "representative_name"))
    journal = AuditEntry.objects.count()
    again = _import(world, _csv(*GOOD, encoding="cp1251"))
    assert again.errors == []
    assert again.summary == {"rows": 4, "new": 0, "updated": 0, "unchanged": 4, "rejected": 0}
    assert sorted(Consent.objects.values_list("pk", "kind", "signed_on", "representative_name")) == stored
    assert AuditEntry.objects.count() == journal


def test_it_takes_a_consent_signed_on_another_day_as_a_new_one(world, people):
    """Re-consenting after a withdrawal is a new record (registry.models.Consent)."""
    withdrawn = ConsentFactory(
        person=people["petrov"],
        kind=ConsentKind.MENTORING,
        signed_on=datetime.date(2025, 1, 10),
        withdrawn_on=datetime.date(2025, 3, 1),
    )
    result = _import(world, _csv("Петров Илья Сергеевич;02.11.1990;наставничество;01.09.2025;"))
    assert result.summary == {"rows": 1, "new": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_on == datetime.date(2025, 3, 1)
    assert Consent.objects.filter(person=people["petrov"], withdrawn_on__isnull=True).count() == 1


def test_it_corrects_the_parents_name_and_never_erases_it_with_an_empty_cell(world, people):
    consent = ConsentFactory(
        person=people["sokolova"],
        kind=ConsentKind.PARENT,
        signed_on=datetime.date(2025, 9, 1),
        representative_name="Соколова О. И.",
    )
    result = _import(world, _csv(GOOD[0]))
    assert result.summary == {"rows": 1, "new": 0, "updated": 1, "unchanged": 0, "rejected": 0}
    consent.refresh_from_db()
    assert consent.representative_name == "Соколова Ольга Ивановна"
    entry = AuditEntry.objects.get(action="update")
    assert entry.changes == {"ФИО родителя (законного представителя)": ["Соколова О. И.", "Соколова Ольга Ивановна"]}
    assert entry.data == {"import": True}


# Scope ---------------------------------------------------------------------------------------------


def test_it_finds_people_only_in_the_organization_of_the_import(world, people):
    """A coordinator importing into school B: Соколова of school A is not found there."""
    result = _import(world, _csv(GOOD[1]), user=world.coordinator, organization="school_b")
    assert _errors(result)[0][2].startswith(
        f"СОКОЛОВА МАРИЯ АНДРЕЕВНА, 14.03.2011: такого человека нет среди людей «{typeset('МБОУ «СОШ № 2»')}»."
    )
    assert _import(world, _csv(GOOD[1]), user=world.coordinator).saved is True


def test_it_asks_a_coordinator_to_choose_the_organization(world, people):
    result = _import(world, _csv(*GOOD), user=world.coordinator, organization=None)
    assert result.file_error == (
        "Выберите организацию, в которую загружаются согласия: людей из файла портал ищет в ней по ФИО и дате рождения."
    )
    assert Consent.objects.count() == 0


def test_it_takes_the_curators_only_organization_when_none_is_chosen(world, people):
    assert _import(world, _csv(*GOOD), organization=None).saved is True
    assert Consent.objects.filter(person__organization=world.school_a).count() == 4


# The bulk service ------------------------------------------------------------------------------


def test_the_bulk_service_applies_the_rules_of_consent_save_again(world, people):
    consent = Consent(person=people["sokolova"], kind=ConsentKind.PARENT, signed_on=datetime.date(2025, 9, 1))
    with pytest.raises(ValidationError) as refused:
        services.consents_bulk_save(creates=[consent], updates=[], user=world.curator_a)
    assert refused.value.messages == [
        "Соколова Мария Андреевна: Укажите ФИО родителя (законного представителя), подписавшего согласие."
    ]
    assert Consent.objects.count() == 0


def test_the_bulk_service_refuses_another_organizations_person(world, people):
    consent = Consent(person=people["petrov"], kind=ConsentKind.MENTORING, signed_on=datetime.date(2025, 9, 1))
    with pytest.raises(PermissionDenied):
        services.consents_bulk_save(creates=[consent], updates=[], user=world.curator_b)
    assert Consent.objects.count() == 0


def test_it_checks_a_file_of_many_rows_in_a_constant_number_of_queries(world, people, django_assert_num_queries):
    def check(rows):
        return ConsentImporter(user=world.curator_a, organization=world.school_a), _csv(*rows)

    importer, content = check(GOOD[:1])
    with django_assert_num_queries(2):  # the organization's people, its consents
        run_import(importer, name="a.csv", content=content, dry_run=True)
    importer, content = check(GOOD * 50)
    with django_assert_num_queries(2):
        result = run_import(importer, name="a.csv", content=content, dry_run=True)
    assert result.summary["rows"] == 200


# The template --------------------------------------------------------------------------------------


def _sheets(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book.worksheets}


def test_it_downloads_a_template_with_russian_headers_and_explanations(client, world):
    client.force_login(world.curator_a)
    response = client.get(reverse("import_template", args=["consents"]))
    assert response.status_code == 200
    sheets = _sheets(response.content)
    assert list(sheets) == ["Согласия", "Пояснения"]
    assert sheets["Согласия"][0] == [
        "ФИО *",
        "Дата рождения *",
        "Вид согласия *",
        "Дата подписания *",
        "ФИО представителя",
    ]
    assert len(sheets["Согласия"]) == 3
    explained = {row[0]: row for row in sheets["Пояснения"][1:] if row[0]}
    assert {"ФИО", "Фамилия", "Имя", "Отчество", "Дата рождения", "Вид согласия", "ФИО представителя"} <= set(explained)
    assert explained["Вид согласия"][3] == CONSENT_KINDS_ALLOWED
    assert "«ФИО родителя»" in explained["ФИО представителя"][4]


def test_it_imports_its_template_as_downloaded_and_again_without_changes(client, world, people):
    client.force_login(world.curator_a)
    content = client.get(reverse("import_template", args=["consents"])).content
    result = _import(world, content, name="шаблон.xlsx")
    assert result.errors == []
    assert result.summary == {"rows": 2, "new": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert _consents() == [
        ("Петров", ConsentKind.PERSONAL_DATA, datetime.date(2025, 9, 1), ""),
        ("Соколова", ConsentKind.PARENT, datetime.date(2025, 9, 1), "Соколова Ольга Ивановна"),
    ]
    again = _import(world, content, name="шаблон.xlsx")
    assert again.summary == {"rows": 2, "new": 0, "updated": 0, "unchanged": 2, "rejected": 0}


# The page ------------------------------------------------------------------------------------------------


def test_it_checks_and_saves_an_upload_from_the_page(client, world, people):
    client.force_login(world.curator_a)
    assert (
        client.get(reverse("registry:consent_list")).context["import_url"] == reverse("import_start") + "?kind=consents"
    )
    upload = SimpleUploadedFile("Согласия.csv", _csv(*GOOD, encoding="cp1251"), "text/csv")
    client.post(reverse("import_start"), {"kind": "consents", "organization": world.school_a.pk, "file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED
    assert job.result["summary"] == {"rows": 4, "new": 4, "updated": 0, "unchanged": 0, "rejected": 0}
    assert Consent.objects.count() == 0
    client.post(reverse("import_save", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert _consents() == SAVED
    page = client.get(reverse("import_job", args=[job.pk]))
    assert page.context["list_url"] == reverse("registry:consent_list")


# The command -----------------------------------------------------------------------------------------


def _command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_consents_into_the_organization_given(world, people, tmp_path):
    path = tmp_path / "Согласия.csv"
    path.write_bytes(_csv(*GOOD, encoding="cp1251"))
    out, err = _command("consents", str(path), "--organization", str(world.school_a.pk), "--dry-run")
    assert err == ""
    assert out.splitlines() == [
        "Строк: 4; новых: 4, обновится: 0, без изменений: 0, с ошибками: 0.",
        "Проверено, ничего не сохранено (--dry-run).",
    ]
    assert Consent.objects.count() == 0
    out, _ = _command("consents", str(path), "--organization", str(world.school_a.pk))
    assert out.splitlines()[-1] == "Сохранено."
    assert _consents() == SAVED
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {None}


def test_the_command_prints_json(world, people, tmp_path):
    path = tmp_path / "Согласия.csv"
    path.write_bytes(_csv(*GOOD))
    out, _ = _command("consents", str(path), "--organization", str(world.school_a.pk), "--json")
    assert json.loads(out) == {
        "kind": "consents",
        "saved": True,
        "dry_run": False,
        "summary": {"rows": 4, "new": 4, "updated": 0, "unchanged": 0, "rejected": 0},
        "errors": [],
        "error_count": 0,
        "ignored_columns": [],
        "file_error": "",
        "source": {"name": "Согласия.csv", "format": "csv", "encoding": "utf-8", "delimiter": ";"},
        "save_refused": False,
    }


def test_the_command_prints_json_of_the_errors_and_fails(world, people, tmp_path):
    path = tmp_path / "Согласия.csv"
    path.write_bytes(_csv("Соколова Мария Андреевна;14.03.2011;родителя;01.09.2025;"))
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "import_data", "consents", str(path), "--organization", str(world.school_a.pk), "--json", stdout=out
        )
    assert failed.value.returncode == 1
    assert str(failed.value) == "Есть ошибки: ничего не сохранено."
    data = json.loads(out.getvalue())
    assert (data["saved"], data["error_count"], data["summary"]["rejected"]) == (False, 1, 1)
    assert data["errors"] == [
        {
            "row": 2,
            "column": "ФИО представителя",
            "message": "Укажите ФИО родителя (законного представителя), подписавшего согласие.",
        }
    ]
    assert Consent.objects.count() == 0


def test_the_command_prints_json_of_a_file_refused_whole(world, people, tmp_path):
    path = tmp_path / "Согласия.csv"
    path.write_bytes(_csv(*GOOD))
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_data", "consents", str(path), "--json", stdout=out)
    assert failed.value.returncode == 1
    data = json.loads(out.getvalue())
    assert data["file_error"] == str(failed.value)
    assert data["file_error"].startswith("Выберите организацию, в которую загружаются согласия")
    assert data["saved"] is False
