"""The tables of a roadmap's file, cell by cell, before anything is understood: a Word document
(.docx), a workbook (.xlsx) or a .csv, each turned into the same `Grid` of rows of cells.

Roadmaps come as the appendix of an order (seed 000: приказ № 122\\1-о with «Приложение …
Дорожная карта …» after the order's text), as a school's own document (seed 002) or as a sheet
someone typed. What matters of a cell here:
- its paragraphs, kept one per line: a school roadmap's «Мероприятия» cell holds several numbered
  sub-items as paragraphs (seed 002), and a «Сроки» cell one deadline a paragraph;
- whether it only continues a merged cell on its left or above it. python-docx repeats a merged
  cell at every grid position it covers; here the cell's text stands at its first position, and
  the positions it covers say `left` (a horizontal span, `w:gridSpan`) or `above` (a vertical
  one, `w:vMerge`). The same for a workbook's merged ranges. So a stage row merged across the
  width (seed 001 «1. Нормативное правовое регулирование …») is one text and the rest `left`;
- Word's own list numbering (`w:numPr`): a «№ п/п» column numbered by Word holds no text of its
  own, so the number is computed as Word shows it (decimal levels «1.», «1.1.»; a bullet is «-»).

Nothing here knows what a roadmap is (`roadmaps.importers` does); it only reads, within limits:
a zip's declared sizes are checked before python-docx unpacks anything (`core.xlsx_guard`), a
workbook goes through core's streaming check before calamine builds its first sheet, and python-
docx's XML parser expands no entities.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from core.importing import FileRejected
from core.xlsx_guard import Limits, WorkbookRefused, check_workbook, open_zip

#: Cells a roadmap's table may have at most: a real one has a few hundred rows of five columns.
MAX_TABLE_CELLS = 200_000
#: Paragraphs of a document that are read at most (the order's text, the tables' cells).
MAX_PARAGRAPHS = 100_000
#: python-docx holds every part of a document in memory and parses its XML parts whole: a
#: 100-page order is about 2 MB of XML, its pictures a few MB. Tighter than a workbook's limits.
DOCX_MAX_XML_BYTES = 32 * 1024 * 1024
DOCX_MAX_UNPACKED_BYTES = 128 * 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


@dataclass
class Cell:
    """A grid position of a table: its text (paragraphs one per line), or a position covered by a
    merged cell on its left (`left`) or above it (`above`), whose text stands there."""

    text: str = ""
    left: bool = False
    above: bool = False

    @property
    def lines(self) -> list[str]:
        return [line for line in self.text.split("\n") if line.strip()]


@dataclass
class Grid:
    """A table of a file: its rows of cells and, for each row, the number messages give it (the
    row of the Word table counted from 1, or the sheet's row); the text before it (the order's
    text and the roadmap's title for a document, the rows above the table for a sheet)."""

    rows: list[list[Cell]]
    numbers: list[int]
    #: The paragraphs since the table before it (its title is there), and all before it.
    nearby: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    #: «таблица 2 документа», «лист «Лист1»»: where the table is, for messages.
    where: str = ""

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


def clean(text: str) -> str:
    """A cell's text: each paragraph's spaces collapsed (a no-break space is a space), empty
    paragraphs dropped, paragraphs one per line."""
    lines = (re.sub(r"[ \t\u00a0\u2007\u202f]+", " ", line).strip() for line in re.split(r"[\r\n\v\u2028\u2029]", text))
    return "\n".join(line for line in lines if line)


# Word ---------------------------------------------------------------------------------------


class _Numbering:
    """Word's list numbering as the document shows it: per list (`w:numId`) and level (`w:ilvl`),
    counters that the paragraphs move on in the document's order, written by the level's text
    («%1.%2.»). Decimal levels are numbers; a bullet, or any other format, is «-»."""

    def __init__(self, document):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in numbering.findall(_w("abstractNum")):
            levels = {}
            for lvl in node.findall(_w("lvl")):
                ilvl = int(lvl.get(_w("ilvl"), "0") or 0)
                fmt = lvl.find(_w("numFmt"))
                text = lvl.find(_w("lvlText"))
                start = lvl.find(_w("start"))
                levels[ilvl] = (
                    fmt.get(_w("val"), "decimal") if fmt is not None else "decimal",
                    text.get(_w("val"), "") if text is not None else "",
                    _int(start.get(_w("val")) if start is not None else "1", 1),
                )
            abstract[node.get(_w("abstractNumId"))] = levels
        for num in numbering.findall(_w("num")):
            ref = num.find(_w("abstractNumId"))
            levels = abstract.get(ref.get(_w("val")) if ref is not None else None, {})
            for ilvl, level in levels.items():
                self.levels[(num.get(_w("numId")), ilvl)] = level

    def label(self, paragraph) -> str:
        """The number or bullet Word puts before `paragraph`, or "" when it is no list item."""
        props = paragraph.find(_w("pPr"))
        num_pr = props.find(_w("numPr")) if props is not None else None
        if num_pr is None:
            return ""
        num_id_node, ilvl_node = num_pr.find(_w("numId")), num_pr.find(_w("ilvl"))
        num_id = num_id_node.get(_w("val")) if num_id_node is not None else None
        ilvl = _int(ilvl_node.get(_w("val")) if ilvl_node is not None else "0", 0)
        if num_id in (None, "0") or not 0 <= ilvl < 9:
            return ""
        fmt, text, _start = self.levels.get((num_id, ilvl), ("bullet", "", 1))
        counters = self.counters.setdefault(num_id, [0] * 9)
        starts = [self.levels.get((num_id, level), ("", "", 1))[2] for level in range(9)]
        counters[ilvl] = (counters[ilvl] or starts[ilvl] - 1) + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt != "decimal" or not text:
            return "-"
        return re.sub(r"%([1-9])", lambda m: str(counters[int(m.group(1)) - 1] or starts[int(m.group(1)) - 1]), text)


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _DocxReader:
    """The paragraphs and tables of a document's body in their order (inside content controls
    too), each paragraph with its list label."""

    def __init__(self, name: str, document):
        self.name = name
        self.document = document
        self.numbering = _Numbering(document)
        self.paragraphs_read = 0

    def paragraph_text(self, paragraph) -> str:
        from docx.text.paragraph import Paragraph

        self.paragraphs_read += 1
        if self.paragraphs_read > MAX_PARAGRAPHS:
            raise FileRejected(
                f"В документе «{self.name}» больше {MAX_PARAGRAPHS:,} абзацев: это не дорожная карта. "
                "Оставьте в файле только приказ и таблицу дорожной карты.".replace(",", "\u00a0")
            )
        label = self.numbering.label(paragraph)
        text = Paragraph(paragraph, None).text
        if not label:
            return text
        if not text.strip():  # a «№» cell numbered by Word holds only its number
            return "" if label == "-" else label
        return f"{label} {text}"

    def cell_text(self, tc) -> str:
        # Every paragraph of the cell, those of a table nested in it too, in order.
        return clean("\n".join(self.paragraph_text(p) for p in tc.iter(_w("p"))))

    def grids(self) -> list[Grid]:
        grids: list[Grid] = []
        before: list[str] = []
        since = [0]  # where the paragraphs after the last table start

        def walk(parent):
            for child in parent.iterchildren():
                if child.tag == _w("p"):
                    text = clean(self.paragraph_text(child))
                    if text:
                        before.append(text)
                elif child.tag == _w("tbl"):
                    grid = self.grid(child)
                    grid.before = list(before)
                    grid.nearby = before[since[0] :]
                    grid.where = f"таблица {len(grids) + 1} документа"
                    grids.append(grid)
                    since[0] = len(before)
                elif child.tag == _w("sdt"):
                    content = child.find(_w("sdtContent"))
                    if content is not None:
                        walk(content)

        walk(self.document.element.body)
        return grids

    def grid(self, tbl) -> Grid:
        rows: list[list[Cell]] = []
        cells = 0
        for tr in tbl.findall(_w("tr")):
            row: list[Cell] = []
            props = tr.find(_w("trPr"))
            before = props.find(_w("gridBefore")) if props is not None else None
            row += [Cell() for _ in range(min(50, _int(before.get(_w("val")) if before is not None else 0, 0)))]
            for tc in tr.iterchildren(_w("tc"), _w("sdt")):
                for cell_node in [tc] if tc.tag == _w("tc") else tc.iter(_w("tc")):
                    props = cell_node.find(_w("tcPr"))
                    span_node = props.find(_w("gridSpan")) if props is not None else None
                    span = max(1, min(50, _int(span_node.get(_w("val")) if span_node is not None else 1, 1)))
                    merge = props.find(_w("vMerge")) if props is not None else None
                    continues = merge is not None and merge.get(_w("val"), "continue") == "continue"
                    row.append(Cell(above=True) if continues else Cell(self.cell_text(cell_node)))
                    row += [Cell(left=True, above=continues) for _ in range(span - 1)]
            cells += len(row)
            if cells > MAX_TABLE_CELLS:
                raise FileRejected(
                    f"Таблица в документе «{self.name}» слишком большая (больше {MAX_TABLE_CELLS:,} ячеек): это не "
                    "дорожная карта. Оставьте в файле только таблицу дорожной карты.".replace(",", "\u00a0")
                )
            rows.append(row)
        return Grid(rows=rows, numbers=list(range(1, len(rows) + 1)))


def _docx_limits() -> Limits:
    from django.conf import settings

    return Limits(
        max_rows=0,
        max_columns=0,
        max_cells=0,
        max_part_bytes=min(settings.IMPORT_MAX_PART_BYTES, DOCX_MAX_UNPACKED_BYTES),
        max_unpacked_bytes=min(settings.IMPORT_MAX_UNPACKED_BYTES, DOCX_MAX_UNPACKED_BYTES),
        max_members=settings.IMPORT_MAX_ZIP_MEMBERS,
    )


def read_docx(name: str, content: bytes) -> list[Grid]:
    """The tables of a Word document, each with the text before it. A zip whose declared sizes
    are beyond the import's limits, or that is not a Word document, is refused by name."""
    refused = FileRejected(
        f"Файл «{name}» не открывается как документ Word: он повреждён, распаковывается в слишком большой объём "
        "или это другой формат. Откройте его в Word и сохраните заново как «Документ Word (.docx)»."
    )
    try:
        archive = open_zip(name, content, _docx_limits())
    except WorkbookRefused:
        raise refused from None
    with archive:
        members = set(archive.NameToInfo)
        if any(
            info.file_size > DOCX_MAX_XML_BYTES
            for info in archive.infolist()
            if info.filename.lower().endswith((".xml", ".rels"))
        ):
            raise refused
    if "xl/workbook.xml" in members and "word/document.xml" not in members:
        raise FileRejected(
            f"Файл «{name}» назван .docx, но внутри книга Excel. Переименуйте его в .xlsx и загрузите снова."
        )
    import docx

    try:
        document = docx.Document(io.BytesIO(content))
    except Exception:  # python-docx raises its own errors, and lxml's, for a damaged or foreign file
        raise FileRejected(
            f"Файл «{name}» не открывается как документ Word: он повреждён или это другой формат. Откройте его "
            "в Word и сохраните заново как «Документ Word (.docx)»."
        ) from None
    try:
        return _DocxReader(name, document).grids()
    except (ValueError, TypeError, AttributeError, KeyError):
        raise FileRejected(
            f"Документ «{name}» повреждён: его таблицы не читаются. Откройте его в Word и сохраните заново."
        ) from None


# Spreadsheets --------------------------------------------------------------------------------


def _value_text(value) -> str:
    import datetime

    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return clean(str(value))


def read_xlsx(name: str, content: bytes) -> list[Grid]:
    """The first sheet of a workbook, its merged ranges marked, once core's streaming check has
    found it within the import's limits (calamine, as every import of the portal reads .xlsx)."""
    from python_calamine import CalamineWorkbook

    try:
        check_workbook(name, content, Limits.from_settings())
    except WorkbookRefused as refused:
        raise FileRejected(refused.message) from None
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        values = [[_value_text(value) for value in row] for row in sheet.iter_rows()]
        merged = sheet.merged_cell_ranges or []
    except Exception:  # calamine raises its own errors for a damaged or foreign file
        raise FileRejected(
            f"Файл «{name}» не открывается как книга Excel: он повреждён или это другой формат."
        ) from None
    rows = [[Cell(text) for text in row] for row in values]
    for (first_row, first_column), (last_row, last_column) in merged:
        for r in range(first_row, min(last_row, len(rows) - 1) + 1):
            for c in range(first_column, min(last_column, len(rows[r]) - 1) + 1):
                if (r, c) != (first_row, first_column):
                    rows[r][c] = Cell(left=c > first_column, above=r > first_row)
    return [Grid(rows=rows, numbers=list(range(1, len(rows) + 1)), where=f"лист «{sheet.name}»")]


def read_csv(name: str, content: bytes) -> list[Grid]:
    """A .csv as core reads it (UTF-8, Windows-1251, `;` or `,`), blank rows kept out."""
    from core.importing import read_table

    table = read_table(name, content)
    rows = [[Cell(_value_text(v)) for v in table.raw_header]]
    numbers = [table.header_row]
    for number, values in table.rows:
        rows.append([Cell(_value_text(v)) for v in values])
        numbers.append(number)
    return [Grid(rows=rows, numbers=numbers, where="таблица файла")]
