"""The one import mechanism of the portal: read a table, map its columns, check every row,
preview, and save all or nothing.

Schools keep their bases in Excel, and the tables differ: «ФИО наставника» in one column or
surname, name and patronymic apart; csv from an old program in Windows-1251 with `;`. This
module reads them all the same way and reports every problem by row and column, in Russian,
with how to fix it. A kind of import (persons, mentor records, pairs …) is an `Importer`: its
columns, how a row becomes a record, and which service saves the batch. Nothing is saved when
any row is rejected.

Speed: openpyxl's read-only mode is the floor (bench/import_bench.py measures it); rows are
checked with plain Python and the services' database-free rules, existing records are matched
from one query, and the batch is written with bulk operations — no query per row.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from core.spreadsheets import SafeWorkbook, unescape_text
from core.xlsx_guard import Limits, WorkbookRefused, check_workbook
from core.xlsx_guard import number as thousands

#: The first bytes of an xlsx (a zip) and of an old binary .xls.
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
#: Byte order marks of the encodings a csv is read in, and of those it is refused in by name.
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", True),
    (b"\xff\xfe\x00\x00", "UTF-32", False),
    (b"\x00\x00\xfe\xff", "UTF-32", False),
    (b"\xff\xfe", "utf-16-le", True),
    (b"\xfe\xff", "utf-16-be", True),
)
ACCEPTED_ENCODINGS = (
    "Портал читает CSV в UTF-8, UTF-16 с меткой порядка байтов и Windows-1251: сохраните таблицу в Excel как "
    "«CSV UTF-8 (разделитель — запятая)»."
)
#: Errors shown on the page; the downloadable report has them all.
MAX_ERRORS_SHOWN = 500
#: Characters of a header shown in a message.
HEADER_SHOWN = 100
#: Control characters a value may not hold: all but tab, line feed and carriage return
#: (PostgreSQL cannot store NUL; the others are invisible and break exports).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FileRejected(Exception):
    """The whole file cannot be imported (format, encoding, size, columns, scope)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CellError(Exception):
    """A value that cannot be taken; the message says how to fix it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int  # the row number as the spreadsheet shows it (the header is row 1)
    column: str  # the column's header as written in the file, or "" for the whole row
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


# Reading -----------------------------------------------------------------------------------


@dataclass
class Table:
    """A table read from a file: its header and its rows (row number, values), blank rows skipped."""

    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    format: str
    encoding: str | None = None
    delimiter: str | None = None
    #: About how many rows follow the header (for a progress bar), when the file tells.
    estimate: int | None = None
    header_row: int = 1
    #: The header row's values as the file has them, before `header` cut and collapsed them (a
    #: reader that looks above a table, for a roadmap's title, needs the whole text).
    raw_header: list[Any] = field(default_factory=list)

    def skip_title_row(self) -> bool:
        """Take the next row as the header (the one before was a title such as «База наставников
        МБОУ СОШ № 1»); False when there is none."""
        following = next(self.rows, None)
        if following is None:
            return False
        self.header_row, values = following
        self.header = [_header_text(h) for h in values]
        self.raw_header = list(values)
        if self.estimate:
            self.estimate -= 1
        return True


def _is_blank(values: Sequence[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def read_table(name: str, content: bytes) -> Table:
    """Read an .xlsx, or a .csv in UTF-8 (with or without BOM) or Windows-1251 with `;` or `,`.

    The content decides what the file is; a name that says otherwise is refused, since the
    person likely picked the wrong file."""
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        raise FileRejected(
            f"Файл «{name}» весит {filesizeformat(len(content))}, а можно не больше {filesizeformat(limit)}. "
            "Разделите его на несколько файлов."
        )
    if not content.strip():
        raise FileRejected(f"Файл «{name}» пуст. Заполните шаблон и загрузите его снова.")
    suffix = PurePath(name).suffix.lower()
    if content.startswith(OLE_MAGIC):
        if suffix == ".xlsx":  # an .xlsx with a password is stored in the old container
            raise FileRejected(
                f"Файл «{name}» защищён паролем или сохранён в старом формате Excel 97–2003. Снимите пароль "
                "(Файл → Сведения → Защита книги) и сохраните файл как «Книга Excel (.xlsx)»."
            )
        raise FileRejected(
            f"Файл «{name}» — в старом формате Excel 97–2003 (.xls). Откройте его в Excel и сохраните "
            "как «Книга Excel (.xlsx)» или как CSV."
        )
    if content.startswith(ZIP_MAGIC):
        if suffix == ".csv":
            raise FileRejected(
                f"Файл «{name}» назван .csv, но внутри книга Excel. Переименуйте его в .xlsx или сохраните как CSV."
            )
        return _read_xlsx(name, content)
    if suffix == ".xlsx":
        raise FileRejected(
            f"Файл «{name}» назван .xlsx, но это не книга Excel (внутри текст). Сохраните его в Excel "
            "как «Книга Excel (.xlsx)» или переименуйте в .csv, если это таблица CSV."
        )
    if suffix not in (".csv", ".txt", ""):
        raise FileRejected(f"Файл «{name}» не похож на таблицу: загрузите .xlsx или .csv.")
    return _read_csv(name, content)


def _numbered(name: str, rows: Iterator) -> tuple[list, int, Iterator[tuple[int, list[Any]]]]:
    """The first non-blank row (the header), its number, and the non-blank rows after it with
    their numbers as the spreadsheet shows them."""
    number = 0
    for values in rows:
        number += 1
        if not _is_blank(values):
            break
    else:
        raise FileRejected(f"В файле «{name}» нет ни заголовков, ни строк: заполните шаблон.")

    def body(number=number) -> Iterator[tuple[int, list[Any]]]:
        for following in rows:
            number += 1
            if not _is_blank(following):
                yield number, following

    return values, number, body()


def _read_xlsx(name: str, content: bytes) -> Table:
    """Read the first sheet with python-calamine (Rust): about ten times faster than openpyxl's
    read-only mode, which the bench takes as its floor. Formulas give their saved values.

    calamine builds the whole sheet, trusting what the file says about itself: core.xlsx_guard
    checks first, in a streaming way, that it is within the limits."""
    from python_calamine import CalamineWorkbook

    try:
        check_workbook(name, content, Limits.from_settings())
    except WorkbookRefused as refused:
        raise FileRejected(refused.message) from None
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    except Exception:  # calamine raises its own errors for a damaged or foreign file
        raise FileRejected(
            f"Файл «{name}» не открывается как книга Excel: он повреждён или это другой формат."
        ) from None
    # calamine starts at row 1 of the sheet, so the n-th row is the sheet's row n.
    header, header_row, body = _numbered(name, sheet.iter_rows())
    return Table(
        header=[_header_text(h) for h in header],
        raw_header=list(header),
        rows=body,
        format="xlsx",
        # total_height is the last row's index (from 0): the sheet has one row more.
        estimate=max(0, sheet.total_height + 1 - header_row),
        header_row=header_row,
    )


def _decode(name: str, content: bytes) -> tuple[str, str]:
    """The text of a csv and its encoding: UTF-8 (with or without BOM), UTF-16 with a BOM, or
    Windows-1251; anything else is refused, naming the encoding it looks like."""
    for bom, encoding, accepted in BOMS:
        if content.startswith(bom):
            if not accepted:
                raise _encoding_refused(name, encoding)
            try:
                return content[len(bom) :].decode(encoding.removesuffix("-sig")), encoding
            except UnicodeDecodeError:
                raise FileRejected(
                    f"Не удалось прочитать текст файла «{name}»: он начинается как {ENCODING_NAMES[encoding]}, но "
                    f"дальше в нём другие байты. {ACCEPTED_ENCODINGS}"
                ) from None
    sample = content[:4096]
    order = _utf16_without_bom(sample)
    if order:
        raise _encoding_refused(name, f"UTF-16 ({order}) без метки порядка байтов")
    if sample.count(0) > len(sample) // 100:
        raise FileRejected(f"Файл «{name}» не похож на таблицу CSV (в нём двоичные данные). Загрузите .xlsx или .csv.")
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1251")
    except UnicodeDecodeError:
        raise FileRejected(
            f"Не удалось прочитать текст файла «{name}»: сохраните его как CSV в кодировке UTF-8 или Windows-1251."
        ) from None
    # Bytes that are valid cp1251 but give no Cyrillic at all are likely another encoding.
    if re.search(r"[\u0400-\u04FF]", text) is None and re.search(rb"[\x80-\xff]", content):
        raise FileRejected(
            f"Не удалось распознать кодировку файла «{name}»: сохраните его как CSV в UTF-8 или Windows-1251."
        )
    return text, "cp1251"


def _utf16_without_bom(sample: bytes) -> str | None:
    """ "LE" or "BE" when the bytes read as UTF-16 give Latin and Cyrillic text (read as UTF-8 or
    Windows-1251, the same bytes would give NULs or rare ideographs)."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    for order in ("LE", "BE"):
        try:
            text = sample.decode(f"utf-16-{order.lower()}")
        except UnicodeDecodeError:
            continue
        plain = sum(1 for ch in text if ch.isascii() or "\u0400" <= ch <= "\u04ff" or "\u2010" <= ch <= "\u2116")
        if plain >= 0.95 * len(text) and any(ch.isalpha() for ch in text):
            return order
    return None


def _encoding_refused(name: str, seen: str) -> FileRejected:
    return FileRejected(f"Файл «{name}» — текст в кодировке {seen}. {ACCEPTED_ENCODINGS}")


ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1251": "Windows-1251",
}


def _read_csv(name: str, content: bytes) -> Table:
    text, encoding = _decode(name, content)
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    if ";" not in first and "," not in first and "\t" in first:
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header, number, body = _numbered(name, _csv_rows(name, reader))
    return Table(
        header=[_header_text(h) for h in header],
        raw_header=list(header),
        rows=body,
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        estimate=max(0, text.count("\n") + 1 - number),
        header_row=number,
    )


def _csv_rows(name: str, reader) -> Iterator[list[str]]:
    """The rows of a csv, apostrophes of formula-like text removed; a row the csv module cannot
    read (a value beyond its field limit, an unclosed quote) refuses the file by its number."""
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise FileRejected(
                f"Строка {reader.line_num} файла «{name}» не читается как CSV: в ней слишком длинное значение "
                f"(больше {thousands(csv.field_size_limit())} символов) или незакрытая кавычка. Проверьте эту "
                "строку и сохраните файл заново."
            ) from None
        yield [unescape_text(v) for v in values]


def _header_text(value) -> str:
    """A header as the messages show it: control characters and runs of spaces as one space,
    cut at a hundred characters (a header is shown, stored with the job, and compared)."""
    if value is None:
        return ""
    value = str(value)[: HEADER_SHOWN * 4]
    value = re.sub(r"\s+", " ", CONTROL.sub(" ", value)).strip()
    return value if len(value) <= HEADER_SHOWN else value[:HEADER_SHOWN] + "…"


def header_key(text: str) -> str:
    """«Ф.И.О. наставника*» → «фио наставника»: how headers are compared."""
    text = text.casefold().replace("ё", "е")
    text = re.sub(r"[-‐‑‒–—]", " ", text)  # «учитель-учитель» is «учитель – учитель»
    text = re.sub(r"[^\w\s/]", "", text)
    return re.sub(r"\s+", " ", text).strip()


# Values ------------------------------------------------------------------------------------

_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
)


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_date(value) -> datetime.date | None:
    """dd.mm.yyyy, yyyy-mm-dd or a real Excel date; an impossible date says so."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    if raw == "":
        return None
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return datetime.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                raise CellError(f"Такой даты нет: «{raw}». Проверьте число и месяц.") from None
    raise CellError(f"«{raw}» — не дата. Пишите дату как ДД.ММ.ГГГГ, например 14.03.2011.")


def parse_bool(value) -> bool | None:
    raw = text(value).casefold()
    if raw == "":
        return None
    if raw in {"да", "д", "yes", "y", "1", "true", "+", "обучен", "обучена"}:
        return True
    if raw in {"нет", "н", "no", "n", "0", "false", "-", "не обучен", "не обучена"}:
        return False
    raise CellError(f"«{text(value)}» — ожидается «да» или «нет».")


def split_list(value) -> list[str]:
    """«Учитель – учитель; Ученик – ученик» → two items (`;`, `,` or new lines separate)."""
    return [item.strip() for item in re.split(r"[;\n]|,(?![^()]*\))", text(value)) if item.strip()]


def choice_lookup(pairs: Sequence[tuple[str, str]], *extra: tuple[str, str]) -> dict[str, str]:
    """{compared text: value} from (value, label) pairs: a label or a value is accepted, case ignored."""
    lookup = {}
    for value, label in [*pairs, *extra]:
        lookup[header_key(str(label))] = value
        lookup[header_key(str(value))] = value
    return lookup


def choice(value, lookup: dict[str, str], allowed: str) -> str | None:
    raw = text(value)
    if raw == "":
        return None
    found = lookup.get(header_key(raw))
    if found is None:
        raise CellError(f"Неизвестное значение «{raw}». Допустимо: {allowed}.")
    return found


# Columns and importers ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of an import: its key, the header of the template, the other headers schools use,
    and what the template's second sheet says about it."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    allowed: str = ""
    example: tuple[Any, ...] = ()
    #: Columns other tables use in place of this one (surname, name, patronymic apart) are
    #: accepted and explained, but left out of the template.
    in_template: bool = True

    def header_keys(self) -> set[str]:
        return {header_key(self.header), *(header_key(alias) for alias in self.aliases)}


@dataclass
class Plan:
    """What an import would do: rows by outcome, errors by row and column."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected_rows: set[int] = field(default_factory=set)
    ignored_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    #: Kind-specific payload for the save step.
    payload: dict[str, Any] = field(default_factory=dict)
    #: What the preview shows besides the counts, kept with the job (JSON): a roadmap's items as
    #: a tree with their parsed deadlines. None for kinds whose preview is the counts alone.
    preview: dict[str, Any] | None = None
    #: What the import still needs from the person before it can save, though no row is wrong (a
    #: roadmap whose document names no period): the preview asks for it, and nothing is saved.
    missing: list[str] = field(default_factory=list)

    def reject(self, row: int, column: str, message: str) -> None:
        """An error of `row` in `column`; row 0 is the file's or the save's, not a row's."""
        self.errors.append(RowError(row, column, message))
        if row:
            self.rejected_rows.add(row)

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {
            "rows": self.rows_read,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


@dataclass
class ImportResult:
    """The outcome of an import, as the page, the command and the job keep it."""

    kind: str
    saved: bool
    summary: dict[str, int]
    errors: list[RowError]
    ignored_columns: list[str]
    file_error: str = ""
    source: dict[str, Any] = field(default_factory=dict)
    #: Every row was right, but the save was refused (a rule only the database sees, a lost race).
    save_refused: bool = False
    preview: dict[str, Any] | None = None
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        extra = {}
        if self.preview is not None:  # only the kinds that have them: the others' shape stays as it was
            extra["preview"] = self.preview
        if self.missing:
            extra["missing"] = self.missing
        return {
            "kind": self.kind,
            "saved": self.saved,
            "summary": self.summary,
            "errors": [e.as_dict() for e in self.errors[:MAX_ERRORS_SHOWN]],
            "error_count": len(self.errors),
            "ignored_columns": self.ignored_columns,
            "file_error": self.file_error,
            "source": self.source,
            "save_refused": self.save_refused,
            **extra,
        }


class Importer:
    """One kind of import. Subclasses name their columns and write `check` and `save`.

    `check` turns mapped rows into a Plan (using only the services' database-free rules and
    lookups loaded once), `save` hands the plan to the app's bulk service.
    """

    kind: str = ""
    title: str = ""
    columns: Sequence[Column] = ()
    #: Sets of column keys of which at least one set must be fully present.
    required_sets: Sequence[Sequence[str]] = ()
    notes: Sequence[str] = ()
    #: A kind that asks more than the organization at the upload (a roadmap: whose, its title and
    #: period) names its own upload form (core.views_import.ImportForm's subclass, with an
    #: `options()` method) and page; `options_form` asks those options again on the preview. Such
    #: a kind has its own upload page, `/import/?kind=<kind>`, and is not offered on the common one.
    form_class: type | None = None
    options_form_class: type | None = None
    start_template: str = "core/import_start.html"
    #: The upload page's name in the job page's breadcrumb.
    start_title: str = "Загрузка из Excel"
    #: The template of the job's state, the preview and the result (swapped in by htmx).
    status_template: str = "core/includes/import_status.html"
    #: The most characters a cell may hold; None: IMPORT_MAX_CELL_CHARS. A kind whose cells are
    #: paragraphs of a document (a roadmap stage's list of activities) sets its own.
    max_cell_chars: int | None = None

    def __init__(self, *, user, organization=None):
        self.user = user
        self.organization = organization

    @classmethod
    def create(cls, *, user, organization=None, options: dict | None = None) -> Importer:
        """The importer of a job or a command run; kinds that take options override it."""
        return cls(user=user, organization=organization)

    def read(self, name: str, content: bytes) -> Table:
        """The table of the file: an .xlsx or a .csv (`read_table`); a kind that reads documents
        (a roadmap's Word table) overrides it."""
        return read_table(name, content)

    # The header -------------------------------------------------------------------------

    def map_header(self, header: Sequence[str]) -> tuple[dict[int, Column], list[str]]:
        """{column index: Column} and the headers that were ignored; a missing column rejects the file."""
        by_key: dict[str, Column] = {}
        for column in self.columns:
            for key in column.header_keys():
                by_key[key] = column
        mapping: dict[int, Column] = {}
        ignored: list[str] = []
        seen: dict[str, str] = {}
        for index, title in enumerate(header):
            if not title:
                continue
            column = by_key.get(header_key(title))
            if column is None:
                ignored.append(title)
            elif column.key in seen:
                raise FileRejected(
                    f"Столбцы «{seen[column.key]}» и «{title}» означают одно и то же ({column.header}). Оставьте один."
                )
            else:
                seen[column.key] = title
                mapping[index] = column
        present = {column.key for column in mapping.values()}
        sets = self.required_sets or [[c.key for c in self.columns if c.required]]
        if not any(set(required) <= present for required in sets):
            wanted = " или ".join(
                "«" + "», «".join(self.column(key).header for key in required) + "»" for required in sets
            )
            found = ", ".join(f"«{h}»" for h in header if h) or "ни одного"
            raise FileRejected(
                f"В файле нет нужных столбцов: {wanted}. Найдены столбцы: {found}. "
                "Скачайте шаблон и перенесите данные в его столбцы."
            )
        return mapping, ignored

    #: How many title rows above the header are skipped at most.
    MAX_TITLE_ROWS = 10

    def find_header(self, table: Table) -> tuple[dict[int, Column], list[str]]:
        """Map the header, skipping title rows above it: the header is the first row that names
        any known column. A file where no row does is refused with its first row's headers.

        A csv in another 8-bit encoding (KOI8-R read as Windows-1251) still gives Cyrillic letters,
        but no Cyrillic header is then known: the message says the encoding may be wrong."""
        known = {key for column in self.columns for key in column.header_keys()}
        first = list(table.header)
        try:
            for _ in range(self.MAX_TITLE_ROWS + 1):
                if any(header_key(title) in known for title in table.header):
                    return self.map_header(table.header)
                if not table.skip_title_row():
                    break
            return self.map_header(first)
        except FileRejected as rejected:
            cyrillic = [title for title in table.header if re.search(r"[\u0400-\u04ff]", title)]
            if table.format == "csv" and cyrillic and not any(header_key(title) in known for title in cyrillic):
                seen = ENCODING_NAMES.get(table.encoding or "", table.encoding)
                rejected.message += (
                    f" Ни один заголовок не узнан: возможно, файл в другой кодировке (прочитан как {seen}). "
                    + ACCEPTED_ENCODINGS
                )
            raise

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def allowed_for(self, column: Column) -> str:
        """The allowed values the template lists for `column` (kinds with reference data override)."""
        return column.allowed

    # Rows -------------------------------------------------------------------------------

    def rows(self, table: Table, mapping: dict[int, Column]) -> Iterator[tuple[int, dict[str, Any], dict[str, str]]]:
        """(row number, {key: raw value}, {key: header as written}) for each row of the table."""
        titles = {column.key: table.header[index] for index, column in mapping.items()}
        items = list(mapping.items())
        for number, values in table.rows:
            raw = {}
            for index, column in items:
                raw[column.key] = values[index] if index < len(values) else None
            yield number, raw, titles

    def check(self, rows: Iterator, plan: Plan, progress: Callable[[int], None]) -> None:
        raise NotImplementedError

    def save(self, plan: Plan) -> None:
        raise NotImplementedError

    # The template -----------------------------------------------------------------------

    def template(self) -> bytes:
        """The .xlsx template: Russian headers and example rows; a second sheet explains each column."""
        book = SafeWorkbook()
        columns = [column for column in self.columns if column.in_template]
        header = [column.header + (" *" if column.required else "") for column in columns]
        examples = max((len(c.example) for c in columns), default=0)
        rows = [[c.example[i] if i < len(c.example) else None for c in columns] for i in range(examples)]
        book.add_sheet(self.title, header, rows, widths=[max(14, len(h) + 4) for h in header])
        help_rows = [
            [
                column.header,
                "да" if column.required else "нет",
                column.help,
                self.allowed_for(column),
                ", ".join(f"«{alias}»" for alias in column.aliases),
            ]
            for column in self.columns
        ]
        help_rows += [["", "", "", "", ""]] + [[note, "", "", "", ""] for note in self.notes]
        book.add_sheet(
            "Пояснения",
            ["Столбец", "Обязательный", "Что писать", "Допустимые значения", "Принимаются также заголовки"],
            help_rows,
            widths=[28, 14, 60, 50, 50],
            wrap=True,
            autofilter=False,
        )
        return book.to_bytes()


#: The kinds of import, registered by the apps that own them: {kind: Importer subclass}.
IMPORTERS: dict[str, type[Importer]] = {}


def register_importer(importer: type[Importer]) -> type[Importer]:
    IMPORTERS[importer.kind] = importer
    return importer


def guarded_rows(
    rows: Iterator[tuple[int, dict[str, Any], dict[str, str]]], plan: Plan, cap: int | None = None
) -> Iterator:
    """The mapped rows of a table, each cell checked before the importer sees it: a value longer
    than `cap` (IMPORT_MAX_CELL_CHARS unless the kind sets its own), or holding a control
    character (other than tab and line breaks), is an error of its row and column, and the row
    goes no further (it is counted and rejected; nothing the importer would say about such a value
    could help, and none of its text reaches a message). PostgreSQL refuses NUL in text, so
    without this a file passed the check and failed at the save."""
    cap = cap or settings.IMPORT_MAX_CELL_CHARS
    control = CONTROL.search
    for number, raw, titles in rows:
        bad = False
        for key, value in raw.items():
            if not isinstance(value, str):
                continue
            if len(value) > cap:
                plan.reject(
                    number,
                    titles[key],
                    f"В ячейке {thousands(len(value))} символов, а можно не больше {thousands(cap)}: сократите текст.",
                )
                bad = True
            elif (found := control(value)) is not None:
                plan.reject(
                    number,
                    titles[key],
                    f"В ячейке невидимый служебный символ (код {ord(found.group())}): портал не может его "
                    "сохранить. Наберите значение заново без него.",
                )
                bad = True
        if bad:
            plan.rows_read += 1
        else:
            yield number, raw, titles


def run_import(
    importer: Importer,
    *,
    name: str,
    content: bytes,
    dry_run: bool,
    progress: Callable[[int, int | None], None] | None = None,
    before_commit: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Read, check and — when every row is right and this is no dry run — save, in one transaction.

    `progress(rows_done, rows_expected)` is called now and then, for a progress bar.
    `before_commit(result)` runs inside the save's transaction once the rows are written (the
    worker records the job's outcome there); an exception from it rolls the save back."""
    progress = progress or (lambda done, expected: None)
    plan = Plan()
    source: dict[str, Any] = {"name": name}
    try:
        table = importer.read(name, content)
        source.update(format=table.format, encoding=table.encoding, delimiter=table.delimiter)
        mapping, plan.ignored_columns = importer.find_header(table)
        rows = guarded_rows(importer.rows(table, mapping), plan, cap=importer.max_cell_chars)
        importer.check(rows, plan, lambda done: progress(done, table.estimate))
        if plan.rows_read == 0:
            raise FileRejected(f"В файле «{name}» есть заголовки, но нет ни одной строки с данными.")
    except FileRejected as rejected:
        return ImportResult(importer.kind, False, plan.summary(), [], plan.ignored_columns, rejected.message, source)
    saved = refused = False
    if plan.ok and not plan.missing and not dry_run:
        try:
            with transaction.atomic():
                importer.save(plan)
                if before_commit is not None:
                    before_commit(
                        ImportResult(
                            importer.kind,
                            True,
                            plan.summary(),
                            plan.errors,
                            plan.ignored_columns,
                            "",
                            source,
                            preview=plan.preview,
                        )
                    )
            saved = True
        except ValidationError as error:
            # A rule that only the database could see (a concurrent change): nothing was saved.
            for message in error.messages:
                plan.reject(0, "", message)
            refused = True
        except Exception as error:
            message = lost_race_message(error)
            if message is None:
                raise
            plan.reject(0, "", message)
            refused = True
    return ImportResult(
        importer.kind,
        saved,
        plan.summary(),
        plan.errors,
        plan.ignored_columns,
        "",
        source,
        save_refused=refused,
        preview=plan.preview,
        missing=plan.missing,
    )


def lost_race_message(error: BaseException) -> str | None:
    """The Russian message for a save another write got in the way of, or None for any other error.

    Two uploads (or two `import_data` runs) of the same file check against the same registry and
    both plan to add the same people; the database's unique rules let one save win, and the other
    fails with an IntegrityError. A save that waited too long for a lock fails with an
    OperationalError. Either way the save's transaction rolled back: nothing was saved. The
    driver's own errors count too, since rows written through COPY (core.bulk) raise them
    unwrapped. Any constraint counts, whatever its name."""
    from django.db import IntegrityError, OperationalError, connection

    driver = connection.Database
    if isinstance(error, (IntegrityError, driver.IntegrityError)):
        return (
            "Пока файл проверялся, эти же записи добавил или изменил кто-то другой (возможно, этот же файл "
            "загружается ещё раз). Ничего не сохранено: загрузите файл заново — проверка покажет, что уже есть "
            "в реестре."
        )
    if isinstance(error, (OperationalError, driver.OperationalError)):
        return (
            "База данных занята другой загрузкой, и сохранение не дождалось своей очереди. Ничего не "
            "сохранено: загрузите файл ещё раз через несколько минут."
        )
    return None


def error_report(importer: Importer, result: ImportResult, name: str, content: bytes) -> bytes:
    """The file as uploaded, with a first column «Ошибки» naming what to fix in each rejected row."""
    table = importer.read(name, content)
    importer.find_header(table)
    by_row: dict[int, list[str]] = {}
    for error in result.errors:
        prefix = f"{error.column}: " if error.column else ""
        by_row.setdefault(error.row, []).append(prefix + error.message)
    # The errors come first, so no row longer than the header can push them out of their column;
    # «Строка» is the row number the messages speak of (blank rows are not copied).
    rows = (["; ".join(by_row.get(number, [])), number, *values] for number, values in table.rows)
    book = SafeWorkbook()
    book.add_sheet("Ошибки", ["Ошибки", "Строка", *table.header], rows)
    return book.to_bytes()
