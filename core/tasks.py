"""Background work: imports run in the worker (`manage.py worker`), with progress, and a job never
stays stuck.

A job ends in a final state whatever happens to its task (issue 6 §1):
- the task catches what its check or save raises and ends the job in «Ошибка» with the reason;
- a check or a save that runs longer than IMPORT_JOB_TIMEOUT is stopped by an alarm (in the
  worker's main thread) and ends the same way;
- while a task runs, a thread beats a heartbeat on the job; a job whose worker died (killed,
  out of memory, the machine restarted) stops beating, and `sweep_stuck_jobs`, which the worker
  runs at start-up and every minute, ends it in «Ошибка». At start-up it also recognises a job
  of a worker process on the same machine that no longer exists, without waiting;
- the save writes the job's «Загружен» in its own transaction, on condition that the job is
  still «Сохраняется»: a save that the sweep gave up on rolls back, so a job never says
  «Ошибка» over saved data.

Files are kept IMPORT_RETENTION_DAYS days; `purge_expired_imports` (the command
`purge_expired`, run by the worker daily) deletes them and keeps the job's summary.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import task

from core.importing import IMPORTERS, FileRejected, ImportResult, run_import
from core.models import ImportJob

logger = logging.getLogger(__name__)

#: Write progress at most this often (seconds): a row count per update would cost more than the work.
PROGRESS_INTERVAL = 0.5
#: How often a running task says it is alive, and after how long without a word its worker is
#: taken for dead (a save on SQLite holds the database for a while: the heartbeat waits for it).
HEARTBEAT_SECONDS = 15
STALE_SECONDS = 120
#: How long a new job may wait for its task to be enqueued before the task counts as lost.
QUEUE_GRACE_SECONDS = 120

S = ImportJob.Status
STAGES = {
    False: ("Проверка", "прервалась", "шла", "остановлена"),
    True: ("Сохранение", "прервалось", "шло", "остановлено"),
}


class JobTimeout(Exception):
    """The check or the save ran longer than IMPORT_JOB_TIMEOUT."""


class JobTakenAway(Exception):
    """The job was ended by the sweep while its task still ran: the task's work is dropped."""


class WorkerLost(Exception):
    """Recorded on a task result whose worker died while running it."""


# Messages -------------------------------------------------------------------------------------


def duration(seconds: int) -> str:
    """600 → «10 минут», 1 → «1 секунды», 3600 → «1 часа»: a duration after «дольше»."""
    for size, one, many in ((3600, "часа", "часов"), (60, "минуты", "минут"), (1, "секунды", "секунд")):
        if seconds % size == 0:
            count = seconds // size
            word = one if count % 10 == 1 and count % 100 != 11 else many
            return f"{count} {word}"
    return f"{seconds} секунд"


def internal_error_message(save: bool) -> str:
    stage, broke, *_ = STAGES[save]
    return (
        f"{stage} {broke} из-за внутренней ошибки портала. Ничего не сохранено. Загрузите файл заново; если "
        "ошибка повторится, сообщите администратору (время загрузки поможет найти подробности в журнале сервера)."
    )


def timeout_message(save: bool, seconds: int | None = None) -> str:
    stage, _, went, stopped = STAGES[save]
    seconds = seconds or settings.IMPORT_JOB_TIMEOUT
    return (
        f"{stage} {went} дольше {duration(seconds)} и {stopped}. Ничего не сохранено. Разделите файл на части "
        "поменьше и загрузите их по очереди."
    )


def worker_lost_message(save: bool) -> str:
    stage, broke, *_ = STAGES[save]
    return (
        f"{stage} {broke}: фоновый обработчик остановился (перезапуск сервера или нехватка памяти). "
        "Ничего не сохранено. Загрузите файл заново."
    )


def stopped_message(save: bool) -> str:
    stage, broke, *_ = STAGES[save]
    return f"{stage} {broke}: фоновый обработчик остановили. Ничего не сохранено. Загрузите файл заново."


def queue_lost_message(save: bool) -> str:
    stage = STAGES[save][0]
    began = "не началось" if save else "не началась"
    return f"{stage} {began}: задача фоновой обработки потерялась. Ничего не сохранено. Загрузите файл заново."


# The task -------------------------------------------------------------------------------------


@task()
def run_import_job(job_id: int, save: bool) -> dict:
    """Check (save=False) or check and save (save=True) the file of an ImportJob, and end the job
    in a final state whatever happens."""
    running = S.SAVING if save else S.CHECKING
    now = timezone.now()
    # The page queued the save as «Сохраняется» without a start; a check waits as «В очереди».
    waiting = {"status": S.SAVING, "started_at__isnull": True} if save else {"status": S.QUEUED}
    if not ImportJob.objects.filter(pk=job_id, **waiting).update(
        status=running, rows_done=0, started_at=now, heartbeat_at=now
    ):
        return {"status": "skipped"}  # ended by the sweep, or run already
    job = ImportJob.objects.select_related("user", "organization").get(pk=job_id)
    try:
        with deadline(settings.IMPORT_JOB_TIMEOUT), _heartbeat(job.pk):
            status, data = _run(job, save)
    except JobTakenAway:
        return {"status": "taken away"}
    except JobTimeout:
        if not connection.in_atomic_block:
            connection.close()  # the alarm may have cut a query short: the next one reconnects
        logger.warning(
            "Import job %s: the %s ran longer than %s s",
            job.pk,
            "save" if save else "check",
            settings.IMPORT_JOB_TIMEOUT,
        )
        return _end(job, running, S.FAILED, failure=timeout_message(save))
    except Exception:
        logger.exception("Import job %s: the %s raised", job.pk, "save" if save else "check")
        return _end(job, running, S.FAILED, failure=internal_error_message(save))
    except BaseException:  # the worker is being stopped (a second Ctrl-C, SIGTERM)
        _end(job, running, S.FAILED, failure=stopped_message(save))
        raise
    if status == S.DONE:
        return {"status": status, "summary": data.get("summary", {})}  # written with the save
    return _end(job, running, status, data=data)


def _run(job: ImportJob, save: bool) -> tuple[str, dict]:
    """The check or the save; for a save that succeeds the job's «Загружен» is written in the
    save's own transaction, on condition that nobody ended the job meanwhile."""
    last = [0.0]

    def progress(done: int, expected: int | None) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL:
            last[0] = now
            ImportJob.objects.filter(pk=job.pk).update(
                rows_done=done, rows_expected=expected, heartbeat_at=timezone.now()
            )

    def commit(result: ImportResult) -> None:
        data = result.as_dict()
        finished = ImportJob.objects.filter(pk=job.pk, status=S.SAVING).update(
            status=S.DONE, result=data, finished_at=timezone.now(), rows_done=data["summary"].get("rows", 0)
        )
        if not finished:
            raise JobTakenAway

    try:
        importer = IMPORTERS[job.kind].create(user=job.user, organization=job.organization, options=job.options)
        if not job.file:
            raise FileRejected(f"Файл «{job.original_name}» уже удалён: загрузите его заново.")
        with job.file.open("rb") as handle:
            content = handle.read()
        result = run_import(
            importer,
            name=job.original_name,
            content=content,
            dry_run=not save,
            progress=progress,
            before_commit=commit if save else None,
        )
        data = result.as_dict()
    except FileRejected as rejected:
        data = ImportResult(job.kind, False, {}, [], [], rejected.message, {"name": job.original_name}).as_dict()
    if data["saved"]:
        return S.DONE, data
    if data["file_error"] or data["error_count"]:
        return S.REJECTED, data
    return S.CHECKED, data


def _end(job: ImportJob, running: str, status: str, *, data: dict | None = None, failure: str = "") -> dict:
    """Write the job's final state, unless someone ended it first; a result the database refuses
    to store still ends the job, in «Ошибка»."""
    fields = {"status": status, "finished_at": timezone.now(), "failure": failure}
    if data is not None:
        fields.update(result=data, rows_done=data.get("summary", {}).get("rows", 0))
    if not connection.in_atomic_block:
        close_old_connections()  # a connection the task's error left unusable is replaced
    try:
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk, status=running).update(**fields)
    except DatabaseError:
        logger.exception("Import job %s: its result could not be stored", job.pk)
        fields = {
            "status": S.FAILED,
            "finished_at": timezone.now(),
            "failure": internal_error_message(running == S.SAVING),
        }
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk, status=running).update(**fields)
    return {"status": fields["status"]}


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Raise JobTimeout in this thread after `seconds`. Signals reach only the main thread, which
    is where a worker runs its tasks; elsewhere the sweep's limit is the only one."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise JobTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _heartbeat(job_id: int) -> Iterator[None]:
    """Beat the import job's `heartbeat_at` while it runs (`heartbeat`)."""
    with heartbeat(ImportJob.objects.filter(pk=job_id, status__in=ImportJob.RUNNING), f"import-job-{job_id}"):
        yield


@contextlib.contextmanager
def heartbeat(running, name: str, field: str = "heartbeat_at") -> Iterator[None]:
    """Write now into `field` of the `running` queryset (the job, while it is still running) every
    HEARTBEAT_SECONDS from a thread: a job that stops beating lost its worker (an import's check,
    or WeasyPrint laying out a long document, may spend minutes in one call)."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                try:
                    running.update(**{field: timezone.now()})
                except DatabaseError:  # the database is busy with the save: the next beat will do
                    logger.info("%s: heartbeat skipped", name, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"{name}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


# The sweep ------------------------------------------------------------------------------------


def worker_host() -> str:
    return socket.gethostname()[:40] or "localhost"


def worker_id() -> str:
    """«host:pid:random»: unique in the pool, and telling the sweep where the worker ran."""
    return f"{worker_host()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _process_gone(claimed_by: str, own_id: str | None) -> bool:
    """Whether the worker that claimed a task ran on this machine and is no longer there."""
    host, _, rest = claimed_by.partition(":")
    pid, _, _ = rest.partition(":")
    if host != worker_host() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return claimed_by != own_id  # an earlier process with this pid (a restarted container)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


class Stuck:
    """Why a job in the background cannot finish any more (`stuck_reason`)."""

    ENDED = "ended"  # its task ended without ending the job
    QUEUE_LOST = "queue lost"  # its task never started and is gone from the queue
    WORKER_LOST = "worker lost"  # its worker died while running it
    TIMEOUT = "timeout"  # it runs longer than its limit


def stuck_reason(
    *, created_at, started_at, heartbeat_at, result, limit_seconds: int, startup: bool, own_worker_id, now
) -> str | None:
    """Whether a job still queued or running can no longer finish, and why (a `Stuck` value); None
    while it may. `result` is its task's result in the queue (django-tasks-db), if any:
    - the task ended (successfully or not) without ending the job;
    - a job not started, whose task is not in the queue for QUEUE_GRACE_SECONDS;
    - a job started without a sign of life (`heartbeat_at`) for STALE_SECONDS, or, at a worker's
      start-up, whose worker process on this machine is gone;
    - a job started longer than `limit_seconds` + a heartbeat ago (its own alarm did not stop it)."""
    if result is not None and result.status in ("SUCCESSFUL", "FAILED"):
        return Stuck.QUEUE_LOST if started_at is None else Stuck.ENDED
    if result is not None and result.status == "READY":
        return None  # waiting in line
    if started_at is None:
        queued_since = heartbeat_at or created_at
        if result is None and queued_since < now - datetime.timedelta(seconds=QUEUE_GRACE_SECONDS):
            return Stuck.QUEUE_LOST
        return None
    sign_of_life = heartbeat_at or started_at
    gone = startup and bool(claimed_by(result)) and _process_gone(claimed_by(result), own_worker_id)
    if gone or sign_of_life < now - datetime.timedelta(seconds=STALE_SECONDS):
        return Stuck.WORKER_LOST
    if started_at < now - datetime.timedelta(seconds=limit_seconds + HEARTBEAT_SECONDS):
        return Stuck.TIMEOUT
    return None


def claimed_by(result) -> str:
    """The worker that took the task («host:pid:random»), or ""."""
    return result.worker_ids[-1] if result is not None and result.worker_ids else ""


def mark_result_lost(result, now) -> None:
    """The task result of a dead worker is marked failed, so the queue's admin tells the truth."""
    if result is not None and result.status == "RUNNING":
        type(result).objects.filter(pk=result.pk, status="RUNNING").update(
            status="FAILED",
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"The worker {claimed_by(result) or '?'} stopped while running this task (found by the sweep).",
        )


def task_results(task_ids) -> dict[str, object]:
    """The queue's results of these task ids (strings; a malformed one is skipped), by id."""
    from django_tasks_db.models import DBTaskResult

    ids = []
    for task_id in task_ids:
        with contextlib.suppress(ValueError, TypeError, AttributeError):
            ids.append(uuid.UUID(task_id))
    return {str(result.pk): result for result in DBTaskResult.objects.filter(pk__in=ids)}


def sweep_stuck_jobs(*, startup: bool = False, own_worker_id: str | None = None, now=None) -> list[ImportJob]:
    """End in «Ошибка» the import jobs that cannot finish any more (`stuck_reason`); return them."""
    now = now or timezone.now()
    jobs = list(ImportJob.objects.filter(status__in=ImportJob.RUNNING).order_by("pk"))
    results = task_results(job.task_id for job in jobs)
    swept = []
    for job in jobs:
        result = results.get(job.task_id)
        save = job.status == S.SAVING
        stuck = stuck_reason(
            created_at=job.created_at,
            started_at=job.started_at,
            heartbeat_at=job.heartbeat_at,
            result=result,
            limit_seconds=settings.IMPORT_JOB_TIMEOUT,
            startup=startup,
            own_worker_id=own_worker_id,
            now=now,
        )
        if stuck is None:
            continue
        reason = {
            Stuck.ENDED: internal_error_message(save),
            Stuck.QUEUE_LOST: queue_lost_message(save),
            Stuck.WORKER_LOST: worker_lost_message(save),
            Stuck.TIMEOUT: timeout_message(save),
        }[stuck]
        with transaction.atomic():
            ended = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=S.FAILED, failure=reason, finished_at=now
            )
            if ended and stuck == Stuck.WORKER_LOST:
                mark_result_lost(result, now)
        if ended:
            logger.warning("Import job %s ended by the sweep: %s", job.pk, reason)
            job.status, job.failure, job.finished_at = S.FAILED, reason, now
            swept.append(job)
    return swept


# Retention --------------------------------------------------------------------------------------


@dataclass
class PurgeReport:
    """What `purge_expired_imports` removed (or would remove): a line per file."""

    files: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.files) + len(self.orphans)


def purge_expired_imports(*, dry_run: bool = False, now=None) -> PurgeReport:
    """Delete the files of imports older than IMPORT_RETENTION_DAYS and keep the jobs' summaries
    (152-ФЗ: personal data is kept no longer than its purpose needs); files under imports/ that
    no job names any more (their job was deleted with its user) go too once as old. Each deleted
    file of a job is journalled."""
    from core.audit import audit_log
    from core.choices import AuditAction

    now = now or timezone.now()
    days = settings.IMPORT_RETENTION_DAYS
    cutoff = now - datetime.timedelta(days=days)
    report = PurgeReport()
    expired = (
        ImportJob.objects.filter(created_at__lt=cutoff, file_deleted_at__isnull=True)
        .exclude(file="")
        .exclude(status__in=ImportJob.RUNNING)
        .select_related("user")
        .order_by("pk")
    )
    for job in expired:
        report.files.append(
            f"№ {job.pk} «{job.original_name}» от {timezone.localtime(job.created_at):%d.%m.%Y} "
            f"({job.user.get_username()}): {job.file.name}"
        )
        if dry_run:
            continue
        name = job.file.name
        with transaction.atomic():
            if ImportJob.objects.filter(pk=job.pk, file_deleted_at__isnull=True).update(file="", file_deleted_at=now):
                audit_log(
                    actor=None,
                    action=AuditAction.DELETE,
                    obj=job,
                    object_repr=f"файл загрузки «{job.original_name}»",
                    data={"file": name, "reason": f"срок хранения {days} дней истёк"},
                )
                transaction.on_commit(lambda name=name: default_storage.delete(name))
    referenced = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    for name in _stored_imports("imports"):
        if name in referenced:
            continue
        try:
            modified = default_storage.get_modified_time(name)
        except (OSError, NotImplementedError):
            continue
        if modified < cutoff:
            report.orphans.append(name)
            if not dry_run:
                default_storage.delete(name)
    return report


def _stored_imports(folder: str) -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored_imports(f"{folder}/{sub}")
