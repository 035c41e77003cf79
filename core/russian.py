"""Russian text as the portal counts, compares, sorts and prints it.

Numbers next to nouns: the plural of a noun after a number, and thousands as Russian typesets them.

The one tool for every number next to a noun, in templates (`core.templatetags.portal`:
`ru_plural`, `plural_word`, `ru_number`) and in Python (messages, management commands):

    >>> count_noun(3322, "человек,человека,человек")
    '3\\xa0322 человека'

Russian has three forms after a number (one, few, many): 1, 21, 101 человек; 2–4, 22–24 человека;
0, 5–20, 25–30, 111–114 человек. Thousands are grouped by a no-break space («3 322»), so that a
number never breaks across lines.

Names:
- `fold`: how two spellings of one name are compared — case ignored and «ё» read as «е», as
  Russian writing allows (a registry has «Ёлкина» and «Елкина» for the same girl).
- `natural_key`: the order of names in lists — Russian alphabetical order with «ё» among the
  «е», numbers by their value («СОШ № 2» before «СОШ № 11»).
- `typeset`: how a name is printed — a no-break space keeps «№» with its number, and quotes
  inside quotes become „лапки“ («Агрохолдинг „Сибирь“»).
"""

from __future__ import annotations

import re
from functools import lru_cache

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


# Names ------------------------------------------------------------------------------------

_DIGITS = re.compile(r"(\d+)")
_YO = str.maketrans("ёЁ", "еЕ")


def fold(value: str) -> str:
    """«Ёлкина» → «елкина»: case-folded, «ё» as «е»."""
    return value.casefold().translate(_YO)


def unyo(value: str) -> str:
    """«Ёлкина» → «Елкина»: «ё» as «е», case kept (for patterns matched case-insensitively)."""
    return value.translate(_YO)


@lru_cache(maxsize=65536)  # SQLite's collation asks it for the same names again and again
def natural_key(value: str) -> tuple:
    """A sort key: folded text, runs of digits by their numeric value. Positions alternate text
    and number, so two keys always compare item by item."""
    parts = _DIGITS.split(fold(value))
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


def natural_compare(left: str, right: str) -> int:
    """-1, 0 or 1 as `natural_key` orders; different strings never compare equal, so a column
    with this collation keeps the uniqueness and equality of plain text."""
    left_key, right_key = natural_key(left), natural_key(right)
    if left_key != right_key:
        return -1 if left_key < right_key else 1
    return (left > right) - (left < right)


_NUMBER_SIGN = re.compile(r"№\s*(?=\d)")
_QUOTED = re.compile(r"«([^«»]*)»")


def typeset(value: str) -> str:
    """«СОШ № 9» keeps «№» and «9» on one line (a no-break space), and quotes inside quotes
    become „лапки“ as Russian typesetting has it: ООО «Агрохолдинг «Сибирь»» → ООО «Агрохолдинг
    „Сибирь“». The outer «ёлочки» stay; a name without nesting keeps its quotes."""
    if not value:
        return value
    text = _NUMBER_SIGN.sub("№" + NBSP, value)
    depth = 0
    out = []
    for char in text:
        if char == "«":
            out.append("«" if depth == 0 else "„")
            depth += 1
        elif char == "»" and depth > 0:
            depth -= 1
            out.append("»" if depth == 0 else "“")
        else:
            out.append(char)
    return "".join(out)


# Dates ------------------------------------------------------------------------------------

#: The months in the genitive, as a date is written in words: «26» мая 2020 г.
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
