"""The coordinator's matrix of a municipal roadmap: its items addressed to schools × the schools
(seed 000, the items whose «Ответственные: ОО» are «Руководители ОО», «Руководитель ОО,
куратор»), each cell coloured by the school's state, an overdue cell marked, the share done per
school, per stage and per item.

`roadmaps.selectors.execution_matrix` computes it; this module holds the page's filter form and
what each line and cell of the table shows, so that the template only lays them out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django import forms
from django.urls import NoReverseMatch, reverse

from core.forms import FastSelect
from core.russian import NBSP
from registry.models import Organization
from roadmaps.choices import STATUS_TONES, ExecutionStatus
from roadmaps.models import RoadmapItem
from roadmaps.selectors import Cell, Matrix, MatrixRow, Share

#: The state filter's value for the highlighted cells: past the last window's end, not closed.
OVERDUE = "overdue"
STATE_CHOICES = [("", "Все состояния"), *ExecutionStatus.choices, (OVERDUE, "Просрочено")]

#: A glyph per state besides the colour, so that a state is never told by colour alone (WCAG 1.4.1).
STATUS_ICONS = {
    ExecutionStatus.NOT_STARTED: "circle",
    ExecutionStatus.IN_PROGRESS: "hourglass-split",
    ExecutionStatus.DONE: "check-lg",
    ExecutionStatus.NOT_REQUIRED: "dash-lg",
}

#: Stand-in ids for working out the execution form's URL once per page (core.reversing's way).
_ITEM_STAND_IN, _ORG_STAND_IN = 918273645546372811, 918273645546372822


def stage_label(stage: RoadmapItem, length: int = 70) -> str:
    """«3. Формирование базы наставников», cut to `length` characters for a select."""
    text = f"{stage.number} {stage.title}".strip()
    return text if len(text) <= length else text[: length - 1] + "…"


def share_text(share: Share) -> str:
    """«4 из 6 · 67 %» (no-break spaces keep the figures together); «—» when nothing is asked."""
    if not share.asked:
        return "—"
    return f"{share.done}{NBSP}из{NBSP}{share.asked} · {share.percent}{NBSP}%"


@dataclass(frozen=True)
class ShareView:
    """A share as a narrow column shows it: the count «4 из 6» over the percent «67 %»."""

    share: Share

    @property
    def counts(self) -> str:
        return f"{self.share.done}{NBSP}из{NBSP}{self.share.asked}" if self.share.asked else "—"

    @property
    def percent(self) -> str:
        return f"{self.share.percent}{NBSP}%" if self.share.asked else ""

    @property
    def text(self) -> str:
        return share_text(self.share)


class MatrixFilterForm(forms.Form):
    """The matrix's filters, read from the URL: a stage, a school (of the roadmap's municipality
    and the user's scope only), a state («просрочено» among them)."""

    stage = forms.TypedChoiceField(label="Этап", coerce=int, required=False, empty_value=None)
    organization = forms.ModelChoiceField(
        label="Школа", queryset=Organization.objects.none(), required=False, empty_label="Все школы"
    )
    state = forms.ChoiceField(label="Состояние", choices=STATE_CHOICES, required=False)

    def __init__(self, data, *, stages: list[RoadmapItem], schools):
        super().__init__(data)
        self.fields["stage"].choices = [("", "Все этапы"), *((stage.pk, stage_label(stage)) for stage in stages)]
        self.fields["organization"].queryset = schools
        for field in self.fields.values():
            field.widget = FastSelect(attrs={"class": "form-select"}, choices=field.widget.choices)
        self.fields["organization"].error_messages["invalid_choice"] = (
            "Такой школы нет среди школ муниципалитета этой дорожной карты: выберите школу из списка."
        )
        self.fields["stage"].error_messages["invalid_choice"] = (
            "Такого этапа нет среди этапов с пунктами для школ: выберите этап из списка."
        )
        self.fields["state"].error_messages["invalid_choice"] = "Выберите состояние из списка."

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


@dataclass
class CellView:
    """A cell as the page shows it: colour, glyph, the words a screen reader says, the link."""

    cell: Cell
    organization: Organization
    item: RoadmapItem
    url: str | None

    @property
    def tone(self) -> str:
        if not self.cell.addressed:
            return "none"
        return "danger" if self.cell.overdue else STATUS_TONES[self.cell.status]

    @property
    def icon(self) -> str:
        if not self.cell.addressed:
            return ""
        return "exclamation-triangle-fill" if self.cell.overdue else STATUS_ICONS[self.cell.status]

    @property
    def has_evidence(self) -> bool:
        return bool(self.cell.execution and self.cell.execution.evidence)

    @property
    def description(self) -> str:
        """«МБОУ «СОШ № 1», пункт 3.1: не начато, просрочено, есть файл»."""
        where = f"{self.organization}, пункт {self.item.number}".rstrip()
        if not self.cell.addressed:
            return f"{where}: пункт не адресован школе"
        words = [self.cell.label.lower()]
        if self.cell.overdue:
            words.append("просрочено")
        if self.has_evidence:
            words.append("есть файл")
        return f"{where}: {', '.join(words)}"


@dataclass
class StageLine:
    """A stage's heading row, with the stage's share done (of the rows shown)."""

    stage: RoadmapItem
    share: ShareView

    kind = "stage"


@dataclass
class ItemLine:
    row: MatrixRow
    cells: list[CellView]

    kind = "item"

    @property
    def share(self) -> ShareView:
        return ShareView(self.row.share)


def execution_url_maker() -> Callable[[int, int], str] | None:
    """The URL of the execution form of (item, school), worked out once; None while the
    roadmaps pages have no such form."""
    try:
        url = reverse("roadmaps:execution_edit", args=[_ITEM_STAND_IN, _ORG_STAND_IN])
    except NoReverseMatch:
        return None
    template = url.replace(str(_ITEM_STAND_IN), "{item}").replace(str(_ORG_STAND_IN), "{org}")
    return lambda item_pk, org_pk: template.format(item=int(item_pk), org=int(org_pk))


def matrix_lines(matrix: Matrix, *, link: Callable[[int, int], str] | None) -> Iterator[StageLine | ItemLine]:
    """The table's rows in the document's order: a stage's heading before its first item (not for
    an item that is a stage of its own), then the items with a cell per school."""
    current = None
    for row in matrix.rows:
        if row.stage.pk != current:
            current = row.stage.pk
            if row.stage.pk != row.item.pk:
                yield StageLine(row.stage, ShareView(matrix.by_stage.get(row.stage.pk, Share())))
        cells = [
            CellView(
                cell=cell,
                organization=organization,
                item=row.item,
                url=link(row.item.pk, organization.pk) if link and cell.addressed else None,
            )
            for organization, cell in zip(matrix.organizations, row.cells, strict=True)
        ]
        yield ItemLine(row, cells)


def school_shares(matrix: Matrix) -> list[ShareView]:
    """The share done of every school of the matrix, in its columns' order (the footer row)."""
    return [ShareView(matrix.by_organization.get(org.pk, Share())) for org in matrix.organizations]


def legend() -> list[tuple[str, str, str]]:
    """(tone, glyph, words) of every colour of the matrix, for its legend."""
    entries = [(STATUS_TONES[value], STATUS_ICONS[value], label) for value, label in ExecutionStatus.choices]
    entries.append(("danger", "exclamation-triangle-fill", "Просрочено: срок прошёл, пункт не выполнен"))
    entries.append(("none", "", "Пункт не адресован школе"))
    return entries
