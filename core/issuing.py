"""The register of documents: a draft prepared, issued with a number and a date, cancelled — the
one service every way of issuing calls (the pages, the admin, `manage.py render_document`).

Issue 10 §4: every issued document is kept with its kind, its number («numbered per organization
and year by a configurable pattern such as «{n}-о»; editable; unique»), its date, who issued it,
the PDF as issued (immutable afterwards) and the objects it concerns; a cancelled document stays
in the register marked cancelled. Seed 002 item 8 and Положение §3.6: the school's pairs are fixed
by the director's order, so issuing the order on pairs approves them, in the same transaction
(the kind's `issuing` hook; core imports no app).

Who may do what:
- a school's document: its curator (or the coordinator) prepares it; its director issues and
  cancels it (the order is theirs to sign, `Scope.can_approve`);
- the education authority's: the coordinator prepares, issues and cancels it;
- the observer and the school's director read; everyone else does not see it (404).
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core import documents
from core.audit import audit_log, audit_save, snapshot
from core.choices import AuditAction
from core.models import DocumentSubject, IssuedDocument
from core.scoping import get_scope

S = IssuedDocument.Status


# --- Who may --------------------------------------------------------------------------------


def can_prepare(user, *, municipality_id: int, organization_id: int | None) -> bool:
    """Prepares a school's document: its curator or the coordinator; the authority's: the coordinator."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    if organization_id is not None and organization_id in scope.write_organization_ids:
        return True
    return municipality_id in scope.write_municipality_ids


def can_issue(user, document: IssuedDocument) -> bool:
    """Issues (signs) and cancels: a school's director; for the authority's documents, the coordinator."""
    scope = get_scope(user)
    if document.organization_id is not None:
        return scope.can_approve(document.organization_id)
    return scope.is_superuser or document.municipality_id in scope.write_municipality_ids


def can_discard(user, document: IssuedDocument) -> bool:
    """A draft is discarded by whoever may prepare or issue it; an issued document never."""
    return document.is_draft and (
        can_prepare(user, municipality_id=document.municipality_id, organization_id=document.organization_id)
        or can_issue(user, document)
    )


# --- Numbers --------------------------------------------------------------------------------


def _registered(*, municipality_id: int, organization_id: int | None, year: int):
    documents_ = IssuedDocument.objects.issued().filter(year=year)
    if organization_id is not None:
        return documents_.filter(organization_id=organization_id)
    return documents_.filter(municipality_id=municipality_id, organization__isnull=True)


def issuer_of(document: IssuedDocument):
    """The school or the municipality (its authority) whose requisites and register the document uses."""
    return document.organization or document.municipality


def sequence_of(issuer, number: str, year: int) -> int | None:
    """The running number «{n}» in `number` when it follows the issuer's pattern («15-ОД» → 15)."""
    pattern = issuer.order_number_pattern or "{n}"
    regex = re.escape(pattern).replace(r"\{n\}", r"(?P<n>\d+)").replace(r"\{year\}", str(year))
    match = re.fullmatch(regex, number.strip())
    return int(match["n"]) if match else None


def next_number(document: IssuedDocument, year: int) -> str:
    """The number to suggest: the issuer's next in `year` by its pattern (issue 10 §4: per
    organization and year; the municipality's authority numbers its own)."""
    last = _registered(
        municipality_id=document.municipality_id, organization_id=document.organization_id, year=year
    ).aggregate(last=Max("sequence"))["last"]
    return issuer_of(document).format_order_number((last or 0) + 1, year)


# --- Draft ----------------------------------------------------------------------------------


@transaction.atomic
def document_prepare(*, kind: documents.DocumentKind, user, municipality, organization=None) -> IssuedDocument:
    """A draft of a registered kind: what it concerns and its parameters, for the issuer to sign."""
    if not kind.registered:
        raise ValueError(f"{type(kind).__name__} is not kept in the register.")
    if organization is not None and organization.municipality_id != municipality.pk:
        raise ValueError("The organization is not of the municipality.")
    if not can_prepare(user, municipality_id=municipality.pk, organization_id=getattr(organization, "pk", None)):
        raise PermissionDenied("Подготовить этот документ может куратор организации или координатор.")
    document = IssuedDocument(
        kind=kind.code,
        title=kind.title[:500],
        municipality=municipality,
        organization=organization,
        params=kind.params(),
        prepared_by=user if user.pk else None,
    )
    document.full_clean()
    document.save()
    _keep_subjects(document, kind.subjects())
    audit_save(actor=user, instance=document, before=None)
    return document


def _keep_subjects(document: IssuedDocument, subjects) -> None:
    DocumentSubject.objects.bulk_create(
        DocumentSubject(
            document=document,
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            object_repr=str(subject)[:300],
        )
        for subject in subjects
    )


def subject_ids(document: IssuedDocument, model) -> list[int]:
    """The ids of the document's subjects of `model` (the pairs of an order), in the order kept."""
    content_type = ContentType.objects.get_for_model(model)
    return list(document.subjects.filter(content_type=content_type).values_list("object_id", flat=True))


def kind_of(document: IssuedDocument) -> documents.DocumentKind:
    """The document's kind, rebuilt from the draft (or the issued document) with its requisites."""
    kind_cls = documents.kind(document.kind)
    return kind_cls.from_document(document).with_requisites(document.number, document.date)


@transaction.atomic
def document_discard(*, document: IssuedDocument, user) -> None:
    """A draft dropped (the curator chose wrong pairs); an issued document is never deleted."""
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if not document.is_draft:
        raise ValidationError("Изданный документ не удаляется: его можно только отменить, он останется в реестре.")
    if not can_discard(user, document):
        raise PermissionDenied("Удалить проект может тот, кто его готовит или подписывает.")
    audit_log(actor=user, action=AuditAction.DELETE, obj=document, changes={"документ": [str(document), None]})
    document.delete()


# --- Issue ----------------------------------------------------------------------------------


def requisites_refusals(document: IssuedDocument, number: str, date: datetime.date | None, today) -> dict:
    """The number and the date: given, the date not in the future (the order is signed), the
    number not already taken in the issuer's register that year."""
    errors: dict[str, list[str]] = {}
    number = " ".join((number or "").split())
    if not number:
        errors["number"] = ["Укажите номер документа, например «" + next_number(document, today.year) + "»."]
    elif len(number) > 50:
        errors["number"] = ["Номер длиннее 50 знаков: сократите его."]
    if date is None:
        errors["date"] = ["Укажите дату документа."]
    elif date > today:
        errors["date"] = ["Дата не может быть в будущем: документ издаётся сегодня или был подписан раньше."]
    if number and date and "number" not in errors:
        taken = (
            _registered(
                municipality_id=document.municipality_id, organization_id=document.organization_id, year=date.year
            )
            .filter(number=number)
            .exclude(pk=document.pk)
            .first()
        )
        if taken is not None:
            errors["number"] = [
                f"Номер «{number}» в {date.year} году уже занят: {taken}. Следующий свободный — "
                f"«{next_number(document, date.year)}»."
            ]
    return errors


def document_issue(
    *,
    document: IssuedDocument,
    number: str,
    date: datetime.date,
    user,
    today: datetime.date | None = None,
    progress=None,
) -> IssuedDocument:
    """Issue a draft: the number and date given, the kind's own effect (the order on pairs approves
    them, §3.6), the PDF rendered once and kept, all or nothing. A refusal (a taken number, a pair
    that breaks a rule) leaves the draft as it was and nothing written.

    The PDF is laid out before the transaction (seconds for hundreds of pairs: no lock is held
    meanwhile, and the worker's progress is visible to the page), then, under the locks, the text
    is made again from the data as they are now: when it differs (a pair changed in those
    seconds) the PDF is laid out anew, so the file always says what was approved."""
    today = today or timezone.localdate()
    number = " ".join((number or "").split())
    _check_issue(document, number, date, user, today)
    kind = kind_of(document).with_requisites(number, date)
    context = kind.full_context()
    html = kind.html(context=context)
    if progress:
        progress(documents.PROGRESS_HTML)
    content, pages = documents.render_pdf_pages(html, progress=progress, expected_pages=kind.expected_pages())
    stored = None
    try:
        with transaction.atomic():
            document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
            # The issuer's row is locked so that two documents issued at once never take one number.
            issuer = issuer_of(document)
            type(issuer).objects.select_for_update().filter(pk=issuer.pk).values_list("pk").get()
            _check_issue(document, number, date, user, today)
            kind = kind_of(document).with_requisites(number, date)
            kind.issuing(document=document, user=user, today=today)
            now_html = kind.html()
            if now_html != html:
                content, pages = documents.render_pdf_pages(now_html)
            before = snapshot(document)
            document.number, document.date, document.year = number, date, date.year
            document.sequence = sequence_of(issuer, number, date.year)
            document.status = S.ISSUED
            document.issued_by = user if user.pk else None
            document.issued_at = timezone.now()
            document.sha256 = hashlib.sha256(content).hexdigest()
            document.size = len(content)
            document.pages = pages
            document.job, document.progress, document.job_failure = IssuedDocument.Job.NONE, 100, ""
            document.file.save(_stored_name(document), ContentFile(content), save=False)
            stored = document.file.name
            document.save()
            audit_save(actor=user, instance=document, before=before)
    except IntegrityError:
        _forget(stored)
        raise ValidationError(
            {"number": [f"Номер «{number}» только что занят другим документом: обновите страницу."]}
        ) from None
    except BaseException:
        _forget(stored)
        raise
    return document


def _check_issue(document: IssuedDocument, number: str, date, user, today) -> None:
    if not document.is_draft:
        raise ValidationError(f"Документ уже издан: {document}.")
    if not can_issue(user, document):
        raise PermissionDenied("Издать документ школы может её руководитель, документ управления — координатор.")
    errors = requisites_refusals(document, number, date, today)
    if errors:
        raise ValidationError(errors)


def _forget(name: str | None) -> None:
    """A PDF written for a document whose issue was rolled back is deleted: no orphan files."""
    if name:
        IssuedDocument._meta.get_field("file").storage.delete(name)


def _stored_name(document: IssuedDocument) -> str:
    # The file's name on the disk says nothing personal; the download keeps the readable name.
    return f"{document.kind}-{document.pk}.pdf"


def download_name(document: IssuedDocument) -> str:
    """«Приказ 15-ОД от 01.09.2026 О закреплении наставнических пар.pdf»: what the file is called."""
    if document.is_draft:
        return f"Проект {document.title[:120]}.pdf"
    number = re.sub(r"[\\/:*?\"<>|]", "-", document.number)
    return f"№ {number} от {document.date:%d.%m.%Y} {document.title[:120]}.pdf"


# --- After ----------------------------------------------------------------------------------


@transaction.atomic
def document_cancel(*, document: IssuedDocument, reason: str, user) -> IssuedDocument:
    """Cancel an issued document: it stays in the register, marked cancelled, with the reason and
    its PDF as issued (issue 10 §4)."""
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if document.status != S.ISSUED:
        raise ValidationError("Отменить можно только изданный документ.")
    if not can_issue(user, document):
        raise PermissionDenied("Отменить документ может тот, кто его издаёт.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"cancel_reason": ["Укажите причину отмены: она останется в реестре."]})
    before = snapshot(document)
    document.status = S.CANCELLED
    document.cancel_reason = reason[:2000]
    document.cancelled_by = user if user.pk else None
    document.cancelled_at = timezone.now()
    document.save()
    audit_save(actor=user, instance=document, before=before)
    return document


def log_download(*, document: IssuedDocument, user, issued: bool) -> None:
    """Journal a download of a document (it names people: personal data is logged, 152-ФЗ)."""
    audit_log(
        actor=user,
        action=AuditAction.DOWNLOAD,
        obj=document,
        data={"file": download_name(document), "issued": issued},
    )


# --- In the worker --------------------------------------------------------------------------


def issues_in_worker(document: IssuedDocument) -> bool:
    """A large document (an order with hundreds of pairs) is laid out by the worker (issue 10 §4)."""
    kind = kind_of(document)
    return kind.size() > kind.worker_items


def document_issue_later(*, document: IssuedDocument, number: str, date: datetime.date, user, today=None) -> None:
    """Hand the issue to the worker, once the number and the date are found right; the document's
    page shows the progress and then the result or the refusal."""
    today = today or timezone.localdate()
    number = " ".join((number or "").split())
    _check_issue(document, number, date, user, today)
    if document.job in (IssuedDocument.Job.QUEUED, IssuedDocument.Job.RUNNING):
        raise ValidationError("Документ уже формируется: дождитесь окончания.")
    queued = IssuedDocument.objects.filter(pk=document.pk)
    queued.update(
        job=IssuedDocument.Job.QUEUED,
        progress=0,
        job_failure="",
        job_task_id="",
        job_started_at=None,
        job_heartbeat_at=timezone.now(),
    )
    from core.document_tasks import issue_document

    try:
        result = issue_document.enqueue(document_id=document.pk, number=number, date=date.isoformat(), user_id=user.pk)
    except Exception:
        queued.update(
            job=IssuedDocument.Job.FAILED, job_failure="Не удалось поставить документ в очередь: попробуйте ещё раз."
        )
        raise
    queued.filter(job_task_id="").update(job_task_id=str(result.id))
