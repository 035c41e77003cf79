"""Unicode-aware LIKE, lower() and upper(), the `fold` function and the Russian collation for SQLite.

SQLite's built-in LIKE folds case for ASCII letters only, so «иванов» would not find
«Иванов» there while PostgreSQL finds it. Django runs `contains`, `icontains`,
`iexact`, `startswith` … as LIKE on SQLite, so replacing the LIKE function (SQLite lets
an application override it) makes every search of the portal, the admin's included,
behave as on PostgreSQL, with no special case in any view. LIKE also reads «ё» as «е», as
the PostgreSQL lookup of core.db does.

`fold` (core.db.Fold) and the collation `ru_natural` (core.db.RU_COLLATION) are the SQLite
halves of what PostgreSQL does with LOWER/TRANSLATE and an ICU collation.
"""

import re
from functools import lru_cache

from core.db import RU_COLLATION
from core.russian import fold, natural_compare


@lru_cache(maxsize=512)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern:
    parts = []
    chars = iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def _like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _like_regex(fold(str(pattern)), escape).fullmatch(fold(str(value))) is not None


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _upper(value):
    return value.upper() if isinstance(value, str) else value


def _fold(value):
    return fold(value) if isinstance(value, str) else value


def install_unicode_functions(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: register the functions on every new SQLite connection."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("like", 2, _like, deterministic=True)
    raw.create_function("like", 3, _like, deterministic=True)
    raw.create_function("lower", 1, _lower, deterministic=True)
    raw.create_function("upper", 1, _upper, deterministic=True)
    raw.create_function("fold", 1, _fold, deterministic=True)
    raw.create_collation(RU_COLLATION, natural_compare)
