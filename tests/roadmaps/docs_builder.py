"""Files of roadmaps in the seeds' layouts for the tests: Word documents (python-docx, with real
merged cells) and workbooks (openpyxl, with merged ranges). Seed 000's and seed 002's documents
are the demo's own (`roadmaps.demo_documents`); seed 001's and the workbooks are built here."""

from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl

from roadmaps.demo_documents import HEADER_000, ROADMAP_TITLE_000, ROWS_000, fill, new_document, save_document

# Seed 001: Устюжна -------------------------------------------------------------------------------

TITLE_001 = (
    "План мероприятий (дорожная карта) по вовлечению обучающихся общеобразовательных организаций в различные "
    "формы сопровождения и наставничества на 2020-2021 учебный год"
)
HEADER_001 = (
    "№ п/п",
    "Наименование мероприятий",
    "Срок реализации",
    "Ответственный исполнитель",
    "Ожидаемый результат, вид документа",
)
UO = "Управление образования администрации Устюженского муниципального района"
STAGE_1 = (
    "1. Нормативное правовое регулирование внедрения методологии (целевой модели) наставничества обучающихся для "
    "организаций, осуществляющих образовательную деятельность по общеобразовательным, дополнительным "
    "общеобразовательным и программам среднего профессионального образования, в том числе с применением лучших "
    "практик обмена опытом между обучающимися (далее - целевая модель наставничества, ЦМН)"
)
#: Rows of seed 001: a str is a stage row merged across the width; a tuple an item's five cells.
ROWS_001: tuple = (
    STAGE_1,
    (
        "1.1.",
        "Утверждение муниципальных координаторов внедрения ЦМН из числа специалистов органов местного "
        "самоуправления Устюженского муниципального района, осуществляющих управление в сфере образования",
        "Сентябрь 2020 г.",
        UO,
        "Приказ управления образования администрации Устюженского муниципального района",
    ),
    (
        "1.4.",
        "Назначение кураторов внедрения ЦМН в общеобразовательных организациях (далее – ОО)",
        "Сентябрь 2020 г.",
        "Руководители ОО",
        "Приказы ОО",
    ),
    "2. Мониторинговое, организационное и методическое сопровождение внедрения ЦМН",
    (
        "2.1.",
        "Формирование баз наставников и направляемых в общеобразовательных организациях",
        "До 1 июня 2021 г.",
        "Руководители ОО",
        (
            "Базы наставников, которые потенциально могут участвовать в программах наставничества, включая:",
            "- базы обучающихся для формы наставничества «ученик-ученик»;",
            "- базы педагогов.",
        ),
    ),
    (
        "2.2.",
        "Формирование перечня партнерских предприятий и организаций региона в целях привлечения их к реализации "
        "программ наставничества",
        "До 1 июня 2021 г.",
        (UO, "Руководители ОО"),
        "Перечень партнерских предприятий и организаций",
    ),
    (
        "3. Внедрение целевой модели наставничества",
        "в образовательных организациях Устюженского муниципального района Вологодской области в 2020-2021 учебном году",
    ),
    (
        "3.1.",
        "Подготовка условий для запуска программы наставничества",
        "Сентябрь 2020 г.",
        "Руководители ОО и кураторы внедрения ЦМН в ОО",
        "Нормативное обеспечение",
    ),
    (
        "3.5",
        "Формирование наставнических пар или групп в общеобразовательной организации",
        "До 30 октября 2020 г.",
        "Кураторы внедрения ЦМН в ОО",
        "Сформированные наставнические пары или группы",
    ),
    (
        "3.6.",
        (
            "Организация работы наставнических пар или групп:",
            "- встреча-знакомство;",
            "- пробная встреча;",
            "- итоговая встреча.",
        ),
        "В соответствии со сроками реализации программ наставничества",
        "Кураторы внедрения ЦМН в ОО",
        "Программы наставничества",
    ),
    "4. Информационное сопровождение развития наставничества в образовательных организациях",
    (
        "4.2.",
        "Создание рубрик «Наставничество» на сайтах общеобразовательных организаций",
        "До 1 декабря 2020 года",
        "Руководители ОО",
        "Рубрики «Наставничество» на официальных сайтах ОО",
    ),
)


def ustyuzhna_docx(rows: Sequence = ROWS_001, *, title: str | None = TITLE_001) -> bytes:
    """Seed 001 as a .docx: the title, then the table whose stages are rows merged across the width."""
    document = new_document()
    document.add_paragraph("Утвержден приказом управления образования от 27.10.2020 № 135/1")
    if title:
        document.add_paragraph().add_run(title).bold = True
    table = document.add_table(rows=1 + len(rows), cols=5)
    for column, text in enumerate(HEADER_001):
        fill(table.cell(0, column), text, bold=True)
    for at, row in enumerate(rows, start=1):
        if isinstance(row, str) or (isinstance(row, tuple) and len(row) == 2):
            merged = table.cell(at, 0).merge(table.cell(at, 4))
            fill(merged, row, bold=True)
            continue
        for column, value in enumerate(row):
            fill(table.cell(at, column), value)
    return save_document(document)


# Workbooks ---------------------------------------------------------------------------------------


def _lines(value) -> str:
    return value if isinstance(value, str) else "\n".join(value)


def _book_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def nazarovo_xlsx(
    rows=ROWS_000, *, title: Sequence[str] = ROADMAP_TITLE_000, repeat_header_at: int | None = 12
) -> bytes:
    """Seed 000 as a sheet: the title rows, the two-row header with merged cells, the items; the
    header repeated (as a printed sheet has it) before the row at `repeat_header_at`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Дорожная карта"
    for line in title:
        sheet.append([line])
    sheet.append([])

    def header():
        *singles, group, (left, right) = HEADER_000
        sheet.append([*singles, group, None])
        top = sheet.max_row
        sheet.append([None, None, None, left, right])
        for column in range(1, len(singles) + 1):
            sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
        sheet.merge_cells(start_row=top, start_column=4, end_row=top, end_column=5)

    header()
    for index, (number, text, deadline, municipal, school) in enumerate(rows):
        if index == repeat_header_at:
            header()
        sheet.append([number, _lines(text), _lines(deadline), municipal, school])
    return _book_bytes(book)


def ustyuzhna_xlsx(rows: Sequence = ROWS_001, *, title: str = TITLE_001) -> bytes:
    """Seed 001 as a sheet: stage rows merged across the width."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(list(HEADER_001))
    for row in rows:
        if isinstance(row, str) or len(row) == 2:
            sheet.append([_lines(row)])
            at = sheet.max_row
            sheet.merge_cells(start_row=at, start_column=1, end_row=at, end_column=5)
            continue
        sheet.append([_lines(value) for value in row])
    return _book_bytes(book)


def workbook(rows: Sequence[Sequence]) -> bytes:
    """A sheet with these rows as they are."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    return _book_bytes(book)


def document_with_tables(*tables: Sequence[Sequence[str]], paragraphs: Sequence[str] = ()) -> bytes:
    """A .docx with the paragraphs, then each table with its rows as they are."""
    document = new_document()
    for line in paragraphs:
        document.add_paragraph(line)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                fill(table.cell(r, c), value)
    return save_document(document)


def word_numbered_docx() -> bytes:
    """A roadmap whose «№ п/п» column is numbered by Word's list (`w:numPr`), the cells empty."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = new_document()
    numbering = document.part.numbering_part.element
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        ),
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    document.add_paragraph("Дорожная карта на 2024/2025 учебный год")
    rows = [("Назначить куратора", "Сентябрь 2024 г."), ("Сформировать базу наставников", "Октябрь 2024 г.")]
    table = document.add_table(rows=1 + len(rows), cols=3)
    for column, title in enumerate(("№ п/п", "Мероприятия", "Сроки")):
        fill(table.cell(0, column), title)
    for at, (title, deadline) in enumerate(rows, start=1):
        paragraph = table.cell(at, 0).paragraphs[0]
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>')
        )
        fill(table.cell(at, 1), title)
        fill(table.cell(at, 2), deadline)
    return save_document(document)
