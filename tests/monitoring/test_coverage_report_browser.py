"""A consolidated report too large for the request, in a real browser (issue 10 §4: «in the worker
with a progress bar for large ones (… the region's report)»): the coordinator asks for the PDF on
the coverage page, lands on the job's page, which says the document waits in the queue; the
worker lays it out, the page sees it by itself (htmx polling under the strict CSP) and offers the
download, which is the report."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from core import document_tasks
from core.models import PrintJob
from core.testing.browser import log_in
from core.testing.documents import pdf_text
from monitoring.kinds import ConsolidatedReport
from tests.monitoring.test_campaign_browser import municipality  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Queue:
    """The worker's queue held back: the test runs the task when the page is open."""

    def __init__(self):
        self.jobs = []

    def enqueue(self, *, job_id):
        self.jobs.append(job_id)
        return type("Result", (), {"id": f"held-{job_id}"})()


def test_a_large_report_is_laid_out_in_the_background_and_downloaded(live_server, page, municipality, monkeypatch):  # noqa: F811
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    monkeypatch.setattr(ConsolidatedReport, "worker_items", 1)  # the two schools: more than a request prints
    task, queue = document_tasks.print_document, Queue()
    monkeypatch.setattr(document_tasks, "print_document", queue)

    log_in(page, live_server, "coordinator")
    menu = page.get_by_role("navigation", name="Главное меню")
    menu.get_by_role("button", name="Мониторинг").click()
    menu.get_by_role("link", name="Охват наставничеством").click()
    page.get_by_role("link", name="Скачать PDF").click()

    expect(page.get_by_text("«Сводный отчёт об охвате наставничеством» на 2 строки формируется в фоне")).to_be_visible()
    expect(page.get_by_text("Документ формируется (в очереди): 0 %")).to_be_visible()
    (job_id,) = queue.jobs
    assert task.call(job_id=job_id)["status"] == "done"  # what the worker does

    download_link = page.get_by_role("link", name="Скачать PDF")
    expect(page.get_by_text("Документ готов: PDF, 1 страница")).to_be_visible(timeout=5000)
    with page.expect_download() as downloaded:
        download_link.click()
    assert downloaded.value.suggested_filename == "Охват наставничеством Кореновский район.pdf"
    text = pdf_text(Path(downloaded.value.path()).read_bytes())
    assert "Итого по муниципалитету (без повторов)" in text and "МБОУ «СОШ № 2»" in text
    assert PrintJob.objects.get(pk=job_id).status == PrintJob.Status.DONE
    assert not [error for error in errors if "Content Security Policy" in error], errors
