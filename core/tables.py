"""Table helpers shared by every list.

Every list renders through `templates/django_tables2/portal.html` (settings.DJANGO_TABLES2_TEMPLATE):
a visually hidden caption, `aria-sort` on the sorted header, Russian pagination with
`aria-current`, and on a phone each row stacks as a card. The card needs no second rendering of
the row: each cell carries its column's name in `data-label`, which the stylesheet shows before
the value below the phone breakpoint (`static/css/portal.css`, `.table-cards`). The label is set
once per column here, so it costs nothing per cell beyond the attribute itself.
"""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def icon(name: str) -> str:
    """A Bootstrap icon, hidden from screen readers: the text beside it names the action, and the
    glyph itself (a private-use character) would be read out as noise («\\uf30a Выгрузить»)."""
    return format_html('<i class="bi bi-{}" aria-hidden="true"></i>', name)


def badge(text: str, tone: str = "secondary") -> str:
    return format_html('<span class="badge text-bg-{}">{}</span>', tone, text)


class DateColumn(tables.DateColumn):
    """dd.mm.yyyy on the page; a real date in exports."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "d.m.Y")
        super().__init__(**kwargs)

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
