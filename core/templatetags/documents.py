"""Template filters of the printed documents (`core.documents`)."""

import datetime

from django import template

from core.documents import document_date as _document_date

register = template.Library()


@register.filter
def document_date(value: datetime.date | None, style: str = "words") -> str:
    """{{ date|document_date }} → «26» мая 2020 г.; {{ date|document_date:"digits" }} → 26.05.2020."""
    return _document_date(value, style) if value else ""
