"""A document printed on demand and handed to the browser (issue 10): the kinds that are not acts
of their issuer (`DocumentKind.registered = False` — a pair's card, the completion reports, a
recognition, the coverage form) are rendered in the request and never kept; what is kept is the
journal line of every download, since they name people, minors among them (docs/product.md
«Personal data»)."""

from __future__ import annotations

from django.contrib import messages
from django.db import models
from django.http import HttpResponseRedirect

from core.audit import audit_log
from core.choices import AuditAction
from core.documents import DocumentKind
from core.exporting import file_response, log_export


def printed_download(request, kind: DocumentKind, *, obj: models.Model | None = None, filters: dict | None = None,
                     personal: bool = True, back_url: str = ""):  # fmt: skip
    """The kind's PDF as an attachment, journalled: on `obj`'s history when the paper is about one
    record (a pair), else as an export with the `filters` asked for (a school's coverage form).

    A document larger than its kind's `worker_items` is not rendered in the request (issue 10:
    «in the worker with a progress bar for large ones»; a region's consolidated report of 1,300
    schools takes about a minute, bench/coverage_bench.py --pdf): the user goes back to `back_url`
    with a message saying what to download instead."""
    if back_url and kind.size() > kind.worker_items:
        messages.warning(
            request,
            f"«{kind.title}» на {kind.size()} строк слишком велик, чтобы напечатать его сразу: "
            "скачайте таблицу .xlsx или сузьте выборку.",
        )
        return HttpResponseRedirect(back_url)
    rendered = kind.pdf()
    data = {"document": kind.code, "title": kind.title, "format": "pdf", "filters": filters or {}}
    if warnings := kind.warnings():
        data["warnings"] = warnings
    if obj is not None:
        audit_log(actor=request.user, action=AuditAction.DOWNLOAD, obj=obj, data=data)
    else:
        log_export(
            user=request.user,
            title=rendered.filename.removesuffix(".pdf"),
            rows=rendered.rows,
            fmt="pdf",
            filters={"document": kind.code, **(filters or {})},
            personal=personal,
        )
    return file_response(rendered)
