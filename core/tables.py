"""Table helpers shared by every list."""

import django_tables2 as tables
from django.utils.html import format_html


class DateColumn(tables.DateColumn):
    """dd.mm.yyyy on the page; a real date in exports."""

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "d.m.Y")
        super().__init__(**kwargs)

    def value(self, value):
        return value


class BaseTable(tables.Table):
    """A list table: sortable headers, Bootstrap look, a clear line when nothing matches."""

    class Meta:
        abstract = True
        empty_text = "Ничего не найдено. Измените условия поиска или добавьте запись."
        attrs = {"class": "table table-hover align-middle mb-0"}


def badge(text: str, tone: str = "secondary") -> str:
    return format_html('<span class="badge text-bg-{}">{}</span>', tone, text)
