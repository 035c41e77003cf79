"""The worker's side of the register: a large document issued in the background (issue 10 §4:
«Generation runs in the request for small documents and in the worker with a progress bar for
large ones»)."""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks import task

from core.models import IssuedDocument

logger = logging.getLogger(__name__)
Job = IssuedDocument.Job


@task()
def issue_document(document_id: int, number: str, date: str, user_id: int) -> dict:
    """Issue the draft as `core.issuing.document_issue` does, the progress written as it goes; a
    refusal (a rule a pair breaks, a number taken meanwhile) is kept on the document for its page."""
    from core.issuing import document_issue

    if not IssuedDocument.objects.filter(pk=document_id, job=Job.QUEUED).update(job=Job.RUNNING, progress=1):
        return {"status": "skipped"}
    document = IssuedDocument.objects.get(pk=document_id)
    user = get_user_model().objects.get(pk=user_id)

    def progress(percent: int) -> None:
        IssuedDocument.objects.filter(pk=document_id).update(progress=percent)

    try:
        document_issue(
            document=document, number=number, date=datetime.date.fromisoformat(date), user=user, progress=progress
        )
    except (ValidationError, PermissionDenied) as refused:
        text = " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
        IssuedDocument.objects.filter(pk=document_id).update(job=Job.FAILED, job_failure=text)
        return {"status": "refused"}
    except Exception:
        logger.exception("Document %s: the issue raised", document_id)
        IssuedDocument.objects.filter(pk=document_id).update(
            job=Job.FAILED, job_failure="Внутренняя ошибка при формировании документа: сообщите администратору."
        )
        return {"status": "failed"}
    return {"status": "issued"}
