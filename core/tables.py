"""Table helpers shared by every list.

Every list renders through `templates/django_tables2/portal.html` (settings.DJANGO_TABLES2_TEMPLATE):
a visually hidden caption, `aria-sort` on the sorted header, Russian pagination with
`aria-current`, and on a phone each row stacks as a card. The card needs no second rendering of
the row: each cell carries its column's name in `data-label`, which the stylesheet shows before
the value below the phone breakpoint (`static/css/portal.css`, `.table-cards`). The label is set
once per column here, so it costs nothing per cell beyond the attribute itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.dateformat import format as date_format_php
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django_tables2.columns.base import BoundColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn

from core.profiles import full_name, position_of


def icon(name: str) -> str:
    """A Bootstrap icon, hidden from screen readers: the text beside it names the action, and the
    glyph itself (a private-use character) would be read out as noise («\\uf30a Выгрузить»)."""
    return format_html('<i class="bi bi-{}" aria-hidden="true"></i>', name)


def badge(text: str, tone: str = "secondary") -> str:
    return format_html('<span class="badge text-bg-{}">{}</span>', tone, text)


class DateColumn(tables.Column):
    """dd.mm.yyyy on the page; a real date in exports.

    Formatted in Python: tables2's own DateColumn is a TemplateColumn, which compiles a template
    for every cell it renders (4–6 ms a page of 25 rows, bench/profile_pages.py)."""

    def __init__(self, *, format: str = "d.m.Y", **kwargs):
        self.format = format
        super().__init__(**kwargs)

    def render(self, value):
        if self.format == "d.m.Y":  # the portal's format: strftime is fifty times faster
            return value.strftime("%d.%m.%Y")
        return date_format_php(value, self.format)

    def value(self, value):
        return value


class ActionsColumn(tables.Column):
    """A column of buttons for the row («Изменить», «Удалить»): its header is «Действия» for screen
    readers only, and its cells have no label on a phone card."""

    def __init__(self, **kwargs):
        kwargs.setdefault("verbose_name", mark_safe('<span class="visually-hidden">Действия</span>'))
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("exclude_from_export", True)
        attrs = kwargs.setdefault("attrs", {})
        attrs.setdefault("td", {}).update({"class": "text-end text-nowrap", "data-label": ""})
        super().__init__(**kwargs)


class BaseTable(tables.Table):
    """A list table: sortable headers, Bootstrap look, a clear line when nothing matches, a caption
    (the model's plural name unless `caption` is given), and cells labelled for the phone card."""

    #: The table's caption for screen readers; by default the model's plural name («Люди»).
    caption: str | None = None

    class Meta:
        abstract = True
        empty_text = "Ничего не найдено. Измените условия поиска или добавьте запись."
        attrs = {"class": "table table-hover align-middle mb-0 table-cards"}

    def __init__(self, *args, caption: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if caption is not None:
            self.caption = caption
        elif self.caption is None and self._meta.model is not None:
            self.caption = str(self._meta.model._meta.verbose_name_plural).capitalize()
        for bound in self.columns.iterall():
            column = bound.column
            td = dict(column.attrs.get("td", {}))
            td.setdefault("data-label", str(bound.header))
            column.attrs = {**column.attrs, "td": td}

    def rendered_rows(self) -> list[list[tuple[str, object]]]:
        """The rows of the current page as [(the cell's <td> attributes, its content), …].

        What tables2 does for each cell — find the column's render method and inspect its
        signature, look the accessor's model field up for get_FOO_display, rebuild the column's
        attributes — does not change from row to row, so `_CellPlan` finds it once per column and
        applies it to every row: the same content as tables2's `{{ cell }}` (choices by their label,
        empty values as the column's default, render_<name> methods, linkify), at a fraction of
        the cost (bench/profile_pages.py). Exports keep tables2's own `as_values`."""
        plans = [_CellPlan.of(bound) for bound in self.columns]
        return [[(plan.td, plan.content(row)) for plan in plans] for row in self.paginated_rows]


@dataclass
class _CellPlan:
    """How every cell of one column is made: tables2's per-cell work, found once."""

    bound: BoundColumn
    td: str
    render: Callable
    #: The keyword arguments `render` takes (None: all of them, it has **kwargs).
    wants: tuple[str, ...] | None
    #: Whether the value is the record's get_FOO_display() (None: not known before the first row).
    display: bool | None = None
    #: tables2's own way, for what the plan does not cover (link columns with a fixed text,
    #: many-to-many columns, attributes computed per record).
    generic: bool = False

    @classmethod
    def of(cls, bound: BoundColumn) -> _CellPlan:
        column = bound.column
        td_attrs = column.attrs.get("td", column.attrs.get("cell", {}))
        generic = (
            isinstance(column, ManyToManyColumn)
            or (isinstance(column, BaseLinkColumn) and column.text is not None)
            or any(callable(value) for value in td_attrs.values())
        )
        render = bound.render
        wants = _wanted_arguments(render)
        return cls(bound=bound, td=bound.attrs["td"].as_html(), render=render, wants=wants, generic=generic)

    def content(self, row):
        if self.generic:
            return row.get_cell(self.bound.name)
        record = row.record
        value = self._value(record)
        if value in self.bound.column.empty_values:
            return self.bound.default
        arguments = {
            "value": value,
            "record": record,
            "column": self.bound.column,
            "bound_column": self.bound,
            "bound_row": row,
            "table": row.table,
        }
        if self.wants is None:
            content = self.render(**arguments)
        elif any(name not in arguments for name in self.wants):
            return None  # as tables2's call_with_appropriate
        else:
            content = self.render(**{name: arguments[name] for name in self.wants})
        return self.bound.link(content, **arguments) if self.bound.link else content

    def _value(self, record):
        accessor = self.bound.accessor
        if self.display is None:
            self.display = _shows_choices(accessor, record)
        if self.display:
            penultimate, remainder = accessor.penultimate(record)
            if isinstance(penultimate, models.Model):
                return getattr(penultimate, f"get_{remainder}_display")()
        try:
            return accessor.resolve(record)
        except Exception:  # as tables2: a column without a value of its own (a render_<name> column)
            return None


def _wanted_arguments(function) -> tuple[str, ...] | None:
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind == p.VAR_KEYWORD for p in parameters):
        return None
    return tuple(p.name for p in parameters if p.kind != p.VAR_POSITIONAL)


def _shows_choices(accessor, record) -> bool:
    """tables2 shows a field with choices by its label (get_FOO_display), when the value is a
    model's field."""
    penultimate, remainder = accessor.penultimate(record)
    if not isinstance(penultimate, models.Model) or not remainder:
        return False
    try:
        field = accessor.get_field(record)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "choices", ())) and hasattr(penultimate, f"get_{remainder}_display")


class RoleHolderTable(BaseTable):
    """The role holders of a municipality (core.profiles.role_holders): name, position, roles."""

    caption = "Пользователи"
    name = tables.Column(
        "ФИО", empty_values=(), order_by=("last_name", "first_name", "profile__middle_name", "username")
    )
    position = tables.Column("Должность", empty_values=(), order_by=("profile__position",))
    roles = tables.Column("Роль и место", empty_values=(), orderable=False)
    username = tables.Column("Логин")
    actions = ActionsColumn()

    class Meta(BaseTable.Meta):
        fields = ()
        empty_text = "Никого не найдено. Измените условия поиска."

    def __init__(self, *args, editable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editable:
            self.columns.hide("actions")

    def render_name(self, record):
        return full_name(record)

    def render_position(self, record):
        return position_of(record) or "—"

    def value_position(self, record):
        return position_of(record)

    def render_roles(self, record):
        return format_html_join(
            mark_safe("<br>"), "{}", ((str(assignment),) for assignment in record.role_assignments.all())
        )

    def value_roles(self, record):
        return "; ".join(str(assignment) for assignment in record.role_assignments.all())

    def render_actions(self, record):
        return format_html(
            '<a class="btn btn-sm btn-link" href="{}" aria-label="Изменить: {}" title="Изменить">{}</a>',
            reverse("user_update", args=[record.pk]),
            full_name(record),
            icon("pencil"),
        )
