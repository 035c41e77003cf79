"""One formula-safe way to write spreadsheets (xlsx and csv), used by every export.

A cell written from user input that starts with =, +, - or @ would be run as a formula by
Excel (CSV/formula injection). In xlsx such a value is stored as a string cell, so it shows
exactly as typed; in csv it is prefixed with an apostrophe, the usual mark of "this is text",
which the importer strips again (see `unescape_text`). Dates are real dates (dd.mm.yyyy).

An xlsx sheet opens ready to read: its columns as wide as their content, the header frozen and
with an autofilter. The workbook is write-only (an export of 100,000 rows streams to the file
without a cell object per value), and such a sheet takes its column widths before its first
row. So the first SAMPLE_ROWS rows are held and measured, then written, and the rest stream
through: an export of the size of a list is measured whole, a longer one (an error report of a
200,000-row file) from its start, in bounded memory. A second pass over the rows instead would
query and render every list twice.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.russian import NBSP

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD.MM.YYYY"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
_APOSTROPHE_ESCAPED = re.compile(r"^'(?=[=+\-@\t\r])")
#: Rows measured for the column widths (held in memory before the sheet is written).
SAMPLE_ROWS = 2000
#: Column widths, in Excel's characters: a column is at least MIN_WIDTH and at most MAX_WIDTH wide.
MIN_WIDTH = 8
MAX_WIDTH = 60
#: Characters a cell of Excel holds; a longer text is cut (with «…») rather than make a file Excel repairs.
EXCEL_MAX_CELL_CHARS = 32_767


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_PREFIXES)


def csv_text(value) -> str:
    """A cell value as csv text: dates dd.mm.yyyy, booleans да/нет, formula-like text escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    text = plain_spaces(str(value))
    return "'" + text if is_formula_like(text) else text


def plain_spaces(value: str) -> str:
    """Names print with a no-break space after «№» (core.russian.typeset); a spreadsheet is data
    that people search and filter, so it gets the plain space they type."""
    return value.replace(NBSP, " ")


def unescape_text(value: str) -> str:
    """Undo `csv_text`'s apostrophe, so that an exported file imports back unchanged."""
    return _APOSTROPHE_ESCAPED.sub("", value)


class SafeWorkbook:
    """A write-only xlsx workbook whose text cells can never become formulas."""

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    def prepare_sheet(self, sheet) -> None:
        """Set what a sheet needs before its first row: a write-only sheet writes its properties
        (fit to page, the tab colour) with that row. A workbook with a print setup sets it here."""

    def cell(self, sheet, value):
        if isinstance(value, bool):
            value = "да" if value else "нет"
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        if isinstance(value, str):
            if len(value) > EXCEL_MAX_CELL_CHARS:
                value = value[: EXCEL_MAX_CELL_CHARS - 1] + "…"
            value = plain_spaces(ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value))
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never "f": a text that starts with = stays text
        elif isinstance(value, datetime.datetime):
            cell.number_format = DATE_FORMAT + " HH:MM"
        elif isinstance(value, datetime.date):
            cell.number_format = DATE_FORMAT
        return cell

    def add_sheet(
        self,
        title: str,
        header: Sequence[str],
        rows: Iterable[Sequence],
        *,
        widths: Sequence[int] | None = None,
        wrap: bool = False,
        autofilter: bool = True,
    ) -> int:
        """Write a sheet with a bold, frozen header (and an autofilter over it and the rows);
        columns as wide as their content unless `widths` are given. Return the data rows written."""
        sheet = self.workbook.create_sheet(title=_sheet_title(title, taken=self.workbook.sheetnames))
        self.prepare_sheet(sheet)
        sheet.freeze_panes = "A2"
        rows = iter(rows)
        sample = list(itertools.islice(rows, SAMPLE_ROWS)) if widths is None else []
        widths = widths or column_widths(header, sample)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header_cells = []
        for name in header:
            cell = self.cell(sheet, name)
            cell.font = self.header_font
            cell.fill = self.header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header_cells.append(cell)
        sheet.append(header_cells)
        count = 0
        for row in itertools.chain(sample, rows):
            cells = [self.cell(sheet, value) for value in row]
            if wrap:
                for cell in cells:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.append(cells)
            count += 1
        if autofilter and header:
            # Written with the sheet's tail, after the rows: the range can cover them all.
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
        return count

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _shown_width(value) -> int:
    """How many characters a value takes in its cell, as the sheet shows it."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 3  # «нет»
    if isinstance(value, datetime.datetime):
        return 16  # dd.mm.yyyy hh:mm
    if isinstance(value, datetime.date):
        return 10
    return max(map(len, str(value).split("\n")))  # a line break makes the row taller, not the column wider


def column_widths(header: Sequence[str], rows: Sequence[Sequence]) -> list[int]:
    """A width per column: its longest value and a margin, at least the header's longest word and
    the autofilter's button (the header wraps), between MIN_WIDTH and MAX_WIDTH."""
    widths = []
    for index, name in enumerate(header):
        longest_word = max((len(word) for word in str(name).split()), default=0)
        longest_value = max((_shown_width(row[index]) for row in rows if index < len(row)), default=0)
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, longest_word + 4, longest_value + 2)))
    return widths


def _sheet_title(title: str, taken: Sequence[str] = ()) -> str:
    """A name Excel accepts: at most 31 characters, none of []:*?/\\, no apostrophe at either end,
    and unlike the names `taken` (case ignored, as Excel compares them) — «(2)», «(3)» … replace
    the end of a name that would repeat one, rather than make it longer than 31."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip(" '") or "Лист"
    used = {existing.casefold() for existing in taken}
    candidate, number = name, 1
    while candidate.casefold() in used:
        number += 1
        suffix = f" ({number})"
        candidate = name[: 31 - len(suffix)].rstrip(" '") + suffix
    return candidate


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence], *, title: str = "Список") -> tuple[bytes, int]:
    book = SafeWorkbook()
    count = book.add_sheet(title, header, rows)
    return book.to_bytes(), count


def write_csv(header: Sequence[str], rows: Iterable[Sequence], *, delimiter: str = ";") -> tuple[bytes, int]:
    """UTF-8 with a BOM and `;`: what Russian Excel opens by double-click without mojibake."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([csv_text(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
        count += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count
