"""Renderers of a roadmap (house style, habit 5: classes the views only pick and return): the
Excel workbook and the print view that is the PDF appendix to the order approving the roadmap.

The workbook (`RoadmapExporter`): the first sheet is the roadmap as the document lays it out
(seed 000: «№ п/п», «Мероприятия», «Сроки исполнения», «Ответственные: муниципальные | ОО»;
seed 001: «Ожидаемый результат, вид документа») with the dates read from each deadline; for a
municipal roadmap then the matrix of items × schools and a sheet per school with its execution;
for a school roadmap its execution beside the items on the one sheet. A school's people get their
own school's sheet only. Everything goes through the formula-safe workbook (core.spreadsheets).

The print view (`RoadmapPrint`): «Приложение к приказу … от … № …» in the top right corner (seed
000: «Приложение к приказу управления образования администрации города Назарово от 26.05.2020
№ 122\\1-о»), the title, the table with the document's columns, on A4.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from core.documents import DOCUMENTS_STYLESHEET, Appendix, DocumentKind
from core.exporting import XLSX_MIME, Rendered, log_export
from core.spreadsheets import SafeWorkbook
from registry.orders import authority_genitive
from roadmaps.choices import DeadlineKind, ExecutionStatus
from roadmaps.matrix import share_text
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem
from roadmaps.selectors import (
    Matrix,
    Share,
    execution_matrix,
    is_overdue,
    roadmap_items,
    sees_every_school,
    visible_schools,
)

# --- The workbook ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Styled:
    """A value with its look: a stage row is bold, an overdue cell red, a cell its state's colour."""

    value: object
    bold: bool = False
    fill: str = ""


#: Cell colours of the states, as the matrix page has them (Bootstrap's «subtle» backgrounds).
STATUS_FILLS = {
    ExecutionStatus.NOT_STARTED: "E2E3E5",
    ExecutionStatus.IN_PROGRESS: "CFE2FF",
    ExecutionStatus.DONE: "D1E7DD",
    ExecutionStatus.NOT_REQUIRED: "F8F9FA",
}
OVERDUE_FILL = "F8D7DA"


BOLD = Font(bold=True)


@lru_cache(maxsize=64)
def _solid(color: str) -> PatternFill:
    """One fill object per colour, so the workbook looks each up once (`SafeWorkbook.style`)."""
    return PatternFill("solid", fgColor=color)


class RoadmapWorkbook(SafeWorkbook):
    """The formula-safe workbook with the print setup of a roadmap: A4 landscape, as wide as one
    page, the header row repeated on every printed page; and cells that may be `Styled`."""

    #: Margins in inches: 20 mm left, 10 mm right, 20 mm top and bottom (as the print view).
    margins = {"left": 0.79, "right": 0.39, "top": 0.79, "bottom": 0.79}

    def prepare_sheet(self, sheet) -> None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as the rows take
        for side, inches in self.margins.items():
            setattr(sheet.page_margins, side, inches)
        sheet.print_title_rows = "1:1"

    def cell(self, sheet, value):
        if not isinstance(value, Styled):
            return super().cell(sheet, value)
        cell = super().cell(sheet, value.value)
        if value.bold:
            self.style(cell, font=BOLD)
        if value.fill:
            self.style(cell, fill=_solid(value.fill))
        return cell


class Sheet:
    """One sheet of the workbook: a title, a header, column widths and rows of values."""

    title = "Лист"
    header: Sequence[str] = ()
    widths: Sequence[int] = ()

    def rows(self) -> Iterator[Sequence]:
        raise NotImplementedError


#: The document's columns (seed 000 and 001) and the dates read from the deadline.
DOCUMENT_HEADER = (
    "№ п/п",
    "Мероприятия",
    "Сроки исполнения",
    "Ответственные: муниципальные",
    "Ответственные: ОО",
    "Ожидаемый результат, вид документа",
    "Даты",
)
SCHOOL_DOCUMENT_HEADER = (
    "№ п/п",
    "Мероприятия",
    "Сроки исполнения",
    "Ответственные",
    "Ожидаемый результат, вид документа",
    "Даты",
)
EXECUTION_HEADER = ("Исполнение", "Дата выполнения", "Ссылка", "Комментарий", "Файл", "Просрочено")
EXECUTION_WIDTHS = (14, 14, 30, 40, 24, 12)


def dates_text(item: RoadmapItem) -> str:
    """The windows read from the deadline, «01.09.2021 – 30.11.2021; 01.09.2022 – 30.11.2022»;
    for a deadline without dates, what it is («по мере необходимости», «срок не распознан»)."""
    windows = list(item.windows.all())  # prefetched
    if windows:
        return "; ".join(str(window) for window in windows)
    if item.deadline_kind == DeadlineKind.DATES:
        return ""
    return DeadlineKind(item.deadline_kind).label


def responsible_text(item: RoadmapItem) -> str:
    """A school roadmap's one «Ответственные» column: whatever the document named."""
    return "\n".join(text for text in (item.responsible_municipal, item.responsible_organization) if text.strip())


def execution_values(item: RoadmapItem, execution: ItemExecution | None, *, today: datetime.date) -> list:
    """«Исполнение», «Дата выполнения», «Ссылка», «Комментарий», «Файл», «Просрочено» of one
    organization's execution (none stored: «не начато»)."""
    status = execution.status if execution else ExecutionStatus.NOT_STARTED
    overdue = is_overdue(item, status, today)
    label = ExecutionStatus(status).label
    return [
        Styled(label, fill=OVERDUE_FILL if overdue else STATUS_FILLS[status]),
        execution.done_on if execution else None,
        execution.link if execution else "",
        execution.comment if execution else "",
        execution.evidence_name if execution else "",
        Styled("да", bold=True, fill=OVERDUE_FILL) if overdue else "нет",
    ]


class DocumentSheet(Sheet):
    """The roadmap as the document lays it out, stage rows bold; for a school roadmap with its
    school's execution beside every item (a heading with sub-items has none)."""

    title = "Дорожная карта"

    def __init__(self, roadmap: Roadmap, items: list[RoadmapItem], *, executions=None, today=None):
        self.roadmap = roadmap
        self.items = items
        self.parents = {item.parent_id for item in items if item.parent_id is not None}
        self.executions = executions  # {item_id: execution} of a school roadmap, None for a municipal one
        self.today = today
        if roadmap.is_municipal:
            self.header = DOCUMENT_HEADER
            self.widths = (8, 60, 22, 26, 26, 32, 26)
        else:
            self.header = SCHOOL_DOCUMENT_HEADER + EXECUTION_HEADER
            self.widths = (8, 60, 22, 26, 32, 26, *EXECUTION_WIDTHS)

    def rows(self) -> Iterator[Sequence]:
        for item in self.items:
            heading = item.pk in self.parents
            if self.roadmap.is_municipal:
                values = [item.number, item.title, item.deadline_text, item.responsible_municipal]
                values += [item.responsible_organization, item.result, dates_text(item)]
            else:
                values = [item.number, item.title, item.deadline_text, responsible_text(item), item.result]
                values.append(dates_text(item))
            values = [Styled(value, bold=True) for value in values] if heading else values
            if self.executions is not None and not heading:
                values += execution_values(item, self.executions.get(item.pk), today=self.today)
            yield values


class SchoolSheet(Sheet):
    """One school's part of a municipal roadmap: the items addressed to it, under their stages,
    with its execution (seed 000 «Ответственные: ОО» — «Руководители ОО»)."""

    header = ("№ п/п", "Мероприятия", "Сроки исполнения", "Даты", *EXECUTION_HEADER)
    widths = (8, 60, 22, 26, *EXECUTION_WIDTHS)

    def __init__(self, matrix: Matrix, column: int, *, today: datetime.date):
        self.matrix = matrix
        self.column = column
        self.organization = matrix.organizations[column]
        self.title = self.organization.short_name
        self.today = today

    def rows(self) -> Iterator[Sequence]:
        current = None
        for row in self.matrix.rows:
            cell = row.cells[self.column]
            if not cell.addressed:
                continue
            if row.stage.pk != current and row.stage.pk != row.item.pk:
                current = row.stage.pk
                stage = row.stage
                yield [Styled(value, bold=True) for value in (stage.number, stage.title, stage.deadline_text)]
            item = row.item
            values = [item.number, item.title, item.deadline_text, dates_text(item)]
            yield values + execution_values(item, cell.execution, today=self.today)


class MatrixSheet(Sheet):
    """Items × schools: each school's state (overdue marked and red), the share done per item in
    the last column, per stage on its heading row, per school and in all on the last row."""

    title = "Матрица"

    def __init__(self, matrix: Matrix):
        self.matrix = matrix
        self.header = (
            "№ п/п",
            "Мероприятия",
            "Сроки исполнения",
            *(o.short_name for o in matrix.organizations),
            "Выполнено",
        )
        self.widths = (8, 50, 20, *(16 for _ in matrix.organizations), 16)

    def rows(self) -> Iterator[Sequence]:
        matrix = self.matrix
        blank = ["" for _ in matrix.organizations]
        current = None
        for row in matrix.rows:
            if row.stage.pk != current and row.stage.pk != row.item.pk:
                current = row.stage.pk
                stage = row.stage
                share = share_text(matrix.by_stage.get(stage.pk, Share()))
                yield [Styled(value, bold=True) for value in (stage.number, stage.title, stage.deadline_text)] + [
                    *blank,
                    Styled(share, bold=True),
                ]
            item = row.item
            yield [item.number, item.title, item.deadline_text, *map(self.state, row.cells), share_text(row.share)]
        totals = [
            Styled(share_text(matrix.by_organization.get(o.pk, Share())), bold=True) for o in matrix.organizations
        ]
        yield ["", Styled("Выполнено по школе", bold=True), "", *totals]
        yield [
            "",
            Styled("Всего по дорожной карте", bold=True),
            "",
            *blank,
            Styled(share_text(matrix.total), bold=True),
        ]

    @staticmethod
    def state(cell) -> Styled | str:
        if not cell.addressed:
            return "—"
        if cell.overdue:
            return Styled(f"{cell.label}, просрочено", fill=OVERDUE_FILL)
        return Styled(cell.label, fill=STATUS_FILLS[cell.status])


class RoadmapExporter:
    """The workbook of a roadmap for one user: what they may read of it, as sheets.

    The roadmap comes from `Roadmap.objects.for_user(user)`; the schools' execution is narrowed
    to `selectors.visible_schools` (a curator's export of the municipal roadmap holds their own
    school's sheet only, and no matrix of the others). Five queries (the items and their windows,
    the schools, the schools items name, the executions), whatever the size."""

    def __init__(self, roadmap: Roadmap, *, user, today: datetime.date | None = None):
        self.roadmap = roadmap
        self.user = user
        self.today = today or timezone.localdate()

    @property
    def title(self) -> str:
        return f"Дорожная карта «{self.roadmap.title}»"

    def sheets(self) -> list[Sheet]:
        roadmap, items = self.roadmap, roadmap_items(self.roadmap)
        if not roadmap.is_municipal:
            executions = {
                e.item_id: e
                for e in ItemExecution.objects.filter(item__roadmap=roadmap, organization_id=roadmap.organization_id)
            }
            return [DocumentSheet(roadmap, items, executions=executions, today=self.today)]
        matrix = execution_matrix(
            roadmap, today=self.today, organizations=visible_schools(self.user, roadmap), items=items
        )
        sheets: list[Sheet] = [DocumentSheet(roadmap, items)]
        if sees_every_school(self.user, roadmap):
            sheets.append(MatrixSheet(matrix))
        sheets += [SchoolSheet(matrix, column, today=self.today) for column in range(len(matrix.organizations))]
        return sheets

    def render(self) -> Rendered:
        book = RoadmapWorkbook()
        rows = 0
        for sheet in self.sheets():
            rows += book.add_sheet(sheet.title, sheet.header, sheet.rows(), widths=sheet.widths, wrap=True)
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        name = f"{self.roadmap.title[:80]} {stamp}.xlsx"
        return Rendered(name, XLSX_MIME, book.to_bytes(), rows)

    def export(self) -> Rendered:
        """Render and journal the export. Execution comments and files are free text where a
        mentor's or a pupil's name may be written: the journal counts it as personal data."""
        rendered = self.render()
        log_export(
            user=self.user,
            title=self.title,
            rows=rendered.rows,
            fmt="xlsx",
            filters={"roadmap": self.roadmap.pk},
            personal=True,
        )
        return rendered


# --- The print view --------------------------------------------------------------------------


def appendix_line(roadmap: Roadmap) -> str:
    """«Приложение к приказу управления образования администрации г. Назарово от 26.05.2020
    № 122\\1-о» for a roadmap approved by an order; "" for one without. A school's roadmap is
    approved by the school's order («к приказу МБОУ «ЦО № 21» …»)."""
    if not (roadmap.order_number and roadmap.order_date):
        return ""
    if roadmap.is_municipal:
        body = authority_genitive(roadmap.municipality.authority_name)
    else:
        body = str(roadmap.organization)
    return f"Приложение к приказу {body} от {roadmap.order_date:%d.%m.%Y} №\N{NO-BREAK SPACE}{roadmap.order_number}"


@dataclass
class PrintRow:
    item: RoadmapItem
    #: A stage (an item with sub-items) prints bold, as the documents have it.
    is_stage: bool

    @property
    def responsible(self) -> str:
        return responsible_text(self.item)


class RoadmapPrint(DocumentKind):
    """The roadmap as the appendix to its order, on A4 portrait (a document kind, core.documents):
    the HTML the print view shows and the PDF rendered from it by the one renderer.

    `roadmaps/print.html` is the standalone page; `roadmaps/print_appendix.html` the appendix
    itself, which an order includes through `appendix()` (seed 000: the order № 122\\1-о and the
    roadmap as its appendix)."""

    code = "roadmap_appendix"
    title = "Дорожная карта (приложение к приказу)"
    template_name = "roadmaps/print.html"
    stylesheet = "css/roadmaps-print.css"
    stylesheets = (DOCUMENTS_STYLESHEET, stylesheet)

    def __init__(self, roadmap: Roadmap):
        self.roadmap = roadmap

    def appendix_context(self) -> dict:
        items = roadmap_items(self.roadmap)
        parents = {item.parent_id for item in items if item.parent_id is not None}
        is_municipal = self.roadmap.is_municipal
        has_result = any(item.result.strip() for item in items)
        return {
            "roadmap": self.roadmap,
            "appendix_line": appendix_line(self.roadmap),
            "rows": [PrintRow(item, item.pk in parents) for item in items],
            "is_municipal": is_municipal,
            "has_result": has_result,
            "columns": 4 + is_municipal + has_result,
        }

    def context(self) -> dict:
        return {**self.appendix_context(), "document_title": self.roadmap.title}

    def count(self, context: dict) -> int:
        return len(context["rows"])

    def filename(self) -> str:
        return f"{self.roadmap.title[:80]}.pdf"

    def appendix(self) -> Appendix:
        """The roadmap as an appendix of the order that approves it: the order prints
        «Приложение … к приказу … от … № …» itself, the roadmap its title and table."""
        return Appendix(
            template_name="roadmaps/print_appendix.html",
            context={**self.appendix_context(), "appendix_line": ""},
            stylesheets=(self.stylesheet,),
        )
