"""URLs of records by their primary key, without resolving the URLconf for every row.

`reverse()` walks the URL patterns each time it is called (about 0.1 ms); a list links every one of
its rows to its record. The URL of a named route with a single `<int:pk>` differs from record to
record only by that number, so it is worked out once with a stand-in number and filled in after.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse

#: A stand-in id no real record has, to find where the id goes in a URL.
_STAND_IN = 918273645546372819


@lru_cache(maxsize=256)
def _halves(name: str, script_prefix: str) -> tuple[str, str]:
    url = reverse(name, args=[_STAND_IN])
    before, after = url.split(str(_STAND_IN), 1)
    return before, after


def reverse_pk(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a route whose one argument is an `<int:…>` id."""
    before, after = _halves(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"
