"""The import of a roadmap from the document a municipality or a school already has: a Word table
(.docx), a sheet (.xlsx) or a .csv laid out the same way. One engine with the other imports
(`core.importing`): the upload, the check in the background worker, the preview, then the save
all or nothing; only the reading differs, since a roadmap is a document and a tree.

The layouts read (docs/product.md «Roadmaps»):
- seed 000 (Назарово, приказ № 122\\1-о): «№ п/п | Мероприятия | Сроки исполнения | Ответственные»
  over a second header row «муниципальные | ОО»; stages «1.» with a deadline and no responsibles;
  items «1.1.» or «3.1» (with or without the final dot); an item continued on the next row with an
  empty number (items 1.4 and 4.4, a page break): its title, deadline and responsibles are joined
  to the item's, on a new line when the continuation starts a list («- Положения …») or the text
  before it ended a sentence («:», «;», «.»), with a space otherwise («Руководитель» + «ОО,
  куратор»). The table stands after the order's text and is found by its headers; a header
  repeated after a page break, or a row of column numbers «1 | 2 | 3», is skipped;
- seed 001 (Устюжна): «№ п/п | Наименование мероприятий | Срок реализации | Ответственный
  исполнитель | Ожидаемый результат, вид документа»; a stage is a row merged across the width
  («1. Нормативное правовое регулирование …») whose leading number is its number. With a single
  responsible column, each of its paragraphs goes to «ответственные: ОО» when it names only the
  schools' people (`recognise_addressees` finds directors or curators and nothing else: «Руководители
  ОО», «Кураторы внедрения ЦМН в ОО»), and to «ответственные: муниципальные» otherwise («Управление
  образования …», or a name not recognised). In a school's roadmap every responsible is the
  school's own («Ведущий наставник», seed 002): all of it goes to «ответственные: ОО»;
- seed 002 (МБОУ «ЦО № 21»): «№ | Наименование этапа | Мероприятия | Сроки | Ответственные»; a
  stage row holds the stage's number and name, and its «Мероприятия» cell several paragraphs
  «1. …», «1.1. …», «2. …» (a list «- …» belongs to the numbered paragraph before it and is added
  to its title); the stage continues on the next rows with empty «№» and stage cells. Each
  numbered paragraph is an item under the stage, its parent the nearest paragraph before it whose
  number its own extends (level = the stage's + 1 + its depth below the shallowest number of the
  stage). The «Сроки» and «Ответственные» cells hold paragraphs too. Row by row: as many paragraphs
  as the row's numbered items — one each, in order; one paragraph — every item of the row takes
  it; any other count cannot be matched honestly (seed 002's third row has 8 items and 6
  deadlines), so the row's items keep no deadline, the paragraphs go to the stage (joined by «; »,
  repeats once) and the stage carries the warning «сроки в строке N не сопоставлены с подпунктами:
  проверьте». The same for responsibles and results.

A deadline cell of several paragraphs is read as several phrases (seed 002 puts one deadline a
paragraph); when that reading fails and the paragraphs read as one phrase («Сентябрь-ноябрь /
Ежегодно / 2021 – 2024 гг.», a phrase Word wrapped), the deadline is kept as one line.

The roadmap's title is the paragraph before the table that names a roadmap («Дорожная карта …»,
«План мероприятий (дорожная карта) …», with the lines after it up to the table), and its period is
read from that title («на период реализации 2021-2024 гг.», «на 2024/2025 учебный год»,
`roadmaps.deadlines.parse_period`); a title or a period given at the upload wins. Without a
period nothing is saved: the preview asks for it (`Plan.missing`).

Numbers are stored as the document writes them («3.1», «1.1.»); `RoadmapItem.number` keeps the
final dot, the preview and `import_roadmap --json` show them without it («1.1»).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch

from core.importing import CONTROL, OLE_MAGIC, ZIP_MAGIC, Column, FileRejected, Importer, Plan, Table, register_importer
from core.russian import count_noun, fold
from core.scoping import get_scope
from registry.models import Municipality, Organization
from roadmaps import documents
from roadmaps.choices import SCHOOL_ADDRESSEES, Addressee, DeadlineKind
from roadmaps.deadlines import Schedule, parse_deadline, parse_period
from roadmaps.documents import Cell, Grid
from roadmaps.import_forms import RoadmapImportForm, RoadmapOptionsForm
from roadmaps.responsibles import recognise_addressees
from roadmaps.services import ParsedItem, roadmap_items_import, roadmap_save

KIND = "roadmap"
#: Rows above a table's header that are searched for it (a title, an approval block).
MAX_HEADER_ROW = 30
#: The longest number a roadmap's item has («2.10.3.»), and the model's limits.
NUMBER_MAX = 30
DEADLINE_MAX = 500
TITLE_MAX = 500
ADDRESSEE_LABELS = dict(Addressee.choices)
KIND_LABELS = dict(DeadlineKind.choices)

COLUMNS = (
    Column(
        "number",
        "№",
        aliases=("№ п/п", "Номер"),
        required=True,
        help="Номер пункта, как в документе: «1.» — этап, «1.1.» — его пункт, «2.1.1.» — подпункт (точка в "
        "конце не обязательна). Строка без номера продолжает пункт над ней.",
        example=("1.", "1.1.", "1.2."),
    ),
    Column(
        "stage",
        "Наименование этапа",
        help="Как в дорожной карте школы: название этапа, а его мероприятия — абзацами «1.», «1.1.» в столбце "
        "«Мероприятия».",
        in_template=False,
    ),
    Column(
        "title",
        "Мероприятия",
        aliases=("Мероприятие", "Наименование мероприятий", "Наименование мероприятия"),
        required=True,
        help="Что сделать. Этап — строкой с номером «1.» или строкой, объединённой на всю ширину таблицы.",
        example=(
            "Подготовка нормативной базы реализации целевой модели наставничества",
            "Разработка и утверждение дорожной карты внедрения целевой модели наставничества",
            "Назначение кураторов внедрения целевой модели наставничества в ОО",
        ),
    ),
    Column(
        "deadline",
        "Сроки исполнения",
        aliases=("Сроки", "Срок", "Срок реализации", "Срок исполнения"),
        required=True,
        help="Как в документе: «Май-октябрь 2020 г.», «Ежегодно», «До 1 июня 2021 г.», «постоянно», «2020-2021 "
        "учебный год». Портал разберёт срок в даты; нераспознанный срок можно задать датами после загрузки.",
        example=("Май-октябрь 2020 г.", "Июль – август 2020 г.", "Сентябрь 2020 г."),
    ),
    Column(
        "responsible_municipal",
        "Ответственные: муниципальные",
        help="Управление образования, муниципальный центр, координатор.",
        example=("", "Управление образования", ""),
    ),
    Column(
        "responsible_organization",
        "Ответственные: ОО",
        help="Руководители ОО, кураторы: пункт с ними исполняет каждая школа.",
        example=("", "", "Руководители ОО"),
    ),
    Column(
        "responsible",
        "Ответственные",
        aliases=("Ответственный исполнитель", "Ответственный", "Исполнители"),
        help="Один столбец вместо двух: «Руководители ОО», «Кураторы» попадут в «Ответственные: ОО», остальное — "
        "в «Ответственные: муниципальные».",
        in_template=False,
    ),
    Column(
        "result",
        "Ожидаемый результат, вид документа",
        aliases=("Ожидаемый результат", "Результат", "Вид документа"),
        help="Например, «Приказ управления образования».",
        example=("", "Приказ управления образования", "Приказы ОО"),
    ),
)
COLUMN = {column.key: column for column in COLUMNS}
REQUIRED = ("number", "title", "deadline")

# Headers ---------------------------------------------------------------------------------------

_HEADER_PATTERNS = (
    ("number", r"(№|n|no|номер)( ?п ?/ ?п| ?пп)?( пункта)?|п ?/ ?п"),
    ("stage", r"(наименование|название|содержание) этап\w*|этапы?( реализации)?"),
    (
        "title",
        r"((наименование|название|содержание|перечень) )?мероприяти\w*( \w+)?"
        r"|содержание( работы| деятельности)?|наименование( работ\w*)?|вид работ\w*",
    ),
    ("deadline", r"(сроки?|дата|период)( (исполнения|реализации|выполнения|проведения))?"),
    ("responsible", r"(ответственн\w*|исполнител\w*)( (исполнител\w*|за \w+|лица?|лицо))?"),
    (
        "result",
        r"(ожидаем\w* |планируем\w* )?результат\w*( .*)?|вид документа|форма (отчетности|отчета)"
        r"|(отчетн\w*|итогов\w*) документ\w*|документ( подтверждения)?",
    ),
)
_SUB_HEADERS = (
    ("municipal", r"муниципальн\w*( уровень| уровня)?|на муниципальном уровне|уо"),
    ("organization", r"оо|оу|школ\w*|(на )?уровне? оо|в оо|образовательн\w*( организац\w*| учрежден\w*)?"),
)


def header_words(text: str) -> str:
    """«№ п/п», «Ответственные:», «СРОКИ исполнения*» → compared as «№ п/п», «ответственные»,
    «сроки исполнения»: case and «ё» folded, punctuation but «№» and «/» dropped."""
    text = fold(text or "").replace("\n", " ")
    text = re.sub(r"[^\w\s№/]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def header_kind(text: str) -> str | None:
    """The column a header names («Сроки исполнения» → "deadline"), None for any other text;
    «Ответственные: муниципальные» in one cell is "responsible_municipal"."""
    words = header_words(text)
    if not words or len(words) > 80:
        return None
    match = re.fullmatch(r"(ответственн\w*|исполнител\w*)( исполнител\w*)? (.+)", words)
    if match and (sub := sub_header_kind(match.group(3))):
        return f"responsible_{sub}"
    for key, pattern in _HEADER_PATTERNS:
        if re.fullmatch(pattern, words):
            return key
    return None


def sub_header_kind(text: str) -> str | None:
    """«муниципальные» → "municipal", «ОО» → "organization": the second header row under «Ответственные»."""
    words = header_words(text)
    return next((key for key, pattern in _SUB_HEADERS if re.fullmatch(pattern, words)), None)


@dataclass
class Layout:
    """Where a table's header is and what its columns are."""

    grid: Grid
    header_rows: int  # the header's first row index
    body_start: int  # the first row index after the header
    columns: dict[int, str]  # {column index: key}, in the columns' order
    titles: dict[int, str]  # {column index: header as written}
    ignored: list[str] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return set(self.columns.values())


def _texts(row: list[Cell]) -> list[str]:
    return [cell.text for cell in row]


def _row_kinds(row: list[Cell]) -> dict[int, str]:
    kinds: dict[int, str] = {}
    for index, cell in enumerate(row):
        if cell.text and not cell.left and (kind := header_kind(cell.text)) and kind not in kinds.values():
            kinds[index] = kind
    return kinds


def _is_header(kinds: dict[int, str]) -> bool:
    found = set(kinds.values())
    return {"number", "title", "deadline"} <= found or {"number", "stage", "deadline"} <= found


def _group_header(row: list[Cell], index: int) -> int:
    """The column of the cell a position of the first header row belongs to (a merged «Ответственные»)."""
    while index > 0 and (row[index].left or not row[index].text):
        index -= 1
    return index


def _sub_header_row(header: list[Cell], row: list[Cell], kinds: dict[int, str]) -> dict[int, str] | None:
    """{column: "responsible_municipal" | "responsible_organization"} when `row` is the second header row
    under «Ответственные» (seed 000: «муниципальные | ОО»), else None."""
    found: dict[int, str] = {}
    for index, cell in enumerate(row):
        if not cell.text or cell.left or cell.above:
            continue
        sub = sub_header_kind(cell.text)
        group = _group_header(header, index) if index < len(header) else index
        if sub is None or kinds.get(group) not in ("responsible", None):
            return None
        if kinds.get(group) == "responsible":
            found[index] = f"responsible_{sub}"
    return found or None


def find_layout(grid: Grid) -> Layout | None:
    """The header of a roadmap's table in `grid`: a row naming «№», «Мероприятия» and «Сроки»
    (or «№», «Наименование этапа», «Сроки»), with its second row «муниципальные | ОО» if any."""
    for index, row in enumerate(grid.rows[:MAX_HEADER_ROW]):
        kinds = _row_kinds(row)
        if not _is_header(kinds):
            continue
        titles = {i: row[i].text.replace("\n", " ") for i in kinds}
        body_start = index + 1
        if body_start < len(grid.rows) and (subs := _sub_header_row(row, grid.rows[body_start], kinds)):
            for column, key in subs.items():
                group = _group_header(row, column)
                titles[column] = (
                    f"{row[group].text.replace(chr(10), ' ').rstrip(':')}: {grid.rows[body_start][column].text}"
                )
                if kinds.get(column) == "responsible" or column not in kinds:
                    kinds[column] = key
            body_start += 1
        columns = dict(sorted(kinds.items()))
        ignored = [
            cell.text.replace("\n", " ")
            for i, cell in enumerate(row)
            if cell.text and not cell.left and i not in columns
        ]
        return Layout(grid, index, body_start, columns, {i: titles[i] for i in columns}, ignored)
    return None


def header_summary(grid: Grid) -> str:
    """The first row of a table as a message shows it: «Утверждаю | Согласовано»."""
    first = next((row for row in grid.rows if any(cell.text for cell in row)), [])
    texts = [documents.clean(cell.text).replace("\n", " ") for cell in first if cell.text and not cell.left]
    shown = " | ".join(text if len(text) <= 40 else text[:39] + "…" for text in texts[:6])
    return f"«{shown}»" if shown else "пустая"


# Reading the rows ------------------------------------------------------------------------------

#: A «№» cell: «1.», «1.1.», «3.1», «2.1.1.», «IV.».
_NUMBER = re.compile(r"(?:\d{1,3}\.)*\d{1,3}\.?|[IVXLC]{1,6}\.?")
#: A number that starts a text: «1. …», «1.1 …» — a single number needs its dot («5 человек» is
#: no item), and a date «12.09.2024 …» is no number (no digit or dot may follow it).
_ARABIC = r"(?:\d{1,3}(?:\.\d{1,3})*\.|\d{1,3}(?:\.\d{1,3})+)(?![\d.])"
#: A row merged across the width that starts with its number (a stage, seed 001), «IV.» too.
_LEADING_NUMBER = re.compile(rf"^\s*({_ARABIC}|[IVXLC]{{1,6}}\.)\s*(\S.*)$", re.S)
#: A numbered paragraph of a stage's cell (seed 002): «1. …», «1.1. …», «2.1.1 …».
_NUMBERED_PARAGRAPH = re.compile(rf"^\s*({_ARABIC})\s*(\S.*)$", re.S)
_LIST_MARK = re.compile(r"^\s*([-‐‑‒–—―•·*▪●◦]|\d{1,2}\)|[а-яa-z]\))")


def number_parts(number: str) -> tuple[str, ...]:
    """«2.1.1.» → ("2", "1", "1"); «3.1» → ("3", "1"); «IV.» → ("IV",)."""
    return tuple(part for part in number.strip().rstrip(".").split(".") if part)


def number_shown(number: str) -> str:
    """The number without its final dot, as the preview and the JSON show it: «1.1.» → «1.1»."""
    return number.strip().rstrip(".")


def join_all(parts: list[str]) -> str:
    """A cell's texts continued row after row, as one: each continuation on a new line when it
    starts a list item or the text before it ended a sentence, after a space otherwise. Built in
    one pass (a long run of continued rows costs no more than its length)."""
    out: list[str] = []
    for more in parts:
        if not more:
            continue
        if out:
            out.append("\n" if _LIST_MARK.match(more) or out[-1].rstrip()[-1:] in ":;." else " ")
        out.append(more)
    return "".join(out)


def join_text(current: str, more: str) -> str:
    """`more` continuing `current` (see `join_all`)."""
    return join_all([current, more])


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    spanning: bool = False  # one text merged across the width

    def get(self, key: str) -> str:
        return self.values.get(key) or ""


@dataclass
class _Block:
    """A numbered row with the rows that continue it (empty number)."""

    rows: list[_Row]
    heading: str = ""  # the text of a row merged across the width (a stage, seed 001)

    @property
    def first(self) -> _Row:
        return self.rows[0]


#: The texts an item gathers from its rows.
FIELDS = ("title", "deadline", "responsible", "responsible_municipal", "responsible_organization", "result")


@dataclass
class _Draft:
    """An item being read: the row it starts on, its place in the tree, its texts gathered row by
    row (`parts`, joined by `finish` into the attributes ParsedItem takes), and for a stage the
    paragraphs of its rows that could not be matched with their sub-items (`gathered`)."""

    number: str
    row: int
    parts: dict[str, list[str]] = field(default_factory=lambda: {key: [] for key in FIELDS})
    gathered: dict[str, list[str]] = field(default_factory=dict)
    parent: _Draft | None = None
    level: int = 1
    warnings: list[str] = field(default_factory=list)
    children: int = 0
    #: Columns whose paragraphs went to the stage (not matched with this row's sub-items).
    moved: set[str] = field(default_factory=set)
    title: str = ""
    deadline: str = ""
    responsible_municipal: str = ""
    responsible_organization: str = ""
    result: str = ""

    def add(self, key: str, text: str) -> None:
        if text:
            self.parts[key].append(text)

    def joined(self, key: str) -> str:
        text = join_all(self.parts[key])
        gathered = "; ".join(dict.fromkeys(self.gathered.get(key, ())))
        return "; ".join(filter(None, [text, gathered]))

    @property
    def label(self) -> str:
        """How a message names the item: its number, or the start of its title."""
        return self.number or (self.parts["title"] or ["без номера"])[0][:40]


class RoadmapReading:
    """A table's rows read into items (`read`): its errors go to the plan by row, its warnings
    stay with the items they are about."""

    def __init__(self, layout_keys: set[str], *, school: bool, plan: Plan, titles: dict[str, str]):
        #: Seed 002's layout: a stage column, the activities as paragraphs of one cell.
        self.staged = "stage" in layout_keys
        self.school = school
        self.plan = plan
        self.titles = titles
        self.drafts: list[_Draft] = []
        #: The latest item of each number, where the next items look for their parent.
        self.numbered: dict[tuple[str, ...], _Draft] = {}

    # Rows into blocks ----------------------------------------------------------------------

    def blocks(self, rows: list[_Row]) -> list[_Block]:
        """The rows grouped: a row with a number (or, in seed 002's layout, a stage name) starts a
        block, a row without continues the block before; a row merged across the width (or, in a
        file without merged cells, a lone text starting with a number) is a stage heading."""
        blocks: list[_Block] = []
        for row in rows:
            number = row.get("number")
            text_cells = [value for value in row.values.values() if value]
            if row.spanning or (len(text_cells) == 1 and number and _LEADING_NUMBER.match(number)):
                blocks.append(_Block([row], heading=text_cells[0] if text_cells else ""))
                continue
            starts = bool(number) or (self.staged and bool(row.get("stage")))
            if starts or not blocks:
                blocks.append(_Block([row]))
            else:
                blocks[-1].rows.append(row)
        return blocks

    # Blocks into items ---------------------------------------------------------------------

    def read(self, rows: list[_Row]) -> list[_Draft]:
        for block in self.blocks(rows):
            if block.heading:
                self.heading(block)
            elif self.staged:
                self.stage(block)
            else:
                self.item(block)
        self.finish()
        return self.drafts

    def number_of(self, row: _Row, text: str) -> str | None:
        """The number of a «№» cell as written, or None (an error is noted) when it is no number."""
        text = text.strip()
        if not text or _NUMBER.fullmatch(text):
            return text
        shown = text[: NUMBER_MAX - 1] + "…" if len(text) > NUMBER_MAX else text
        self.plan.reject(
            row.number,
            self.titles["number"],
            f"«{shown}» — не номер пункта. Пишите номер, как «1.», «1.1.» или «2.1.1.»; строка без номера продолжает "
            "пункт над ней.",
        )
        return None

    def add(
        self, draft: _Draft, *, numbered: dict[tuple[str, ...], _Draft] | None = None, stage: _Draft | None = None
    ) -> _Draft:
        """Put `draft` into the tree: its parent is the nearest item before it whose number its own
        extends, «2.1.1.» under «2.1.», else under «2.» (within a stage's sub-items: among those,
        else the stage)."""
        index = self.numbered if numbered is None else numbered
        parts = number_parts(draft.number)
        parent = next((index[parts[:k]] for k in range(len(parts) - 1, 0, -1) if parts[:k] in index), None) or stage
        if parent is None and len(parts) > 1 and numbered is None:
            draft.warnings.append(
                f"Нет пункта «{'.'.join(parts[:-1])}.», в который входит пункт «{draft.number}»: он записан на верхний "
                "уровень."
            )
        draft.parent = parent
        draft.level = parent.level + 1 if parent else 1
        if parent is not None:
            parent.children += 1
        if parts:
            index[parts] = draft
        self.drafts.append(draft)
        return draft

    def heading(self, block: _Block) -> None:
        """A row merged across the width: a stage «1. Нормативное правовое регулирование …» (seed
        001); rows after it without a number continue its title."""
        match = _LEADING_NUMBER.match(block.heading)
        number, title = (match.group(1), match.group(2)) if match else ("", block.heading)
        draft = _Draft(number=number, row=block.first.number)
        draft.add("title", title.strip())
        for row in block.rows[1:]:
            draft.add("title", "\n".join(v for v in row.values.values() if v))
        self.add(draft)

    def item(self, block: _Block) -> None:
        """A numbered row and its continuations: one item (seeds 000, 001)."""
        first = block.first
        number = self.number_of(first, first.get("number"))
        if number is None:
            return
        draft = _Draft(number=number, row=first.number)
        for row in block.rows:
            for key in FIELDS:
                draft.add(key, row.get(key))
        self.add(draft)

    def stage(self, block: _Block) -> None:
        """A stage with its sub-items as paragraphs of the «Мероприятия» cell (seed 002)."""
        first = block.first
        number = self.number_of(first, first.get("number"))
        if number is None:
            return
        stage = _Draft(number=number, row=first.number)
        for row in block.rows:
            stage.add("title", row.get("stage"))
        self.add(stage)
        # The sub-items' parents are found among the stage's sub-items only: their numbers start
        # again in every stage («1.», «1.1.» under stage 1; «2.1.», «2.1.1.» under stage 2).
        numbered: dict[tuple[str, ...], _Draft] = {}
        last: _Draft | None = None
        per_row: list[tuple[_Row, list[_Draft]]] = []
        for row in block.rows:
            started: list[_Draft] = []
            for line in _lines(row.get("title")):
                match = _NUMBERED_PARAGRAPH.match(line)
                if match or last is None:
                    last = _Draft(number=match.group(1) if match else "", row=row.number)
                    last.add("title", match.group(2).strip() if match else line)
                    self.add(last, numbered=numbered, stage=stage)
                    started.append(last)
                else:  # a list under the numbered paragraph before it
                    last.add("title", line)
            # A row that starts no activity (it continues a list) gives its paragraphs to the last one.
            per_row.append((row, started or ([last] if last is not None else [])))
        if last is None:
            # No activities in the cell: the stage is an item with the row's columns.
            for row in block.rows:
                for key in FIELDS[1:]:
                    stage.add(key, row.get(key))
            return
        for row, targets in per_row:
            for key in FIELDS[1:]:
                self.spread(row, key, targets or [stage], stage)

    def spread(self, row: _Row, key: str, targets: list[_Draft], stage: _Draft) -> None:
        """A row's paragraphs of one column onto the row's sub-items: one each when the counts
        match, the one to all when there is one; otherwise onto the stage, with a warning."""
        lines = _lines(row.get(key))
        if not lines:
            return
        if len(lines) == len(targets):
            for draft, line in zip(targets, lines, strict=True):
                draft.add(key, line)
        elif len(lines) == 1:
            for draft in targets:
                draft.add(key, lines[0])
        else:
            stage.gathered.setdefault(key, []).extend(lines)
            for draft in targets:
                draft.moved.add(key)
            what = {"deadline": "Сроки", "result": "Результаты"}.get(key, "Ответственные")
            stage.warnings.append(
                f"{what} в строке {row.number} не сопоставлены с подпунктами: в ячейке «{self.titles.get(key, key)}» "
                f"{count_noun(len(lines), 'абзац,абзаца,абзацев')}, а подпунктов "
                f"{len(targets)}. Они записаны в этап «{stage.label}», у подпунктов этой строки "
                "они не заполнены: проверьте и дополните после загрузки."
            )

    def finish(self) -> None:
        """The texts joined, one responsible column split, lengths checked, empty titles refused."""
        for draft in self.drafts:
            draft.title = draft.joined("title").strip()
            draft.deadline = draft.joined("deadline")
            draft.result = draft.joined("result")
            draft.responsible_municipal = draft.joined("responsible_municipal")
            draft.responsible_organization = draft.joined("responsible_organization")
            if responsible := draft.joined("responsible"):
                municipal, organization = split_responsible(responsible, school=self.school)
                draft.responsible_municipal = join_text(draft.responsible_municipal, municipal)
                draft.responsible_organization = join_text(draft.responsible_organization, organization)
            if not draft.title:
                self.plan.reject(
                    draft.row,
                    self.titles.get("stage" if self.staged and draft.parent is None else "title", "Мероприятия"),
                    f"У пункта {draft.number or 'без номера'} нет названия: впишите, что нужно сделать.",
                )
            if len(draft.number) > NUMBER_MAX:
                self.plan.reject(draft.row, self.titles["number"], f"Номер длиннее {NUMBER_MAX} символов.")
            if len(draft.deadline) > DEADLINE_MAX:
                self.plan.reject(
                    draft.row,
                    self.titles.get("deadline", "Сроки"),
                    f"Срок длиннее {DEADLINE_MAX} символов: оставьте в ячейке только срок, остальное — в примечании "
                    "после загрузки.",
                )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def split_responsible(text: str, *, school: bool) -> tuple[str, str]:
    """One «Ответственные» column into (municipal, organization): a school's roadmap names its own
    people only; in a municipal one, each paragraph naming only the schools' people (directors,
    curators) goes to the schools, any other to the municipality."""
    if school:
        return "", text
    municipal, organization = [], []
    for line in _lines(text):
        found = recognise_addressees(line)
        if found and all(value in SCHOOL_ADDRESSEES for value in found):
            organization.append(line)
        else:
            municipal.append(line)
    return "\n".join(municipal), "\n".join(organization)


# Deadlines -------------------------------------------------------------------------------------


def read_deadline(text: str, period: tuple[datetime.date, datetime.date]) -> tuple[str, Schedule]:
    """The deadline as kept and its schedule: paragraph by paragraph, or, when that fails and
    the paragraphs read as one phrase (a phrase Word wrapped), as one line."""
    schedule = parse_deadline(text, period=period)
    if schedule.recognised or "\n" not in text:
        return text, schedule
    one_line = " ".join(_lines(text))
    joined = parse_deadline(one_line, period=period)
    return (one_line, joined) if joined.recognised else (text, schedule)


def window_label(start: str, end: str) -> str:
    first, last = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    return f"{first:%d.%m.%Y}" if first == last else f"{first:%d.%m.%Y} – {last:%d.%m.%Y}"


def period_label(period: tuple[datetime.date, datetime.date]) -> str:
    start, end = period
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if (start.month, start.day, end.month, end.day) == (9, 1, 8, 31) and end.year == start.year + 1:
        return f"{start.year}/{end.year} учебный год"
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


# The title ---------------------------------------------------------------------------------------

_TITLE_WORDS = re.compile(r"дорожн\w* карт|план\w* мероприяти|план\w* работ|карта", re.I)
_APPENDIX = re.compile(r"^(приложение|утвержден|утверждаю|к приказу|от \d|№)", re.I)


def document_title(before: list[str]) -> str:
    """The roadmap's title among the paragraphs before its table: the last one naming a roadmap
    («Дорожная карта …», «План мероприятий (дорожная карта) …») with the lines after it up to the
    table, as one line; "" when none does."""
    lines = [CONTROL.sub(" ", line).replace("**", "") for line in before[-40:]]
    start = next((i for i in range(len(lines) - 1, -1, -1) if _TITLE_WORDS.search(lines[i])), None)
    if start is None:
        return ""
    title = " ".join(line for line in lines[start : start + 5] if not _APPENDIX.match(line.strip()))
    title = re.sub(r"\s+", " ", title).strip()
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


# The importer ------------------------------------------------------------------------------------


@register_importer
class RoadmapImporter(Importer):
    """A roadmap from its document: a new roadmap (a draft) of a municipality or of a school, with
    the items of the document's table. Who may: the coordinator (a municipal roadmap, or a school's
    of their municipality), the curator (their school's)."""

    kind = KIND
    title = "Дорожная карта"
    columns = COLUMNS
    notes = (
        "Таблица может стоять в документе Word (.docx) после текста приказа: портал найдёт её по заголовкам "
        "«№», «Мероприятия», «Сроки исполнения».",
        "Заголовок может быть в две строки: «Ответственные» над «муниципальные | ОО».",
        "Этап — строка с номером «1.» или строка, объединённая на всю ширину; строка без номера продолжает пункт над ней.",
        "Период дорожной карты читается из названия над таблицей («на период реализации 2021-2024 гг.») или задаётся "
        "при загрузке.",
        "Если в файле есть хоть одна ошибка, не сохраняется ничего.",
    )
    form_class = RoadmapImportForm
    options_form_class = RoadmapOptionsForm
    status_template = "roadmaps/import_status.html"
    start_template = "roadmaps/import_start.html"
    start_title = "Загрузка дорожной карты"
    #: A stage's cell holds its whole list of activities (seed 002's first one: 1,531 characters).
    max_cell_chars = 10_000

    def __init__(
        self,
        *,
        user,
        organization: Organization | None = None,
        municipality: Municipality | None = None,
        title: str = "",
        period: tuple[datetime.date, datetime.date] | None = None,
    ):
        super().__init__(user=user, organization=organization)
        self.wanted_title = (title or "").strip()
        self.wanted_period = period
        #: Why no roadmap can be made, when nothing was chosen and the user's places do not settle
        #: whose it is: said when a file is read (the template can still be downloaded).
        self.refusal = ""
        self.municipality = self._owner(municipality)
        self.layout: Layout | None = None
        self.spanning: set[int] = set()
        self.found_title = ""
        self.found_period: tuple[datetime.date, datetime.date] | None = None
        self.file_name = ""

    @classmethod
    def create(cls, *, user, organization=None, options: dict | None = None) -> RoadmapImporter:
        options = options or {}
        municipality = None
        if options.get("municipality") and organization is None:
            municipality = Municipality.objects.filter(pk=options["municipality"]).first()
            if municipality is None:
                raise FileRejected("Муниципалитет этой загрузки удалён: загрузите файл заново.")
        period = None
        if options.get("starts_on") and options.get("ends_on"):
            period = (
                datetime.date.fromisoformat(options["starts_on"]),
                datetime.date.fromisoformat(options["ends_on"]),
            )
        return cls(
            user=user,
            organization=organization,
            municipality=municipality,
            title=options.get("title", ""),
            period=period,
        )

    def _owner(self, municipality: Municipality | None) -> Municipality | None:
        """The municipality of the new roadmap, once the user may write there (house style, habit 3):
        the organization's, the one chosen, or the user's only one. A choice out of reach is
        refused at once; no choice and no single place of the user's leaves `refusal`."""
        scope = get_scope(self.user) if self.user is not None else None
        if self.organization is not None:
            if not Organization.objects.for_user(self.user, write=True).filter(pk=self.organization.pk).exists():
                raise FileRejected(f"Загружать данные в «{self.organization}» вам нельзя: выберите свою организацию.")
            return self.organization.municipality
        if municipality is not None:
            if not Municipality.objects.for_user(self.user, write=True).filter(pk=municipality.pk).exists():
                raise FileRejected(
                    f"Загружать муниципальную дорожную карту «{municipality}» вам нельзя: это делает координатор "
                    "этого муниципалитета."
                )
            return municipality
        if scope is not None and not scope.is_superuser:
            municipalities = list(Municipality.objects.filter(pk__in=scope.write_municipality_ids)[:2])
            if len(municipalities) == 1:
                return municipalities[0]
            organizations = list(
                Organization.objects.for_user(self.user, write=True).select_related("municipality")[:2]
            )
            if len(organizations) == 1 and not municipalities:
                self.organization = organizations[0]
                return self.organization.municipality
            if not municipalities and not organizations:
                self.refusal = (
                    "Загружать дорожные карты может муниципальный координатор (муниципальную или школьную) или куратор "
                    "школы (её дорожную карту)."
                )
                return None
        self.refusal = "Выберите, чья это дорожная карта: муниципалитета или школы."
        return None

    @property
    def is_school(self) -> bool:
        return self.organization is not None

    # Reading -------------------------------------------------------------------------------

    def read(self, name: str, content: bytes) -> Table:
        """Find the roadmap's table in the file by its headers and give its rows to the engine."""
        if self.refusal:
            raise FileRejected(self.refusal)
        grids, fmt = self.grids(name, content)
        candidates = [(grid, find_layout(grid)) for grid in grids]
        found = next(((grid, layout) for grid, layout in candidates if layout is not None), None)
        if found is None:
            raise FileRejected(self.no_table(name, fmt, grids))
        grid, layout = found
        self.layout = layout
        # The title stands between the table before and this one; else anywhere above.
        above = self.rows_above(layout)
        self.found_title = document_title(grid.nearby + above) or document_title(grid.before + above)
        self.found_period = parse_period(self.found_title) if self.found_title else None
        self.file_name = name
        rows = self.body(layout)
        # The same header in a table after this one: the roadmap continued in another table. Its
        # rows are counted on from the first table's, as if they were one.
        consumed = len(grid.rows)
        for other, other_layout in candidates[candidates.index(found) + 1 :]:
            if other_layout is not None and other_layout.columns == layout.columns:
                rows += self.body(other_layout, offset=consumed)
                consumed += len(other.rows)
        width = max(layout.columns) + 1
        header = [""] * width
        for index in layout.columns:
            header[index] = layout.titles[index]
        return Table(
            header=header,
            rows=iter(rows),
            format=fmt,
            estimate=len(rows),
            header_row=grid.numbers[layout.header_rows],
        )

    def grids(self, name: str, content: bytes) -> tuple[list[Grid], str]:
        limit = settings.IMPORT_MAX_BYTES
        if len(content) > limit:
            raise FileRejected(
                f"Файл «{name}» весит {filesizeformat(len(content))}, а можно не больше {filesizeformat(limit)}. "
                "Сохраните дорожную карту без картинок или разделите файл."
            )
        if not content.strip():
            raise FileRejected(f"Файл «{name}» пуст. Загрузите документ с таблицей дорожной карты.")
        suffix = PurePath(name).suffix.lower()
        if content.startswith(OLE_MAGIC):
            old = "Word 97–2003 (.doc)" if suffix != ".xls" else "Excel 97–2003 (.xls)"
            raise FileRejected(
                f"Файл «{name}» — в старом формате {old} или защищён паролем. Откройте его и сохраните как «Документ "
                "Word (.docx)» или «Книга Excel (.xlsx)», без пароля."
            )
        if content.startswith(ZIP_MAGIC):
            if b"word/document.xml" in content[:65536] or suffix == ".docx":
                return documents.read_docx(name, content), "docx"
            return documents.read_xlsx(name, content), "xlsx"
        if content.startswith(b"%PDF"):
            raise FileRejected(
                f"Файл «{name}» — PDF: таблицу из него не прочитать. Загрузите исходный документ Word (.docx) или "
                "таблицу Excel (.xlsx)."
            )
        if suffix in (".docx", ".xlsx"):
            raise FileRejected(
                f"Файл «{name}» назван {suffix}, но это не документ Word и не книга Excel. Откройте его и сохраните "
                "как «Документ Word (.docx)» или «Книга Excel (.xlsx)»."
            )
        if suffix not in (".csv", ".txt", ""):
            raise FileRejected(
                f"Файл «{name}» не похож на дорожную карту: загрузите документ Word (.docx), таблицу Excel (.xlsx) "
                "или .csv."
            )
        return documents.read_csv(name, content), "csv"

    def no_table(self, name: str, fmt: str, grids: list[Grid]) -> str:
        wanted = "«№», «Мероприятия», «Сроки исполнения»"
        if fmt == "docx":
            found = "; ".join(f"{grid.where} — {header_summary(grid)}" for grid in grids[:3])
            return (
                f"В документе «{name}» не найдена таблица дорожной карты: нужны столбцы {wanted} (а также, если "
                "есть, «Ответственные» и «Ожидаемый результат, вид документа»). "
                + (f"Таблицы в документе: {found}." if grids else "В документе нет ни одной таблицы.")
                + " Проверьте заголовки таблицы или загрузите другой файл."
            )
        first = next((row for grid in grids for row in grid.rows if any(cell.text for cell in row)), [])
        shown = ", ".join(f"«{cell.text.replace(chr(10), ' ')[:100]}»" for cell in first if cell.text) or "ни одного"
        return (
            f"В файле нет нужных столбцов: {wanted}. Найдены столбцы: {shown}. Скачайте шаблон и перенесите данные "
            "в его столбцы."
        )

    def rows_above(self, layout: Layout) -> list[str]:
        """The text of a sheet's rows above the table (its title)."""
        return [
            " ".join(cell.text for cell in row if cell.text)
            for row in layout.grid.rows[: layout.header_rows]
            if any(cell.text for cell in row)
        ]

    def body(self, layout: Layout, offset: int = 0) -> list[tuple[int, list[str]]]:
        """The table's rows after the header, (row number, texts): blank rows, a repeated header
        and a row of column numbers left out; rows merged across the width noted."""
        rows = []
        grid = layout.grid
        skip: set[int] = set()
        for index in range(layout.body_start, len(grid.rows)):
            row = grid.rows[index]
            number = grid.numbers[index] + offset
            texts = _texts(row)
            if index in skip or not any(texts):
                continue
            kinds = _row_kinds(row)
            if _is_header(kinds):  # the header again, after a page break
                if index + 1 < len(grid.rows) and _sub_header_row(row, grid.rows[index + 1], kinds):
                    skip.add(index + 1)
                continue
            if _column_numbers(texts):
                continue
            filled = [i for i, cell in enumerate(row) if cell.text]
            if len(filled) == 1 and all(cell.left for cell in row[filled[0] + 1 :]) and len(row) - filled[0] > 2:
                self.spanning.add(number)
            rows.append((number, texts))
        return rows

    def find_header(self, table: Table) -> tuple[dict[int, Column], list[str]]:
        assert self.layout is not None
        return {index: COLUMN[key] for index, key in self.layout.columns.items()}, self.layout.ignored

    def rows(self, table: Table, mapping: dict[int, Column]) -> Iterator[tuple[int, dict[str, Any], dict[str, str]]]:
        titles = {column.key: table.header[index] for index, column in mapping.items()}
        for number, values in table.rows:
            raw = {column.key: values[index] if index < len(values) else "" for index, column in mapping.items()}
            yield number, raw, titles

    # Checking ------------------------------------------------------------------------------

    def check(self, rows: Iterator, plan: Plan, progress: Callable[[int], None]) -> None:
        assert self.layout is not None
        read: list[_Row] = []
        titles = {key: self.layout.titles[index] for index, key in self.layout.columns.items()}
        for number, raw, _titles in rows:
            plan.rows_read += 1
            read.append(_Row(number, {key: value or "" for key, value in raw.items()}, number in self.spanning))
            if plan.rows_read % 200 == 0:
                progress(plan.rows_read)
        reading = RoadmapReading(self.layout.keys, school=self.is_school, plan=plan, titles=titles)
        drafts = reading.read(read)
        period = self.wanted_period or self.found_period
        title = self.wanted_title or self.found_title
        if not title:
            title = f"Дорожная карта «{PurePath(self.file_name).stem or 'из файла'}»"
        items, preview_items = self.items(drafts, period)
        plan.new = len(items)
        plan.payload["items"] = items
        plan.payload["title"] = title[:TITLE_MAX]
        plan.payload["period"] = period
        unrecognised = sum(1 for entry in preview_items if entry["unrecognised"])
        if period is None:
            plan.missing.append(
                "В названии документа нет периода дорожной карты («на период реализации 2021-2024 гг.», «на 2024/2025 "
                "учебный год»): укажите начало и конец периода — по нему портал разберёт сроки в даты."
            )
        elif period[1] < period[0]:
            plan.reject(0, "Период", "Конец периода не может быть раньше начала.")
        plan.preview = {
            "title": plan.payload["title"],
            "title_found": self.found_title,
            "period": [period[0].isoformat(), period[1].isoformat()] if period else None,
            "period_label": period_label(period) if period else "",
            "period_found": [d.isoformat() for d in self.found_period] if self.found_period else None,
            "owner": str(self.organization) if self.organization else str(self.municipality),
            "municipal": self.organization is None,
            "municipality": self.municipality.pk,
            "items": preview_items,
            "stages": sum(1 for item in items if item.parent_index is None),
            "has_result": any(item.result for item in items),
            "unrecognised": unrecognised,
            "summary": self.summary(len(items), unrecognised, saved=False),
        }
        progress(plan.rows_read)

    def items(
        self, drafts: list[_Draft], period: tuple[datetime.date, datetime.date] | None
    ) -> tuple[list[ParsedItem], list[dict]]:
        index_of = {id(draft): index for index, draft in enumerate(drafts)}
        items, preview = [], []
        read: dict[str, tuple[str, Schedule]] = {}  # a roadmap repeats its deadlines («2022-2024 гг.»)
        for draft in drafts:
            deadline = draft.deadline
            schedule = None
            if period is not None and period[0] <= period[1]:
                if draft.deadline not in read:
                    read[draft.deadline] = read_deadline(draft.deadline, period)
                deadline, schedule = read[draft.deadline]
            warnings = list(draft.warnings)
            unrecognised = schedule is not None and not schedule.recognised and bool(deadline)
            if unrecognised:
                warnings.append(f"Срок не распознан: «{deadline}». После загрузки задайте его даты вручную.")
            elif schedule is not None and not deadline and not draft.children and "deadline" not in draft.moved:
                warnings.append("Срок не указан.")
            items.append(
                ParsedItem(
                    number=draft.number,
                    level=draft.level,
                    title=draft.title,
                    deadline_text=deadline,
                    responsible_municipal=draft.responsible_municipal,
                    responsible_organization=draft.responsible_organization,
                    result=draft.result,
                    parent_index=index_of[id(draft.parent)] if draft.parent is not None else None,
                    row=draft.row,
                    warnings=warnings,
                )
            )
            addressees = recognise_addressees(draft.responsible_municipal, draft.responsible_organization)
            preview.append(
                {
                    "number": number_shown(draft.number),
                    "number_written": draft.number,
                    "level": draft.level,
                    "title": draft.title,
                    "deadline_text": deadline,
                    "schedule": schedule.as_dict() if schedule is not None else None,
                    "kind_label": KIND_LABELS.get(schedule.kind, "") if schedule is not None else "",
                    "windows": [window_label(s, e) for s, e in schedule.as_dict()["windows"]] if schedule else [],
                    "note": schedule.note if schedule is not None else "",
                    "unrecognised": unrecognised,
                    "responsible_municipal": draft.responsible_municipal,
                    "responsible_organization": draft.responsible_organization,
                    "result": draft.result,
                    "addressees": [ADDRESSEE_LABELS[value] for value in addressees],
                    "warnings": warnings,
                    "row": draft.row,
                }
            )
        return items, preview

    @staticmethod
    def summary(items: int, unrecognised: int, *, saved: bool) -> str:
        """«Загружено 27 пунктов, 1 срок не распознан»."""
        verb = "Загружен" if saved else "Прочитан"
        if not (items % 10 == 1 and items % 100 != 11):
            verb += "о"
        line = f"{verb} {count_noun(items, 'пункт,пункта,пунктов')}"
        if unrecognised:
            line += ", " + count_noun(unrecognised, "срок не распознан,срока не распознаны,сроков не распознано")
        return line

    # Saving --------------------------------------------------------------------------------

    def save(self, plan: Plan) -> None:
        """A new roadmap (a draft) with the items, all or nothing (`roadmap_save`, `roadmap_items_import`)."""
        from roadmaps.models import Roadmap

        start, end = plan.payload["period"]
        roadmap = Roadmap(
            municipality=self.municipality,
            organization=self.organization,
            title=plan.payload["title"],
            starts_on=start,
            ends_on=end,
        )
        roadmap_save(roadmap=roadmap, user=self.user)
        roadmap_items_import(roadmap=roadmap, items=plan.payload["items"], user=self.user)
        assert plan.preview is not None
        plan.preview["roadmap_id"] = roadmap.pk
        try:
            plan.preview["roadmap_url"] = roadmap.get_absolute_url()
        except NoReverseMatch:  # the roadmap's page is not wired yet
            plan.preview["roadmap_url"] = ""
        plan.preview["summary"] = self.summary(plan.new, plan.preview["unrecognised"], saved=True)


def _column_numbers(texts: list[str]) -> bool:
    """A row of column numbers under the header, «1 | 2 | 3 | 4 | 5»."""
    filled = [text.strip().rstrip(".") for text in texts if text.strip()]
    return len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]
