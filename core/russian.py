"""Russian numbers in text: the plural of a noun after a number, and thousands as Russian typesets them.

The one tool for every number next to a noun, in templates (`core.templatetags.portal`:
`ru_plural`, `plural_word`, `ru_number`) and in Python (messages, management commands):

    >>> count_noun(3322, "человек,человека,человек")
    '3\\xa0322 человека'

Russian has three forms after a number (one, few, many): 1, 21, 101 человек; 2–4, 22–24 человека;
0, 5–20, 25–30, 111–114 человек. Thousands are grouped by a no-break space («3 322»), so that a
number never breaks across lines.
"""

from __future__ import annotations

NBSP = "\xa0"

PluralForms = str | tuple[str, str, str] | list[str]


def _forms(forms: PluralForms) -> tuple[str, str, str]:
    parts = forms.split(",") if isinstance(forms, str) else list(forms)
    if len(parts) != 3:
        raise ValueError(f"Three plural forms (one, few, many) are needed, got {forms!r}.")
    return parts[0].strip(), parts[1].strip(), parts[2].strip()


def plural_form(number: int, forms: PluralForms) -> str:
    """«пара», «пары» or «пар» for `number` from (one, few, many) or "one,few,many"."""
    one, few, many = _forms(forms)
    n = abs(int(number)) % 100
    if 11 <= n <= 14:
        return many
    if n % 10 == 1:
        return one
    if 2 <= n % 10 <= 4:
        return few
    return many


def format_number(number: int) -> str:
    """3322 → «3 322», thousands grouped by no-break spaces."""
    return f"{int(number):,}".replace(",", NBSP)


def count_noun(number: int | None, forms: PluralForms) -> str:
    """«3 322 человека»: the number, grouped by no-break spaces, and the noun in its form.

    `forms` may carry words after the noun in each form ("запись в базе,записи в базе,записей в базе").
    """
    number = int(number or 0)
    return f"{format_number(number)} {plural_form(number, forms)}"
