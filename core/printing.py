"""A document printed on demand and handed to the browser (issue 10): the kinds that are not acts
of their issuer (`DocumentKind.registered = False` — a pair's card, the completion reports, a
recognition, the coverage form) are rendered in the request and never kept; what is kept is the
journal line of every download, since they name people, minors among them (docs/product.md
«Personal data»)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.db import models
from django.http import HttpResponseRedirect

from core.audit import audit_log
from core.choices import AuditAction
from core.document_tasks import print_later
from core.documents import DocumentKind
from core.exporting import file_response, log_export
from core.russian import plural_form

logger = logging.getLogger(__name__)


def printed_download(request, kind: DocumentKind, *, obj: models.Model | None = None, filters: dict | None = None,
                     personal: bool = True, back_url: str = ""):  # fmt: skip
    """The kind's PDF as an attachment, journalled: on `obj`'s history when the paper is about one
    record (a pair), else as an export with the `filters` asked for (a school's coverage form).

    A document larger than its kind's `worker_items` is not laid out in the request (issue 10:
    «in the worker with a progress bar for large ones»; a consolidated report of 1,300 schools
    takes half a minute, bench/coverage_bench.py --pdf): its HTML is written now and the worker
    lays it out (core.document_tasks.print_later); the user goes to the job's page, which shows
    the progress and then the download, and links back to `back_url`."""
    if obj is None and kind.size() > kind.worker_items:
        try:
            job = print_later(user=request.user, kind=kind, filters=filters or {}, personal=personal, back_url=back_url)
        except Exception:
            logger.exception("A print job could not be queued")
            messages.error(request, "Не удалось поставить документ в очередь на формирование: попробуйте ещё раз.")
            return HttpResponseRedirect(back_url or "/")
        rows = f"{kind.size()} {plural_form(kind.size(), 'строку,строки,строк')}"
        messages.info(request, f"«{kind.title}» на {rows} формируется в фоне: это займёт до минуты.")
        return HttpResponseRedirect(job.get_absolute_url())
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
