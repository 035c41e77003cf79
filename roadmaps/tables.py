"""Tables of the roadmaps pages: the list of roadmaps and a school's list of what is due."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.russian import count_noun
from core.scoping import get_scope
from core.tables import ActionsColumn, BaseTable, badge
from roadmaps import selectors
from roadmaps.choices import STATUS_TONES, DeadlineKind, RoadmapStatus
from roadmaps.models import ItemExecution, Roadmap

#: Badge tones of a roadmap's status.
ROADMAP_TONES = {RoadmapStatus.DRAFT: "secondary", RoadmapStatus.APPROVED: "success", RoadmapStatus.ARCHIVED: "light"}
MUNICIPAL = "муниципальная"


def order_label(roadmap: Roadmap) -> str:
    """«№ 122\\1-о от 26.05.2020», as the documents cite an order; "" without one."""
    if not roadmap.order_number:
        return ""
    date = f" от {roadmap.order_date:%d.%m.%Y}" if roadmap.order_date else ""
    return f"№\N{NO-BREAK SPACE}{roadmap.order_number}{date}"


def share_text(share: selectors.Share) -> str:
    """«45 % (9 из 20)»; «—» when nothing is asked."""
    if share.percent is None:
        return "—"
    return f"{share.percent}\N{NO-BREAK SPACE}% ({share.done} из {share.asked})"


class RoadmapTable(BaseTable):
    """The roadmaps a user sees. «Выполнено» is the share done by the viewer's school (a curator,
    a director), or over everyone who carries the items out (the coordinator)."""

    title = tables.Column("Дорожная карта", linkify=True)
    level = tables.Column("Уровень", accessor="organization", empty_values=(), order_by=("organization__short_name",))
    period = tables.Column("Период", accessor="period_label", order_by=("starts_on", "ends_on"))
    order = tables.Column("Приказ", accessor="order_number", order_by=("order_date", "order_number"))
    status = tables.Column("Статус")
    items_count = tables.Column("Пунктов", attrs={"td": {"class": "text-end"}})
    share = tables.Column("Выполнено", empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Roadmap
        fields = ("title", "level", "period", "order", "status", "items_count", "share")
        empty_text = "Ничего не найдено. Измените условия поиска."

    def __init__(self, *args, user=None, show_organization=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._shares: dict | None = None

    def shares(self) -> dict:
        """The shares of the rows shown (the page, or every row in an export), computed once."""
        if self._shares is None:
            scope = get_scope(self.user)
            organization_ids = None if scope.is_municipal else set(scope.read_organization_ids)
            roadmaps = [row.record for row in self.paginated_rows]
            self._shares = selectors.roadmap_shares(
                roadmaps, organization_ids=organization_ids, today=timezone.localdate()
            )
        return self._shares

    def render_title(self, record):
        # A school's copy keeps its template's title: the link's name says whose roadmap it opens.
        return format_html('{}<span class="visually-hidden">, {}</span>', record.title, self.render_level(record))

    def value_title(self, record):
        return record.title

    def render_level(self, record):
        return str(record.organization) if record.organization_id else MUNICIPAL

    def value_level(self, record):
        return record.organization.short_name if record.organization_id else MUNICIPAL

    def render_order(self, record):
        return order_label(record) or "—"

    def value_order(self, record):
        return order_label(record).replace("\N{NO-BREAK SPACE}", " ")

    def render_status(self, record):
        return badge(record.get_status_display(), ROADMAP_TONES.get(record.status, "secondary"))

    def value_status(self, record):
        return record.get_status_display()

    def value_items_count(self, value):
        return value

    def render_share(self, record):
        share = self.shares().get(record.pk) or selectors.Share()
        text = share_text(share)
        if share.overdue:
            return format_html('{} <span class="badge text-bg-danger">просрочено: {}</span>', text, share.overdue)
        return text

    def value_share(self, record):
        share = self.shares().get(record.pk) or selectors.Share()
        return share.percent if share.percent is not None else ""


class DueTable(BaseTable):
    """A school's list of what is due (`selectors.due_items`): overdue first, then nearest first."""

    caption = "Что сделать по дорожным картам"
    title = tables.Column("Мероприятие", accessor="item__title", orderable=False)
    roadmap = tables.Column("Дорожная карта", accessor="item__roadmap", orderable=False, empty_values=())
    deadline = tables.Column("Срок (как в документе)", accessor="item__deadline_text", orderable=False)
    next_end = tables.Column("До", empty_values=(), orderable=False)
    status = tables.Column("Состояние", empty_values=(), orderable=False)
    # An accessor that resolves: a failed lookup would print the whole DueItem (its execution's
    # item, a query a row) into tables2's error message, which the fast rendering then drops.
    actions = ActionsColumn(accessor="item")

    class Meta(BaseTable.Meta):
        empty_text = "Ничего не найдено."

    def __init__(self, *args, user=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today or timezone.localdate()

    def render_title(self, record):
        """The number and title; an overdue item has a red bar on its left (the rows of a list
        carry no class of their own: core.tables renders cells only)."""
        item = record.item
        return format_html(
            '<div class="{}"><a href="{}">{} {}</a></div>',
            "border-start border-danger border-4 ps-2" if record.overdue else "",
            item.get_absolute_url(),
            item.number,
            item.title,
        )

    def render_roadmap(self, record):
        """Whose roadmap, in a word (the titles of a school's roadmaps are alike and long); the
        title is the link's hint and, for screen readers, part of its name."""
        roadmap = record.item.roadmap
        return format_html(
            '<a class="small" href="{}" title="{}">{}<span class="visually-hidden">: {}</span></a>',
            roadmap.get_absolute_url(),
            roadmap.title,
            "муниципальная" if roadmap.is_municipal else "школьная",
            roadmap.title,
        )

    def value_roadmap(self, record):
        return record.item.roadmap.title

    def render_deadline(self, record):
        return format_html('<span class="small">{}</span>', record.item.deadline_text)

    def render_next_end(self, record):
        if record.overdue:
            return format_html(
                '<div><span class="text-danger-emphasis fw-semibold">{}</span><div class="small text-danger-emphasis">'
                "срок прошёл {}</div></div>",
                f"{record.item.due_end:%d.%m.%Y}",
                _days_ago(record.item.due_end, self.today),
            )
        if record.next_end is None:
            if record.item.deadline_text and not record.item.deadline_recognised:
                return badge("срок не распознан", "warning")
            return "—"
        if record.item.deadline_kind == DeadlineKind.CONTINUOUS:
            return format_html(
                '<div>постоянно<div class="small text-body-secondary">до {}</div></div>', f"{record.next_end:%d.%m.%Y}"
            )
        return format_html(
            '<div>{}<div class="small text-body-secondary">{}</div></div>',
            f"до {record.next_end:%d.%m.%Y}",
            _days_left(record.next_end, self.today),
        )

    def render_status(self, record):
        status = badge(record.label, STATUS_TONES.get(record.status, "secondary"))
        return format_html("<div>{} {}</div>", status, badge("просрочено", "danger")) if record.overdue else status

    def render_actions(self, record):
        from roadmaps import services

        item, organization = record.item, record.organization
        if not services.can_mark(self.user, ItemExecution(item=item, organization=organization)):
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-primary" href="{}">Отметить<span class="visually-hidden">: {} {}</span></a>',
            reverse("roadmaps:execution_edit", args=[item.pk, organization.pk]),
            item.number,
            item.title[:80],
        )


def _days_left(day, today) -> str:
    days = (day - today).days
    if days == 0:
        return "сегодня"
    if days == 1:
        return "завтра"
    return "через " + count_noun(days, "день,дня,дней")


def _days_ago(day, today) -> str:
    days = (today - day).days
    if days == 1:
        return "вчера"
    return count_noun(days, "день,дня,дней") + " назад"
