"""Writes of the roadmaps app: every rule about roadmaps, items, deadlines and execution lives
here, and the pages, the admin, the import and the commands call these functions.

A roadmap's items keep the deadline as the document words it; `item_save` turns it into windows
with `roadmaps.deadlines.parse_deadline` in the roadmap's period, unless a person has set the
dates by hand (an unrecognised deadline, «срок не распознан», waits for that).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from core.scoping import ensure_can_write, get_scope
from core.services import delete_audited, save_audited
from registry.choices import OrganizationKind
from registry.models import Organization
from roadmaps.choices import ExecutionStatus
from roadmaps.deadlines import Schedule, parse_deadline
from roadmaps.models import ItemExecution, ItemWindow, Roadmap, RoadmapItem
from roadmaps.responsibles import addressed_to_schools, recognise_addressees, recognise_organizations

#: A period longer than this is surely a typo (a municipal programme runs 3–5 years).
MAX_PERIOD_YEARS = 10


def roadmap_save(*, roadmap: Roadmap, user) -> Roadmap:
    """Create or change a roadmap. A school's roadmap belongs to the school's municipality; a
    new period re-reads every item's deadline, since «Ежегодно» means the years of the period."""
    if roadmap.organization_id is not None:
        roadmap.municipality_id = roadmap.organization.municipality_id
    errors = {}
    if roadmap.starts_on and roadmap.ends_on:
        if roadmap.ends_on < roadmap.starts_on:
            errors["ends_on"] = "Конец периода не может быть раньше начала."
        elif (roadmap.ends_on - roadmap.starts_on).days > MAX_PERIOD_YEARS * 366:
            errors["ends_on"] = f"Период длиннее {MAX_PERIOD_YEARS} лет: проверьте годы."
    if roadmap.order_date and not roadmap.order_number.strip():
        errors["order_number"] = "Укажите номер приказа, которым утверждена дорожная карта."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        period_changed = False
        if roadmap.pk is not None:
            stored = Roadmap.objects.filter(pk=roadmap.pk).values_list("starts_on", "ends_on").first()
            period_changed = stored is not None and stored != (roadmap.starts_on, roadmap.ends_on)
        save_audited(instance=roadmap, user=user)
        if period_changed:
            for item in roadmap.items.filter(deadline_manual=False):
                schedule = parse_deadline(item.deadline_text, period=roadmap.period)
                _take_schedule(item, schedule)
                item.save(update_fields=["deadline_kind", "deadline_note", "due_start", "due_end"])
                _set_windows(item, schedule.windows)
    return roadmap


def roadmap_delete(*, roadmap: Roadmap, user) -> None:
    delete_audited(instance=roadmap, user=user)


def _take_schedule(item: RoadmapItem, schedule: Schedule) -> None:
    """The parsed schedule's kind, note and first and last dates on the item (its windows are
    written once the item is saved: `_set_windows`)."""
    item.deadline_kind = schedule.kind
    item.deadline_note = schedule.note[:300]
    item.due_start = schedule.windows[0][0] if schedule.windows else None
    item.due_end = schedule.last_end


def _set_windows(item: RoadmapItem, windows: Sequence[tuple[datetime.date, datetime.date]]) -> None:
    windows = sorted(windows)
    item.due_start = windows[0][0] if windows else None
    item.due_end = max(end for _, end in windows) if windows else None
    if item.pk is not None:
        item.windows.all().delete()
        ItemWindow.objects.bulk_create(ItemWindow(item=item, starts_on=s, ends_on=e) for s, e in windows)


def _recognise(item: RoadmapItem, organizations: Sequence[Organization] | None = None) -> list[Organization]:
    """Read the addressees from the responsible columns; return the organizations named there."""
    item.addressees = recognise_addressees(item.responsible_municipal, item.responsible_organization)
    named = []
    if item.roadmap.is_municipal:
        if organizations is None:
            organizations = Organization.objects.filter(municipality_id=item.roadmap.municipality_id)
        named = recognise_organizations(item.responsible_organization, organizations)
    item.for_schools = item.roadmap.is_municipal and (addressed_to_schools(item.addressees) or bool(named))
    return named


@transaction.atomic
def item_save(
    *,
    item: RoadmapItem,
    user,
    windows: Sequence[tuple[datetime.date, datetime.date]] | None = None,
    organizations: Iterable[Organization] | None = None,
) -> RoadmapItem:
    """Create or change an item. The deadline is parsed from its wording in the roadmap's period;
    `windows` given by a person replace what was parsed («срок не распознан» set by hand).
    `organizations` narrows a municipal item to chosen schools; None keeps what the responsible
    columns name."""
    roadmap = item.roadmap
    if item.position is None:
        last = roadmap.items.order_by("-position").values_list("position", flat=True).first()
        item.position = (last or 0) + 1
    if item.parent_id is not None and item.parent.roadmap_id != roadmap.pk:
        raise ValidationError({"parent": "Пункт может входить только в пункт той же дорожной карты."})
    if item.parent_id is not None:
        item.level = item.parent.level + 1
    if windows is not None:
        _check_windows(windows)
        item.deadline_manual = bool(windows)
    named = _recognise(item)
    chosen = list(organizations) if organizations is not None else named
    foreign = [org for org in chosen if org.municipality_id != roadmap.municipality_id]
    if foreign:
        raise ValidationError({"organizations": "Выберите школы муниципалитета этой дорожной карты."})
    if chosen:
        item.for_schools = roadmap.is_municipal
    schedule = parse_deadline(item.deadline_text, period=roadmap.period)
    if not item.deadline_manual:
        _take_schedule(item, schedule)
    elif windows:
        item.due_start = min(s for s, _ in windows)
        item.due_end = max(e for _, e in windows)
    save_audited(
        instance=item, user=user, parent=roadmap, m2m={"organizations": chosen} if roadmap.is_municipal else None
    )
    if windows is not None and windows:
        _set_windows(item, windows)
    elif not item.deadline_manual:
        _set_windows(item, schedule.windows)
    return item


def _check_windows(windows: Sequence[tuple[datetime.date, datetime.date]]) -> None:
    for start, end in windows:
        if start is None or end is None:
            raise ValidationError({"windows": "Укажите обе даты срока: начало и окончание."})
        if end < start:
            raise ValidationError({"windows": "Окончание срока не может быть раньше начала."})


def item_delete(*, item: RoadmapItem, user) -> None:
    delete_audited(instance=item, user=user, parent=item.roadmap)


# --- Import --------------------------------------------------------------------------------


@dataclass
class ParsedItem:
    """One item read from a document's table, before it is saved (the import's preview shows it).

    `row` is the table's row (1-based) for error messages; `parent_index` is the index in the
    list of the item this one belongs to (None for a stage)."""

    number: str
    level: int
    title: str
    deadline_text: str = ""
    responsible_municipal: str = ""
    responsible_organization: str = ""
    result: str = ""
    parent_index: int | None = None
    row: int = 0
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def roadmap_items_import(*, roadmap: Roadmap, items: Sequence[ParsedItem], user, replace: bool = False) -> int:
    """Save the items of an imported document into `roadmap`, all or nothing, after its existing
    items (or instead of them with `replace`). Returns the number of items saved."""
    ensure_can_write(user, roadmap)
    if replace:
        roadmap.items.all().delete()
    last = roadmap.items.order_by("-position").values_list("position", flat=True).first() or 0
    organizations = list(Organization.objects.filter(municipality_id=roadmap.municipality_id))
    saved: list[RoadmapItem] = []
    pending_m2m: list[tuple[RoadmapItem, list[Organization]]] = []
    schedules: list[Schedule] = []
    for index, parsed in enumerate(items):
        if not parsed.title.strip():
            raise ValidationError(f"Строка {parsed.row}: у пункта {parsed.number or 'без номера'} нет названия.")
        parent = saved[parsed.parent_index] if parsed.parent_index is not None else None
        item = RoadmapItem(
            roadmap=roadmap,
            parent=parent,
            position=last + index + 1,
            number=parsed.number[:30],
            level=parsed.level,
            title=parsed.title,
            deadline_text=parsed.deadline_text[:500],
            responsible_municipal=parsed.responsible_municipal,
            responsible_organization=parsed.responsible_organization,
            result=parsed.result,
        )
        named = _recognise(item, organizations)
        schedule = parse_deadline(item.deadline_text, period=roadmap.period)
        _take_schedule(item, schedule)
        item.save()
        saved.append(item)
        schedules.append(schedule)
        if named:
            pending_m2m.append((item, named))
    ItemWindow.objects.bulk_create(
        ItemWindow(item=item, starts_on=start, ends_on=end)
        for item, schedule in zip(saved, schedules, strict=True)
        for start, end in schedule.windows
    )
    for item, named in pending_m2m:
        item.organizations.set(named)
    audit_log(
        actor=user,
        action="import",
        obj=roadmap,
        data={"items": len(saved), "replace": replace},
    )
    return len(saved)


# --- Execution -----------------------------------------------------------------------------


def item_organizations(item: RoadmapItem) -> list[Organization]:
    """The organizations that carry out an item: a school roadmap's school; for a municipal item
    addressed to schools, the schools it names or every general-education school of the
    municipality; none for an item the authority carries out itself."""
    roadmap = item.roadmap
    if not roadmap.is_municipal:
        return [roadmap.organization]
    if not item.for_schools:
        return []
    chosen = list(item.organizations.all())
    if chosen:
        return chosen
    return list(Organization.objects.filter(municipality_id=roadmap.municipality_id, kind=OrganizationKind.SCHOOL))


def execution_for(item: RoadmapItem, organization: Organization | None) -> ItemExecution:
    """The stored execution of `item` by `organization` (None: the authority), or a new unsaved
    one «не начато»."""
    found = ItemExecution.objects.filter(item=item, organization=organization).first()
    return found or ItemExecution(item=item, organization=organization)


def _ensure_can_mark(user, execution: ItemExecution) -> None:
    """Who marks execution: the school's curator for their school, the coordinator for every
    school of the municipality and for the authority's own items (seed 000 «Ответственные»)."""
    scope = get_scope(user) if user is not None else None
    if scope is None or scope.is_superuser:
        return
    municipality_id = execution.item.roadmap.municipality_id
    if municipality_id in scope.write_municipality_ids:
        return
    if execution.organization_id is not None and execution.organization_id in scope.write_organization_ids:
        return
    raise PermissionDenied("Отмечать исполнение этого пункта может куратор школы или муниципальный координатор.")


def can_mark(user, execution: ItemExecution) -> bool:
    """May `user` mark this execution (the pages' «Отметить», 403 before the form)? The rule of
    `execution_save`."""
    try:
        _ensure_can_mark(user, execution)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def execution_save(*, execution: ItemExecution, user, today: datetime.date | None = None) -> ItemExecution:
    """Mark how far an organization has come with an item, with its evidence. The organization
    must be one the item addresses; «выполнено» needs the date done, not in the future; a file
    must be a real PDF, JPEG or PNG (the content checks of scans, `core.uploads`)."""
    from core.uploads import validate_scan

    today = today or timezone.localdate()
    item = execution.item
    _ensure_can_mark(user, execution)
    addressed = {org.pk for org in item_organizations(item)}
    if execution.organization_id is None:
        if not item.roadmap.is_municipal:
            raise ValidationError("Исполнение пункта школьной дорожной карты отмечает школа.")
        if not item.carried_by_authority:
            raise ValidationError("Этот пункт исполняют школы, а не управление образования: отметьте исполнение школы.")
    elif execution.organization_id not in addressed:
        raise ValidationError({"organization": "Этот пункт не адресован этой организации."})
    errors: dict[str, str] = {}
    if execution.status == ExecutionStatus.DONE and execution.done_on is None:
        execution.done_on = today
    if execution.done_on and execution.done_on > today:
        errors["done_on"] = "Дата выполнения не может быть в будущем."
    if execution.status != ExecutionStatus.DONE:
        execution.done_on = None  # a date done belongs to «выполнено» only
    if execution.evidence and not getattr(execution.evidence, "_committed", True):
        try:
            validate_scan(execution.evidence.file)
            execution.evidence.name = execution.evidence.file.name  # the extension of what it really is
        except ValidationError as error:
            errors["evidence"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    execution.updated_by = user if user is not None and user.pk else None
    return save_audited(instance=execution, user=user, parent=item, ensure=_ensure_can_mark)


# --- Templates -----------------------------------------------------------------------------


@transaction.atomic
def roadmap_copy(*, template: Roadmap, organizations: Sequence[Organization], user, title: str = "") -> list[Roadmap]:
    """Copy a (municipal) roadmap into chosen schools as their own roadmaps, items and numbering
    kept. Each copy remembers its template; later changes of the template are offered to the
    school (`template_changes`), never pushed."""
    if not organizations:
        raise ValidationError({"organizations": "Выберите хотя бы одну школу."})
    foreign = [org for org in organizations if org.municipality_id != template.municipality_id]
    if foreign:
        raise ValidationError({"organizations": "Копировать можно только в школы своего муниципалитета."})
    already = set(
        Roadmap.objects.filter(template=template, organization__in=organizations).values_list(
            "organization__short_name", flat=True
        )
    )
    if already:
        raise ValidationError(
            {"organizations": "У этих школ уже есть копия этой дорожной карты: " + ", ".join(sorted(already)) + "."}
        )
    now = timezone.now()
    copies = []
    source_items = list(template.items.order_by("position", "pk").prefetch_related("windows"))
    for organization in organizations:
        copy = Roadmap(
            municipality_id=template.municipality_id,
            organization=organization,
            title=title or template.title,
            starts_on=template.starts_on,
            ends_on=template.ends_on,
            template=template,
            template_synced_at=now,
        )
        save_audited(instance=copy, user=user)
        _copy_items(copy, source_items, now)
        copies.append(copy)
    return copies


def _copy_items(copy: Roadmap, source_items: Sequence[RoadmapItem], now: datetime.datetime) -> None:
    """The template's items into `copy`, tree and windows kept."""
    by_source: dict[int, RoadmapItem] = {}
    windows = []
    for source in source_items:
        item = _item_copy(source, copy, now)
        item.parent = by_source.get(source.parent_id)
        item.save()
        by_source[source.pk] = item
        windows += [ItemWindow(item=item, starts_on=w.starts_on, ends_on=w.ends_on) for w in source.windows.all()]
    ItemWindow.objects.bulk_create(windows)


def _item_copy(source: RoadmapItem, roadmap: Roadmap, now: datetime.datetime) -> RoadmapItem:
    return RoadmapItem(
        roadmap=roadmap,
        position=source.position,
        number=source.number,
        level=source.level,
        title=source.title,
        deadline_text=source.deadline_text,
        deadline_kind=source.deadline_kind,
        deadline_note=source.deadline_note,
        deadline_manual=source.deadline_manual,
        due_start=source.due_start,
        due_end=source.due_end,
        responsible_municipal=source.responsible_municipal,
        responsible_organization=source.responsible_organization,
        result=source.result,
        addressees=list(source.addressees),
        for_schools=False,
        template_item=source,
        template_taken_at=now,
    )


@dataclass
class TemplateChange:
    """A difference between a copy and its template: an item added to the template since the
    copy, or changed there since (`copy_item` is the school's item)."""

    kind: str  # "added" | "changed"
    template_item: RoadmapItem
    copy_item: RoadmapItem | None = None

    @property
    def label(self) -> str:
        return "новый пункт" if self.kind == "added" else "изменён в шаблоне"


def template_changes(roadmap: Roadmap) -> list[TemplateChange]:
    """What the template gained or changed since this copy last took it."""
    if roadmap.template_id is None:
        return []
    copied = {item.template_item_id: item for item in roadmap.items.filter(template_item__isnull=False)}
    changes = []
    for source in roadmap.template.items.order_by("position", "pk"):
        mine = copied.get(source.pk)
        if mine is None:
            changes.append(TemplateChange("added", source))
        elif mine.template_taken_at is None or source.updated_at > mine.template_taken_at:
            changes.append(TemplateChange("changed", source, mine))
    return changes


@transaction.atomic
def roadmap_take_template_changes(*, roadmap: Roadmap, template_item_ids: Iterable[int], user) -> int:
    """Take the chosen template changes into the school's copy: new items are added, changed
    ones take the template's wording and dates. The rest stays as the school has it."""
    ensure_can_write(user, roadmap)
    wanted = set(template_item_ids)
    changes = [change for change in template_changes(roadmap) if change.template_item.pk in wanted]
    if not changes:
        raise ValidationError("Отметьте изменения шаблона, которые нужно принять.")
    copied = {item.template_item_id: item for item in roadmap.items.filter(template_item__isnull=False)}
    now = timezone.now()
    for change in changes:
        source = change.template_item
        fresh = _item_copy(source, roadmap, now)
        if change.copy_item is not None:
            fresh.pk = change.copy_item.pk
            fresh._state.adding = False  # an update of the school's item, journalled as a change
            fresh.parent_id = change.copy_item.parent_id
        else:
            parent = copied.get(source.parent_id)
            fresh.parent = parent
        save_audited(instance=fresh, user=user, parent=roadmap)
        fresh.windows.all().delete()
        ItemWindow.objects.bulk_create(
            ItemWindow(item=fresh, starts_on=w.starts_on, ends_on=w.ends_on) for w in source.windows.all()
        )
        copied[source.pk] = fresh
    roadmap.template_synced_at = now
    roadmap.save(update_fields=["template_synced_at"])
    return len(changes)
