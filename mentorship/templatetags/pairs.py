"""Template filters of the mentorship pages: a pair's status badge, a month by its Russian name."""

from django import template

from mentorship import forms, tables

register = template.Library()


@register.filter
def status_badge(pair) -> str:
    """{{ pair|status_badge }} → the status as the pair list shows it."""
    return tables.status_badge(pair)


@register.filter
def month_name(month) -> str:
    """{{ report.month|month_name }} → «сентябрь 2025»."""
    return forms.month_label(month) if month else ""
