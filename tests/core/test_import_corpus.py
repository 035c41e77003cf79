"""The corpus of import files (tests/core/import_corpus/): every bad file with the exact errors
it gets and nothing saved; every good file with its counts, its people and a second import
that changes nothing — for persons and the bases, and for consents and pairs, which name people
already in the registry (`named` makes them). Hostile cells and unknown headers are tried on
every kind of import registered (core.importing.IMPORTERS).

The files are committed and rebuilt by import_corpus/make_corpus.py; the over-size file is
made here. Organizations named in the files are those of the `world` fixture."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from core.importing import IMPORTERS, run_import
from core.models import AuditEntry
from core.russian import typeset
from core.testing import hostile
from core.testing.factories import (
    ConsentFactory,
    MenteeRecordFactory,
    MentorRecordFactory,
    PersonFactory,
    TeacherFactory,
)
from core.xlsx_guard import number as thousands
from mentorship.importers import PairImporter
from mentorship.models import Pair, PairMember
from registry import services
from registry.choices import FormCode
from registry.importers import (
    CONSENT_KINDS_ALLOWED,
    ConsentImporter,
    MenteeRecordImporter,
    MentorRecordImporter,
    PersonImporter,
)
from registry.models import Consent, MenteeRecord, MentorRecord, MentorshipForm, Person

CORPUS = Path(__file__).parent / "import_corpus"
FORMS_ALLOWED = (
    "Ученик – ученик; Учитель – учитель; Студент – ученик; Работодатель – ученик; Работодатель – студент; "
    "Студент – студент"
)
CATEGORIES_ALLOWED = "обучающийся, педагог, студент, представитель работодателя, выпускник"


def _import(world, name, *, importer=PersonImporter, dry_run=False, content=None):
    content = (CORPUS / name).read_bytes() if content is None else content
    return run_import(
        importer(user=world.curator_a, organization=world.school_a), name=name, content=content, dry_run=dry_run
    )


def _errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def _stored():
    """What an import could have written: people, entries in the bases, journal lines."""
    return {
        "persons": Person.objects.count(),
        "mentor_records": MentorRecord.objects.count(),
        "mentee_records": MenteeRecord.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def _people(organization):
    return sorted(
        Person.objects.filter(organization=organization).values_list(
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "sex",
            "category",
            "class_name",
            "position",
            "subjects",
            "teaching_since",
            "phone",
            "email",
        )
    )


def _journalled_writes():
    return AuditEntry.objects.filter(action__in=["create", "update"]).count()


# Files refused whole ---------------------------------------------------------------------

REFUSED_FILES = [
    ("empty.csv", "Файл «empty.csv» пуст. Заполните шаблон и загрузите его снова."),
    ("header_only.xlsx", "В файле «header_only.xlsx» есть заголовки, но нет ни одной строки с данными."),
    (
        "lies.xlsx",
        "Файл «lies.xlsx» назван .xlsx, но это не книга Excel (внутри текст). Сохраните его в Excel как "
        "«Книга Excel (.xlsx)» или переименуйте в .csv, если это таблица CSV.",
    ),
    (
        "lies.csv",
        "Файл «lies.csv» назван .csv, но внутри книга Excel. Переименуйте его в .xlsx или сохраните как CSV.",
    ),
    (
        "old.xls",
        "Файл «old.xls» — в старом формате Excel 97–2003 (.xls). Откройте его в Excel и сохраните как "
        "«Книга Excel (.xlsx)» или как CSV.",
    ),
    (
        "missing_columns.csv",
        "В файле нет нужных столбцов: «ФИО», «Дата рождения», «Категория» или «Фамилия», «Имя», «Дата рождения», "
        "«Категория». Найдены столбцы: «ФИО», «Класс». Скачайте шаблон и перенесите данные в его столбцы.",
    ),
    (
        "latin1.csv",
        "Не удалось распознать кодировку файла «latin1.csv»: сохраните его как CSV в UTF-8 или Windows-1251.",
    ),
    (
        "undecodable.csv",
        "Не удалось прочитать текст файла «undecodable.csv»: сохраните его как CSV в кодировке UTF-8 или Windows-1251.",
    ),
    ("table.ods", "Файл «table.ods» не похож на таблицу: загрузите .xlsx или .csv."),
    (
        "duplicate_columns.csv",
        "Столбцы «ФИО» и «ФИО наставника» означают одно и то же (ФИО). Оставьте один.",
    ),
    (
        "school_b_named.csv",
        "Строка 3: организация «МБОУ «СОШ № 2»» вам недоступна. Файл не загружен: загружайте данные только "
        "своей организации.",
    ),
]


@pytest.mark.parametrize(("name", "message"), REFUSED_FILES, ids=[name for name, _ in REFUSED_FILES])
def test_it_refuses_a_bad_file_whole_with_the_exact_reason_and_saves_nothing(world, name, message):
    before = _stored()
    result = _import(world, name)
    assert result.file_error == message
    assert result.errors == []
    assert result.saved is False
    assert _stored() == before
    assert Person.objects.count() == 0


def test_it_refuses_an_over_size_file_before_reading_it(world, settings):
    settings.IMPORT_MAX_BYTES = 100
    content = (CORPUS / "utf8_bom_semicolon.csv").read_bytes()
    assert len(content) == 425
    result = _import(world, "big.csv", content=content)
    assert result.file_error == (
        "Файл «big.csv» весит 425\xa0байт, а можно не больше 100\xa0байт. Разделите его на несколько файлов."
    )
    assert result.saved is False
    assert Person.objects.count() == 0
    # A file of exactly the limit is read.
    settings.IMPORT_MAX_BYTES = 425
    assert _import(world, "big.csv", content=content, dry_run=True).file_error == ""


def test_it_refuses_the_same_over_size_file_from_a_mentor_import(world, settings):
    settings.IMPORT_MAX_BYTES = 1000
    content = (CORPUS / "base_form_mentors.xlsx").read_bytes()
    result = _import(world, "base_form_mentors.xlsx", importer=MentorRecordImporter, content=content)
    assert result.file_error.startswith(
        "Файл «base_form_mentors.xlsx» весит 5,1\xa0КБ, а можно не больше 1000\xa0байт."
    )
    assert _stored()["mentor_records"] == 0


# Files with bad rows ---------------------------------------------------------------------

ROW_ERRORS = [
    (
        "impossible_date.csv",
        PersonImporter,
        {"rows": 4, "new": 1, "updated": 0, "unchanged": 0, "rejected": 3},
        [
            (3, "Дата рождения", "Такой даты нет: «31.02.2010». Проверьте число и месяц."),
            (4, "Дата рождения", "Такой даты нет: «2010-13-01». Проверьте число и месяц."),
            (5, "Дата рождения", "«вчера» — не дата. Пишите дату как ДД.ММ.ГГГГ, например 14.03.2011."),
        ],
    ),
    (
        "future_birth.csv",
        PersonImporter,
        {"rows": 2, "new": 1, "updated": 0, "unchanged": 0, "rejected": 1},
        [(3, "Дата рождения", "Дата рождения не может быть в будущем.")],
    ),
    (
        "duplicate_rows.xlsx",
        PersonImporter,
        # Row 4 is blank: skipped, and the duplicate keeps its spreadsheet number 5.
        {"rows": 3, "new": 2, "updated": 0, "unchanged": 0, "rejected": 1},
        [(5, "", "Повторяет строку 2: один и тот же человек записан дважды. Удалите одну из строк.")],
    ),
    (
        "unknown_category.csv",
        PersonImporter,
        {"rows": 3, "new": 1, "updated": 0, "unchanged": 0, "rejected": 2},
        [
            (3, "Категория", f"Неизвестное значение «космонавт». Допустимо: {CATEGORIES_ALLOWED}."),
            (4, "Пол", "Неизвестное значение «жeнский». Допустимо: м, ж."),
        ],
    ),
    (
        "unknown_form_mentors.csv",
        MentorRecordImporter,
        {"rows": 3, "new": 1, "updated": 0, "unchanged": 0, "rejected": 2},
        [
            (
                3,
                "Форма наставничества",
                f"Неизвестная форма наставничества «Учитель – директор». Допустимо: {FORMS_ALLOWED}.",
            ),
            (
                4,
                "Форма наставничества",
                f"Неизвестная форма наставничества «Родитель – ученик». Допустимо: {FORMS_ALLOWED}.",
            ),
        ],
    ),
    (
        "missing_fio.csv",
        PersonImporter,
        {"rows": 3, "new": 1, "updated": 0, "unchanged": 0, "rejected": 2},
        [
            (3, "ФИО", "Не указаны фамилия и имя."),
            (4, "ФИО", "«Соколов»: нужны хотя бы фамилия и имя через пробел."),
        ],
    ),
    (
        "blank_rows.csv",
        PersonImporter,
        # Rows 3–5 and 7 are blank (some with delimiters or spaces only): skipped, not counted,
        # and the bad row keeps the number the spreadsheet shows.
        {"rows": 3, "new": 2, "updated": 0, "unchanged": 0, "rejected": 1},
        [(8, "Категория", f"Неизвестное значение «инопланетянин». Допустимо: {CATEGORIES_ALLOWED}.")],
    ),
    (
        "rule_violations.csv",
        PersonImporter,
        # The rules of the person form (registry.services.person_clean), by column.
        {"rows": 5, "new": 0, "updated": 0, "unchanged": 0, "rejected": 5},
        [
            (2, "Класс", "Класс указывается только для обучающихся."),
            (
                3,
                "Начало педагогической деятельности",
                "Начало педагогической деятельности раньше 14 лет от рождения: проверьте даты.",
            ),
            (4, "Дата рождения", "Проверьте год рождения: возраст больше 100 лет."),
            (5, "Начало педагогической деятельности", "Начало педагогической деятельности не может быть в будущем."),
            (6, "Пол", "Неизвестное значение «x». Допустимо: м, ж."),
        ],
    ),
    (
        "separate_name_columns.csv",
        PersonImporter,
        {"rows": 3, "new": 1, "updated": 0, "unchanged": 0, "rejected": 2},
        [
            (3, "Фамилия", "Не заполнено: без фамилии и имени человека не найти."),
            (4, "Имя", "Не заполнено: без фамилии и имени человека не найти."),
        ],
    ),
    (
        "bad_record_values_mentors.csv",
        MentorRecordImporter,
        {"rows": 1, "new": 0, "updated": 0, "unchanged": 0, "rejected": 1},
        [
            (2, "Возраст наставляемых", "«14-10» — укажите возраст как «10–14» (от и до) или одно число."),
            (
                2,
                "Уровень наставника",
                "Неизвестный уровень «Гуру». Допустимо: Наставник-специалист, Старший наставник, Ведущий наставник.",
            ),
            (2, "Обучен", "«может быть» — ожидается «да» или «нет»."),
            (2, "Дата обучения", "Такой даты нет: «31.02.2025». Проверьте число и месяц."),
            (2, "Дата включения в базу", "Такой даты нет: «2025-02-30». Проверьте число и месяц."),
        ],
    ),
    (
        "base_form_mentors.xlsx",
        MentorRecordImporter,
        # The base form has no birth dates: people not yet in the registry cannot be added from it.
        {"rows": 2, "new": 0, "updated": 0, "unchanged": 0, "rejected": 2},
        [
            (2, "Дата рождения", "Человека нет в реестре: чтобы добавить его, укажите дату рождения."),
            (3, "Дата рождения", "Человека нет в реестре: чтобы добавить его, укажите дату рождения."),
        ],
    ),
]


@pytest.mark.parametrize(("name", "importer", "summary", "errors"), ROW_ERRORS, ids=[name for name, *_ in ROW_ERRORS])
def test_it_names_every_bad_row_by_number_and_column_and_saves_nothing(world, name, importer, summary, errors):
    before = _stored()
    result = _import(world, name, importer=importer)
    assert result.file_error == ""
    assert _errors(result) == errors
    assert result.summary == summary
    assert result.saved is False
    # All or nothing: the good rows of the file are not saved either.
    assert _stored() == before


def test_it_checks_a_dry_run_the_same_way_and_saves_nothing(world):
    result = _import(world, "impossible_date.csv", dry_run=True)
    assert [e.row for e in result.errors] == [3, 4, 5]
    result = _import(world, "utf8_bom_semicolon.csv", dry_run=True)
    assert result.errors == []
    assert result.summary == {"rows": 3, "new": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert result.saved is False
    assert _stored() == {"persons": 0, "mentor_records": 0, "mentee_records": 0, "audit": 0}


def test_it_refuses_a_student_younger_than_five(world):
    born = datetime.date.today() - datetime.timedelta(days=365 * 3)
    content = f"ФИО;Дата рождения;Категория\r\nМалышев Пётр;{born:%d.%m.%Y};обучающийся\r\n"
    result = _import(world, "kids.csv", content=content.encode())
    assert _errors(result) == [(2, "Дата рождения", "Обучающемуся не может быть меньше 5 лет: проверьте год рождения.")]
    assert Person.objects.count() == 0


def test_it_reads_surname_name_and_patronymic_from_separate_columns(world):
    content = (CORPUS / "separate_name_columns.csv").read_bytes().split(b"\r\n")
    result = _import(world, "names.csv", content=b"\r\n".join(content[:2]) + b"\r\n")
    assert result.saved is True
    assert _people(world.school_a) == [
        ("Иванов", "Иван", "Иванович", datetime.date(2010, 2, 1), "", "student", "5А", "", "", None, "", "")
    ]


def test_it_names_values_the_fields_refuse(world):
    result = _import(world, "field_validators.csv")
    assert _errors(result) == [
        (2, "E-mail", "Введите правильный адрес электронной почты."),
        (3, "Класс", "Убедитесь, что это значение содержит не более 20 символов (сейчас 25)."),
    ]
    assert result.saved is False
    assert Person.objects.count() == 0


def test_it_keeps_the_rule_that_a_date_of_training_means_trained(world):
    content = (
        "ФИО наставника;Дата рождения;Категория;Обучен;Дата обучения\r\n"
        "Орлова Анна;01.09.1985;педагог;нет;01.02.2025\r\n"
    )
    _import(world, "mentors.csv", importer=MentorRecordImporter, content=content.encode())
    assert not MentorRecord.objects.filter(is_trained=False, trained_on__isnull=False).exists()


def test_it_names_the_row_of_a_person_who_withdrew_consent_in_the_preview(world):
    TeacherFactory(organization=world.school_a, last_name="Орлова", first_name="Анна", middle_name="Павловна")
    student = PersonFactory(
        organization=world.school_a, last_name="Соколова", first_name="Мария", middle_name="Андреевна"
    )
    ConsentFactory(person=student, withdrawn_on=datetime.date.today())
    result = _import(world, "base_form_mentors.xlsx", importer=MentorRecordImporter, dry_run=True)
    assert [e.row for e in result.errors] == [3]


def test_it_rolls_back_everything_when_the_save_fails_half_way(world, monkeypatch):
    """Persons are written before the entries of the base; a refusal of the second write rolls back the first."""

    def refuse(**kwargs):
        raise ValidationError("Сохранение прервано.")

    monkeypatch.setattr(services, "records_bulk_save", refuse)
    before = _stored()
    result = _import(
        world,
        "mentors.csv",
        importer=MentorRecordImporter,
        content=(
            "ФИО наставника;Дата рождения;Категория;Форма наставничества\r\n"
            "Орлова Анна Павловна;01.09.1985;педагог;Учитель – учитель\r\n"
        ).encode(),
    )
    assert result.saved is False
    assert _errors(result) == [(0, "", "Сохранение прервано.")]
    assert _stored() == before


def test_it_accepts_a_form_written_with_a_plain_hyphen(world):
    content = "ФИО;Дата рождения;Категория;Форма наставничества\r\nБелова Нина;03.03.1988;педагог;учитель-учитель\r\n"
    result = _import(world, "hyphen.csv", importer=MentorRecordImporter, content=content.encode())
    assert _errors(result) == []
    assert result.saved is True


def test_it_saves_nothing_when_the_save_itself_is_refused(world):
    """A rule only the save sees (a withdrawn consent) rolls back the people saved before it."""
    TeacherFactory(organization=world.school_a, last_name="Орлова", first_name="Анна", middle_name="Павловна")
    student = PersonFactory(
        organization=world.school_a, last_name="Соколова", first_name="Мария", middle_name="Андреевна"
    )
    ConsentFactory(person=student, withdrawn_on=datetime.date.today())
    before = _stored()
    result = _import(world, "base_form_mentors.xlsx", importer=MentorRecordImporter)
    assert result.saved is False
    assert "Соколова Мария Андреевна" in " ".join(e.message for e in result.errors)
    assert _stored() == before
    orlova = Person.objects.get(last_name="Орлова")
    assert (orlova.phone, orlova.email, orlova.position) == ("", "", "учитель")  # the person update rolled back


# Formula-like values -------------------------------------------------------------------


def test_it_imports_formula_like_values_as_plain_text_and_strips_the_csv_apostrophe(world):
    """A value that starts with = is data, not a formula: it is stored as typed (exports write it
    back as text, see test_exports.py). The apostrophe with which a csv marks such a value as text
    is dropped on reading; an apostrophe before anything else is kept."""
    result = _import(world, "formula_values.csv")
    assert result.errors == []
    assert result.summary == {"rows": 4, "new": 4, "updated": 0, "unchanged": 0, "rejected": 0}
    assert result.saved is True
    stored = sorted(
        Person.objects.filter(organization=world.school_a).values_list(
            "last_name", "first_name", "middle_name", "class_name", "notes"
        )
    )
    assert stored == [
        ('=HYPERLINK("http://evil.example";"Иванов")', "Иван", "", "5А", ""),
        ("Кузнецов", "Антон", "", "5А", "'не формула"),
        ("Смирнов", "Олег", "", "=1+2", ""),
        ("Смирнова", "Ольга", "", "=1+2", "@notes"),
    ]


# Good files ------------------------------------------------------------------------------

SOKOLOVA = ("Соколова", "Мария", "Андреевна", datetime.date(2011, 3, 14))
PETROV = ("Петров", "Илья", "Сергеевич", datetime.date(1990, 11, 2))
KIM = ("Ким", "Виктор", "", datetime.date(2012, 5, 1))

THREE_PEOPLE = [
    (*KIM, "m", "student", "5А", "", "", None, "", ""),
    (*PETROV, "m", "teacher", "", "учитель", "математика", None, "+7 900 123-45-67", "petrov@example.ru"),
    (*SOKOLOVA, "f", "student", "7Б", "", "", None, "", ""),
]
GOOD_FILES = [
    ("utf8_bom_semicolon.csv", {"format": "csv", "encoding": "utf-8-sig", "delimiter": ";"}, THREE_PEOPLE),
    ("cp1251_semicolon.csv", {"format": "csv", "encoding": "cp1251", "delimiter": ";"}, THREE_PEOPLE),
    # Excel's «Unicode text»: UTF-16 with a byte order mark (it used to be refused as binary data).
    ("utf16.csv", {"format": "csv", "encoding": "utf-16-le", "delimiter": ";"}, THREE_PEOPLE),
    (
        "utf8_comma.csv",
        {"format": "csv", "encoding": "utf-8", "delimiter": ","},
        [
            ("Белов", "Даниил", "", datetime.date(2013, 1, 31), "m", "student", "6В", "", "", None, "", ""),
            (
                *("Орлова", "Анна", "Павловна", datetime.date(1985, 9, 1), "f", "teacher", ""),
                *("учитель", "физика, информатика", None, "", ""),
            ),
        ],
    ),
    (
        "good.xlsx",
        {"format": "xlsx", "encoding": None, "delimiter": None},
        [
            (*KIM, "", "student", "5А", "", "", None, "", ""),
            (*PETROV, "", "teacher", "", "", "", datetime.date(2015, 9, 1), "", ""),
            (*SOKOLOVA, "", "student", "7Б", "", "", None, "", ""),
        ],
    ),
    (
        "blank_rows_good.csv",
        {"format": "csv", "encoding": "utf-8", "delimiter": ";"},
        [
            (*PETROV, "", "teacher", "", "", "", None, "", ""),
            (*SOKOLOVA, "", "student", "7Б", "", "", None, "", ""),
        ],
    ),
    (
        "extra_columns.csv",
        {"format": "csv", "encoding": "utf-8", "delimiter": ";"},
        [
            ("Белов", "Даниил", "", datetime.date(2013, 1, 31), "", "student", "6В", "", "", None, "", ""),
            ("Орлова", "Анна", "Павловна", datetime.date(1985, 9, 1), "", "teacher", "", "", "", None, "", ""),
        ],
    ),
]


@pytest.mark.parametrize(("name", "source", "people"), GOOD_FILES, ids=[name for name, *_ in GOOD_FILES])
def test_it_saves_a_good_file_with_its_counts_and_people(world, name, source, people):
    result = _import(world, name)
    assert result.file_error == ""
    assert result.errors == []
    assert result.summary == {"rows": len(people), "new": len(people), "updated": 0, "unchanged": 0, "rejected": 0}
    assert result.saved is True
    assert result.source == {"name": name, **source}
    # Names brought to the usual case, dates of every form read, classes without spaces in capitals.
    assert _people(world.school_a) == people
    assert Person.objects.exclude(organization=world.school_a).count() == 0
    entries = AuditEntry.objects.filter(action="create", actor=world.curator_a)
    assert entries.count() == len(people)
    assert all(entry.data == {"import": True} for entry in entries)


@pytest.mark.parametrize("name", [name for name, *_ in GOOD_FILES])
def test_it_changes_nothing_when_the_same_file_is_imported_again(world, name):
    first = _import(world, name)
    assert first.saved is True
    people = _people(world.school_a)
    updated_at = sorted(Person.objects.values_list("pk", "updated_at"))
    writes = _journalled_writes()
    again = _import(world, name)
    rows = first.summary["rows"]
    assert again.errors == []
    assert again.summary == {"rows": rows, "new": 0, "updated": 0, "unchanged": rows, "rejected": 0}
    assert _people(world.school_a) == people
    assert sorted(Person.objects.values_list("pk", "updated_at")) == updated_at
    assert _journalled_writes() == writes


def test_it_reports_the_ignored_columns_of_a_file(world):
    result = _import(world, "extra_columns.csv")
    # Columns without a header are neither loaded nor named.
    assert result.ignored_columns == ["№ п/п", "Любимый цвет"]


def test_it_reads_the_same_people_from_utf8_and_windows_1251(world):
    """The cp1251 file holds the same rows as the UTF-8 one: importing it after the other changes nothing."""
    assert _import(world, "utf8_bom_semicolon.csv").saved is True
    result = _import(world, "cp1251_semicolon.csv")
    assert result.summary == {"rows": 3, "new": 0, "updated": 0, "unchanged": 3, "rejected": 0}


def test_it_updates_a_registered_person_and_never_erases_with_an_empty_cell(world):
    person = TeacherFactory(
        organization=world.school_a,
        last_name="Петров",
        first_name="Илья",
        middle_name="Сергеевич",
        birth_date=datetime.date(1990, 11, 2),
        position="завуч",
        subjects="физика",
        phone="",
    )
    result = _import(world, "good.xlsx")
    assert result.summary == {"rows": 3, "new": 2, "updated": 1, "unchanged": 0, "rejected": 0}
    person.refresh_from_db()
    # good.xlsx has no «Должность» or «Предметы» column and gives a new start of teaching.
    assert (person.position, person.subjects, person.teaching_since) == ("завуч", "физика", datetime.date(2015, 9, 1))
    entry = AuditEntry.objects.get(action="update", object_id=str(person.pk))
    assert entry.changes == {"начало педагогической деятельности": ["01.09.2005", "01.09.2015"]}


# The base form of mentors ----------------------------------------------------------------


@pytest.fixture
def registered(world):
    return {
        "orlova": TeacherFactory(
            organization=world.school_a, last_name="Орлова", first_name="Анна", middle_name="Павловна", phone=""
        ),
        "sokolova": PersonFactory(
            organization=world.school_a,
            last_name="Соколова",
            first_name="Мария",
            middle_name="Андреевна",
            birth_date=datetime.date(2011, 3, 14),
            class_name="7Б",
        ),
    }


def test_it_reads_the_base_form_of_mentors_with_fio_in_one_column_and_contacts_in_one_cell(world, registered):
    result = _import(world, "base_form_mentors.xlsx", importer=MentorRecordImporter)
    assert result.errors == []
    assert result.ignored_columns == ["№ п/п"]
    # The summary counts entries in the base; the people found by name are updated along.
    assert result.summary == {"rows": 2, "new": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert result.saved is True
    orlova = Person.objects.get(pk=registered["orlova"].pk)
    assert (orlova.phone, orlova.email, orlova.position) == ("+7 913 555-12-34", "orlova@school1.ru", "учитель физики")
    sokolova = Person.objects.get(pk=registered["sokolova"].pk)
    assert (sokolova.phone, sokolova.email, sokolova.position) == ("8 (391) 22-33-44", "", "")
    assert Person.objects.count() == 2
    forms = {
        record.person.last_name: sorted(form.name for form in record.forms.all())
        for record in MentorRecord.objects.select_related("person")
    }
    assert forms == {"Орлова": ["Учитель – учитель"], "Соколова": ["Ученик – ученик"]}
    assert set(MentorRecord.objects.values_list("entered_on", flat=True)) == {datetime.date.today()}


def test_it_changes_nothing_when_the_base_form_is_imported_again(world, registered):
    assert _import(world, "base_form_mentors.xlsx", importer=MentorRecordImporter).saved is True
    writes = _journalled_writes()
    result = _import(world, "base_form_mentors.xlsx", importer=MentorRecordImporter)
    assert result.summary == {"rows": 2, "new": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert _journalled_writes() == writes
    assert MentorRecord.objects.count() == 2


def test_it_reads_the_base_form_of_mentees_with_the_same_person_columns(world, registered):
    content = (
        "ФИО наставляемого;Место работы/учёбы;Контактные данные;Форма наставничества;Запрос\r\n"
        "Соколова Мария Андреевна;МБОУ «СОШ № 1»;sokolova@mail.example;Ученик – ученик;"
        '"Учебная успеваемость; трудности с алгеброй"\r\n'
    )
    result = _import(world, "mentees.csv", importer=MenteeRecordImporter, content=content.encode("cp1251"))
    assert result.errors == []
    assert result.summary == {"rows": 1, "new": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    record = MenteeRecord.objects.get(person=registered["sokolova"])
    assert [topic.name for topic in record.requests.all()] == ["Учебная успеваемость"]
    assert record.request_details == "трудности с алгеброй"
    assert Person.objects.get(pk=registered["sokolova"].pk).email == "sokolova@mail.example"


def test_it_skips_a_title_row_above_the_header(world):
    """Schools' own base forms often carry a title above the table."""
    content = (
        "База наставляемых МБОУ «СОШ № 1» на 2025/2026 учебный год;;\n"
        ";;\n"
        "ФИО наставляемого;Дата рождения;Категория\n"
        "Соколова Мария Андреевна;14.03.2011;ученик\n"
        "Петров Илья;31.02.2010;ученик\n"
    ).encode("cp1251")
    result = run_import(
        PersonImporter(user=world.curator_a, organization=world.school_a),
        name="база.csv",
        content=content,
        dry_run=True,
    )
    assert result.file_error == ""
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (5, "Дата рождения", "Такой даты нет: «31.02.2010». Проверьте число и месяц."),
    ]
    assert result.summary["new"] == 1


def test_it_does_not_take_data_rows_for_a_header_when_a_column_is_missing(world):
    content = "ФИО;Класс\nСоколова Мария;7Б\nПетров Илья;8А\n".encode()
    result = run_import(
        PersonImporter(user=world.curator_a, organization=world.school_a), name="a.csv", content=content, dry_run=True
    )
    assert result.file_error.startswith("В файле нет нужных столбцов")
    assert "Найдены столбцы: «ФИО», «Класс»" in result.file_error


# Hostile files ---------------------------------------------------------------------------
#
# Built by core.testing.hostile (the bench builds the same ones), never committed. In this
# process they are read with small limits, so that a regression costs a few megabytes instead
# of killing pytest; the worst ones at their real size and the default limits are read in a
# subprocess (test_it_refuses_the_worst_files_in_a_process_of_their_own).

LIMIT_TAIL = (
    "Удалите лишние строки и столбцы или очистите эту ячейку (в Excel последнюю заполненную ячейку "
    "показывает Ctrl+End) либо разделите таблицу на несколько файлов."
)


@pytest.fixture
def small_limits(settings):
    settings.IMPORT_MAX_ROWS = 1000
    settings.IMPORT_MAX_COLUMNS = 10
    settings.IMPORT_MAX_CELLS = 5000
    return settings


def _refused(world, name, content, message):
    before = _stored()
    result = _import(world, name, content=content)
    assert result.file_error == message
    assert result.errors == []
    assert result.saved is False
    assert _stored() == before
    return result


def test_it_refuses_a_sheet_with_a_cell_beyond_the_last_row_and_names_the_cell(world, small_limits):
    _refused(
        world,
        "far.xlsx",
        hostile.far_cell_xlsx("A5000"),
        "Лист «Люди» в файле «far.xlsx» слишком большой: заполнена ячейка A5000 (строка 5\xa0000, столбец 1), "
        "а загружаются листы не больше 1\xa0000 строк и 10 столбцов (последняя ячейка — J1000). " + LIMIT_TAIL,
    )


def test_it_refuses_a_sheet_with_a_cell_beyond_the_last_column(world, small_limits):
    _refused(
        world,
        "wide.xlsx",
        hostile.far_cell_xlsx("K2"),
        "Лист «Люди» в файле «wide.xlsx» слишком большой: заполнена ячейка K2 (строка 2, столбец 11), "
        "а загружаются листы не больше 1\xa0000 строк и 10 столбцов (последняя ячейка — J1000). " + LIMIT_TAIL,
    )


def test_it_refuses_a_sheet_that_declares_a_huge_dimension(world, small_limits):
    _refused(
        world,
        "declared.xlsx",
        hostile.declared_dimension_xlsx("A1:XFD1048576"),
        "Лист «Люди» в файле «declared.xlsx» слишком большой: он объявляет размер A1:XFD1048576, "
        "а загружаются листы не больше 1\xa0000 строк и 10 столбцов (последняя ячейка — J1000). " + LIMIT_TAIL,
    )


def test_it_refuses_a_sheet_whose_cells_span_too_big_an_area(world, small_limits):
    _refused(
        world,
        "area.xlsx",
        hostile.far_cell_xlsx("J900"),
        "Лист «Люди» в файле «area.xlsx» слишком большой: заполненные ячейки занимают область A1:J900 — "
        "9\xa0000 ячеек, а можно не больше 5\xa0000. Удалите лишние строки и столбцы или разделите таблицу "
        "на несколько файлов.",
    )


def test_it_counts_cells_and_rows_that_omit_their_address(world, small_limits):
    """Cells without `r` follow the previous one, rows without `r` the previous row (as calamine reads them)."""
    eleven = "".join(f'<c t="inlineStr"><is><t>{n}</t></is></c>' for n in range(11))
    _refused(
        world,
        "no_refs.xlsx",
        hostile.people_xlsx(refs=False, extra_cells=f"<row>{eleven}</row>"),
        "Лист «Люди» в файле «no_refs.xlsx» слишком большой: заполнена ячейка K3 (строка 3, столбец 11), "
        "а загружаются листы не больше 1\xa0000 строк и 10 столбцов (последняя ячейка — J1000). " + LIMIT_TAIL,
    )
    result = _import(world, "no_refs_good.xlsx", content=hostile.people_xlsx(refs=False), dry_run=True)
    assert (result.file_error, result.summary["new"]) == ("", 1)


def test_it_refuses_a_zip_with_too_many_parts(world, settings):
    settings.IMPORT_MAX_ZIP_MEMBERS = 20
    _refused(
        world,
        "parts.xlsx",
        hostile.many_members_xlsx(30),
        "Файл «parts.xlsx» не похож на книгу Excel: в нём 36 вложенных частей, а в книге их бывает не больше 20. "
        "Откройте файл в Excel и сохраните его заново как «Книга Excel (.xlsx)» или как CSV.",
    )


@pytest.mark.parametrize("limit", ["IMPORT_MAX_PART_BYTES", "IMPORT_MAX_UNPACKED_BYTES"])
def test_it_refuses_a_zip_bomb_before_unpacking_it(world, settings, limit):
    setattr(settings, limit, 1 << 20)
    part, total = (1, 512) if limit == "IMPORT_MAX_PART_BYTES" else (384, 1)
    _refused(
        world,
        "bomb.xlsx",
        hostile.zip_bomb_xlsx(3 << 20),
        "Файл «bomb.xlsx» распаковывается в слишком большой объём (больше 3 МБ), а книга для загрузки может "
        f"занимать в распакованном виде не больше {total} МБ (одна её часть — не больше {part} МБ). Такой файл "
        "не похож на заполненный шаблон: разделите данные на несколько файлов или сохраните их как CSV.",
    )


def test_it_refuses_a_zip_entry_that_unpacks_to_more_than_it_declares(world):
    _refused(
        world,
        "lying.xlsx",
        hostile.lying_size_xlsx(),
        "Файл «lying.xlsx» не открывается как книга Excel: он повреждён или это другой формат.",
    )


@pytest.mark.parametrize("shared", [True, False], ids=["shared", "inline"])
def test_it_refuses_a_cell_longer_than_excel_allows_without_repeating_it(world, shared):
    result = _refused(
        world,
        "long.xlsx",
        hostile.long_cell_xlsx(1_000_000, shared=shared),
        "В файле «long.xlsx» в ячейке A2 (строка 2) текст длиннее 32\xa0767 символов — столько в ячейку Excel "
        "не помещается: файл сделан не в Excel или повреждён. Сократите текст в этой ячейке и сохраните файл "
        "заново.",
    )
    assert "AAAA" not in json.dumps(result.as_dict())


def test_it_refuses_an_unused_shared_string_longer_than_excel_allows(world):
    """calamine reads every shared string, used or not."""
    sheet = hostile.sheet_xml(hostile._rows_xml([hostile.PERSON_HEADER, hostile.PERSON_ROW]))
    content = hostile.workbook(sheet, shared_strings=hostile.shared_strings_xml(["B" * 40_000]))
    _refused(
        world,
        "unused.xlsx",
        content,
        "В файле «unused.xlsx» есть текст длиннее 32\xa0767 символов — столько в ячейку Excel не помещается: "
        "файл сделан не в Excel или повреждён. Откройте его в Excel и сохраните заново.",
    )


def test_it_names_a_cell_longer_than_the_portal_allows_by_row_and_column(world, settings):
    settings.IMPORT_MAX_CELL_CHARS = 2000
    long_name = "Долгова " + "Я" * 2500
    before = _stored()
    result = _import(
        world,
        "long_name.xlsx",
        content=hostile.people_xlsx([(long_name, "14.03.2011", "обучающийся"), hostile.PERSON_ROW]),
    )
    assert _errors(result) == [(2, "ФИО", "В ячейке 2\xa0508 символов, а можно не больше 2\xa0000: сократите текст.")]
    assert result.summary == {"rows": 2, "new": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "ЯЯЯ" not in json.dumps(result.as_dict())
    assert _stored() == before


@pytest.mark.parametrize(
    ("escape", "code"), [("_x0000_", 0), ("_x0001_", 1), ("_x001B_", 27)], ids=["nul", "soh", "esc"]
)
def test_it_names_a_control_character_in_an_xlsx_cell_at_check_time(world, escape, code):
    before = _stored()
    result = _import(world, "nul.xlsx", content=hostile.nul_cell_xlsx(escape))
    assert _errors(result) == [
        (
            2,
            "ФИО",
            f"В ячейке невидимый служебный символ (код {code}): портал не может его сохранить. "
            "Наберите значение заново без него.",
        )
    ]
    assert result.saved is False
    assert _stored() == before


def test_it_names_a_raw_control_byte_in_the_sheet_xml_like_an_escaped_one(world):
    content = hostile.people_xlsx([("Соколова\x07 Мария", "14.03.2011", "обучающийся")])
    result = _import(world, "bell.xlsx", content=content, dry_run=True)
    assert _errors(result) == [
        (
            2,
            "ФИО",
            "В ячейке невидимый служебный символ (код 7): портал не может его сохранить. "
            "Наберите значение заново без него.",
        )
    ]


def test_it_takes_tabs_and_line_breaks_as_ordinary_spaces(world):
    content = 'ФИО;Дата рождения;Категория;Примечание\r\nСоколова Мария;14.03.2011;обучающийся;"раз\tдва\r\nтри"\r\n'
    result = _import(world, "tabs.csv", content=content.encode())
    assert result.errors == []
    assert Person.objects.get().notes == "раз два три"


@pytest.mark.parametrize(("raw", "code"), [("\x00", 0), ("\x0b", 11), ("\x7f", 127)], ids=["nul", "vt", "del"])
def test_it_names_a_raw_control_character_in_a_csv_cell(world, raw, code):
    content = f"ФИО;Дата рождения;Категория\r\nСоколова Мария;14.03.2011;обучающийся\r\nПетров{raw} Илья;02.11.1990;педагог\r\n"
    before = _stored()
    result = _import(world, "nul.csv", content=content.encode())
    assert _errors(result) == [
        (
            3,
            "ФИО",
            f"В ячейке невидимый служебный символ (код {code}): портал не может его сохранить. "
            "Наберите значение заново без него.",
        )
    ]
    assert _stored() == before


def test_it_refuses_a_damaged_sheet_and_names_the_cell_near_the_damage(world):
    content = hostile.people_xlsx(extra_cells='<row r="3"><c r="A3" t="inlineStr"><is><t>x&#1;y</t></is></c></row>')
    _refused(
        world,
        "damaged.xlsx",
        content,
        "Файл «damaged.xlsx» повреждён: лист не читается около ячейки A3 (строка 3) "
        "(reference to invalid character number). Откройте файл в Excel и сохраните его заново.",
    )


def test_it_refuses_a_cell_with_an_address_that_is_not_one(world):
    _refused(
        world,
        "address.xlsx",
        hostile.people_xlsx(extra_cells='<row r="3"><c r="A0" t="inlineStr"><is><t>x</t></is></c></row>'),
        "Файл «address.xlsx» повреждён: в строке 3 у ячейки непонятный адрес «A0». "
        "Откройте файл в Excel и сохраните его заново.",
    )


def test_it_refuses_a_workbook_with_a_dtd(world):
    sheet = hostile.sheet_xml(hostile._rows_xml([hostile.PERSON_HEADER, hostile.PERSON_ROW]))
    sheet = sheet.replace("?>", '?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>', 1)
    _refused(
        world,
        "dtd.xlsx",
        hostile.workbook(sheet),
        "Файл «dtd.xlsx» не открывается как книга Excel: он повреждён или это другой формат.",
    )


def test_it_keeps_control_characters_and_long_headers_out_of_messages(world):
    header = "Ф\x00И\x01О;" + "Ш" * 500
    result = _import(world, "headers.csv", content=f"{header}\r\nСоколова;x\r\n".encode())
    assert result.file_error.startswith("В файле нет нужных столбцов:")
    assert "Найдены столбцы: «Ф И О», «" + "Ш" * 100 + "…»." in result.file_error
    assert "\x00" not in json.dumps(result.as_dict())


def test_it_refuses_a_csv_value_too_long_for_the_csv_reader_without_a_traceback(world):
    content = 'ФИО;Дата рождения;Категория\r\nСоколова Мария;14.03.2011;"' + "x" * 200_000 + '"\r\n'
    result = _import(world, "huge.csv", content=content.encode())
    assert result.file_error == (
        "Строка 2 файла «huge.csv» не читается как CSV: в ней слишком длинное значение (больше 131\xa0072 символов) "
        "или незакрытая кавычка. Проверьте эту строку и сохраните файл заново."
    )
    assert Person.objects.count() == 0


# Encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("codec", "encoding"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_it_reads_a_utf16_csv_with_a_byte_order_mark(world, codec, encoding):
    bom = "\ufeff".encode(codec)
    content = bom + (CORPUS / "utf8_comma.csv").read_bytes().decode().encode(codec)
    result = _import(world, "unicode.csv", content=content)
    assert result.file_error == ""
    assert result.source == {"name": "unicode.csv", "format": "csv", "encoding": encoding, "delimiter": ","}
    assert result.summary["new"] == 2
    assert sorted(Person.objects.values_list("last_name", flat=True)) == ["Белов", "Орлова"]


def test_it_reads_excel_unicode_text_tab_separated(world):
    """Excel's «Текст Юникод (.txt)»: UTF-16 LE with a BOM, columns separated by tabs."""
    text = "ФИО\tДата рождения\tКатегория\r\nСоколова Мария\t14.03.2011\tобучающийся\r\n"
    result = _import(world, "unicode.txt", content=text.encode("utf-16"))
    assert (result.file_error, result.source["delimiter"], result.summary["new"]) == ("", "\t", 1)


@pytest.mark.parametrize(
    ("content", "seen"),
    [
        ("ФИО;Дата рождения\r\n".encode("utf-16-le"), "UTF-16 (LE) без метки порядка байтов"),
        ("ФИО;Дата рождения\r\n".encode("utf-16-be"), "UTF-16 (BE) без метки порядка байтов"),
        ("ФИО;Дата рождения\r\n".encode("utf-32"), "UTF-32"),
    ],
    ids=["utf16le-no-bom", "utf16be-no-bom", "utf32"],
)
def test_it_names_the_encoding_it_refuses(world, content, seen):
    result = _import(world, "unicode.csv", content=content)
    assert result.file_error == (
        f"Файл «unicode.csv» — текст в кодировке {seen}. Портал читает CSV в UTF-8, UTF-16 с меткой порядка "
        "байтов и Windows-1251: сохраните таблицу в Excel как «CSV UTF-8 (разделитель — запятая)»."
    )


def test_it_suggests_the_encoding_may_be_wrong_when_no_header_is_known(world):
    """KOI8-R read as Windows-1251 gives Cyrillic letters, but not the headers."""
    content = (CORPUS / "utf8_comma.csv").read_bytes().decode().encode("koi8-r")
    result = _import(world, "koi8.csv", content=content)
    assert result.file_error.startswith("В файле нет нужных столбцов:")
    assert result.file_error.endswith(
        "Ни один заголовок не узнан: возможно, файл в другой кодировке (прочитан как Windows-1251). Портал читает "
        "CSV в UTF-8, UTF-16 с меткой порядка байтов и Windows-1251: сохраните таблицу в Excel как "
        "«CSV UTF-8 (разделитель — запятая)»."
    )


def test_it_still_refuses_binary_data_named_csv(world):
    result = _import(world, "image.csv", content=hostile.png_declaring(10, 10) * 20)
    assert result.file_error == (
        "Файл «image.csv» не похож на таблицу CSV (в нём двоичные данные). Загрузите .xlsx или .csv."
    )


# The worst files, at their real size, in a process of their own ----------------------------

WORST = {
    "XFD1048576.xlsx": (
        "far_cell_xlsx('XFD1048576')",
        "Лист «Люди» в файле «XFD1048576.xlsx» слишком большой: заполнена ячейка XFD1048576 (строка 1\xa0048\xa0576, "
        "столбец 16\xa0384), а загружаются листы не больше 200\xa0000 строк и 200 столбцов (последняя ячейка — "
        "GR200000). " + LIMIT_TAIL,
    ),
    "Z1048576.xlsx": (
        "far_cell_xlsx('Z1048576')",
        "Лист «Люди» в файле «Z1048576.xlsx» слишком большой: заполнена ячейка Z1048576 (строка 1\xa0048\xa0576, "
        "столбец 26), а загружаются листы не больше 200\xa0000 строк и 200 столбцов (последняя ячейка — "
        "GR200000). " + LIMIT_TAIL,
    ),
    "cell_400MB.xlsx": (
        "long_cell_xlsx(400_000_000)",
        "В файле «cell_400MB.xlsx» в ячейке A2 (строка 2) текст длиннее 32\xa0767 символов — столько в ячейку "
        "Excel не помещается: файл сделан не в Excel или повреждён. Сократите текст в этой ячейке и сохраните "
        "файл заново.",
    ),
    "bomb_1GB.xlsx": (
        "zip_bomb_xlsx(1 << 30)",
        "Файл «bomb_1GB.xlsx» распаковывается в слишком большой объём (больше 1\xa0024 МБ), а книга для загрузки "
        "может занимать в распакованном виде не больше 512 МБ (одна её часть — не больше 384 МБ). Такой файл не "
        "похож на заполненный шаблон: разделите данные на несколько файлов или сохраните их как CSV.",
    ),
    "cell_300MB_inline.xlsx": (
        "long_cell_xlsx(300_000_000, shared=False)",
        "В файле «cell_300MB_inline.xlsx» в ячейке A2 (строка 2) текст длиннее 32\xa0767 символов — столько в "
        "ячейку Excel не помещается: файл сделан не в Excel или повреждён. Сократите текст в этой ячейке и "
        "сохраните файл заново.",
    ),
}


@pytest.mark.parametrize("name", sorted(WORST))
def test_it_refuses_the_worst_files_in_a_process_of_their_own(name, tmp_path):
    """The reading a worker does, in a child process capped at 2 GB of address space: before the
    fix the first one aborted the process (calamine: «memory allocation of 549755813888 bytes
    failed»), the others took 1–6.5 GB. Here a regression fails this test, not the whole run."""
    build, message = WORST[name]
    result = hostile.run_isolated(
        "from core.testing import hostile\n"
        "from core.importing import FileRejected, read_table\n"
        f"content = hostile.{build}\n"
        "try:\n"
        f"    read_table({name!r}, content)\n"
        "    outcome = 'read'\n"
        "except FileRejected as refused:\n"
        "    outcome = refused.message\n",
        address_space=2 << 30,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.outcome == message


def test_it_estimates_the_rows_of_a_workbook_for_the_progress_bar():
    from core.importing import read_table

    table = read_table("people.xlsx", hostile.people_xlsx([hostile.PERSON_ROW] * 3))
    assert table.estimate == 3
    assert sum(1 for _ in table.rows) == 3


def _with_part(content: bytes, part: str, xml: str) -> bytes:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != part:
                target.writestr(info.filename, source.read(info.filename))
        target.writestr(part, xml)
    return out.getvalue()


@pytest.mark.parametrize(
    ("part", "xml"),
    [
        (
            "xl/styles.xml",
            f'<styleSheet xmlns="{hostile.MAIN_NS}"><cellXfs>' + '<xf numFmtId="0"/>' * 200 + "</cellXfs></styleSheet>",
        ),
        (
            "xl/workbook.xml",
            hostile.WORKBOOK.replace(
                "</sheets>",
                "</sheets><definedNames>" + '<definedName name="a">A1</definedName>' * 200 + "</definedNames>",
            ),
        ),
    ],
    ids=["styles", "defined-names"],
)
def test_it_refuses_a_workbook_declaring_millions_of_styles_or_names(world, monkeypatch, part, xml):
    """calamine keeps every format and every defined name: 7 million formats in a 1 MB file cost
    it 860 MB. Here the limit is lowered to 100 elements."""
    from core import xlsx_guard

    monkeypatch.setattr(xlsx_guard, "AUXILIARY_MAX_ELEMENTS", 100)
    _refused(
        world,
        "styles.xlsx",
        _with_part(hostile.people_xlsx(), part, xml),
        f"Файл «styles.xlsx» не похож на книгу Excel: в его части {part} больше 100 элементов (стилей или имён), "
        "а в книге их бывает несколько тысяч. Откройте файл в Excel и сохраните его заново.",
    )


def test_it_refuses_more_shared_strings_than_a_sheet_may_have_cells(world, settings):
    settings.IMPORT_MAX_CELLS = 50
    content = _with_part(hostile.people_xlsx(), "xl/sharedStrings.xml", hostile.shared_strings_xml(map(str, range(60))))
    _refused(
        world,
        "strings.xlsx",
        content,
        "Файл «strings.xlsx» слишком большой: в нём больше 50 разных значений текста, а на листе может быть не "
        "больше 50 ячеек. Разделите таблицу на несколько файлов.",
    )


def _two_sheets(first_far: bool) -> bytes:
    """A workbook whose sheets are listed in workbook.xml in the other order than their parts:
    «Люди» (sheet2.xml) first, then «Справка» (sheet1.xml). One of them has a cell at A5000 (beyond
    the small limits; harmless if a reader took the wrong sheet)."""
    far = hostile.sheet_xml(
        hostile._rows_xml([hostile.PERSON_HEADER, hostile.PERSON_ROW])
        + '<row r="5000"><c r="A5000" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    small = hostile.sheet_xml(hostile._rows_xml([hostile.PERSON_HEADER, hostile.PERSON_ROW]))
    workbook = hostile.WORKBOOK.replace(
        '<sheet name="Люди" sheetId="1" r:id="rId1"/>',
        '<sheet name="Люди" sheetId="2" r:id="rId3"/><sheet name="Справка" sheetId="1" r:id="rId1"/>',
    )
    rels = hostile.WORKBOOK_RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet2.xml"/></Relationships>',
    )
    content = hostile.workbook(small, extra={"xl/worksheets/sheet2.xml": (far if first_far else small).encode()})
    if not first_far:
        content = _with_part(content, "xl/worksheets/sheet1.xml", far)
    content = _with_part(content, "xl/workbook.xml", workbook)
    return _with_part(content, "xl/_rels/workbook.xml.rels", rels)


def test_it_checks_the_sheet_calamine_reads_first_by_workbook_order_not_by_part_name(world, small_limits):
    _refused(
        world,
        "order.xlsx",
        _two_sheets(first_far=True),
        "Лист «Люди» в файле «order.xlsx» слишком большой: заполнена ячейка A5000 (строка 5\xa0000, столбец 1), "
        "а загружаются листы не больше 1\xa0000 строк и 10 столбцов (последняя ячейка — J1000). " + LIMIT_TAIL,
    )
    # The far cell on the second sheet, which no reader opens: the first one is read.
    result = _import(world, "order.xlsx", content=_two_sheets(first_far=False), dry_run=True)
    assert (result.file_error, result.summary["new"]) == ("", 1)


# Consents and pairs ------------------------------------------------------------------------
#
# They name people already in the registry, as a school loads them first (`named`).

SCHOOL_A = typeset("МБОУ «СОШ № 1»")
CONTROL_MESSAGE = (
    "В ячейке невидимый служебный символ (код {}): портал не может его сохранить. Наберите значение заново без него."
)


def _too_long(length: int, cap: int = 2000) -> str:
    return f"В ячейке {thousands(length)} символов, а можно не больше {thousands(cap)}: сократите текст."


@pytest.fixture
def named(world):
    a = world.school_a
    forms = {form.code: form for form in MentorshipForm.objects.all()}
    teacher_form, student_form = forms[FormCode.TEACHER_TEACHER], forms[FormCode.STUDENT_STUDENT]
    PersonFactory(organization=a, last_name="Соколова", first_name="Мария", middle_name="Андреевна", birth_date=datetime.date(2011, 3, 14))  # fmt: skip
    petrov = TeacherFactory(
        organization=a, last_name="Петров", first_name="Илья", middle_name="Сергеевич",
        birth_date=datetime.date(1990, 11, 2), teaching_since=datetime.date(datetime.date.today().year - 1, 9, 1),
    )  # fmt: skip
    MenteeRecordFactory(person=petrov).forms.set([teacher_form])
    orlova = TeacherFactory(organization=a, last_name="Орлова", first_name="Анна", middle_name="Павловна", birth_date=datetime.date(1985, 9, 1))  # fmt: skip
    MentorRecordFactory(person=orlova).forms.set([teacher_form])
    zaitseva = PersonFactory(organization=a, last_name="Зайцева", first_name="Ольга", middle_name="", birth_date=datetime.date(2009, 5, 5))  # fmt: skip
    MentorRecordFactory(person=zaitseva).forms.set([student_form])
    for last, first, born in (("Ким", "Виктор", datetime.date(2012, 5, 1)), ("Белов", "Даниил", datetime.date(2013, 1, 31))):  # fmt: skip
        pupil = PersonFactory(organization=a, last_name=last, first_name=first, middle_name="", birth_date=born)
        MenteeRecordFactory(person=pupil).forms.set([student_form])


def _kept():
    return {"consents": Consent.objects.count(), "pairs": Pair.objects.count(), "audit": AuditEntry.objects.count()}


NAMING_REFUSED = [
    (
        "consents_wrong_headers.csv",
        ConsentImporter,
        "В файле нет нужных столбцов: «ФИО», «Дата рождения», «Вид согласия», «Дата подписания» или «Фамилия», «Имя», "
        "«Дата рождения», «Вид согласия», «Дата подписания». Найдены столбцы: «ФИО», «Дата рождения», «Согласие на "
        "что», «Когда подписано». Скачайте шаблон и перенесите данные в его столбцы.",
    ),
    (
        "pairs_wrong_headers.csv",
        PairImporter,
        "В файле нет нужных столбцов: «ФИО наставника», «Дата рождения наставника», «ФИО наставляемого», «Дата "
        "рождения наставляемого», «Форма наставничества», «Дата начала», «Дата окончания». Найдены столбцы: "
        "«Наставник», «Кого наставляет», «Форма», «С какого числа». Скачайте шаблон и перенесите данные в его столбцы.",
    ),
]


@pytest.mark.parametrize(("name", "importer", "message"), NAMING_REFUSED, ids=[n for n, *_ in NAMING_REFUSED])
def test_it_refuses_consents_and_pairs_under_unknown_headers(world, named, name, importer, message):
    before = _kept()
    result = _import(world, name, importer=importer)
    assert (result.file_error, result.errors, result.saved) == (message, [], False)
    assert _kept() == before


NAMING_ROW_ERRORS = [
    (
        "consents_hostile.csv",
        ConsentImporter,
        {"rows": 6, "new": 1, "updated": 0, "unchanged": 0, "rejected": 5},
        [
            (
                2,
                "ФИО",
                '=HYPERLINK("http://evil.example";"Соколова"), 14.03.2011: такого человека нет среди людей '
                f"«{SCHOOL_A}». Сначала загрузите людей (шаблон «Люди»), потом их согласия — или проверьте ФИО и дату "
                "рождения.",
            ),
            (3, "ФИО", CONTROL_MESSAGE.format(0)),
            (4, "Вид согласия", _too_long(2103)),
            (5, "ФИО представителя", CONTROL_MESSAGE.format(27)),
            (6, "Вид согласия", f"Неизвестное значение «@SUM(1+1)». Допустимо: {CONSENT_KINDS_ALLOWED}."),
        ],
    ),
    (
        "pairs_hostile.csv",
        PairImporter,
        {"rows": 5, "new": 1, "updated": 0, "unchanged": 0, "rejected": 4},
        [
            (
                2,
                "ФИО наставника",
                f'Наставник =cmd|"/c calc"!A1, 01.09.1985, не найден среди доступных вам людей «{SCHOOL_A}». Сначала '
                "загрузите людей и базу наставников — или проверьте ФИО, дату рождения и «Организацию наставника».",
            ),
            (3, "Номер группы", CONTROL_MESSAGE.format(0)),
            (4, "Ролевая модель", _too_long(2100)),
            (
                5,
                "Номер приказа",
                f"Утверждает руководитель организации (п. 3.6 Положения): у вас нет роли руководителя «{SCHOOL_A}». "
                "Оставьте «Номер приказа» и «Дата приказа» пустыми: пары загрузятся черновиками, а руководитель "
                "утвердит их приказом в портале.",
            ),
        ],
    ),
]


@pytest.mark.parametrize(
    ("name", "importer", "summary", "errors"), NAMING_ROW_ERRORS, ids=[n for n, *_ in NAMING_ROW_ERRORS]
)
def test_it_names_every_hostile_row_of_consents_and_pairs_and_saves_nothing(
    world, named, name, importer, summary, errors
):
    before = _kept()
    result = _import(world, name, importer=importer)
    assert result.file_error == ""
    assert _errors(result) == errors
    assert result.summary == summary
    assert result.saved is False
    assert _kept() == before
    assert "\x00" not in json.dumps(result.as_dict())


NAMING_GOOD = [
    ("consents_cp1251.csv", ConsentImporter, {"format": "csv", "encoding": "cp1251", "delimiter": ";"}, 4),
    ("pairs_good.xlsx", PairImporter, {"format": "xlsx", "encoding": None, "delimiter": None}, 3),
]


@pytest.mark.parametrize(("name", "importer", "source", "rows"), NAMING_GOOD, ids=[n for n, *_ in NAMING_GOOD])
def test_it_saves_good_consents_and_pairs_and_changes_nothing_the_second_time(
    world, named, name, importer, source, rows
):
    result = _import(world, name, importer=importer)
    assert (result.file_error, result.errors, result.saved) == ("", [], True)
    assert result.source == {"name": name, **source}
    assert result.summary == {"rows": rows, "new": rows, "updated": 0, "unchanged": 0, "rejected": 0}
    kept = _kept()
    again = _import(world, name, importer=importer)
    assert again.summary == {"rows": rows, "new": 0, "updated": 0, "unchanged": rows, "rejected": 0}
    assert _kept() == kept


def test_it_reads_the_pairs_and_the_group_of_the_good_file(world, named):
    assert _import(world, "pairs_good.xlsx", importer=PairImporter).saved is True
    members = sorted(
        PairMember.objects.values_list("pair__form__code", "pair__mentor__last_name", "role", "person__last_name")
    )
    assert members == [
        (FormCode.STUDENT_STUDENT, "Зайцева", "mentee", "Белов"),
        (FormCode.STUDENT_STUDENT, "Зайцева", "mentee", "Ким"),
        (FormCode.STUDENT_STUDENT, "Зайцева", "mentor", "Зайцева"),
        (FormCode.TEACHER_TEACHER, "Орлова", "mentee", "Петров"),
        (FormCode.TEACHER_TEACHER, "Орлова", "mentor", "Орлова"),
    ]
    assert set(Pair.objects.values_list("start_on", "end_on", "status")) == {
        (datetime.date(2026, 9, 1), datetime.date(2027, 5, 31), "draft")
    }


# Every kind of import registered ------------------------------------------------------------


def _importer(kind, world):
    return IMPORTERS[kind](user=world.curator_a, organization=world.school_a)


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_every_kind_names_a_control_character_and_an_over_long_cell_and_saves_nothing(world, settings, kind):
    settings.IMPORT_MAX_CELL_CHARS = 50
    importer = _importer(kind, world)
    # A kind whose cells are a document's paragraphs (a roadmap's stage) sets a cap of its own.
    cap = importer.max_cell_chars or 50
    header = [column.header for column in importer.columns if column.in_template]
    cells = ["Соколова\x00Мария", "я" * (cap + 1), *([""] * (len(header) - 2))]
    content = (";".join(header) + "\r\n" + ";".join(cells) + "\r\n").encode()
    before = _kept() | _stored()
    result = run_import(importer, name="hostile.csv", content=content, dry_run=False)
    assert _errors(result) == [(2, header[0], CONTROL_MESSAGE.format(0)), (2, header[1], _too_long(cap + 1, cap))]
    assert result.summary == {"rows": 1, "new": 0, "updated": 0, "unchanged": 0, "rejected": 1}
    assert result.saved is False
    assert _kept() | _stored() == before


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_every_kind_refuses_a_file_whose_headers_it_does_not_know(world, kind):
    importer = _importer(kind, world)
    result = run_import(importer, name="чужой.csv", content=b"Child;Colour\r\nx;y\r\n", dry_run=False)
    required = importer.required_sets[0] if importer.required_sets else [c.key for c in importer.columns if c.required]
    assert result.file_error.startswith("В файле нет нужных столбцов: «" + importer.column(required[0]).header + "»")
    assert all(f"«{importer.column(key).header}»" in result.file_error for key in required)
    assert result.file_error.endswith(
        "Найдены столбцы: «Child», «Colour». Скачайте шаблон и перенесите данные в его столбцы."
    )
