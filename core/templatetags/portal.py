"""Template tags of the portal: Russian numbers, icons, journal values.

The plural rule and the number format live in `core.russian`, which Python code (messages,
management commands) uses directly; these filters are the same functions for templates.
"""

from django import template

from core.russian import count_noun, format_number, plural_form
from core.russian import typeset as _typeset
from core.tables import icon as icon_html

register = template.Library()


@register.filter
def ru_plural(number, forms: str) -> str:
    """{{ count|ru_plural:"пара,пары,пар" }} → «3 пары», «3 322 пары» (no-break spaces)."""
    return count_noun(number, forms)


@register.filter
def plural_word(number, forms: str) -> str:
    """{{ count|plural_word:"человек,человека,человек" }} → «человека»: the noun alone, for a figure
    set apart from its label (the tiles of the home page)."""
    return plural_form(number or 0, forms)


@register.filter
def ru_number(number) -> str:
    """{{ count|ru_number }} → «3 322»: thousands grouped by no-break spaces."""
    return format_number(number or 0)


@register.simple_tag
def icon(name: str) -> str:
    """{% icon "upload" %} → a Bootstrap icon hidden from screen readers (core.tables.icon)."""
    return icon_html(name)


@register.filter
def typeset(value) -> str:
    """{{ organization.full_name|typeset }}: «№» kept with its number, nested quotes as „лапки“
    (core.russian.typeset; an object's own str() already does it)."""
    return _typeset(str(value)) if value is not None else ""


@register.filter
def audit_value(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if value is True:
        return "да"
    if value is False:
        return "нет"
    return value
