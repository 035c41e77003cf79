"""A streaming check of an .xlsx before any reader opens it.

A reader trusts what a workbook says about itself. python-calamine builds the first sheet as a
dense rectangle from its first to its last cell, so one cell at XFD1048576 in a 2 KB file makes
it allocate 16,384 × 1,048,576 cells of 32 bytes (the process aborts), and a 400 MB string in
sharedStrings.xml is built whole, then copied into Python. openpyxl's read-only mode sizes its
sheet from the declared <dimension>. So before either touches the file, this module reads it
with the standard library only, in constant memory:

1. the zip's central directory: how many members, how big each unpacks to and in total. Both
   readers stop at a member's declared size (calamine fails with «larger than its declared
   uncompressed size», zipfile truncates and checks the CRC), so the declared sizes bound the
   work, and nothing is unpacked to find them;
2. which sheet is the first (workbook.xml and its relationships, as calamine's
   get_sheet_by_index(0) finds it) and where the shared strings are;
3. the shared strings, streamed through expat: how long each is, none kept;
4. the first sheet, streamed through expat: its declared <dimension>, the row and column of every
   cell (counted when a row or a cell omits its `r` attribute, as calamine counts them), how many
   cells, and how long each value is, inline or shared.

A sheet beyond the limits is refused with a message that names the limit and the offending cell.
A value longer than a cell of Excel can hold (32,767 characters) cannot come from a spreadsheet
program and is refused here, before a reader materialises it; a value above the portal's smaller
limit (IMPORT_MAX_CELL_CHARS) is a row error of the check, named by row and column there.

The values are measured in two passes only when needed: the quick pass counts the bytes each
cell (or shared string) spans in the file, which is at least its number of characters; only a
file where some cell spans more bytes than Excel allows characters is read again, counting the
characters of its text. Raw control characters are not XML: expat would refuse them while
calamine reads them into the value, so they are masked for this scan only, and the check after
reading names their row and column like any other bad value.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

#: Excel's limit of characters in one cell («Excel specifications and limits»).
EXCEL_MAX_CELL_CHARS = 32_767
#: A central-directory entry is 46 bytes plus the member's name and extra fields; a name longer
#: than this is not something an xlsx writer makes.
CENTRAL_ENTRY_MAX_BYTES = 46 + 1024
CHUNK = 1 << 20
#: Elements of the workbook's other parts a reader keeps (workbook.xml's defined names,
#: styles.xml's formats): a 1 MB file can declare millions of them (7 million formats cost
#: calamine 860 MB). Excel allows 64,000 cell formats; a real workbook has a few thousand elements.
AUXILIARY_MAX_ELEMENTS = 500_000
#: Control characters other than tab, LF and CR, which XML 1.0 forbids raw.
_MASK = bytes.maketrans(bytes(c for c in range(32) if c not in (9, 10, 13)), b"?" * 29)
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})").fullmatch
_RELATIONSHIPS_NS = "/relationships"
#: Elements of a worksheet after <sheetData> (ECMA-376 CT_Worksheet): one of them closes the last cell.
_AFTER_SHEET_DATA = [
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
]
_KINDS = {
    "c": "c", "row": "row", "dimension": "dimension", "sheetData": "sheetData", "si": "si",
    "v": "v", "t": "t", "rPh": "rPh", **dict.fromkeys(_AFTER_SHEET_DATA, "after"),
}  # fmt: skip


class WorkbookRefused(Exception):
    """The workbook is not read: the message (Russian) says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _Damaged(Exception):
    """The file is not a readable workbook (turned into the usual message by check_workbook)."""


class _NeedsPreciseScan(Exception):
    """A cell spans more bytes than Excel allows characters: count its characters."""


class _LongRun(Exception):
    """A megabyte of the part without a «>»: no tag and no value of a workbook is that long. Stops
    expat before it holds such a token (a tag with a huge attribute) whole in memory."""


@dataclass(frozen=True)
class Limits:
    """How big a workbook may be (settings IMPORT_MAX_*; see config/settings/base.py)."""

    max_rows: int
    max_columns: int
    max_cells: int
    max_part_bytes: int
    max_unpacked_bytes: int
    max_members: int

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            max_rows=settings.IMPORT_MAX_ROWS,
            max_columns=settings.IMPORT_MAX_COLUMNS,
            max_cells=settings.IMPORT_MAX_CELLS,
            max_part_bytes=settings.IMPORT_MAX_PART_BYTES,
            max_unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
            max_members=settings.IMPORT_MAX_ZIP_MEMBERS,
        )


@dataclass(frozen=True)
class SheetExtent:
    """What the check found in the first sheet."""

    part: str
    title: str
    rows: int  # the last row number that holds a cell
    columns: int  # the last column number that holds a cell
    cells: int  # <c> elements
    precise: bool  # the characters of some cell had to be counted


# Small helpers ------------------------------------------------------------------------------


def column_letters(number: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def parse_ref(ref: str) -> tuple[int, int] | None:
    """«XFD1048576» → (1048576, 16384): row and column; None when it is not a cell reference.
    Letters of either case, as calamine accepts them."""
    match = _REF(ref)
    if match is None:
        return None
    letters, digits = match.groups()
    row = int(digits)
    if row == 0:
        return None
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return row, column


def number(value: int) -> str:
    """12345 → «12 345» (a no-break space between thousands, as Russian text writes them)."""
    return f"{value:,}".replace(",", "\N{NO-BREAK SPACE}")


def shown(text: str, limit: int = 30) -> str:
    """A value from the file, cut short and stripped of control characters, fit for a message."""
    text = "".join(ch if ch.isprintable() else "?" for ch in text[: limit + 1])
    return text if len(text) <= limit else text[:limit] + "…"


def _megabytes(size: int) -> str:
    return number(max(1, round(size / (1 << 20))))


def _kind(name: str) -> str | None:
    """The local name of an element this module follows («x:c» is «c»), None for the others."""
    kind = _KINDS.get(name)
    if kind is None and ":" in name:
        kind = _KINDS.get(name.rpartition(":")[2])
    return kind


# The zip --------------------------------------------------------------------------------------


def _declared_members(content: bytes) -> tuple[int, int]:
    """(members, central directory bytes) from the end-of-central-directory record, read before
    zipfile builds an object per member (a 40 MB file can list close to a million)."""
    tail = content[-(65_535 + 22) :]
    at = tail.rfind(b"PK\x05\x06")
    if at == -1 or len(tail) - at < 22:
        raise _Damaged
    members, directory_bytes = struct.unpack_from("<HI", tail, at + 10)
    if members == 0xFFFF or directory_bytes == 0xFFFFFFFF:  # zip64: the real figures are elsewhere
        locator = tail.rfind(b"PK\x06\x07", 0, at)
        if locator == -1:
            raise _Damaged
        (record,) = struct.unpack_from("<Q", tail, locator + 8)
        if content[record : record + 4] != b"PK\x06\x06" or record + 56 > len(content):
            raise _Damaged
        members, directory_bytes = struct.unpack_from("<QQ", content, record + 32)
    return members, directory_bytes


def open_zip(name: str, content: bytes, limits: Limits) -> zipfile.ZipFile:
    """The workbook's zip, once its members are few enough and unpack to a bounded size."""
    try:
        members, directory_bytes = _declared_members(content)
    except (_Damaged, struct.error):
        raise WorkbookRefused(_damaged(name)) from None
    if members > limits.max_members or directory_bytes > limits.max_members * CENTRAL_ENTRY_MAX_BYTES:
        raise _too_many_members(name, members, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error, NotImplementedError):
        raise WorkbookRefused(_damaged(name)) from None
    if len(infos) > limits.max_members:
        raise _too_many_members(name, len(infos), limits)
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            raise WorkbookRefused(
                f"Файл «{name}» сжат или зашифрован не так, как это делает Excel. Откройте его в Excel и "
                "сохраните заново как «Книга Excel (.xlsx)»."
            )
        total += info.file_size
        if info.file_size > limits.max_part_bytes or total > limits.max_unpacked_bytes:
            raise WorkbookRefused(
                f"Файл «{name}» распаковывается в слишком большой объём (больше {_megabytes(total)} МБ), а книга "
                f"для загрузки может занимать в распакованном виде не больше {_megabytes(limits.max_unpacked_bytes)} МБ "
                f"(одна её часть — не больше {_megabytes(limits.max_part_bytes)} МБ). Такой файл не похож на "
                "заполненный шаблон: разделите данные на несколько файлов или сохраните их как CSV."
            )
    return archive


def _damaged(name: str) -> str:
    return f"Файл «{name}» не открывается как книга Excel: он повреждён или это другой формат."


def _too_many_members(name: str, members: int, limits: Limits) -> WorkbookRefused:
    return WorkbookRefused(
        f"Файл «{name}» не похож на книгу Excel: в нём {number(members)} вложенных частей, а в книге их "
        f"бывает не больше {number(limits.max_members)}. Откройте файл в Excel и сохраните его заново как "
        "«Книга Excel (.xlsx)» или как CSV."
    )


# XML --------------------------------------------------------------------------------------------


def _parser() -> expat.XMLParserType:
    """An expat parser that refuses any DTD (no part of an xlsx has one; entity expansion is how
    XML bombs work). Names come as written («x:c»): `_kind` strips the prefix."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16

    def no_dtd(*args):
        raise _Damaged

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    return parser


#: Bytes without a «>» after which a part is not a workbook's: a cell of Excel holds at most
#: 32,767 characters of at most 4 bytes, and no tag of a workbook is near a megabyte.
LONG_RUN_BYTES = 1 << 20


def _feed(parser, archive: zipfile.ZipFile, part: str) -> int:
    """Stream a part through `parser` with raw control bytes masked; return its size in bytes.
    Raises _LongRun when a megabyte passes without a «>»."""
    total = 0
    since_tag_end = 0
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            end = chunk.rfind(b">")
            since_tag_end = since_tag_end + len(chunk) if end == -1 else len(chunk) - end - 1
            if since_tag_end > LONG_RUN_BYTES:
                raise _LongRun
            parser.Parse(chunk.translate(_MASK), False)
    parser.Parse(b"", True)
    return total


def _relationships(archive: zipfile.ZipFile, source: str) -> dict[str, tuple[str, str]]:
    """{Id: (type, part)} of the relationships of `source` (a part, or "" for the package)."""
    folder, base = posixpath.split(source)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    found: dict[str, tuple[str, str]] = {}
    if rels not in archive.NameToInfo:
        return found

    def start(name, attributes):
        if name.rpartition(":")[2] == "Relationship" and attributes.get("TargetMode") != "External":
            target = attributes.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[attributes.get("Id", "")] = (attributes.get("Type", ""), posixpath.normpath(part))

    parser = _parser()
    parser.StartElementHandler = start
    _feed(parser, archive, rels)
    return found


class _TooManyElements(Exception):
    def __init__(self, part: str):
        self.part = part


def count_elements(part: str):
    """A counter to call per element of `part`; raises _TooManyElements past AUXILIARY_MAX_ELEMENTS."""
    seen = 0
    limit = AUXILIARY_MAX_ELEMENTS

    def count():
        nonlocal seen
        seen += 1
        if seen > limit:
            raise _TooManyElements(part)

    return count


def _check_styles(archive: zipfile.ZipFile, part: str) -> None:
    """The styles calamine reads whole: a bounded number of elements, no DTD, no giant token."""
    count = count_elements(part)
    parser = _parser()
    parser.StartElementHandler = lambda name, attributes: count()
    _feed(parser, archive, part)


def _first_sheet(archive: zipfile.ZipFile, workbook: str) -> tuple[str | None, str, str | None, str | None]:
    """(the first sheet's part, its name, the shared strings' part, the styles' part) of a workbook
    part: the first <sheet> of workbook.xml, as calamine's get_sheet_by_index(0) takes it."""
    first: list[tuple[str, str]] = []
    count = count_elements(workbook)

    def start(name, attributes):
        count()
        if not first and name.rpartition(":")[2] == "sheet":
            rid = next(
                (v for k, v in attributes.items() if k.rpartition(":")[2] == "id" and ":" in k),
                "",
            )
            first.append((rid, attributes.get("name", "")))

    parser = _parser()
    parser.StartElementHandler = start
    _feed(parser, archive, workbook)
    relationships = _relationships(archive, workbook)
    sheet = relationships.get(first[0][0], ("", None))[1] if first else None
    title = shown(first[0][1], 31) if first and first[0][1] else posixpath.basename(sheet or "")
    shared = next((part for kind, part in relationships.values() if kind.endswith("/sharedStrings")), None)
    styles = next((part for kind, part in relationships.values() if kind.endswith("/styles")), None)
    return sheet, title, shared, styles


# Shared strings ---------------------------------------------------------------------------------


class _TooManyStrings(Exception):
    pass


def _long_shared_string(archive: zipfile.ZipFile, part: str, max_strings: int) -> int | None:
    """The index of a shared string longer than a cell of Excel can hold, or None. More strings
    than a sheet may have cells (calamine keeps every one) raise _TooManyStrings.

    Quick pass: the bytes between one <si> and the next bound the characters of a string; only
    when some string spans more are its characters counted (never kept), stopping at the first
    that is too long."""
    parser = _parser()
    index = -1
    last = 0

    def quick(name, attributes):
        nonlocal index, last
        if _kind(name) == "si":
            position = parser.CurrentByteIndex
            if index >= 0 and position - last > EXCEL_MAX_CELL_CHARS:
                raise _NeedsPreciseScan
            index += 1
            last = position
            if index >= max_strings:
                raise _TooManyStrings

    parser.StartElementHandler = quick
    try:
        total = _feed(parser, archive, part)
        if index < 0 or total - last <= EXCEL_MAX_CELL_CHARS:
            return None
    except _LongRun:
        return max(index, 0)
    except _NeedsPreciseScan:
        pass
    return _count_shared_strings(archive, part, max_strings)


class _Found(Exception):
    def __init__(self, index: int):
        self.index = index


def _count_shared_strings(archive: zipfile.ZipFile, part: str, max_strings: int) -> int | None:
    state = {"index": -1, "length": 0, "text": False, "phonetic": 0}

    def start(name, attributes):
        kind = _kind(name)
        if kind == "si":
            state["index"] += 1
            state["length"] = 0
            if state["index"] >= max_strings:
                raise _TooManyStrings
        elif kind == "t":
            state["text"] = not state["phonetic"]
        elif kind == "rPh":  # phonetic runs are not part of the value
            state["phonetic"] += 1

    def end(name):
        kind = _kind(name)
        if kind == "t":
            state["text"] = False
        elif kind == "rPh":
            state["phonetic"] -= 1

    def characters(data):
        if state["text"]:
            state["length"] += len(data)
            if state["length"] > EXCEL_MAX_CELL_CHARS:
                raise _Found(state["index"])

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        _feed(parser, archive, part)
    except _Found as found:
        return found.index
    except _LongRun:
        return max(state["index"], 0)
    return None


# The sheet --------------------------------------------------------------------------------------


class _SheetScan:
    """Follows the cells of one sheet: where each is, how many, and how long their values are.

    `start` runs for every element of the sheet, so it keeps its state in a closure's locals
    rather than in attributes. The quick pass (`precise=False`) bounds each value by the bytes its
    cell spans (from its start tag to the next cell's or row's); the precise pass counts the
    characters of each value, resolving shared strings by index."""

    def __init__(self, parser, name: str, title: str, limits: Limits, long_string: int | None, *, precise: bool):
        self.name = name
        self.title = title
        self.limits = limits
        self.row = self.column = self.max_row = self.max_column = self.cells = 0
        self.cell_start = -1  # the quick pass: byte position of the open cell's start tag
        self.start = self._handler(parser, long_string, precise)

    # Messages ---------------------------------------------------------------------------------

    def where(self) -> str:
        return f"{column_letters(self.column)}{self.row}"

    def too_far(self, row: int, column: int, declared: str | None = None) -> WorkbookRefused:
        limits = self.limits
        if declared is not None:
            found = f"он объявляет размер {shown(declared, 40)}"
        else:
            found = f"заполнена ячейка {column_letters(column)}{row} (строка {number(row)}, столбец {number(column)})"
        return WorkbookRefused(
            f"Лист «{self.title}» в файле «{self.name}» слишком большой: {found}, а загружаются листы не больше "
            f"{number(limits.max_rows)} строк и {number(limits.max_columns)} столбцов (последняя ячейка — "
            f"{column_letters(limits.max_columns)}{limits.max_rows}). Удалите лишние строки и столбцы или очистите "
            "эту ячейку (в Excel последнюю заполненную ячейку показывает Ctrl+End) либо разделите таблицу на "
            "несколько файлов."
        )

    def too_many(self, found: int, what: str) -> WorkbookRefused:
        return WorkbookRefused(
            f"Лист «{self.title}» в файле «{self.name}» слишком большой: {what} — {number(found)} ячеек, а можно "
            f"не больше {number(self.limits.max_cells)}. Удалите лишние строки и столбцы или разделите таблицу "
            "на несколько файлов."
        )

    def too_long(self) -> WorkbookRefused:
        return WorkbookRefused(
            f"В файле «{self.name}» в ячейке {self.where()} (строка {number(self.row)}) текст длиннее "
            f"{number(EXCEL_MAX_CELL_CHARS)} символов — столько в ячейку Excel не помещается: файл сделан не в Excel "
            "или повреждён. Сократите текст в этой ячейке и сохраните файл заново."
        )

    def bad_address(self, what: str, ref: str) -> WorkbookRefused:
        place = (
            f"в строке {number(self.row)} у ячейки" if what == "cell" else f"после строки {number(self.row)} у строки"
        )
        return WorkbookRefused(
            f"Файл «{self.name}» повреждён: {place} непонятный адрес «{shown(ref)}». Откройте файл в Excel "
            "и сохраните его заново."
        )

    def dimension(self, ref: str) -> None:
        """The declared used range: a reader may size itself from it (openpyxl's read-only mode does)."""
        ends = [parse_ref(part) for part in ref.split(":")[:2]]
        if not ref or None in ends:
            return  # no reader sizes anything from a dimension it cannot parse
        row = max(end[0] for end in ends)
        column = max(end[1] for end in ends)
        if row > self.limits.max_rows or column > self.limits.max_columns:
            raise self.too_far(row, column, declared=ref)
        if row * column > self.limits.max_cells:
            raise self.too_many(row * column, f"он объявляет область {shown(ref, 40)}")

    # The handler --------------------------------------------------------------------------------

    def _handler(self, parser, long_string: int | None, precise: bool):
        scan = self
        max_rows, max_columns, max_cells = self.limits.max_rows, self.limits.max_columns, self.limits.max_cells
        kinds, ref_match = _KINDS, _REF
        letters_column: dict[str, int] = {}
        row = column = max_row = max_column = cells = 0
        cell_start = -1
        # The precise pass: the open cell's value so far.
        value = {"shared": False, "collect": False, "phonetic": 0, "length": 0, "index": ""}

        def sync():
            scan.row, scan.column, scan.max_row, scan.max_column, scan.cells = row, column, max_row, max_column, cells
            scan.cell_start = cell_start

        def close_span():
            nonlocal cell_start
            if cell_start >= 0 and parser.CurrentByteIndex - cell_start > EXCEL_MAX_CELL_CHARS:
                raise _NeedsPreciseScan
            cell_start = -1

        def close_value():
            if value["shared"] and long_string is not None and value["index"].strip() == str(long_string):
                sync()
                raise scan.too_long()
            value.update(shared=False, collect=False, length=0, index="")

        def start(name, attributes):
            nonlocal row, column, max_row, max_column, cells, cell_start
            kind = kinds.get(name)
            if kind is None:
                if ":" not in name:
                    return
                kind = kinds.get(name.rpartition(":")[2])
            if kind == "c":
                if precise:
                    if cells:
                        close_value()
                    value["shared"] = attributes.get("t") == "s"
                else:
                    close_span()
                    cell_start = parser.CurrentByteIndex
                ref = attributes.get("r")
                if ref is None:  # counted, as calamine counts it
                    column += 1
                    row = row or 1
                else:
                    match = ref_match(ref)
                    if match is None or match.group(2).strip("0") == "":
                        sync()
                        raise scan.bad_address("cell", ref)
                    letters, digits = match.groups()
                    row = int(digits)
                    column = letters_column.get(letters, 0)
                    if not column:
                        for letter in letters.upper():
                            column = column * 26 + ord(letter) - 64
                        letters_column[letters] = column
                if row > max_rows or column > max_columns:
                    raise scan.too_far(row, column)
                cells += 1
                if row > max_row:
                    max_row = row
                if column > max_column:
                    max_column = column
                if cells > max_cells:
                    raise scan.too_many(cells, "заполнено больше")
                if max_row * max_column > max_cells:
                    area = f"A1:{column_letters(max_column)}{max_row}"
                    raise scan.too_many(max_row * max_column, f"заполненные ячейки занимают область {area}")
            elif kind == "row":
                if precise:
                    if cells:
                        close_value()
                else:
                    close_span()
                ref = attributes.get("r")
                if ref is None:
                    row += 1
                elif ref.isascii() and ref.isdigit() and 0 < len(ref) <= 7 and int(ref) > 0:
                    row = int(ref)
                else:
                    sync()
                    raise scan.bad_address("row", ref)
                column = 0
            elif kind == "after":
                if not precise:
                    close_span()
            elif kind == "dimension":
                scan.dimension(attributes.get("ref", ""))
            elif precise:
                if kind == "v":
                    value["collect"] = True
                elif kind == "t":
                    value["collect"] = not value["phonetic"]
                elif kind == "rPh":
                    value["phonetic"] += 1

        def end(name):
            kind = _kind(name)
            if kind in ("v", "t"):
                value["collect"] = False
            elif kind == "rPh":
                value["phonetic"] -= 1

        def characters(data):
            if value["collect"]:
                value["length"] += len(data)
                if value["shared"]:
                    if len(value["index"]) < 16:
                        value["index"] += data
                elif value["length"] > EXCEL_MAX_CELL_CHARS:
                    sync()
                    raise scan.too_long()

        def finish(total: int) -> None:
            if precise:
                if cells:
                    close_value()
            elif cell_start >= 0 and total - cell_start > EXCEL_MAX_CELL_CHARS:
                raise _NeedsPreciseScan
            sync()

        parser.StartElementHandler = start
        if precise:
            parser.EndElementHandler = end
            parser.CharacterDataHandler = characters
        self.finish = finish
        self.sync = sync
        return start


def _scan_sheet(archive, part: str, title: str, name: str, limits: Limits, long_string: int | None) -> SheetExtent:
    # With a shared string too long for Excel, the precise pass finds the cell that shows it.
    precise = long_string is not None
    while True:
        parser = _parser()
        scan = _SheetScan(parser, name, title, limits, long_string, precise=precise)
        try:
            scan.finish(_feed(parser, archive, part))
        except _NeedsPreciseScan:
            precise = True
            continue
        except _LongRun:
            scan.sync()
            if scan.cells:
                raise scan.too_long() from None
            raise _Damaged from None
        except expat.ExpatError as error:
            scan.sync()
            near = f" около ячейки {scan.where()} (строка {number(scan.row)})" if scan.cells else ""
            raise WorkbookRefused(
                f"Файл «{name}» повреждён: лист не читается{near} ({expat.ErrorString(error.code)}). "
                "Откройте файл в Excel и сохраните его заново."
            ) from None
        return SheetExtent(part, title, scan.max_row, scan.max_column, scan.cells, precise)


def check_workbook(name: str, content: bytes, limits: Limits) -> SheetExtent:
    """Refuse (WorkbookRefused, with a Russian message) a workbook that a reader could not read
    within the limits; otherwise say how big its first sheet is."""
    archive = open_zip(name, content, limits)
    with archive:
        try:
            parts = archive.NameToInfo
            package = _relationships(archive, "")
            offices = [part for kind, part in package.values() if kind.endswith("/officeDocument")]
            sheets: dict[str, str] = {}
            # Readers also look for the shared strings by their usual name.
            shared_parts = [n for n in parts if n.lower().endswith("sharedstrings.xml")]
            # calamine reads xl/workbook.xml; a package may point elsewhere: check what either reader takes.
            styles_parts = [n for n in parts if n.lower().endswith("styles.xml") and n.lower().startswith("xl/")]
            for workbook in dict.fromkeys([*offices, "xl/workbook.xml"]):
                if workbook in parts:
                    sheet, title, shared, styles = _first_sheet(archive, workbook)
                    if sheet in parts:
                        sheets.setdefault(sheet, title)
                    if shared in parts:
                        shared_parts.append(shared)
                    if styles in parts:
                        styles_parts.append(styles)
            if not sheets:
                raise _Damaged
            for part in dict.fromkeys(styles_parts):
                _check_styles(archive, part)
            long_string = None
            for part in dict.fromkeys(shared_parts):
                try:
                    long_string = _long_shared_string(archive, part, limits.max_cells)
                except _TooManyStrings:
                    raise WorkbookRefused(
                        f"Файл «{name}» слишком большой: в нём больше {number(limits.max_cells)} разных значений "
                        f"текста, а на листе может быть не больше {number(limits.max_cells)} ячеек. Разделите "
                        "таблицу на несколько файлов."
                    ) from None
                if long_string is not None:
                    break
            extents = [_scan_sheet(archive, part, title, name, limits, long_string) for part, title in sheets.items()]
            if long_string is not None:
                # No cell shows it, but calamine reads every shared string, used or not.
                raise WorkbookRefused(
                    f"В файле «{name}» есть текст длиннее {number(EXCEL_MAX_CELL_CHARS)} символов — столько в "
                    "ячейку Excel не помещается: файл сделан не в Excel или повреждён. Откройте его в Excel "
                    "и сохраните заново."
                )
            return extents[0]
        except _TooManyElements as too_many:
            raise WorkbookRefused(
                f"Файл «{name}» не похож на книгу Excel: в его части {shown(too_many.part, 60)} больше "
                f"{number(AUXILIARY_MAX_ELEMENTS)} элементов (стилей или имён), а в книге их бывает несколько тысяч. "
                "Откройте файл в Excel и сохраните его заново."
            ) from None
        except (_Damaged, _LongRun, expat.ExpatError, zipfile.BadZipFile, EOFError, ValueError, OSError, KeyError):
            raise WorkbookRefused(_damaged(name)) from None
