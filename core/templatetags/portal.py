"""Template filters for Russian numbers and journal values."""

from django import template

from core.text import typeset as _typeset

register = template.Library()


def plural_form(number: int, forms: tuple[str, str, str]) -> str:
    """«1 пара», «3 пары», «5 пар»: the Russian plural of `number` from (one, few, many)."""
    n = abs(int(number)) % 100
    if 11 <= n <= 14:
        return forms[2]
    if n % 10 == 1:
        return forms[0]
    if 2 <= n % 10 <= 4:
        return forms[1]
    return forms[2]


@register.filter
def ru_plural(number, forms: str) -> str:
    """{{ count|ru_plural:"пара,пары,пар" }} → «3 пары»."""
    one, few, many = forms.split(",")
    return f"{number} {plural_form(number or 0, (one, few, many))}"


@register.filter
def typeset(value) -> str:
    """{{ organization.full_name|typeset }}: «№» kept with its number, nested quotes as „лапки“
    (core.text.typeset; an object's own str() already does it)."""
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
