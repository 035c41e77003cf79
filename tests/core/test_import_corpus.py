"""The corpus of import files (tests/core/import_corpus/): every bad file with the exact errors
it gets and nothing saved; every good file with its counts, its people and a second import
that changes nothing.

The files are committed and rebuilt by import_corpus/make_corpus.py; the over-size file is
made here. Organizations named in the files are those of the `world` fixture."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from core.importing import run_import
from core.models import AuditEntry
from core.testing.factories import ConsentFactory, PersonFactory, TeacherFactory
from registry import services
from registry.importers import MenteeRecordImporter, MentorRecordImporter, PersonImporter
from registry.models import MenteeRecord, MentorRecord, Person

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
        "utf16.csv",
        "Файл «utf16.csv» не похож на таблицу CSV (в нём двоичные данные). Загрузите .xlsx или .csv.",
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
