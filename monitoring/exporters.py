"""The coverage form of seed 003 as an Excel workbook, laid out as the seed lays it out.

Seed 003 (приложение к письму управления образования от 13.08.2021): in the top right corner
«ПРИЛОЖЕНИЕ к письму управления образования …», then «Информация / о численности обучающихся,
педагогических работников (молодых специалистов), охваченных программой наставничества в рамках
реализации целевой модели наставничества», «Образовательное учреждение: …», the table —
«Наименование показателя» (merged over the two header rows) and «Форма наставничества» merged over
the four forms «Ученик – ученик», «Учитель – учитель», «Студент – ученик», «Работодатель – ученик»
— its four rows, and «Ответственный за реализацию программы в ОУ: ФИО, тел.» merged across the row.

`coverage_workbook` writes the consolidated sheet «Свод» first (a row per school, the 16 figures
under a two-row header figure × form, the municipality's total and a note that the total counts
a person and an enterprise once), then one sheet per school in the seed's layout. Every sheet is
print-ready: A4 landscape, one page wide, thin borders, wrapped headers, the header rows repeated.
A figure a school corrected shows the corrected value with a note «рассчитано: N, исправлено
школой». The workbook streams (core.spreadsheets.SafeWorkbook, formula-safe): 1,300 schools'
sheets are written in about a second (bench/coverage_bench.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from core.spreadsheets import SafeWorkbook, _sheet_title
from monitoring.choices import Figure
from monitoring.coverage import FIGURES, FORMS
from registry.choices import FormCode
from registry.models import Municipality, Organization
from registry.orders import authority_genitive

TITLE_FIRST = "Информация"
TITLE_REST = (
    "о численности обучающихся, педагогических работников (молодых специалистов), охваченных программой "
    "наставничества в рамках реализации целевой модели наставничества"
)
#: The whole title, as the issue quotes it.
TITLE = f"{TITLE_FIRST} {TITLE_REST}"
INDICATOR_HEADER = "Наименование показателя"
FORM_HEADER = "Форма наставничества"
SCHOOL_LABEL = "Образовательное учреждение: "
RESPONSIBLE_LABEL = "Ответственный за реализацию программы в ОУ: "
CONSOLIDATED_TITLE = "Свод"
TOTAL_LABEL = "Итого по муниципалитету (без повторов)"
TOTAL_NOTE = (
    "Примечание. В строке «Итого» каждый человек и каждое предприятие (организация) учтены один раз, "
    "даже если участвуют в программах наставничества нескольких образовательных учреждений: например, "
    "предприятие, работающее с тремя школами, считается один раз. Поэтому итог может быть меньше суммы "
    "по учреждениям."
)
CORRECTED_NOTE = "рассчитано: {computed}, исправлено школой"

#: Rows of a school's sheet (1-based), the seed's layout.
ROW_APPENDIX, ROW_ADDRESS, ROW_TITLE, ROW_TITLE_REST, ROW_SCHOOL = 1, 2, 4, 5, 7
ROW_HEAD, ROW_FORMS, ROW_FIRST_FIGURE = 9, 10, 11
ROW_RESPONSIBLE = ROW_FIRST_FIGURE + len(FIGURES)
#: Rows of the consolidated sheet.
SUMMARY_HEAD, SUMMARY_FORMS, SUMMARY_FIRST = 6, 7, 8

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="top", wrap_text=True)
NUMBER = Alignment(horizontal="center", vertical="center")


def form_label(code: str) -> str:
    return FormCode(code).label


def figure_label(figure: str) -> str:
    return Figure(figure).label


def appendix_text(municipality: Municipality, title_note: str = "") -> str:
    """«ПРИЛОЖЕНИЕ к письму управления образования администрации … от …» (seed 003)."""
    text = f"ПРИЛОЖЕНИЕ к письму {authority_genitive(municipality.authority_name)}"
    return f"{text} {title_note}".strip()


def address_text(municipality: Municipality) -> str:
    """The authority's address line under its name: address, тел., e-mail (what the letterhead has)."""
    parts = [municipality.address]
    if municipality.phone:
        parts.append(f"тел. {municipality.phone}")
    if municipality.email:
        parts.append(f"e-mail: {municipality.email}")
    return ", ".join(part for part in parts if part)


def period_note(start, end, on) -> str:
    """«(период 01.09.2025 – 31.08.2026, возраст и стаж на 01.09.2025)»: what a form was computed for."""
    return f"(период {start:%d.%m.%Y} – {end:%d.%m.%Y}, возраст и стаж на {on:%d.%m.%Y})"


def responsible_text(name: str, phone: str) -> str:
    return f"{RESPONSIBLE_LABEL}ФИО: {name or '_____'} тел.: {phone or '_____'}"


@dataclass
class FormSheet:
    """One school's coverage form: the values to show and the values as computed, each
    {figure: {form: n}}; they differ where the school corrected a figure (FigureCorrection)."""

    organization: Organization
    figures: dict[str, dict[str, int]]
    computed: dict[str, dict[str, int]]
    responsible_name: str = ""
    responsible_phone: str = ""


class CoverageWorkbook(SafeWorkbook):
    """The formula-safe streaming workbook with the print setup of seed 003's form."""

    margins = {"left": 0.59, "right": 0.39, "top": 0.59, "bottom": 0.59}

    def __init__(self) -> None:
        super().__init__()
        #: The sheet names given, kept here: the workbook's `sheetnames` is rebuilt on each call.
        self.taken: list[str] = []
        self._arrays: dict[tuple, StyleArray] = {}

    def prepare_sheet(self, sheet) -> None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        for side, inches in self.margins.items():
            setattr(sheet.page_margins, side, inches)

    def new_sheet(self, title: str, widths: Sequence[float], print_rows: str):
        name = _sheet_title(title, taken=self.taken)
        self.taken.append(name)
        sheet = self.workbook.create_sheet(title=name)
        self.prepare_sheet(sheet)
        sheet.print_title_rows = print_rows
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        return sheet

    def styled(self, sheet, value, **styles):
        """A cell with its styles; each combination of styles is looked up once per workbook and
        then copied (a region's «Свод» has 23,000 bordered cells)."""
        cell = self.cell(sheet, value)
        if styles:
            key = tuple((name, id(style)) for name, style in styles.items())
            array = self._arrays.get(key)
            if array is None:
                self.style(cell, **styles)
                self._arrays[key] = array = StyleArray(cell._style)
            else:
                cell._style = StyleArray(array)
        return cell

    def figure_cell(self, sheet, shown: int, computed: int | None, **styles):
        """A figure; a corrected one carries its computed value in a note."""
        cell = self.styled(sheet, shown, **styles)
        if computed is not None and computed != shown:
            cell.comment = Comment(CORRECTED_NOTE.format(computed=computed), "Наставничество")
        return cell

    def merge(self, sheet, first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        sheet.merged_cells.add(
            f"{get_column_letter(first_column)}{first_row}:{get_column_letter(last_column)}{last_row}"
        )


def _heading_rows(book: CoverageWorkbook, sheet, municipality, title_note: str, width: int, title: str) -> None:
    """The authority's header, its address and the title, merged across `width` columns (rows 1–5)."""
    blank = [None] * (width - 1)
    sheet.append([book.styled(sheet, appendix_text(municipality, title_note), alignment=RIGHT), *blank])
    sheet.append([book.styled(sheet, address_text(municipality), alignment=RIGHT), *blank])
    sheet.append([])
    sheet.append([book.styled(sheet, TITLE_FIRST, font=BOLD, alignment=CENTER), *blank])
    sheet.append([book.styled(sheet, title, font=BOLD, alignment=CENTER), *blank])
    for row in (ROW_APPENDIX, ROW_ADDRESS, ROW_TITLE, ROW_TITLE_REST):
        book.merge(sheet, row, 1, row, width)


def write_school_sheet(book: CoverageWorkbook, municipality: Municipality, form: FormSheet, title_note: str) -> None:
    """One school's form in the seed's layout (5 columns: the indicator and the four forms)."""
    organization = form.organization
    sheet = book.new_sheet(organization.short_name, (58, 17, 17, 17, 17), f"{ROW_HEAD}:{ROW_FORMS}")
    width = 1 + len(FORMS)
    blank = [None] * (width - 1)
    # A streamed sheet writes a row's height with the row: set them all first.
    sheet.row_dimensions[ROW_TITLE_REST].height = 32
    for row in range(ROW_FIRST_FIGURE, ROW_RESPONSIBLE):
        sheet.row_dimensions[row].height = 45
    _heading_rows(book, sheet, municipality, title_note, width, TITLE_REST)
    sheet.append([])
    name = organization.full_name or organization.short_name
    sheet.append([book.styled(sheet, f"{SCHOOL_LABEL}{name}", alignment=LEFT), *blank])
    book.merge(sheet, ROW_SCHOOL, 1, ROW_SCHOOL, width)
    sheet.append([])

    def header(value):
        return book.styled(sheet, value, font=BOLD, alignment=CENTER, border=BORDER)

    sheet.append([header(INDICATOR_HEADER), header(FORM_HEADER), *(header(None) for _ in FORMS[1:])])
    sheet.append([header(None), *(header(form_label(code)) for code in FORMS)])
    book.merge(sheet, ROW_HEAD, 1, ROW_FORMS, 1)
    book.merge(sheet, ROW_HEAD, 2, ROW_HEAD, width)
    for figure in FIGURES:
        cells = [book.styled(sheet, figure_label(figure), alignment=LEFT, border=BORDER)]
        for code in FORMS:
            shown = form.figures[figure][code]
            computed = form.computed[figure][code]
            cells.append(book.figure_cell(sheet, shown, computed, alignment=NUMBER, border=BORDER))
        sheet.append(cells)
    responsible = book.styled(
        sheet, responsible_text(form.responsible_name, form.responsible_phone), alignment=LEFT, border=BORDER
    )
    sheet.append([responsible, *(book.styled(sheet, None, border=BORDER) for _ in FORMS)])
    book.merge(sheet, ROW_RESPONSIBLE, 1, ROW_RESPONSIBLE, width)


def write_summary_sheet(
    book: CoverageWorkbook, municipality: Municipality, sheets: Sequence[FormSheet], total, title_note: str
) -> None:
    """«Свод»: № | Образовательное учреждение | 4 figures × 4 forms, the total and the note."""
    width = 2 + len(FIGURES) * len(FORMS)
    sheet = book.new_sheet(CONSOLIDATED_TITLE, (5, 34, *([11] * (width - 2))), f"{SUMMARY_HEAD}:{SUMMARY_FORMS}")
    note_row = SUMMARY_FIRST + len(sheets) + 2
    # A streamed sheet writes a row's height with the row: set them all first.
    sheet.row_dimensions[ROW_TITLE_REST].height = 32
    sheet.row_dimensions[SUMMARY_HEAD].height = 120
    sheet.row_dimensions[SUMMARY_FORMS].height = 45
    sheet.row_dimensions[note_row].height = 30
    _heading_rows(book, sheet, municipality, title_note, width, f"{TITLE_REST} ({municipality.name})")

    def header(value):
        return book.styled(sheet, value, font=BOLD, alignment=CENTER, border=BORDER)

    first = [header("№ п/п"), header("Образовательное учреждение")]
    second = [header(None), header(None)]
    for figure in FIGURES:
        first += [header(figure_label(figure)), *(header(None) for _ in FORMS[1:])]
        second += [header(form_label(code)) for code in FORMS]
    sheet.append(first)
    sheet.append(second)
    book.merge(sheet, SUMMARY_HEAD, 1, SUMMARY_FORMS, 1)
    book.merge(sheet, SUMMARY_HEAD, 2, SUMMARY_FORMS, 2)
    for index in range(len(FIGURES)):
        column = 3 + index * len(FORMS)
        book.merge(sheet, SUMMARY_HEAD, column, SUMMARY_HEAD, column + len(FORMS) - 1)
    for number, form in enumerate(sheets, start=1):
        cells = [
            book.styled(sheet, number, alignment=NUMBER, border=BORDER),
            book.styled(sheet, form.organization.short_name, alignment=LEFT, border=BORDER),
        ]
        for figure in FIGURES:
            for code in FORMS:
                cells.append(
                    book.figure_cell(
                        sheet, form.figures[figure][code], form.computed[figure][code], alignment=NUMBER, border=BORDER
                    )
                )
        sheet.append(cells)
    total_cells = [
        book.styled(sheet, None, border=BORDER),
        book.styled(sheet, TOTAL_LABEL, font=BOLD, alignment=LEFT, border=BORDER),
    ]
    for figure in FIGURES:
        total_cells += [
            book.styled(sheet, total[figure][code], font=BOLD, alignment=NUMBER, border=BORDER) for code in FORMS
        ]
    sheet.append(total_cells)
    sheet.append([])
    sheet.append([book.styled(sheet, TOTAL_NOTE, alignment=LEFT), *([None] * (width - 1))])
    book.merge(sheet, note_row, 1, note_row, width)


def coverage_workbook(
    *,
    municipality: Municipality,
    sheets: Sequence[FormSheet],
    total: dict[str, dict[str, int]],
    title_note: str = "",
    per_school: bool = True,
) -> bytes:
    """The coverage form as .xlsx: «Свод» (a row per school and the municipality's distinct total),
    then one sheet per school in seed 003's layout. `title_note` follows the appendix line
    («от 13.08.2021 № 118.18-1416/21-23», a campaign's period). `per_school=False` writes «Свод»
    alone: the region's 1,300 schools in one table, without 1,300 sheets nobody would page through."""
    book = CoverageWorkbook()
    write_summary_sheet(book, municipality, sheets, total, title_note)
    for form in sheets if per_school else ():
        write_school_sheet(book, municipality, form, title_note)
    return book.to_bytes()


def sheets_from_coverage(organizations: Sequence[Organization], coverage) -> list[FormSheet]:
    """The form of each organization as computed (no corrections, no responsible: a figure from the
    registry, without a campaign)."""
    return [
        FormSheet(organization, coverage.figures(organization.pk), coverage.figures(organization.pk))
        for organization in organizations
    ]
