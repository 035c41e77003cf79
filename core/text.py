"""Russian text as the portal compares, sorts and prints it.

- `fold`: how two spellings of one name are compared — case ignored and «ё» read as «е», as
  Russian writing allows (a registry has «Ёлкина» and «Елкина» for the same girl).
- `natural_key`: the order of names in lists — Russian alphabetical order with «ё» among the
  «е», numbers by their value («СОШ № 2» before «СОШ № 11»).
- `typeset`: how a name is printed — a no-break space keeps «№» with its number, and quotes
  inside quotes become „лапки“ («Агрохолдинг „Сибирь“»).
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")
_YO = str.maketrans("ёЁ", "еЕ")
NBSP = "\N{NO-BREAK SPACE}"


def fold(value: str) -> str:
    """«Ёлкина» → «елкина»: case-folded, «ё» as «е»."""
    return value.casefold().translate(_YO)


def unyo(value: str) -> str:
    """«Ёлкина» → «Елкина»: «ё» as «е», case kept (for patterns matched case-insensitively)."""
    return value.translate(_YO)


def natural_key(value: str) -> list:
    """A sort key: folded text, runs of digits by their numeric value. Positions alternate text
    and number, so two keys always compare item by item."""
    parts = _DIGITS.split(fold(value))
    return [int(part) if index % 2 else part for index, part in enumerate(parts)]


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
