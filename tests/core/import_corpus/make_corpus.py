"""Build the corpus of import files that tests/core/test_import_corpus.py reads.

The files are committed; run this only to rebuild them after changing what they hold:

    .venv/bin/python tests/core/import_corpus/make_corpus.py

Every file is small and deterministic (xlsx files get a fixed creation time), so rebuilding
gives the same bytes. The over-size file is not here: the test makes it, with a small limit.
The organizations named in the files are those of the `world` fixture (tests/conftest.py):
«МБОУ «СОШ № 1»» is school A, «МБОУ «СОШ № 2»» school B.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime.datetime(2025, 1, 1, 0, 0, 0)

PERSON_HEADER = ["ФИО", "Дата рождения", "Пол", "Категория", "Класс", "Должность", "Предметы", "Телефон", "E-mail"]
CONSENT_HEADER = ["ФИО", "Дата рождения", "Вид согласия", "Дата подписания", "ФИО представителя"]
PAIR_HEADER = [
    "ФИО наставника", "Дата рождения наставника", "Организация наставника", "ФИО наставляемого",
    "Дата рождения наставляемого", "Форма наставничества", "Ролевая модель", "Дата начала", "Дата окончания",
    "Номер группы", "Номер приказа", "Дата приказа",
]  # fmt: skip


def csv_bytes(rows, *, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, *, title="Лист1") -> bytes:
    """An xlsx as Excel writes it: dates as real date cells; byte-stable (fixed zip times)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cell in (c for row in sheet.iter_rows() for c in row):
        if isinstance(cell.value, datetime.date):
            cell.number_format = "DD.MM.YYYY"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    # Normalise the zip entries' timestamps so that a rebuild gives the same bytes.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)
    return out.getvalue()


def build() -> dict[str, bytes]:
    files: dict[str, bytes] = {}

    # Good files -------------------------------------------------------------------------
    good_rows = [
        PERSON_HEADER,
        ["соколова мария андреевна", "14.03.2011", "ж", "обучающийся", "7б", "", "", "", ""],
        ["ПЕТРОВ ИЛЬЯ СЕРГЕЕВИЧ", "02.11.1990", "м", "педагог", "", "учитель", "математика", "+7 900 123-45-67",
         "petrov@example.ru"],
        ["Ким Виктор", "2012-05-01", "м", "ученик", "5 а", "", "", "", ""],
    ]  # fmt: skip
    files["utf8_bom_semicolon.csv"] = csv_bytes(good_rows, bom=True)
    files["cp1251_semicolon.csv"] = csv_bytes(good_rows, encoding="cp1251")
    files["utf8_comma.csv"] = csv_bytes(
        [
            PERSON_HEADER,
            ["Орлова Анна Павловна", "01.09.1985", "ж", "Педагог", "", "учитель", "физика, информатика", "", ""],
            ["Белов Даниил", "2013-01-31", "м", "Обучающийся", "6В", "", "", "", ""],
        ],
        delimiter=",",
    )
    files["good.xlsx"] = xlsx_bytes(
        [
            ["ФИО", "Дата рождения", "Категория", "Класс / группа", "Начало педагогической деятельности"],
            ["Соколова Мария Андреевна", datetime.date(2011, 3, 14), "обучающийся", "7б", None],
            ["Петров Илья Сергеевич", datetime.datetime(1990, 11, 2), "педагог", None, datetime.date(2015, 9, 1)],
            ["Ким Виктор", "2012-05-01", "школьник", "5А", None],
        ]
    )
    files["extra_columns.csv"] = csv_bytes(
        [
            ["№ п/п", "ФИО", "Дата рождения", "Категория", "Любимый цвет", "", "Класс"],
            ["1", "Орлова Анна Павловна", "01.09.1985", "педагог", "синий", "", ""],
            ["2", "Белов Даниил", "31.01.2013", "обучающийся", "зелёный", "x", "6в"],
        ]
    )
    files["base_form_mentors.xlsx"] = xlsx_bytes(
        [
            ["№ п/п", "ФИО наставника", "Место работы/учёбы", "Должность", "Контактные данные", "Форма наставничества"],
            [1, "Орлова Анна Павловна", "МБОУ «СОШ № 1»", "учитель физики", "+7 913 555-12-34, orlova@school1.ru",
             "Учитель – учитель"],
            [2, "Соколова Мария Андреевна", "МБОУ «СОШ № 1»", None, "8 (391) 22-33-44", "Ученик – ученик"],
        ],
        title="База наставников",
    )  # fmt: skip

    # Files refused whole -----------------------------------------------------------------
    files["empty.csv"] = b""
    files["header_only.xlsx"] = xlsx_bytes([PERSON_HEADER])
    files["lies.xlsx"] = csv_bytes(good_rows)  # text named .xlsx
    files["lies.csv"] = files["good.xlsx"]  # a workbook named .csv
    files["old.xls"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # an OLE2 (Excel 97–2003) header
    files["table.ods"] = csv_bytes(good_rows)  # neither xlsx nor csv
    files["missing_columns.csv"] = csv_bytes([["ФИО", "Класс"], ["Соколова Мария Андреевна", "7Б"]])
    files["utf16.csv"] = "\n".join(";".join(row) for row in good_rows).encode("utf-16")  # Excel's «Unicode text»
    files["latin1.csv"] = b"Name;Birthday;Note\r\nSmith John;01.02.2010;\xa9 2024\r\n"  # no Cyrillic at all
    files["undecodable.csv"] = csv_bytes(good_rows, encoding="cp1251").replace("Ким".encode("cp1251"), b"\x98\x98")
    files["school_b_named.csv"] = csv_bytes(
        [
            ["ФИО", "Дата рождения", "Категория", "Организация"],
            ["Соколова Мария Андреевна", "14.03.2011", "обучающийся", "МБОУ «СОШ № 1»"],
            ["Лебедев Павел Олегович", "20.10.2010", "обучающийся", "МБОУ «СОШ № 2»"],
        ]
    )

    # Files with bad rows -----------------------------------------------------------------
    files["impossible_date.csv"] = csv_bytes(
        [
            PERSON_HEADER,
            ["Соколова Мария Андреевна", "14.03.2011", "ж", "обучающийся", "7Б", "", "", "", ""],
            ["Лебедев Павел Олегович", "31.02.2010", "м", "обучающийся", "8А", "", "", "", ""],
            ["Зайцева Ольга", "2010-13-01", "ж", "обучающийся", "8А", "", "", "", ""],
            ["Носов Игорь", "вчера", "м", "обучающийся", "8А", "", "", "", ""],
        ]
    )
    files["future_birth.csv"] = csv_bytes(
        [
            PERSON_HEADER,
            ["Соколова Мария Андреевна", "14.03.2011", "ж", "обучающийся", "7Б", "", "", "", ""],
            ["Будущев Пётр Иванович", "01.01.2999", "м", "педагог", "", "учитель", "", "", ""],
        ]
    )
    files["duplicate_rows.xlsx"] = xlsx_bytes(
        [
            ["ФИО", "Дата рождения", "Категория", "Класс"],
            ["Соколова Мария Андреевна", datetime.date(2011, 3, 14), "обучающийся", "7Б"],
            ["Петров Илья Сергеевич", datetime.date(1990, 11, 2), "педагог", None],
            [None, None, None, None],
            ["СОКОЛОВА МАРИЯ АНДРЕЕВНА", "14.03.2011", "обучающийся", "7б"],
        ]
    )
    files["formula_values.csv"] = csv_bytes(
        [
            ["ФИО", "Дата рождения", "Категория", "Класс", "Примечание"],
            ['=HYPERLINK("http://evil.example";"Иванов") Иван', "01.02.2010", "обучающийся", "5А", ""],
            ["Смирнов Олег", "02.02.2010", "обучающийся", "=1+2", ""],
            ["Смирнова Ольга", "03.02.2010", "обучающийся", "'=1+2", "'@notes"],
            ["Кузнецов Антон", "04.02.2010", "обучающийся", "5А", "'не формула"],
        ]
    )
    files["unknown_category.csv"] = csv_bytes(
        [
            ["ФИО", "Дата рождения", "Категория", "Пол"],
            ["Соколова Мария Андреевна", "14.03.2011", "обучающийся", "ж"],
            ["Гагарин Юрий Алексеевич", "09.03.1990", "космонавт", "м"],
            ["Терешкова Валентина", "06.03.1990", "педагог", "жeнский"],  # a Latin «e» inside
        ]
    )
    files["unknown_form_mentors.csv"] = csv_bytes(
        [
            ["ФИО наставника", "Дата рождения", "Категория", "Форма наставничества"],
            ["Орлова Анна Павловна", "01.09.1985", "педагог", "Учитель – учитель"],
            ["Петров Илья Сергеевич", "02.11.1990", "педагог", "Учитель – директор"],
            ["Белова Нина", "03.03.1988", "педагог", "Родитель – ученик"],
        ]
    )
    files["missing_fio.csv"] = csv_bytes(
        [
            ["ФИО", "Дата рождения", "Категория", "Класс"],
            ["Соколова Мария Андреевна", "14.03.2011", "обучающийся", "7Б"],
            ["", "15.04.2011", "обучающийся", "7Б"],
            ["Соколов", "16.05.2011", "обучающийся", "7Б"],
        ]
    )
    files["rule_violations.csv"] = csv_bytes(
        [
            ["ФИО", "Дата рождения", "Категория", "Класс", "Начало педагогической деятельности", "Пол"],
            ["Петров Илья", "02.11.1990", "педагог", "7Б", "", ""],
            ["Ранняя Анна", "01.09.1985", "педагог", "", "01.09.1995", ""],
            ["Старый Дед", "01.01.1900", "педагог", "", "", ""],
            ["Будущая Работа", "01.01.1990", "педагог", "", "01.01.2999", ""],
            ["Пол Неясен", "01.01.1990", "педагог", "", "", "x"],
        ]
    )
    files["field_validators.csv"] = csv_bytes(
        [
            ["ФИО", "Дата рождения", "Категория", "Класс", "E-mail"],
            ["Орлова Анна", "01.09.1985", "педагог", "", "orlova@"],
            ["Долгий Класс", "01.09.2010", "обучающийся", "А" * 25, ""],
        ]
    )
    files["separate_name_columns.csv"] = csv_bytes(
        [
            ["Фамилия", "Имя", "Отчество", "Дата рожд.", "Статус", "Класс/группа"],
            ["иванов", "иван", "иванович", "01/02/2010", "учащийся", "5а"],
            ["", "Иван", "", "01.01.2010", "ученик", ""],
            ["Петров", "", "", "01.01.2010", "ученик", ""],
        ]
    )
    files["duplicate_columns.csv"] = csv_bytes(
        [["ФИО", "Дата рождения", "Категория", "ФИО наставника"], ["А Б", "01.01.1990", "педагог", "А Б"]]
    )
    files["bad_record_values_mentors.csv"] = csv_bytes(
        [
            [
                *("ФИО наставника", "Дата рождения", "Категория", "Обучен", "Дата обучения"),
                *("Возраст наставляемых", "Уровень наставника", "Дата включения в базу"),
            ],
            ["Иванов Иван", "01.01.1980", "педагог", "может быть", "31.02.2025", "14-10", "Гуру", "2025-02-30"],
        ]
    )
    files["blank_rows.csv"] = csv_bytes(
        [
            ["ФИО", "Дата рождения", "Категория", "Класс"],
            ["Соколова Мария Андреевна", "14.03.2011", "обучающийся", "7Б"],
            [],
            ["", "", "", ""],
            ["  ", "", " ", ""],
            ["Петров Илья Сергеевич", "02.11.1990", "педагог", ""],
            [],
            ["Ким Виктор", "01.05.2012", "инопланетянин", "5А"],
        ]
    )
    files["blank_rows_good.csv"] = csv_bytes(
        [
            ["ФИО", "Дата рождения", "Категория", "Класс"],
            [],
            ["Соколова Мария Андреевна", "14.03.2011", "обучающийся", "7Б"],
            ["", "", "", ""],
            ["Петров Илья Сергеевич", "02.11.1990", "педагог", ""],
            [],
        ]
    )

    # Consents and pairs (registry.importers.ConsentImporter, mentorship.importers.PairImporter):
    # the people they name are made by the test (test_import_corpus.py, `named`).
    files["consents_cp1251.csv"] = csv_bytes(
        [
            CONSENT_HEADER,
            ["Соколова Мария Андреевна", "14.03.2011", "родителя", "01.09.2025", "Соколова Ольга Ивановна"],
            ["соколова мария андреевна", "14.03.2011", "наставничество", "01.09.2025", ""],
            ["ПЕТРОВ ИЛЬЯ СЕРГЕЕВИЧ", "02.11.1990", "ПДн", "2025-09-02", ""],
            [
                "Петров Илья Сергеевич",
                "02.11.1990",
                "Письменное согласие на участие в наставничестве",
                "02/09/2025",
                "",
            ],
        ],
        encoding="cp1251",
    )
    files["consents_wrong_headers.csv"] = csv_bytes(
        [
            ["ФИО", "Дата рождения", "Согласие на что", "Когда подписано"],
            ["Соколова Мария Андреевна", "14.03.2011", "родителя", "01.09.2025"],
        ]
    )
    files["consents_hostile.csv"] = csv_bytes(
        [
            CONSENT_HEADER,
            ['=HYPERLINK("http://evil.example";"Соколова")', "14.03.2011", "ПДн", "01.09.2025", ""],
            ["Соколова Мария\x00 Андреевна", "14.03.2011", "наставничество", "01.09.2025", ""],
            ["Петров Илья Сергеевич", "02.11.1990", "ПДн" + " " * 2100, "01.09.2025", ""],
            ["Соколова Мария Андреевна", "14.03.2011", "родителя", "01.09.2025", "Соколова\x1bОльга"],
            ["Петров Илья Сергеевич", "02.11.1990", "@SUM(1+1)", "01.09.2025", ""],
            ["Петров Илья Сергеевич", "02.11.1990", "ПДн", "01.09.2025", ""],
        ]
    )
    files["pairs_good.xlsx"] = xlsx_bytes(
        [
            PAIR_HEADER,
            ["Орлова Анна Павловна", datetime.date(1985, 9, 1), None, "Петров Илья Сергеевич", datetime.date(1990, 11, 2),
             "Учитель – учитель", "опытный педагог – молодой специалист", datetime.date(2026, 9, 1),
             datetime.date(2027, 5, 31), None, None, None],
            ["Зайцева Ольга", "05.05.2009", "МБОУ «СОШ № 1»", "Ким Виктор", "01.05.2012", "ученик-ученик", None,
             "01.09.2026", "31.05.2027", 1, None, None],
            ["ЗАЙЦЕВА ОЛЬГА", "2009-05-05", None, "Белов Даниил", "31.01.2013", "УЧЕНИК — УЧЕНИК", None,
             datetime.date(2026, 9, 1), datetime.date(2027, 5, 31), "1", None, None],
        ],
        title="Пары и группы",
    )  # fmt: skip
    files["pairs_wrong_headers.csv"] = csv_bytes(
        [
            ["Наставник", "Кого наставляет", "Форма", "С какого числа"],
            ["Орлова Анна Павловна", "Петров Илья Сергеевич", "Учитель – учитель", "01.09.2026"],
        ]
    )
    files["pairs_hostile.csv"] = csv_bytes(
        [
            PAIR_HEADER,
            ['=cmd|"/c calc"!A1', "01.09.1985", "", "Петров Илья Сергеевич", "02.11.1990", "Учитель – учитель", "",
             "01.09.2026", "31.05.2027", "", "", ""],
            ["Зайцева Ольга", "05.05.2009", "", "Ким Виктор", "01.05.2012", "Ученик – ученик", "",
             "01.09.2026", "31.05.2027", "1\x00", "", ""],
            ["Зайцева Ольга", "05.05.2009", "", "Белов Даниил", "31.01.2013", "Ученик – ученик", "я" * 2100,
             "01.09.2026", "31.05.2027", "", "", ""],
            ["Зайцева Ольга", "05.05.2009", "", "Белов Даниил", "31.01.2013", "Ученик – ученик", "",
             "01.09.2026", "31.05.2027", "", "=1+2", "01.09.2026"],
            ["Орлова Анна Павловна", "01.09.1985", "", "Петров Илья Сергеевич", "02.11.1990", "Учитель – учитель",
             "", "01.09.2026", "31.05.2027", "", "", ""],
        ]
    )  # fmt: skip
    return files


def main() -> None:
    for name, content in build().items():
        (HERE / name).write_bytes(content)
        print(f"{name}: {len(content)} bytes")


if __name__ == "__main__":
    main()
