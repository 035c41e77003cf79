"""Background work: imports run in the worker (`manage.py db_worker`), with progress."""

import time

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.importing import IMPORTERS, FileRejected, run_import
from core.models import ImportJob

#: Write progress at most this often (seconds): a row count per update would cost more than the work.
PROGRESS_INTERVAL = 0.5


@task()
def run_import_job(job_id: int, save: bool) -> dict:
    """Check (save=False) or check and save (save=True) the file of an ImportJob."""
    job = ImportJob.objects.select_related("user", "organization").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.SAVING if save else ImportJob.Status.CHECKING, rows_done=0
    )
    last = [0.0]

    def progress(done: int, expected: int | None) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL:
            last[0] = now
            ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_expected=expected)

    try:
        importer = IMPORTERS[job.kind](user=job.user, organization=job.organization)
        with job.file.open("rb") as handle:
            content = handle.read()
        result = run_import(importer, name=job.original_name, content=content, dry_run=not save, progress=progress)
        data = result.as_dict()
    except FileRejected as rejected:
        data = {
            "kind": job.kind,
            "saved": False,
            "summary": {},
            "errors": [],
            "error_count": 0,
            "ignored_columns": [],
            "file_error": rejected.message,
            "source": {"name": job.original_name},
        }
    if data["saved"]:
        status = ImportJob.Status.DONE
    elif data["file_error"] or data["error_count"]:
        status = ImportJob.Status.FAILED if save or data["file_error"] else ImportJob.Status.CHECKED
    else:
        status = ImportJob.Status.CHECKED
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=status,
            result=data,
            finished_at=timezone.now(),
            rows_done=data.get("summary", {}).get("rows", 0),
        )
    return {"status": status, "summary": data.get("summary", {})}
