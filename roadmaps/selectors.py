"""Reads of the roadmaps app: the item tree, the coordinator's matrix of items × schools, and a
school's list of what is due. Every function starts from a scoped queryset or a roadmap the
view has already fetched through `Roadmap.objects.for_user`.

Overdue (docs/product.md «Roadmaps»): an item is overdue for an organization when the end of
its last window has passed and the organization has not marked it «выполнено» or «не требуется».
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, Min, OuterRef, Q, QuerySet

from core.scoping import get_scope
from registry.choices import OrganizationKind
from registry.models import Organization
from roadmaps.choices import CLOSED_STATUSES, ExecutionStatus, RoadmapStatus
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem

#: A curator's home page shows what falls due within this many days.
DUE_SOON_DAYS = 14


def is_overdue(item: RoadmapItem, status: str, today: datetime.date) -> bool:
    return item.due_end is not None and item.due_end < today and status not in CLOSED_STATUSES


def roadmap_items(roadmap: Roadmap) -> list[RoadmapItem]:
    """The items in the document's order with their windows (two queries)."""
    return list(roadmap.items.order_by("position", "pk").prefetch_related("windows"))


def stage_of(items: list[RoadmapItem]) -> dict[int, RoadmapItem]:
    """Each item's stage: its top-level ancestor (itself for a stage)."""
    by_pk = {item.pk: item for item in items}
    stages: dict[int, RoadmapItem] = {}
    for item in items:
        top = item
        while top.parent_id is not None and top.parent_id in by_pk:
            top = by_pk[top.parent_id]
        stages[item.pk] = top
    return stages


@dataclass
class Cell:
    """An item's execution by one organization, as the matrix shows it."""

    status: str
    overdue: bool
    execution: ItemExecution | None = None
    #: False when the item names other schools: nothing is asked of this one (shown empty).
    addressed: bool = True

    @property
    def label(self) -> str:
        return ExecutionStatus(self.status).label


@dataclass
class Share:
    """How much of what is asked is done: done / asked, items marked «не требуется» left out."""

    done: int = 0
    asked: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int | None:
        """Whole percent, a half rounded up as people round (1 of 8 is 13 %, not Python's 12)."""
        return (200 * self.done + self.asked) // (2 * self.asked) if self.asked else None


@dataclass
class MatrixRow:
    item: RoadmapItem
    stage: RoadmapItem
    cells: list[Cell]
    #: The item's share done across the matrix's schools.
    share: Share = field(default_factory=Share)


@dataclass
class Matrix:
    """The coordinator's view of a municipal roadmap's school items: a row per item, a column per
    school, the share done per school and per stage."""

    organizations: list[Organization]
    rows: list[MatrixRow]
    stages: list[RoadmapItem]
    by_organization: dict[int, Share] = field(default_factory=dict)
    by_stage: dict[int, Share] = field(default_factory=dict)
    total: Share = field(default_factory=Share)


def _count(share: Share, cell: Cell) -> None:
    if cell.status == ExecutionStatus.NOT_REQUIRED:
        return
    share.asked += 1
    share.done += cell.status == ExecutionStatus.DONE
    share.overdue += cell.overdue


def sees_every_school(user, roadmap: Roadmap) -> bool:
    """Does `user` see the execution of every school of a municipal roadmap (the matrix)? The
    coordinator and the observers of its municipality and staff do; a school's curator or
    director sees their own school's only (docs/product.md «Who uses it»)."""
    scope = get_scope(user)
    return scope.is_superuser or roadmap.municipality_id in scope.read_municipality_ids


def visible_schools(user, roadmap: Roadmap) -> QuerySet[Organization]:
    """The schools of a roadmap's municipality whose execution `user` may read: every one for a
    municipal reader, their own for a school's people."""
    return Organization.objects.for_user(user).filter(
        municipality_id=roadmap.municipality_id, kind=OrganizationKind.SCHOOL
    )


def tracked_items(items: list[RoadmapItem]) -> list[RoadmapItem]:
    """The items of a municipal roadmap that schools carry out, tracked school by school. An item
    with sub-items is a heading, not a task (as `school_items` has it): its sub-items are."""
    parents = {item.parent_id for item in items if item.parent_id is not None}
    return [item for item in items if item.for_schools and item.pk not in parents]


def tracked_stages(items: list[RoadmapItem]) -> list[RoadmapItem]:
    """The stages that hold an item schools carry out, in the document's order."""
    stages = stage_of(items)
    return list({stages[item.pk].pk: stages[item.pk] for item in tracked_items(items)}.values())


def execution_matrix(
    roadmap: Roadmap,
    *,
    today: datetime.date,
    organizations: QuerySet[Organization] | None = None,
    stage_id: int | None = None,
    state: str = "",
    items: list[RoadmapItem] | None = None,
) -> Matrix:
    """Items addressed to schools (`tracked_items`) × the schools, in a fixed number of queries.

    `state` keeps the rows that have at least one cell in that state («overdue» for the
    highlighted ones); `stage_id` keeps one stage; `organizations` narrows the columns (to the
    roadmap's municipality's schools, whatever is passed). `items` are the roadmap's items when
    the caller has them already (`roadmap_items`)."""
    items = roadmap_items(roadmap) if items is None else items
    stages_by_item = stage_of(items)
    school_items = tracked_items(items)
    if organizations is None:
        organizations = Organization.objects.all()
    columns = list(
        organizations.filter(municipality_id=roadmap.municipality_id, kind=OrganizationKind.SCHOOL).order_by(
            "short_name"
        )
    )
    chosen: dict[int, set[int]] = defaultdict(set)
    through = RoadmapItem.organizations.through
    for item_id, org_id in through.objects.filter(roadmapitem__roadmap=roadmap).values_list(
        "roadmapitem_id", "organization_id"
    ):
        chosen[item_id].add(org_id)
    executions = {
        (e.item_id, e.organization_id): e
        for e in ItemExecution.objects.filter(item__roadmap=roadmap, organization__isnull=False)
    }
    matrix = Matrix(organizations=columns, rows=[], stages=[])
    seen_stages: dict[int, RoadmapItem] = {}
    for item in school_items:
        stage = stages_by_item[item.pk]
        if stage_id and stage.pk != stage_id:
            continue
        cells = []
        for org in columns:
            if chosen.get(item.pk) and org.pk not in chosen[item.pk]:
                cells.append(Cell(status=ExecutionStatus.NOT_REQUIRED, overdue=False, addressed=False))
                continue
            execution = executions.get((item.pk, org.pk))
            status = execution.status if execution else ExecutionStatus.NOT_STARTED
            cells.append(Cell(status=status, overdue=is_overdue(item, status, today), execution=execution))
        if columns and not any(cell.addressed for cell in cells):
            continue  # addressed to none of the schools shown (the school filter)
        if state == "overdue" and not any(cell.overdue for cell in cells):
            continue
        if state and state != "overdue" and not any(cell.addressed and cell.status == state for cell in cells):
            continue
        row = MatrixRow(item=item, stage=stage, cells=cells)
        matrix.rows.append(row)
        seen_stages.setdefault(stage.pk, stage)
        for org, cell in zip(columns, cells, strict=True):
            _count(row.share, cell)
            _count(matrix.by_organization.setdefault(org.pk, Share()), cell)
            _count(matrix.by_stage.setdefault(stage.pk, Share()), cell)
            _count(matrix.total, cell)
    matrix.stages = list(seen_stages.values())
    return matrix


@dataclass
class DueItem:
    """An item a school has to carry out, with its state for that school."""

    item: RoadmapItem
    organization: Organization
    status: str
    next_end: datetime.date | None
    overdue: bool
    execution: ItemExecution | None = None

    @property
    def label(self) -> str:
        return ExecutionStatus(self.status).label


def school_items(organization: Organization) -> QuerySet[RoadmapItem]:
    """The items a school carries out: its own roadmaps' items and the municipal items addressed
    to it (to every school, or to it by name). Stages with sub-items are headings, not tasks."""
    through = RoadmapItem.organizations.through
    named = through.objects.filter(roadmapitem=OuterRef("pk"))
    addressed_municipal = Q(
        roadmap__organization__isnull=True, roadmap__municipality_id=organization.municipality_id, for_schools=True
    ) & (~Exists(named) | Exists(named.filter(organization=organization)))
    own = Q(roadmap__organization=organization)
    has_children = RoadmapItem.objects.filter(parent=OuterRef("pk"))
    return (
        RoadmapItem.objects.filter(own | addressed_municipal)
        .exclude(roadmap__status=RoadmapStatus.ARCHIVED)
        .exclude(Exists(has_children))
    )


def due_items(organization: Organization, *, today: datetime.date, within_days: int | None = None) -> list[DueItem]:
    """What a school has to do, nearest first: overdue items first, then by the end of the next
    window; items without dates (on need, unrecognised) last. Done and not-required items are
    left out. `within_days` keeps what is overdue or due by then (the home page's 14 days)."""
    items = list(
        school_items(organization)
        .select_related("roadmap")
        .annotate(next_end=Min("windows__ends_on", filter=Q(windows__ends_on__gte=today)))
    )
    executions = {
        e.item_id: e for e in ItemExecution.objects.filter(organization=organization, item__in=[i.pk for i in items])
    }
    result = []
    horizon = today + datetime.timedelta(days=within_days) if within_days is not None else None
    for item in items:
        execution = executions.get(item.pk)
        status = execution.status if execution else ExecutionStatus.NOT_STARTED
        if status in CLOSED_STATUSES:
            continue
        overdue = is_overdue(item, status, today)
        if horizon is not None and not overdue and (item.next_end is None or item.next_end > horizon):
            continue
        result.append(
            DueItem(
                item=item,
                organization=organization,
                status=status,
                next_end=item.next_end,
                overdue=overdue,
                execution=execution,
            )
        )
    far = datetime.date.max
    result.sort(key=lambda d: (not d.overdue, d.item.due_end if d.overdue else (d.next_end or far), d.item.position))
    return result
