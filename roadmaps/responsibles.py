"""Who a roadmap item is addressed to, read from its «Ответственные» columns as written.

The documents name the responsible in a few recurring ways: «Управление образования»,
«Отдел ИМО МКУ КЦ УО» (the municipal centre, seed 000 item 2.3), «Руководители ОО»,
«Руководитель ОО, куратор», «координатор» (seed 000 items 3.1–5.4), «Руководители ОО и кураторы
внедрения ЦМН в ОО» (seed 001 item 3.1). These are recognised as `Addressee` values; the text
itself is always kept as written. Anything else («Ведущий наставник», seed 002) stays text only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.russian import fold
from roadmaps.choices import SCHOOL_ADDRESSEES, Addressee

_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    (Addressee.AUTHORITY, re.compile(r"управлени\w* образования|\bуо\b|мку\b|кц уо|отдел\w* имо|\bимо\b")),
    (Addressee.COORDINATOR, re.compile(r"координатор")),
    (Addressee.DIRECTORS, re.compile(r"руководител\w*\s+(оо|обр\w* орг|общеобр|школ|муниципальных обр)|директор")),
    (Addressee.CURATORS, re.compile(r"куратор")),
)


def recognise_addressees(*texts: str) -> list[str]:
    """The addressees named in the responsible columns, in `Addressee` order, without repeats."""
    folded = " ".join(fold(text or "") for text in texts)
    folded = re.sub(r"\s+", " ", folded)
    return [value for value, pattern in _PATTERNS if pattern.search(folded)]


def addressed_to_schools(addressees: Iterable[str]) -> bool:
    """Is an item with these addressees carried out by every school (tracked school by school)?"""
    return any(value in SCHOOL_ADDRESSEES for value in addressees)


def recognise_organizations(text: str, organizations: Iterable) -> list:
    """The organizations whose short name the text mentions («МАОУ «СОШ № 7»»), compared with
    quotes, case and «ё» folded away."""
    haystack = _bare(text)
    if not haystack:
        return []
    return [org for org in organizations if (name := _bare(org.short_name)) and len(name) > 3 and name in haystack]


def _bare(text: str) -> str:
    return re.sub(r"[\s«»\"'“”„]+", " ", fold(text or "")).strip()
