"""Documents in the worker (core.document_tasks): a large document printed on demand (PrintJob)
with a progress bar by pages, its page and its download for the person who asked only; and, as
for imports, no document job stays «Формируется» for ever — the sweep ends the ones whose worker
died, whose task was lost or that ran too long; printed files go after PRINT_RETENTION_HOURS."""

from __future__ import annotations

import datetime
import io
import time
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import document_tasks, documents, tasks
from core.models import IssuedDocument, PrintJob

pytestmark = pytest.mark.django_db

P = PrintJob.Status
LONG_HTML = "<html><body>" + "".join(f"<p>Строка {n}</p>" for n in range(400)) + "</body></html>"


def _ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def _print_job(user, status=P.QUEUED, **fields) -> PrintJob:
    return PrintJob.objects.create(
        user=user, kind="coverage_report", title="Сводный отчёт", filename="Отчёт.pdf", status=status, **fields
    )


def _draft(world, **fields) -> IssuedDocument:
    return IssuedDocument.objects.create(
        kind="pair_order", title="О закреплении наставнических пар", municipality=world.municipality,
        organization=world.school_a, **fields,
    )  # fmt: skip


def _task(status, *, worker_ids=()):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="core.document_tasks.print_document",
        backend_name="default",
        run_after=timezone.now(),
        worker_ids=list(worker_ids),
        started_at=timezone.now() if status == "RUNNING" else None,
    )


# The progress by pages ---------------------------------------------------------------------


def test_the_progress_moves_with_each_page_laid_out_up_to_the_stages():
    heard = []
    _content, pages = documents.render_pdf_pages(LONG_HTML, progress=heard.append, expected_pages=10)
    assert pages > 10  # the estimate was short: the bar waits below the layout's end
    layout = heard[:-2]
    assert heard[-2:] == [documents.PROGRESS_LAYOUT, documents.PROGRESS_PDF]
    assert len(layout) >= 8 and layout == sorted(set(layout))
    assert layout[0] > documents.PROGRESS_HTML and layout[-1] < documents.PROGRESS_LAYOUT


def test_without_an_estimate_the_progress_moves_by_stages_only():
    heard = []
    documents.render_pdf_pages(LONG_HTML, progress=heard.append)
    assert heard == [documents.PROGRESS_LAYOUT, documents.PROGRESS_PDF]


def test_the_layout_share_never_reaches_its_end_before_the_layout_does():
    assert documents.layout_percent(0, 40) == documents.PROGRESS_HTML
    assert documents.layout_percent(20, 40) == 45
    assert documents.layout_percent(400, 40) < documents.PROGRESS_LAYOUT
    assert documents.layout_percent(3, 0) == documents.PROGRESS_HTML


# The job's page and its download -----------------------------------------------------------


def test_a_running_jobs_page_shows_its_progress_and_polls(client, world):
    job = _print_job(world.coordinator, P.RUNNING, progress=45, expected_pages=47, rows=1300, back_url="/monitoring/")
    client.force_login(world.coordinator)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Документ формируется: 45 % — около 47 страниц" in page
    assert f'hx-get="{job.get_absolute_url()}?part=job"' in page and 'href="/monitoring/"' in page
    assert client.get(reverse("print_job_file", args=[job.pk])).status_code == 404  # not laid out yet

    part = client.get(job.get_absolute_url(), {"part": "job"}, HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<div id="print-job"') and "<html" not in part

    PrintJob.objects.filter(pk=job.pk).update(status=P.FAILED, failure="формирование шло дольше 15 минут.")
    part = client.get(job.get_absolute_url(), {"part": "job"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Документ не сформирован: формирование шло дольше 15 минут." in part and "hx-get" not in part


@pytest.mark.parametrize("back_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_a_back_link_that_leaves_the_portal_is_not_shown(client, world, back_url):
    job = _print_job(world.coordinator, back_url=back_url)
    client.force_login(world.coordinator)
    assert "evil.example" not in client.get(job.get_absolute_url()).content.decode()


def test_the_task_lays_out_the_html_and_keeps_the_file_for_its_download(world):
    job = _print_job(world.coordinator, html=LONG_HTML, expected_pages=12, rows=400)
    result = document_tasks.print_document.call(job_id=job.pk)
    job.refresh_from_db()
    assert result == {"status": "done", "pages": job.pages}
    assert job.status == P.DONE and job.progress == 100 and job.pages > 10 and job.html == ""
    assert job.file.read().startswith(b"%PDF") and job.size == job.file.size
    assert document_tasks.print_document.call(job_id=job.pk) == {"status": "skipped"}  # run once only


def test_a_job_the_sweep_gave_up_on_keeps_no_file(world, monkeypatch):
    job = _print_job(world.coordinator, html=LONG_HTML)
    real = documents.render_pdf_pages

    def swept_meanwhile(html, progress=None, *, expected_pages=0):
        PrintJob.objects.filter(pk=job.pk).update(status=P.FAILED, failure="обработчик остановился")
        return real(html, progress, expected_pages=expected_pages)

    monkeypatch.setattr(documents, "render_pdf_pages", swept_meanwhile)
    assert document_tasks.print_document.call(job_id=job.pk) == {"status": "taken away"}
    job.refresh_from_db()
    assert job.status == P.FAILED and not job.file
    storage = PrintJob._meta.get_field("file").storage
    assert not storage.exists(f"prints/{timezone.now():%Y/%m}/print-{job.pk}.pdf")


def test_a_layout_longer_than_the_limit_is_stopped_with_a_message(world, settings, monkeypatch):
    settings.DOCUMENT_JOB_TIMEOUT = 1
    job = _print_job(world.coordinator, html=LONG_HTML)
    monkeypatch.setattr(documents, "render_pdf_pages", lambda *args, **kwargs: time.sleep(3))
    started = time.monotonic()
    assert document_tasks.print_document.call(job_id=job.pk) == {"status": "failed"}
    assert time.monotonic() - started < 2.5
    job.refresh_from_db()
    assert job.status == P.FAILED and job.html == ""
    assert job.failure == (
        "формирование шло дольше 1 секунды и остановлено. Сформируйте документ ещё раз; если ошибка повторится, "
        "сообщите администратору."
    )


def test_a_layout_that_raises_ends_the_job_with_a_message(world, monkeypatch):
    job = _print_job(world.coordinator, html=LONG_HTML)

    def broken(*args, **kwargs):
        raise documents.DocumentError("A document's static files are missing: css/documents.css")

    monkeypatch.setattr(documents, "render_pdf_pages", broken)
    assert document_tasks.print_document.call(job_id=job.pk) == {"status": "failed"}
    job.refresh_from_db()
    assert job.status == P.FAILED and "Внутренняя ошибка при формировании документа" in job.failure


# The sweep ---------------------------------------------------------------------------------


def test_the_sweep_ends_print_jobs_whose_worker_died_and_leaves_the_living(world):
    dead = _print_job(world.coordinator, P.RUNNING, started_at=_ago(minutes=5), heartbeat_at=_ago(minutes=3))
    alive = _print_job(world.coordinator, P.RUNNING, started_at=_ago(minutes=5), heartbeat_at=_ago(seconds=10))
    done = _print_job(world.coordinator, P.DONE, started_at=_ago(days=1), heartbeat_at=_ago(days=1))
    lost = _print_job(world.coordinator, P.QUEUED, task_id=str(uuid.uuid4()))
    PrintJob.objects.filter(pk=lost.pk).update(created_at=_ago(minutes=5))
    waiting = _print_job(world.coordinator, P.QUEUED, task_id=str(_task("READY").id))
    PrintJob.objects.filter(pk=waiting.pk).update(created_at=_ago(minutes=30))

    swept = {job.pk for job in document_tasks.sweep_stuck_documents()}

    assert swept == {dead.pk, lost.pk}
    dead.refresh_from_db()
    assert dead.status == P.FAILED and dead.finished_at is not None
    assert dead.failure == (
        "формирование прервалось: фоновый обработчик остановился (перезапуск сервера или нехватка памяти). "
        "Сформируйте документ ещё раз; если ошибка повторится, сообщите администратору."
    )
    assert PrintJob.objects.get(pk=lost.pk).failure.startswith("формирование не началось: задача фоновой обработки")
    assert {job.status for job in PrintJob.objects.filter(pk__in=(alive.pk, waiting.pk))} == {P.RUNNING, P.QUEUED}
    assert PrintJob.objects.get(pk=done.pk).status == P.DONE


def test_the_sweep_ends_a_drafts_issue_whose_worker_died_and_the_draft_stays_a_draft(world):
    host = tasks.worker_host()
    claimed = _task("RUNNING", worker_ids=[f"{host}:999999999:abc"])
    stale = _draft(
        world, job=IssuedDocument.Job.RUNNING, job_started_at=_ago(minutes=4), job_heartbeat_at=_ago(minutes=3)
    )
    gone = _draft(
        world, job=IssuedDocument.Job.RUNNING, job_task_id=str(claimed.id), job_started_at=_ago(seconds=20),
        job_heartbeat_at=_ago(seconds=5),
    )  # fmt: skip
    fresh = _draft(
        world, job=IssuedDocument.Job.RUNNING, job_started_at=_ago(seconds=20), job_heartbeat_at=_ago(seconds=5)
    )

    assert [d.pk for d in document_tasks.sweep_stuck_documents()] == [stale.pk]  # a running one: not at start-up
    assert [d.pk for d in document_tasks.sweep_stuck_documents(startup=True)] == [gone.pk]

    for draft in (stale, gone):
        draft.refresh_from_db()
        assert draft.is_draft and draft.job == IssuedDocument.Job.FAILED
        assert draft.job_failure.endswith("Издайте документ ещё раз.")
    claimed.refresh_from_db()
    assert claimed.status == "FAILED" and "stopped while running" in claimed.traceback
    assert IssuedDocument.objects.get(pk=fresh.pk).job == IssuedDocument.Job.RUNNING


def test_the_sweep_stops_a_document_that_runs_longer_than_the_limit(world, settings):
    settings.DOCUMENT_JOB_TIMEOUT = 600
    draft = _draft(
        world, job=IssuedDocument.Job.RUNNING, job_started_at=_ago(minutes=11), job_heartbeat_at=_ago(seconds=2)
    )
    assert document_tasks.sweep_stuck_documents() == [draft]
    draft.refresh_from_db()
    assert draft.job_failure == "формирование шло дольше 10 минут и остановлено. Издайте документ ещё раз."


def test_an_issued_document_is_never_marked_failed_by_the_sweep(world):
    issued = _draft(
        world, status=IssuedDocument.Status.ISSUED, number="1-ОД", date=datetime.date(2026, 9, 1),
        job=IssuedDocument.Job.RUNNING, job_started_at=_ago(hours=1), job_heartbeat_at=_ago(hours=1),
    )  # fmt: skip
    assert document_tasks.sweep_stuck_documents() == []
    assert IssuedDocument.objects.get(pk=issued.pk).job == IssuedDocument.Job.RUNNING


# The retention -----------------------------------------------------------------------------


def test_purge_deletes_printed_documents_after_their_hours_with_their_files(world, settings):
    settings.PRINT_RETENTION_HOURS = 24
    old = _print_job(world.coordinator, P.DONE)
    old.file.save("old.pdf", ContentFile(b"%PDF-1.7 old"))
    fresh = _print_job(world.coordinator, P.DONE)
    fresh.file.save("fresh.pdf", ContentFile(b"%PDF-1.7 fresh"))
    running = _print_job(world.coordinator, P.RUNNING)
    PrintJob.objects.filter(pk__in=(old.pk, running.pk)).update(created_at=_ago(hours=25))
    storage, old_name = old.file.storage, old.file.name

    out = io.StringIO()
    call_command("purge_expired", "--dry-run", stdout=out)
    assert f"Будет удалён сформированный документ № {old.pk} «Сводный отчёт»" in out.getvalue()
    assert PrintJob.objects.filter(pk=old.pk).exists() and storage.exists(old_name)

    out = io.StringIO()
    call_command("purge_expired", stdout=out)
    assert "Удалено сформированных документов: 1 (старше 24 ч)." in out.getvalue()
    assert set(PrintJob.objects.values_list("pk", flat=True)) == {fresh.pk, running.pk}
    assert not storage.exists(old_name) and storage.exists(fresh.file.name)
