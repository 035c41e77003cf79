"""Document packages (пакет документов): what a campaign asks the schools to send, the scans or
portal documents they send, and the coordinator's check of each.

Seed 003: «разработать и предоставить следующий пакет документов: положение о программе
наставничества и дорожную карту внедрения ЦМН в образовательном учреждении (скан-копии
утвержденных документов); распорядительные акты (скан-копии приказов) о внедрении целевой модели
наставничества … Архивную папку с перечисленными документами (скан-копии) просим направить … до
10.09.2021 года». Seed 004 item 4 asks the schools to report the execution of an order the same way.

The rules live here and nowhere else: the views, the admin and the demo call these functions.
A school's curator sends its documents while the campaign is open and the answer is not yet
accepted; the municipality's coordinator accepts or returns each one (a return says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.services import save_audited
from core.uploads import validate_scan
from monitoring import services
from monitoring.choices import CampaignStatus, DocumentStatus, SubmissionStatus
from monitoring.models import Campaign, DocumentRequirement, PackageDocument, Submission

#: The documents seed 003 asks for, in its order: a campaign that asks for a package starts with
#: these, and the coordinator edits the list.
DEFAULT_REQUIREMENTS = (
    "Положение о программе наставничества",
    "Дорожная карта внедрения целевой модели наставничества в образовательном учреждении",
    "Распорядительные акты (приказы) о внедрении целевой модели наставничества",
)
TITLE_MAX = DocumentRequirement._meta.get_field("title").max_length


def is_coordinator_of(user, campaign: Campaign) -> bool:
    """Does `user` run this campaign's municipality (its coordinator, staff, or the system)?"""
    return user is None or services.can_coordinate(user, campaign)


def is_curator_of(user, submission: Submission) -> bool:
    """May `user` send this school's documents (the school's curator, staff, or the system)?"""
    return user is None or services.can_school_write(user, submission)


def _ensure_coordinator(user, obj) -> None:
    campaign = obj.campaign if isinstance(obj, DocumentRequirement) else obj.submission.campaign
    if not is_coordinator_of(user, campaign):
        raise PermissionDenied("Проверять документы и менять их перечень может муниципальный координатор.")


def _ensure_curator(user, document: PackageDocument) -> None:
    services.ensure_school_writes(user, document.submission)


# --- The list of documents a campaign asks for ------------------------------------------------


@transaction.atomic
def requirements_save(*, campaign: Campaign, titles: Sequence[str], user) -> list[DocumentRequirement]:
    """Set the list of documents a campaign asks for, in the given order: a title kept keeps its
    documents, a new one is added, one left out is removed — unless a school has already sent it
    (then the list is refused with its name: its scans would be lost)."""
    if user is not None and not is_coordinator_of(user, campaign):
        raise PermissionDenied("Перечень документов меняет муниципальный координатор.")
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError("Сбор закрыт: перечень документов больше не меняется.")
    cleaned: list[str] = []
    for number, title in enumerate(titles, start=1):
        title = " ".join(str(title).split())
        if not title:
            continue
        if len(title) > TITLE_MAX:
            raise ValidationError({"titles": f"Строка {number}: название длиннее {TITLE_MAX} знаков — сократите его."})
        if title.casefold() in {t.casefold() for t in cleaned}:
            raise ValidationError({"titles": f"Строка {number}: документ «{title}» уже есть в перечне."})
        cleaned.append(title)
    if campaign.asks_documents and not cleaned:
        raise ValidationError({"titles": "Перечень пуст: назовите хотя бы один документ (по строке на документ)."})
    existing = {r.title.casefold(): r for r in campaign.requirements.select_for_update().order_by("pk")}
    wanted = {title.casefold() for title in cleaned}
    dropped = [r for key, r in existing.items() if key not in wanted]
    sent = [r.title for r in dropped if r.documents.exclude(status=DocumentStatus.MISSING).exists()]
    if sent:
        raise ValidationError(
            {"titles": "Школы уже представили эти документы, их нельзя убрать из перечня: " + "; ".join(sent) + "."}
        )
    for requirement in dropped:
        requirement.delete()
    kept = []
    for position, title in enumerate(cleaned, start=1):
        requirement = existing.get(title.casefold()) or DocumentRequirement(campaign=campaign)
        if requirement.pk and requirement.title == title and requirement.position == position:
            kept.append(requirement)
            continue
        requirement.title, requirement.position = title, position
        kept.append(save_audited(instance=requirement, user=user, parent=campaign, ensure=_ensure_coordinator))
    return kept


def default_requirements(*, campaign: Campaign, user) -> list[DocumentRequirement]:
    """A campaign that asks for a package and names no documents gets seed 003's three."""
    if not campaign.asks_documents or campaign.requirements.exists():
        return list(campaign.requirements.all())
    return requirements_save(campaign=campaign, titles=DEFAULT_REQUIREMENTS, user=user)


# --- A school's documents -------------------------------------------------------------------


def document_for(submission: Submission, requirement: DocumentRequirement) -> PackageDocument:
    """The school's document for a requirement: the stored one, or a new «не представлен»."""
    if requirement.campaign_id != submission.campaign_id:
        raise ValidationError("Этот документ запрошен другим сбором.")
    found = PackageDocument.objects.filter(submission=submission, requirement=requirement).first()
    return found or PackageDocument(submission=submission, requirement=requirement)


def can_send(user, submission: Submission) -> bool:
    """May `user` send or replace this school's documents now (for a page's buttons)?"""
    return (
        is_curator_of(user, submission)
        and submission.campaign.status == CampaignStatus.OPEN
        and submission.status != SubmissionStatus.ACCEPTED
    )


@transaction.atomic
def document_send(*, document: PackageDocument, user, file=None, link: str = "") -> PackageDocument:
    """Send (or replace) a document: a scan — a real PDF, JPEG or PNG, judged by its content
    (`core.uploads.validate_scan`) — or the address of a document the portal generated. A document
    the coordinator accepted stays as it is; a returned one may be sent again."""
    submission = document.submission
    if not can_send(user, submission):
        if not is_curator_of(user, submission):
            raise PermissionDenied("Документы школы представляет куратор этой школы.")
        if submission.campaign.status != CampaignStatus.OPEN:
            raise ValidationError("Сбор не идёт: документы принимаются, пока сбор открыт.")
        raise ValidationError("Ответ школы уже принят: документы не меняются.")
    if document.status == DocumentStatus.ACCEPTED:
        raise ValidationError("Этот документ уже принят координатором: заменять его не нужно.")
    link = (link or "").strip()
    if file is None and not link:
        raise ValidationError({"file": "Приложите скан (PDF, JPEG или PNG) или укажите документ портала."})
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValidationError(
            {"link": "Укажите адрес документа на портале (начинается с «/»), например из реестра документов."}
        )
    if file is not None:
        try:
            validate_scan(file)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        document.file = file
    document.link = link
    document.status = DocumentStatus.SUBMITTED
    document.comment = ""
    document.uploaded_at = timezone.now()
    document.checked_at = None
    document.checked_by = None
    return save_audited(instance=document, user=user, parent=submission, ensure=_ensure_curator)


@transaction.atomic
def document_check(*, document: PackageDocument, user, accept: bool, comment: str = "") -> PackageDocument:
    """The coordinator's check of a sent document: accepted, or returned with what to fix."""
    if document.pk is None or document.status == DocumentStatus.MISSING:
        raise ValidationError("Школа ещё не представила этот документ: проверять нечего.")
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": "Напишите, что исправить: школа увидит этот комментарий."})
    document.status = DocumentStatus.ACCEPTED if accept else DocumentStatus.RETURNED
    document.comment = comment
    document.checked_at = timezone.now()
    document.checked_by = user if user is not None and user.pk else None
    return save_audited(instance=document, user=user, parent=document.submission, ensure=_ensure_coordinator)


# --- What the pages show --------------------------------------------------------------------


@dataclass(frozen=True)
class PackageRow:
    """A school's line of the package matrix: its answer and one document (or None) per
    requirement, in the requirements' order."""

    submission: Submission
    documents: tuple[PackageDocument | None, ...]

    @property
    def accepted(self) -> int:
        return sum(1 for d in self.documents if d is not None and d.status == DocumentStatus.ACCEPTED)

    @property
    def complete(self) -> bool:
        return bool(self.documents) and self.accepted == len(self.documents)


def package_matrix(campaign: Campaign, submissions) -> tuple[list[DocumentRequirement], list[PackageRow]]:
    """The matrix schools × documents of a campaign (three queries whatever its size)."""
    requirements = list(campaign.requirements.order_by("position", "pk"))
    submissions = list(submissions.select_related("organization").order_by("organization__short_name", "pk"))
    found = {
        (d.submission_id, d.requirement_id): d
        for d in PackageDocument.objects.filter(submission__in=[s.pk for s in submissions]).only(
            "pk", "submission_id", "requirement_id", "status", "file", "link", "comment", "uploaded_at"
        )
    }
    rows = [PackageRow(s, tuple(found.get((s.pk, r.pk)) for r in requirements)) for s in submissions]
    return requirements, rows


def package_counts(rows: Sequence[PackageRow]) -> dict[DocumentStatus, int]:
    """How many documents of the matrix are in each state (a missing row is «не представлен»)."""
    counts = dict.fromkeys(DocumentStatus, 0)
    for row in rows:
        for document in row.documents:
            counts[DocumentStatus(document.status) if document is not None else DocumentStatus.MISSING] += 1
    return counts
