"""`manage.py import_data` and `manage.py export_data`: the page's import and export for
administrators' scripts, with the same checks, the same all-or-nothing save and the journal."""

import csv
import datetime
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections

from core.models import AuditEntry
from core.testing.factories import ConsentFactory, PersonFactory, TeacherFactory
from registry.models import MentorRecord, Person

CORPUS = Path(__file__).parent / "import_corpus"


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _stored():
    return Person.objects.count(), MentorRecord.objects.count(), AuditEntry.objects.count()


# import_data -----------------------------------------------------------------------------


def test_it_imports_a_file_and_prints_the_summary(world):
    out, err = _run(
        "import_data", "persons", str(CORPUS / "extra_columns.csv"), "--organization", str(world.school_a.pk)
    )
    assert out.splitlines() == [
        "Строк: 2; новых: 2, обновится: 0, без изменений: 0, с ошибками: 0.",
        "Не загружаются столбцы: «№ п/п», «Любимый цвет»",
        "Сохранено.",
    ]
    assert err == ""
    assert sorted(Person.objects.filter(organization=world.school_a).values_list("last_name", flat=True)) == [
        "Белов",
        "Орлова",
    ]
    # The system acts: its journal lines have no user.
    assert list(AuditEntry.objects.values_list("action", "actor")) == [("create", None), ("create", None)]


def test_it_prints_the_summary_of_a_second_import_that_changes_nothing(world):
    path = str(CORPUS / "good.xlsx")
    _run("import_data", "persons", path, "--organization", str(world.school_a.pk))
    before = _stored()
    out, _ = _run("import_data", "persons", path, "--organization", str(world.school_a.pk))
    assert out.splitlines() == ["Строк: 3; новых: 0, обновится: 0, без изменений: 3, с ошибками: 0.", "Сохранено."]
    assert _stored() == before


def test_it_prints_every_error_and_fails_with_nothing_saved(world):
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "import_data",
            "persons",
            str(CORPUS / "impossible_date.csv"),
            "--organization",
            str(world.school_a.pk),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert str(failed.value) == "Есть ошибки: ничего не сохранено."
    assert failed.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "Строка 3, столбец «Дата рождения»: Такой даты нет: «31.02.2010». Проверьте число и месяц.",
        "Строка 4, столбец «Дата рождения»: Такой даты нет: «2010-13-01». Проверьте число и месяц.",
        "Строка 5, столбец «Дата рождения»: «вчера» — не дата. Пишите дату как ДД.ММ.ГГГГ, например 14.03.2011.",
    ]
    assert _stored() == (0, 0, 0)


def test_it_names_a_row_error_without_a_column(world):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "persons",
            str(CORPUS / "duplicate_rows.xlsx"),
            "--organization",
            str(world.school_a.pk),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert err.getvalue().splitlines() == [
        "Строка 5: Повторяет строку 2: один и тот же человек записан дважды. Удалите одну из строк."
    ]
    assert _stored() == (0, 0, 0)


def test_it_exits_with_status_1_from_the_command_line(world, capsys, monkeypatch):
    # run_from_argv closes the connections when it ends: that would close the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(
            [
                "manage.py",
                "import_data",
                "persons",
                str(CORPUS / "missing_fio.csv"),
                "--organization",
                str(world.school_a.pk),
            ]
        )
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert "Строка 3, столбец «ФИО»: Не указаны фамилия и имя." in captured.err
    assert "Есть ошибки: ничего не сохранено." in captured.err
    assert _stored() == (0, 0, 0)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "Файл «empty.csv» пуст. Заполните шаблон и загрузите его снова."),
        (
            "lies.csv",
            "Файл «lies.csv» назван .csv, но внутри книга Excel. Переименуйте его в .xlsx или сохраните как CSV.",
        ),
    ],
)
def test_it_fails_on_a_file_refused_whole(world, name, message):
    with pytest.raises(CommandError) as failed:
        _run("import_data", "persons", str(CORPUS / name), "--organization", str(world.school_a.pk))
    assert str(failed.value) == message
    assert failed.value.returncode == 1
    assert _stored() == (0, 0, 0)


def test_it_checks_without_saving_on_a_dry_run(world):
    out, _ = _run(
        "import_data",
        "persons",
        str(CORPUS / "utf8_bom_semicolon.csv"),
        "--organization",
        str(world.school_a.pk),
        "--dry-run",
    )
    assert out.splitlines() == [
        "Строк: 3; новых: 3, обновится: 0, без изменений: 0, с ошибками: 0.",
        "Проверено, ничего не сохранено (--dry-run).",
    ]
    assert _stored() == (0, 0, 0)


def test_it_fails_a_dry_run_with_errors_too(world):
    with pytest.raises(CommandError) as failed:
        _run(
            "import_data",
            "persons",
            str(CORPUS / "future_birth.csv"),
            "--organization",
            str(world.school_a.pk),
            "--dry-run",
        )
    assert failed.value.returncode == 1
    assert _stored() == (0, 0, 0)


def test_it_imports_the_base_form_of_mentors_by_the_organization_column(world, tmp_path):
    TeacherFactory(organization=world.school_a, last_name="Орлова", first_name="Анна", middle_name="Павловна")
    PersonFactory(
        organization=world.school_a,
        last_name="Соколова",
        first_name="Мария",
        middle_name="Андреевна",
        birth_date=datetime.date(2011, 3, 14),
    )
    # A file whose name has spaces and Cyrillic, as schools name them.
    path = tmp_path / "База наставников 2025.xlsx"
    shutil.copy(CORPUS / "base_form_mentors.xlsx", path)
    out, _ = _run("import_data", "mentors", str(path))
    assert out.splitlines()[0] == "Строк: 2; новых: 2, обновится: 0, без изменений: 0, с ошибками: 0."
    assert MentorRecord.objects.filter(person__organization=world.school_a).count() == 2


def test_it_refuses_a_missing_file_and_an_unknown_organization(world, tmp_path):
    with pytest.raises(CommandError) as failed:
        _run("import_data", "persons", str(tmp_path / "нет.csv"))
    assert str(failed.value) == f"Файл {tmp_path / 'нет.csv'} не найден."
    with pytest.raises(CommandError) as failed:
        _run("import_data", "persons", str(CORPUS / "good.xlsx"), "--organization", "999999")
    assert str(failed.value) == "Организации с кодом 999999 нет."
    assert _stored() == (0, 0, 0)


# export_data -----------------------------------------------------------------------------

EXPORT_HEADER = ["ФИО", "Дата рождения", "Организация", "Категория", "Класс / должность", "Базы", "Согласия"]


@pytest.fixture
def people(world):
    return {
        "sokolova": PersonFactory(
            organization=world.school_a,
            last_name="Соколова",
            first_name="Мария",
            middle_name="Андреевна",
            birth_date=datetime.date(2011, 3, 14),
            class_name="7Б",
        ),
        "petrov": TeacherFactory(
            organization=world.school_a,
            last_name="Петров",
            first_name="Илья",
            middle_name="",
            birth_date=datetime.date(1990, 11, 2),
            position="учитель",
        ),
        "withdrawn": ConsentFactory(
            person=PersonFactory(organization=world.school_a, last_name="Отозвавшая", first_name="Анна"),
            withdrawn_on=datetime.date.today(),
        ).person,
        "other_school": PersonFactory(organization=world.school_b, last_name="Лебедев", first_name="Павел"),
    }


def test_it_exports_the_people_of_one_organization_to_xlsx_and_journals_it(world, people, tmp_path):
    path = tmp_path / "p.xlsx"
    out, _ = _run("export_data", "persons", "--organization", str(world.school_a.pk), "--out", str(path))
    assert out == f"Выгружено строк: 2 → {path}\n"
    sheet = openpyxl.load_workbook(path).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        EXPORT_HEADER,
        ["Петров Илья", datetime.datetime(1990, 11, 2), "МБОУ «СОШ № 1»", "Педагог", "учитель", None, "не нужны"],
        [
            "Соколова Мария Андреевна",
            datetime.datetime(2011, 3, 14),
            "МБОУ «СОШ № 1»",
            "Обучающийся",
            "7Б",
            None,
            "не нужны",
        ],
    ]
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor is None
    assert entry.data == {
        "list": "Люди",
        "format": "xlsx",
        "rows": 2,
        "filters": {"organization": str(world.school_a.pk)},
        "personal_data": True,
    }


def test_it_exports_to_csv_by_the_file_name(world, people, tmp_path):
    path = tmp_path / "p.csv"
    _run("export_data", "persons", "--organization", str(world.school_a.pk), "--out", str(path))
    content = path.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == EXPORT_HEADER
    assert [row[:2] for row in rows[1:]] == [["Петров Илья", "02.11.1990"], ["Соколова Мария Андреевна", "14.03.2011"]]
    assert AuditEntry.objects.get(action="export").data["format"] == "csv"


def test_it_exports_every_organization_without_the_option(world, people, tmp_path):
    path = tmp_path / "all.xlsx"
    out, _ = _run("export_data", "persons", "--out", str(path))
    assert out == f"Выгружено строк: 3 → {path}\n"
    names = [row[0].value for row in openpyxl.load_workbook(path).active.iter_rows(min_row=2)]
    assert names == ["Лебедев Павел Петрович", "Петров Илья", "Соколова Мария Андреевна"]


def test_it_refuses_an_export_file_of_another_format(world, tmp_path):
    with pytest.raises(CommandError) as failed:
        _run("export_data", "persons", "--out", str(tmp_path / "p.pdf"))
    assert str(failed.value) == "Имя файла должно кончаться на .xlsx или .csv."
    assert not (tmp_path / "p.pdf").exists()
    assert AuditEntry.objects.count() == 0


def test_it_imports_back_what_it_exported_without_changes(world, people, tmp_path):
    path = tmp_path / "p.xlsx"
    _run("export_data", "persons", "--organization", str(world.school_a.pk), "--out", str(path))
    before = sorted(Person.objects.values_list("pk", "updated_at"))
    out, _ = _run("import_data", "persons", str(path), "--organization", str(world.school_a.pk))
    assert out.splitlines() == [
        "Строк: 2; новых: 0, обновится: 0, без изменений: 2, с ошибками: 0.",
        "Не загружаются столбцы: «Класс / должность», «Базы», «Согласия»",
        "Сохранено.",
    ]
    assert sorted(Person.objects.values_list("pk", "updated_at")) == before
