"""One formula-safe way to write spreadsheets (xlsx and csv), used by every export.

A cell written from user input that starts with =, +, - or @ would be run as a formula by
Excel (CSV/formula injection). In xlsx such a value is stored as a string cell, so it shows
exactly as typed; in csv it is prefixed with an apostrophe, the usual mark of "this is text",
which the importer strips again (see `unescape_text`). Dates are real dates (dd.mm.yyyy).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD.MM.YYYY"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
_APOSTROPHE_ESCAPED = re.compile(r"^'(?=[=+\-@\t\r])")


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
    return value.replace("\N{NO-BREAK SPACE}", " ")


def unescape_text(value: str) -> str:
    """Undo `csv_text`'s apostrophe, so that an exported file imports back unchanged."""
    return _APOSTROPHE_ESCAPED.sub("", value)


class SafeWorkbook:
    """A write-only xlsx workbook whose text cells can never become formulas."""

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    def cell(self, sheet, value):
        if isinstance(value, bool):
            value = "да" if value else "нет"
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        if isinstance(value, str):
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
    ) -> int:
        """Write a sheet with a bold, frozen header; return the number of data rows."""
        sheet = self.workbook.create_sheet(title=_sheet_title(title))
        sheet.freeze_panes = "A2"
        for index, name in enumerate(header, start=1):
            width = widths[index - 1] if widths else max(12, min(45, len(str(name)) + 4))
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
        for row in rows:
            cells = [self.cell(sheet, value) for value in row]
            if wrap:
                for cell in cells:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.append(cells)
            count += 1
        return count

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Лист"


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
