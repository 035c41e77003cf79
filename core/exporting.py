"""Exports: "export what I see" for every list, and the formats django-import-export uses.

A list's export reuses the list's own queryset, FilterSet and Table (NetBox's pattern): the
same scope, the same filters, the same columns, written through `core.spreadsheets`. Every
export of personal data is journalled: who, which list, which filters, how many rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django_tables2 import RequestConfig

from core.audit import audit_log, cut
from core.choices import AuditAction
from core.spreadsheets import CSV_MIME, XLSX_MIME, csv_text, write_csv, write_xlsx

FORMATS = ("xlsx", "csv")

#: The lists `manage.py export_data <kind>` writes: {kind: list view}, registered by the apps that
#: own them (as importers are, core.importing.IMPORTERS).
EXPORTABLE_LISTS: dict[str, type] = {}


def register_list(kind: str, view_class: type) -> None:
    EXPORTABLE_LISTS[kind] = view_class


#: The longest filter value an export's journal line keeps: the journal says what was asked for,
#: it does not store whatever a URL carried.
JOURNAL_FILTER_MAX = 200


@dataclass(frozen=True)
class Rendered:
    """A rendered file: (filename, mime type, bytes), as pretix's renderers return them."""

    filename: str
    content_type: str
    content: bytes
    rows: int


def render_rows(*, title: str, header: Sequence[str], rows: Iterable[Sequence], fmt: str) -> Rendered:
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    if fmt == "xlsx":
        content, count = write_xlsx(header, rows, title=title)
        return Rendered(f"{title} {stamp}.xlsx", XLSX_MIME, content, count)
    if fmt == "csv":
        content, count = write_csv(header, rows)
        return Rendered(f"{title} {stamp}.csv", CSV_MIME, content, count)
    raise ValueError(f"Unknown export format {fmt!r}")


def table_rows(table) -> tuple[list[str], Iterable[Sequence]]:
    """Header and rows of a django-tables2 table as values (not HTML): what the list shows."""
    values = table.as_values()
    header = [str(name) for name in next(values)]
    return header, values


def export_list(view_class, *, user, params: dict, fmt: str) -> Rendered:
    """Render a list view's rows for `user` with `params` as its filters and sort, then journal it.

    The page's export and `manage.py export_data` both come here, so they cannot differ."""
    from django.http import QueryDict
    from django.test import RequestFactory

    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = value
    request = RequestFactory().get("/", query)
    request.user = user
    view = view_class()
    view.setup(request)
    filterset = view.get_filterset(view.get_filterset_class())
    # As the page shows it: a filter value the user may not ask for (another school) gives no rows.
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    table = view.get_table_class()(queryset, **view.get_table_kwargs())
    RequestConfig(request, paginate=False).configure(table)
    header, rows = table_rows(table)
    rendered = render_rows(title=view.title, header=header, rows=rows, fmt=fmt)
    # The journal keeps the list's own filters and its sorting, not every parameter of the URL.
    known = {*filterset.filters, table.prefixed_order_by_field}
    filters = {key: cut(value, JOURNAL_FILTER_MAX) for key, value in params.items() if key in known}
    log_export(user=user, title=view.title, rows=rendered.rows, fmt=fmt, filters=filters, personal=view.export_personal)
    return rendered


def file_response(rendered: Rendered) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    ascii_name = rendered.filename.encode("ascii", "ignore").decode().strip()
    if not re.search(r"[A-Za-z0-9]", ascii_name.rsplit(".", 1)[0]):
        ascii_name = "export." + rendered.filename.rsplit(".", 1)[-1]
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(rendered.filename)}"
    )
    return response


def log_export(*, user, title: str, rows: int, fmt: str, filters: dict | None = None, personal: bool = True) -> None:
    """Journal an export (docs/product.md «Personal data»: exports of personal data are logged)."""
    audit_log(
        actor=user,
        action=AuditAction.EXPORT,
        object_repr=title,
        data={"list": title, "format": fmt, "rows": rows, "filters": filters or {}, "personal_data": personal},
    )


__all__ = [
    "EXPORTABLE_LISTS",
    "FORMATS",
    "Rendered",
    "csv_text",
    "file_response",
    "log_export",
    "register_list",
    "render_rows",
]
