"""The worker's side of the documents (issue 10 §4: «Generation runs in the request for small
documents and in the worker with a progress bar for large ones (an order with hundreds of pairs,
the region's report)»):

- `issue_document`: a large draft of the register issued (core.issuing.document_issue);
- `print_document`: a large document printed on demand (core.models.PrintJob: a municipality's
  consolidated report of hundreds of schools) laid out for the person who asked.

A job ends in a final state whatever happens to its task, as an import does (core.tasks): the
task stops itself after DOCUMENT_JOB_TIMEOUT; while it runs, a thread beats a heartbeat; and
`sweep_stuck_documents`, which the worker runs at start-up and every minute, ends in «Ошибка» a
job whose worker died (the page would otherwise say «Формируется» for ever), whose task was
lost, or which ran too long. `purge_expired_prints` deletes the printed files after
PRINT_RETENTION_HOURS.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from core import documents
from core.models import IssuedDocument, PrintJob
from core.tasks import JobTimeout, Stuck, deadline, duration, heartbeat, mark_result_lost, stuck_reason, task_results

logger = logging.getLogger(__name__)
Job = IssuedDocument.Job
P = PrintJob.Status

#: Write progress at most this often (seconds), and whenever it moves by this many percent.
PROGRESS_INTERVAL = 0.5


def internal_error_message() -> str:
    return "Внутренняя ошибка при формировании документа: сообщите администратору."


def stuck_message(stuck: str, again: str) -> str:
    """What the page says of a job the sweep ended; `again`: what the person does next."""
    return {
        Stuck.ENDED: f"формирование прервалось из-за внутренней ошибки портала. {again}",
        Stuck.QUEUE_LOST: f"формирование не началось: задача фоновой обработки потерялась. {again}",
        Stuck.WORKER_LOST: (
            f"формирование прервалось: фоновый обработчик остановился (перезапуск сервера или нехватка памяти). {again}"
        ),
        Stuck.TIMEOUT: timeout_message(again),
    }[stuck]


def timeout_message(again: str) -> str:
    return f"формирование шло дольше {duration(settings.DOCUMENT_JOB_TIMEOUT)} и остановлено. {again}"


ISSUE_AGAIN = "Издайте документ ещё раз."
PRINT_AGAIN = "Сформируйте документ ещё раз; если ошибка повторится, сообщите администратору."


def throttled(write: Callable[[int], None]) -> Callable[[int], None]:
    """`write` the percentage when it moved and PROGRESS_INTERVAL passed (or it is a stage's end):
    a database write per page would cost more than the page."""
    last = {"percent": -1, "at": 0.0}

    def progress(percent: int) -> None:
        now = time.monotonic()
        stage = percent in (documents.PROGRESS_HTML, documents.PROGRESS_LAYOUT, documents.PROGRESS_PDF)
        if percent != last["percent"] and (stage or now - last["at"] >= PROGRESS_INTERVAL):
            last.update(percent=percent, at=now)
            write(percent)

    return progress


# --- The register's large drafts ----------------------------------------------------------------


@task()
def issue_document(document_id: int, number: str, date: str, user_id: int) -> dict:
    """Issue the draft as `core.issuing.document_issue` does, the progress written as it goes; a
    refusal (a rule a pair breaks, a number taken meanwhile) is kept on the document for its page."""
    from core.issuing import document_issue

    now = timezone.now()
    claimed = IssuedDocument.objects.filter(pk=document_id, job=Job.QUEUED).update(
        job=Job.RUNNING, progress=1, job_started_at=now, job_heartbeat_at=now
    )
    if not claimed:
        return {"status": "skipped"}  # ended by the sweep, or run already
    running = IssuedDocument.objects.filter(pk=document_id, job=Job.RUNNING)
    document = IssuedDocument.objects.get(pk=document_id)
    user = get_user_model().objects.get(pk=user_id)

    def write(percent: int) -> None:
        running.update(progress=percent, job_heartbeat_at=timezone.now())

    def fail(text: str) -> None:
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        running.update(job=Job.FAILED, job_failure=text)

    try:
        with deadline(settings.DOCUMENT_JOB_TIMEOUT), heartbeat(running, f"document-{document_id}", "job_heartbeat_at"):
            document_issue(
                document=document,
                number=number,
                date=datetime.date.fromisoformat(date),
                user=user,
                progress=throttled(write),
            )
    except (ValidationError, PermissionDenied) as refused:
        fail(" ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused))
        return {"status": "refused"}
    except JobTimeout:
        logger.warning("Document %s: the issue ran longer than %s s", document_id, settings.DOCUMENT_JOB_TIMEOUT)
        fail(timeout_message(ISSUE_AGAIN))
        return {"status": "failed"}
    except Exception:
        logger.exception("Document %s: the issue raised", document_id)
        fail(internal_error_message())
        return {"status": "failed"}
    return {"status": "issued"}


# --- Printed on demand ----------------------------------------------------------------------------


def print_later(*, user, kind: documents.DocumentKind, filters: dict, personal: bool, back_url: str) -> PrintJob:
    """Write the document's HTML now (the data as they are when the person asks, within their
    scope, checked by the view) and hand its layout to the worker; the job's page shows the
    progress and then the download."""
    context = kind.full_context()
    rendered_html = kind.html(context=context)
    job = PrintJob.objects.create(
        user=user,
        kind=kind.code,
        title=kind.title,
        filename=kind.filename(),
        html=rendered_html,
        expected_pages=kind.expected_pages(),
        rows=kind.count(context),
        filters=filters,
        personal=personal,
        back_url=back_url,
    )
    try:
        result = print_document.enqueue(job_id=job.pk)
    except Exception:
        PrintJob.objects.filter(pk=job.pk).update(
            status=P.FAILED, failure="Не удалось поставить документ в очередь: попробуйте ещё раз.", html=""
        )
        raise
    PrintJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))
    job.refresh_from_db()
    return job


@task()
def print_document(job_id: int) -> dict:
    """Lay out a PrintJob's HTML as PDF, the progress by pages; keep the file for its download."""
    now = timezone.now()
    if not PrintJob.objects.filter(pk=job_id, status=P.QUEUED).update(
        status=P.RUNNING, progress=1, started_at=now, heartbeat_at=now
    ):
        return {"status": "skipped"}
    running = PrintJob.objects.filter(pk=job_id, status=P.RUNNING)
    job = PrintJob.objects.get(pk=job_id)

    def write(percent: int) -> None:
        running.update(progress=percent, heartbeat_at=timezone.now())

    def fail(text: str) -> dict:
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        running.update(status=P.FAILED, failure=text, finished_at=timezone.now(), html="")
        return {"status": "failed"}

    try:
        with deadline(settings.DOCUMENT_JOB_TIMEOUT), heartbeat(running, f"print-{job_id}"):
            content, pages = documents.render_pdf_pages(
                job.html, progress=throttled(write), expected_pages=job.expected_pages
            )
    except JobTimeout:
        logger.warning("Print job %s ran longer than %s s", job_id, settings.DOCUMENT_JOB_TIMEOUT)
        return fail(timeout_message(PRINT_AGAIN))
    except Exception:
        logger.exception("Print job %s raised", job_id)
        return fail(internal_error_message())
    field = PrintJob._meta.get_field("file")
    stored = field.storage.save(field.generate_filename(job, f"print-{job.pk}.pdf"), ContentFile(content))
    with transaction.atomic():
        done = running.update(
            status=P.DONE,
            progress=100,
            file=stored,
            pages=pages,
            size=len(content),
            html="",
            finished_at=timezone.now(),
        )
    if not done:  # the sweep gave up on it meanwhile: no file without its job
        field.storage.delete(stored)
        return {"status": "taken away"}
    return {"status": "done", "pages": pages}


# --- The sweep and the retention ---------------------------------------------------------------


def sweep_stuck_documents(*, startup: bool = False, own_worker_id: str | None = None, now=None) -> list:
    """End in «Ошибка» the document jobs that cannot finish any more (core.tasks.stuck_reason): a
    draft being issued, a document being printed; return them. A draft stays a draft: its
    page offers to issue it again."""
    now = now or timezone.now()
    drafts = list(IssuedDocument.objects.filter(job__in=(Job.QUEUED, Job.RUNNING)).order_by("pk"))
    prints = list(PrintJob.objects.filter(status__in=PrintJob.RUNNING).order_by("pk"))
    results = task_results([d.job_task_id for d in drafts] + [p.task_id for p in prints])
    # Each job: what it is, its task, its times for `stuck_reason`, what the person does next, and
    # how it is ended (on condition it is still where the sweep found it).
    candidates = [
        (
            draft,
            draft.job_task_id,
            {
                "created_at": draft.job_heartbeat_at or draft.prepared_at,  # the heartbeat is set when it is queued
                "started_at": draft.job_started_at if draft.job == Job.RUNNING else None,
                "heartbeat_at": draft.job_heartbeat_at,
            },
            ISSUE_AGAIN,
            IssuedDocument.objects.filter(pk=draft.pk, job=draft.job, status=IssuedDocument.Status.DRAFT),
            lambda text: {"job": Job.FAILED, "job_failure": text},
        )
        for draft in drafts
    ] + [
        (
            job,
            job.task_id,
            {"created_at": job.created_at, "started_at": job.started_at, "heartbeat_at": job.heartbeat_at},
            PRINT_AGAIN,
            PrintJob.objects.filter(pk=job.pk, status=job.status),
            lambda text: {"status": P.FAILED, "failure": text, "finished_at": now, "html": ""},
        )
        for job in prints
    ]
    swept = []
    for job, task_id, times, again, still_there, failed in candidates:
        result = results.get(task_id)
        stuck = stuck_reason(
            **times,
            result=result,
            limit_seconds=settings.DOCUMENT_JOB_TIMEOUT,
            startup=startup,
            own_worker_id=own_worker_id,
            now=now,
        )
        if stuck is None:
            continue
        text = stuck_message(stuck, again)
        with transaction.atomic():
            ended = still_there.update(**failed(text))
            if ended and stuck == Stuck.WORKER_LOST:
                mark_result_lost(result, now)
        if ended:
            logger.warning("%s %s ended by the sweep: %s", type(job).__name__, job.pk, text)
            swept.append(job)
    return swept


def purge_expired_prints(*, dry_run: bool = False, now=None) -> list[str]:
    """Delete the print jobs older than PRINT_RETENTION_HOURS with their files (the documents were
    printed for one person to download; what they downloaded is in the journal); return a line
    per job."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.PRINT_RETENTION_HOURS)
    expired = PrintJob.objects.filter(created_at__lt=cutoff).exclude(status__in=PrintJob.RUNNING).order_by("pk")
    lines = []
    for job in expired.select_related("user"):
        lines.append(f"№ {job.pk} «{job.title}» от {timezone.localtime(job.created_at):%d.%m.%Y %H:%M} ({job.user})")
        if dry_run:
            continue
        name = job.file.name
        if PrintJob.objects.filter(pk=job.pk).delete()[0] and name:
            job.file.storage.delete(name)
    return lines
