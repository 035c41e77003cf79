"""The formula-safe workbook every export, template and error report is written with
(core.spreadsheets.SafeWorkbook): columns as wide as their content, a frozen header with an
autofilter, and nothing Excel could not hold."""

import datetime
import io

import openpyxl

from core.spreadsheets import SAMPLE_ROWS, SafeWorkbook, write_xlsx

LONG_NAME = "Кара-Мурза Александра Владимировна-Константинопольская"  # 54 characters


def _sheet(content, index=0):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[index]


def _widths(sheet):
    return {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}


def test_it_makes_a_column_as_wide_as_its_longest_value():
    """Issue 6: names were cut at width 12."""
    content, count = write_xlsx(
        ["ФИО", "Дата рождения", "Класс"],
        [["Ким Ян", datetime.date(2011, 3, 14), "7Б"], [LONG_NAME, datetime.date(2010, 1, 2), "10А"]],
    )
    assert count == 2
    widths = _widths(_sheet(content))
    assert widths["A"] == len(LONG_NAME) + 2
    # A date shows as dd.mm.yyyy; the header wraps, so its longest word sets the least width.
    assert widths["B"] == len("рождения") + 4
    assert widths["C"] == len("Класс") + 4  # the header and its filter button


def test_it_caps_the_width_of_a_column_of_long_text():
    content, _ = write_xlsx(["Примечание"], [["слово " * 100]])
    assert _widths(_sheet(content))["A"] == 60


def test_it_freezes_the_header_and_adds_an_autofilter_over_the_rows_written():
    content, _ = write_xlsx(
        ["ФИО", "Класс", "Телефон"], [["Ким Ян", "7Б", ""], ["Ли Ан", "8А", ""], ["Цой Ви", "", ""]]
    )
    sheet = _sheet(content)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert [cell.value for cell in sheet[1]] == ["ФИО", "Класс", "Телефон"]
    assert all(cell.font.bold for cell in sheet[1])


def test_it_sizes_a_long_export_from_its_first_rows_and_still_writes_every_row():
    """A write-only sheet takes its column widths before its first row, so the widths come from
    the first SAMPLE_ROWS rows (held in memory: a bounded buffer); the rest stream through."""
    rows = (["Ли Ан" if n != SAMPLE_ROWS + 10 else LONG_NAME] for n in range(SAMPLE_ROWS + 100))
    content, count = write_xlsx(["ФИО"], rows)
    sheet = _sheet(content)
    assert count == SAMPLE_ROWS + 100
    assert sheet.max_row == SAMPLE_ROWS + 101
    assert sheet.cell(SAMPLE_ROWS + 12, 1).value == LONG_NAME
    assert _widths(sheet)["A"] == 8
    assert sheet.auto_filter.ref == f"A1:A{SAMPLE_ROWS + 101}"


def test_it_keeps_explicit_widths_and_leaves_explanations_without_a_filter():
    book = SafeWorkbook()
    book.add_sheet(
        "Пояснения", ["Столбец", "Что писать"], [["ФИО", "Фамилия, имя"]], widths=[28, 60], wrap=True, autofilter=False
    )
    sheet = _sheet(book.to_bytes())
    assert _widths(sheet) == {"A": 28, "B": 60}
    assert sheet.auto_filter.ref is None


def test_it_cuts_a_value_longer_than_a_cell_of_excel_can_hold():
    content, _ = write_xlsx(["Текст"], [["ж" * 40_000]])
    value = _sheet(content).cell(2, 1).value
    assert len(value) == 32_767
    assert value.endswith("…")


def test_it_still_writes_formula_like_text_as_text():
    content, _ = write_xlsx(["ФИО"], [['=HYPERLINK("http://evil.example";"x")']])
    cell = _sheet(content).cell(2, 1)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://evil.example";"x")'


def test_it_names_sheets_as_excel_accepts_them_even_when_two_names_would_repeat():
    book = SafeWorkbook()
    long_name = "МБОУ «Средняя общеобразовательная школа № 1»"
    for title in (long_name, long_name + " (корпус 2)", "'Итоги: [май]'", "ИТОГИ   МАЙ"):
        book.add_sheet(title, ["Поле"], [["значение"]])
    names = openpyxl.load_workbook(io.BytesIO(book.to_bytes())).sheetnames
    assert names == [long_name[:31], long_name[:27] + " (2)", "Итоги   май", "ИТОГИ   МАЙ (2)"]
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)


def test_it_lets_a_workbook_set_a_sheet_up_before_its_first_row():
    class Landscape(SafeWorkbook):
        def prepare_sheet(self, sheet):
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
            sheet.page_setup.orientation = "landscape"

    book = Landscape()
    book.add_sheet("Лист", ["Поле"], [["значение"]])
    sheet = openpyxl.load_workbook(io.BytesIO(book.to_bytes())).active
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.orientation == "landscape"
