"""Reads of the roadmaps app: the item tree, the coordinator's matrix of items × schools, and a
school's list of what is due. Every function starts from a scoped queryset or a roadmap the
view has already fetched through `Roadmap.objects.for_user`.

Overdue (docs/product.md «Roadmaps»): an item is overdue for an organization when the end of
its last window has passed and the organization has not marked it «выполнено» or «не требуется».
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
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


# --- The pages: the list's shares, the detail's execution column, the coordinator's due list ---


def visible_items(user) -> QuerySet[RoadmapItem]:
    """The items of the roadmaps a user may see: a school's people also read the municipal
    roadmaps of their municipality (`RoadmapQuerySet.for_user`)."""
    return RoadmapItem.objects.filter(roadmap__in=Roadmap.objects.for_user(user))


def _leaf_condition() -> Exists:
    return ~Exists(RoadmapItem.objects.filter(parent=OuterRef("pk")))


def _named_organizations(item_filter: Q) -> dict[int, set[int]]:
    """The schools each municipal item names ({item id: {organization ids}}; absent: every school)."""
    named: dict[int, set[int]] = defaultdict(set)
    through = RoadmapItem.organizations.through
    for item_id, org_id in through.objects.filter(item_filter).values_list("roadmapitem_id", "organization_id"):
        named[item_id].add(org_id)
    return named


def _schools_by_municipality(municipality_ids) -> dict[int, list[int]]:
    schools: dict[int, list[int]] = defaultdict(list)
    for pk, municipality_id in Organization.objects.filter(
        municipality_id__in=municipality_ids, kind=OrganizationKind.SCHOOL
    ).values_list("pk", "municipality_id"):
        schools[municipality_id].append(pk)
    return schools


def _execution_cells(
    roadmaps: list[Roadmap], *, organization_ids: set[int] | None, today: datetime.date
) -> Iterator[tuple[int, int | None, Cell]]:
    """(roadmap id, organization id or None for the authority, cell) of every task of the roadmaps
    and everyone who carries it out, in five queries for any number of roadmaps.

    The tasks are the items without sub-items (a stage with sub-items is a heading); those who
    carry them out are (`services.item_organizations`): a school roadmap's school; the schools a
    municipal item addresses; the authority for a municipal item it carries out itself.
    `organization_ids` keeps only those schools; None keeps everyone."""
    ids = [roadmap.pk for roadmap in roadmaps]
    if not ids:
        return
    by_pk = {roadmap.pk: roadmap for roadmap in roadmaps}
    tasks = list(
        RoadmapItem.objects.filter(roadmap_id__in=ids)
        .filter(_leaf_condition())
        .values_list("pk", "roadmap_id", "for_schools", "due_end")
    )
    named = _named_organizations(Q(roadmapitem__roadmap_id__in=ids))
    schools = _schools_by_municipality({roadmap.municipality_id for roadmap in roadmaps if roadmap.is_municipal})
    statuses = {
        (item_id, org_id): status
        for item_id, org_id, status in ItemExecution.objects.filter(item__roadmap_id__in=ids).values_list(
            "item_id", "organization_id", "status"
        )
    }
    for item_id, roadmap_id, for_schools, due_end in tasks:
        roadmap = by_pk[roadmap_id]
        if not roadmap.is_municipal:
            doers = [roadmap.organization_id]
        elif for_schools:
            doers = sorted(named.get(item_id) or schools.get(roadmap.municipality_id, []))
        else:
            doers = [None]
        if organization_ids is not None:
            doers = [org_id for org_id in doers if org_id in organization_ids]
        for org_id in doers:
            status = statuses.get((item_id, org_id), ExecutionStatus.NOT_STARTED)
            overdue = due_end is not None and due_end < today and status not in CLOSED_STATUSES
            yield roadmap_id, org_id, Cell(status=status, overdue=overdue)


def roadmap_shares(
    roadmaps: list[Roadmap], *, organization_ids: set[int] | None, today: datetime.date
) -> dict[int, Share]:
    """How much of each roadmap is done, in five queries for any number of roadmaps
    (`_execution_cells`). `organization_ids` counts only those schools (a curator's «how far is my
    school»); None counts everyone (the coordinator's overall share). «Не требуется» is left out."""
    shares = {roadmap.pk: Share() for roadmap in roadmaps}
    for roadmap_id, _org_id, cell in _execution_cells(roadmaps, organization_ids=organization_ids, today=today):
        _count(shares[roadmap_id], cell)
    return shares


def organization_shares(
    roadmaps: list[Roadmap], *, organization_ids: set[int] | None, today: datetime.date
) -> dict[int | None, Share]:
    """How much of what the roadmaps ask each organization (None: the authority) has done, over
    all the roadmaps together, in the same five queries: the dashboard's «execution by school»."""
    shares: dict[int | None, Share] = defaultdict(Share)
    for _roadmap_id, org_id, cell in _execution_cells(roadmaps, organization_ids=organization_ids, today=today):
        _count(shares[org_id], cell)
    return dict(shares)


@dataclass
class ExecutionCell:
    """An organization's (or the authority's: `organization` None) execution of an item as the
    roadmap's page shows it, with whether the viewer may mark it."""

    organization: Organization | None
    status: str
    overdue: bool
    execution: ItemExecution | None
    can_mark: bool

    @property
    def label(self) -> str:
        return ExecutionStatus(self.status).label


@dataclass
class DetailRow:
    """An item on the roadmap's page: a stage heading or a task, with its execution column — the
    viewer's own cells («own»: their school's status, or the authority's), or the coordinator's
    summary over the schools («schools»: выполнено N из M)."""

    item: RoadmapItem
    is_heading: bool
    cells: list[ExecutionCell] = field(default_factory=list)
    summary: Share | None = None
    #: The organizations the item names (its responsibles recognised, or chosen by hand).
    named: list[Organization] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return any(cell.overdue for cell in self.cells) or bool(self.summary and self.summary.overdue)

    @property
    def bare_heading(self) -> bool:
        """A stage with nothing but its number and title (its columns are left out on a phone)."""
        item = self.item
        return self.is_heading and not (
            item.deadline_text or item.responsible_municipal or item.responsible_organization or item.result
        )


def detail_rows(roadmap: Roadmap, *, user, today: datetime.date) -> list[DetailRow]:
    """The roadmap's items in the document's order with the execution column for `user`, in a
    fixed number of queries:

    - a school roadmap: the school's status;
    - a municipal item addressed to schools: for a school's curator or director, their school's
      status (when it is addressed); for the coordinator (or an observer), how many schools have
      done it and how many are late;
    - a municipal item the authority carries out itself: the authority's status."""
    scope = get_scope(user)
    municipal_viewer = scope.is_superuser or roadmap.municipality_id in scope.read_municipality_ids
    marks_all = scope.is_superuser or roadmap.municipality_id in scope.write_municipality_ids
    items = roadmap_items(roadmap)
    parents = {item.parent_id for item in items if item.parent_id is not None}
    executions = {
        (e.item_id, e.organization_id): e
        for e in ItemExecution.objects.filter(item__roadmap=roadmap).select_related("organization")
    }
    named: dict[int, set[int]] = {}
    schools: list[Organization] = []
    own_schools: list[Organization] = []
    if roadmap.is_municipal:
        named = _named_organizations(Q(roadmapitem__roadmap=roadmap))
        schools = list(
            Organization.objects.filter(municipality_id=roadmap.municipality_id, kind=OrganizationKind.SCHOOL)
        )
        own_schools = [org for org in schools if org.pk in scope.read_organization_ids]
        named_ids = set().union(*named.values())
        by_pk = {org.pk: org for org in schools}
        by_pk.update((org.pk, org) for org in Organization.objects.filter(pk__in=named_ids - set(by_pk)))

    def cell(item: RoadmapItem, organization: Organization | None) -> ExecutionCell:
        org_id = organization.pk if organization is not None else None
        execution = executions.get((item.pk, org_id))
        status = execution.status if execution else ExecutionStatus.NOT_STARTED
        can_mark = marks_all or (org_id is not None and org_id in scope.write_organization_ids)
        return ExecutionCell(organization, status, is_overdue(item, status, today), execution, can_mark)

    rows = []
    for item in items:
        row = DetailRow(item=item, is_heading=item.pk in parents)
        rows.append(row)
        if named.get(item.pk):
            row.named = sorted((by_pk[pk] for pk in named[item.pk] if pk in by_pk), key=lambda org: org.short_name)
        if row.is_heading:
            continue
        if not roadmap.is_municipal:
            row.cells = [cell(item, roadmap.organization)]
        elif item.for_schools:
            addressed = [org for org in schools if not named.get(item.pk) or org.pk in named[item.pk]]
            if municipal_viewer:
                row.summary = Share()
                for org in addressed:
                    _count(row.summary, cell(item, org))
            row.cells = [cell(item, org) for org in own_schools if org in addressed and not municipal_viewer]
        else:
            row.cells = [cell(item, None)]
    return rows


def item_journal(item: RoadmapItem, user, limit: int = 50):
    """The journal of an item and of its execution, without the lines about the execution of
    organizations the user may not see (another school's comments, links and files)."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry

    visible = [str(pk) for pk in ItemExecution.objects.for_user(user).filter(item=item).values_list("pk", flat=True)]
    hidden = Q(content_type=ContentType.objects.get_for_model(ItemExecution)) & ~Q(object_id__in=visible)
    return AuditEntry.objects.for_object(item).exclude(hidden)[:limit]


def item_cells(item: RoadmapItem, *, user, today: datetime.date) -> list[ExecutionCell]:
    """An item's execution by everyone who carries it out and whom `user` may see (the item's
    page): the authority first, then the schools by name."""
    scope = get_scope(user)
    roadmap = item.roadmap
    municipal_viewer = scope.is_superuser or roadmap.municipality_id in scope.read_municipality_ids
    marks_all = scope.is_superuser or roadmap.municipality_id in scope.write_municipality_ids
    executions = {e.organization_id: e for e in ItemExecution.objects.filter(item=item).select_related("updated_by")}

    def cell(organization: Organization | None) -> ExecutionCell:
        org_id = organization.pk if organization is not None else None
        execution = executions.get(org_id)
        status = execution.status if execution else ExecutionStatus.NOT_STARTED
        can_mark = marks_all or (org_id is not None and org_id in scope.write_organization_ids)
        return ExecutionCell(organization, status, is_overdue(item, status, today), execution, can_mark)

    if not roadmap.is_municipal:
        return [cell(roadmap.organization)]
    cells = [cell(None)] if item.carried_by_authority else []
    if item.for_schools:
        addressed = list(item.organizations.order_by("short_name")) or list(
            Organization.objects.filter(municipality_id=roadmap.municipality_id, kind=OrganizationKind.SCHOOL)
        )
        if not municipal_viewer:
            addressed = [org for org in addressed if org.pk in scope.read_organization_ids]
        cells += [cell(org) for org in addressed]
    return cells


@dataclass
class SchoolDue:
    """A school's open roadmap items as its due list counts them (`due_items`)."""

    organization: Organization
    open: int = 0
    soon: int = 0
    overdue: int = 0


def due_summary(organizations: list[Organization], *, today: datetime.date) -> list[SchoolDue]:
    """`due_items` counted for many schools at once (the coordinator's due list), in four queries:
    for each school, its open items, those overdue or due within `DUE_SOON_DAYS`, and those overdue.
    The same rules as `school_items` and `due_items`, so each count equals the school's list."""
    summary = [SchoolDue(organization=org) for org in organizations]
    if not organizations:
        return summary
    org_ids = [org.pk for org in organizations]
    municipality_ids = {org.municipality_id for org in organizations}
    items = list(
        RoadmapItem.objects.filter(
            Q(roadmap__organization__in=org_ids)
            | Q(roadmap__organization__isnull=True, roadmap__municipality__in=municipality_ids, for_schools=True)
        )
        .exclude(roadmap__status=RoadmapStatus.ARCHIVED)
        .filter(_leaf_condition())
        .annotate(next_end=Min("windows__ends_on", filter=Q(windows__ends_on__gte=today)))
        .values_list("pk", "roadmap__organization_id", "roadmap__municipality_id", "due_end", "next_end")
    )
    item_ids = [row[0] for row in items]
    named = _named_organizations(Q(roadmapitem__in=item_ids))
    statuses = {
        (item_id, org_id): status
        for item_id, org_id, status in ItemExecution.objects.filter(
            item__in=item_ids, organization__in=org_ids
        ).values_list("item_id", "organization_id", "status")
    }
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    for entry in summary:
        org = entry.organization
        for item_id, owner_id, municipality_id, due_end, next_end in items:
            if owner_id is not None:
                if owner_id != org.pk:
                    continue
            elif municipality_id != org.municipality_id or (named.get(item_id) and org.pk not in named[item_id]):
                continue
            status = statuses.get((item_id, org.pk), ExecutionStatus.NOT_STARTED)
            if status in CLOSED_STATUSES:
                continue
            overdue = due_end is not None and due_end < today
            entry.open += 1
            entry.overdue += overdue
            entry.soon += overdue or (next_end is not None and next_end <= horizon)
    return summary
