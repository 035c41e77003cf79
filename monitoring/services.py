"""Writes of the campaigns (сбор информации): every rule about a campaign, a school's answer, its
corrections and its steps lives here; the pages, the admin and `manage.py campaign_reminders`
call these functions (house style, habit 2).

Who does what (issue 9; seed 003 asks the schools, the authority checks):
- the coordinator of the municipality prepares, opens, closes and deletes a campaign, accepts or
  returns a school's answer and reminds the schools;
- the school's curator fills the answer (corrections, the responsible person) and sends it. The
  coordinator does not answer for a school: the figures are the school's to vouch for, and a
  returned answer goes back to the school with the comment;
- the director and the observers read.

Each write goes through `core.services.save_audited` / `delete_audited` (scope check and journal);
each step of an answer is also a `SubmissionStep` (when, who, the comment).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.scoping import get_scope
from core.services import delete_audited, save_audited
from monitoring import notices
from monitoring.choices import CampaignStatus, Figure, NoticeKind, SubmissionStatus
from monitoring.coverage import FORMS
from monitoring.models import Campaign, FigureCorrection, Submission, SubmissionStep
from monitoring.selectors import campaign_coverage
from registry.choices import OrganizationKind
from registry.models import Organization

#: The states of an answer the school may still change (and send).
EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
#: The states in which an answer is awaited: the late ones are these after the deadline.
AWAITED = EDITABLE

SCHOOL_ONLY = "Ответ школы заполняет и отправляет куратор этой школы."
COORDINATOR_ONLY = "Принимает и возвращает ответы муниципальный координатор."


# Rights -------------------------------------------------------------------------------------------


def ensure_school_writes(user, submission: Submission) -> None:
    """The school's curator (or the system, or staff) fills and sends the school's answer."""
    if user is None:
        return
    scope = get_scope(user)
    if not (scope.is_superuser or submission.organization_id in scope.write_organization_ids):
        raise PermissionDenied(SCHOOL_ONLY)


def can_school_write(user, submission: Submission) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or submission.organization_id in scope.write_organization_ids


def ensure_coordinates(user, campaign: Campaign) -> None:
    """The coordinator of the campaign's municipality (or the system, or staff)."""
    if user is None:
        return
    scope = get_scope(user)
    if not (scope.is_superuser or campaign.municipality_id in scope.write_municipality_ids):
        raise PermissionDenied(COORDINATOR_ONLY)


def can_coordinate(user, campaign: Campaign) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or campaign.municipality_id in scope.write_municipality_ids


def _actor(user):
    return user if user is not None and user.pk else None


# Campaigns ----------------------------------------------------------------------------------------


def default_schools(municipality_id: int):
    """The schools a new campaign asks: every general-education school of the municipality
    (seed 003 is addressed «руководителям общеобразовательных организаций»)."""
    return Organization.objects.filter(municipality_id=municipality_id, kind=OrganizationKind.SCHOOL).order_by(
        "short_name"
    )


def _campaign_errors(campaign: Campaign) -> dict[str, str]:
    errors = {}
    if campaign.period_start and campaign.period_end and campaign.period_end < campaign.period_start:
        errors["period_end"] = "Конец периода не может быть раньше начала: проверьте даты периода."
    if campaign.reference_date and campaign.period_start and campaign.reference_date < campaign.period_start:
        errors["reference_date"] = (
            "Дата расчёта возраста и стажа не может быть раньше начала периода: обычно это конец периода."
        )
    if campaign.deadline and campaign.period_start and campaign.deadline < campaign.period_start:
        errors["deadline"] = "Срок представления не может быть раньше начала периода."
    if not (campaign.asks_coverage or campaign.asks_documents):
        errors["asks_coverage"] = "Отметьте, что запрашивается: форма охвата, пакет документов или оба."
    return errors


@transaction.atomic
def campaign_save(*, campaign: Campaign, user, organizations: Iterable[Organization] | None = None) -> Campaign:
    """Create or change a campaign and the schools it asks (by default every school of the
    municipality). While it is open, a school added gets its answer and the «opened» notice; a
    school whose answer was ever sent cannot be removed."""
    if campaign.pk is not None:
        stored = Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("status", flat=True).first()
        if stored == CampaignStatus.CLOSED:
            raise ValidationError("Сбор закрыт: изменить его нельзя.")
    errors = _campaign_errors(campaign)
    schools = list(default_schools(campaign.municipality_id) if organizations is None else organizations)
    if not schools:
        errors["organizations"] = "Выберите хотя бы одну школу, которую опрашивает сбор."
    elif any(school.municipality_id != campaign.municipality_id for school in schools):
        errors["organizations"] = "Сбор опрашивает только школы своего муниципалитета."
    if errors:
        raise ValidationError(errors)
    if campaign.pk is None and campaign.created_by_id is None:
        campaign.created_by = _actor(user)
    save_audited(instance=campaign, user=user)
    _sync_schools(campaign, schools, user)
    if campaign.asks_documents:
        from monitoring.packages import default_requirements  # packages builds on these services

        default_requirements(campaign=campaign, user=user)
    return campaign


def _sync_schools(campaign: Campaign, schools: list[Organization], user) -> None:
    wanted = {school.pk: school for school in schools}
    current = {submission.organization_id: submission for submission in campaign.submissions.all()}
    removed = [submission for org_id, submission in current.items() if org_id not in wanted]
    refused = [
        str(submission.organization)
        for submission in removed
        if submission.status != SubmissionStatus.DRAFT or submission.steps.exists()
    ]
    if refused:
        raise ValidationError(
            {
                "organizations": "Нельзя исключить из сбора школу, которая уже отправляла ответ: "
                + "; ".join(sorted(refused))
                + "."
            }
        )
    for submission in removed:
        delete_audited(instance=submission, user=user, parent=campaign)
    for org_id, school in wanted.items():
        if org_id in current:
            continue
        save_audited(instance=Submission(campaign=campaign, organization=school), user=user, parent=campaign)
        if campaign.status == CampaignStatus.OPEN:
            notices.send_notice(campaign, school, NoticeKind.OPENED)


@transaction.atomic
def campaign_open(*, campaign: Campaign, user, today: datetime.date | None = None) -> Campaign:
    """Open a prepared campaign: the schools see the request and get the «opened» e-mail."""
    today = today or timezone.localdate()
    given, campaign = campaign, Campaign.objects.select_for_update().get(pk=campaign.pk)
    ensure_coordinates(user, campaign)
    if campaign.status != CampaignStatus.DRAFT:
        raise ValidationError(f"Открыть можно только готовящийся сбор; этот — «{campaign.get_status_display()}».")
    if campaign.deadline < today:
        raise ValidationError({"deadline": "Срок представления уже прошёл: перенесите его, прежде чем открывать сбор."})
    if not campaign.submissions.exists():
        _sync_schools(campaign, list(default_schools(campaign.municipality_id)), user)
    if not campaign.submissions.exists():
        raise ValidationError("В сборе нет ни одной школы: выберите школы и откройте сбор снова.")
    campaign.status = CampaignStatus.OPEN
    campaign.opened_at = timezone.now()
    save_audited(instance=campaign, user=user)
    for submission in campaign.submissions.select_related("organization"):
        notices.send_notice(campaign, submission.organization, NoticeKind.OPENED)
    given.refresh_from_db()
    return given


@transaction.atomic
def campaign_close(*, campaign: Campaign, user) -> Campaign:
    """Close an open campaign: the schools can no longer change or send their answers."""
    given, campaign = campaign, Campaign.objects.select_for_update().get(pk=campaign.pk)
    ensure_coordinates(user, campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(f"Закрыть можно только идущий сбор; этот — «{campaign.get_status_display()}».")
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    save_audited(instance=campaign, user=user)
    given.refresh_from_db()
    return given


@transaction.atomic
def campaign_delete(*, campaign: Campaign, user) -> None:
    """Delete a campaign that is still being prepared (an opened one has reached the schools)."""
    ensure_coordinates(user, campaign)
    status = Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True).first()
    if status != CampaignStatus.DRAFT:
        raise ValidationError("Удалить можно только готовящийся сбор: открытый сбор уже получили школы — закройте его.")
    delete_audited(instance=campaign, user=user)


@transaction.atomic
def campaign_remind(
    *, campaign: Campaign, user, organizations: Iterable[int] | None = None, today: datetime.date | None = None
) -> int:
    """«Напомнить»: an e-mail to each school asked (or to `organizations`) whose answer is still
    awaited, at most once a day per school. Returns how many schools were reminded."""
    today = today or timezone.localdate()
    ensure_coordinates(user, campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError("Напоминать можно только в идущем сборе.")
    submissions = campaign.submissions.filter(status__in=AWAITED).select_related("organization")
    if organizations is not None:
        submissions = submissions.filter(organization_id__in=list(organizations))
    return sum(
        notices.send_notice(campaign, submission.organization, NoticeKind.REMINDER, key=today.isoformat())
        for submission in submissions
    )


# Answers ------------------------------------------------------------------------------------------


def _lock(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().select_related("campaign", "organization").get(pk=submission.pk)


def _ensure_editable(submission: Submission) -> None:
    if submission.campaign.status != CampaignStatus.OPEN:
        raise ValidationError("Сбор закрыт: ответ больше не меняется.")
    if submission.status not in EDITABLE:
        raise ValidationError(
            f"Ответ «{submission.get_status_display()}»: менять его можно, пока он не отправлен "
            "или после возврата на доработку."
        )


def _step(submission: Submission, status: str, user, comment: str = "") -> SubmissionStep:
    return save_audited(
        instance=SubmissionStep(
            submission=submission, status=status, at=timezone.now(), by=_actor(user), comment=comment
        ),
        user=user,
        parent=submission,
    )


@transaction.atomic
def submission_save_responsible(*, submission: Submission, name: str, phone: str, user) -> Submission:
    """«Ответственный за реализацию программы в ОУ: ФИО, тел.» (seed 003)."""
    submission = _lock(submission)
    ensure_school_writes(user, submission)
    _ensure_editable(submission)
    submission.responsible_name = (name or "").strip()
    submission.responsible_phone = (phone or "").strip()
    return save_audited(instance=submission, user=user)


def computed_figures(submission: Submission) -> dict[str, dict[str, int]]:
    """The school's coverage form for the campaign's period, as `monitoring.coverage` computes it."""
    return campaign_coverage([submission]).figures(submission.organization_id)


@transaction.atomic
def correction_save(
    *, submission: Submission, figure: str, form: str, value: int, reason: str, user, computed: int | None = None
) -> FigureCorrection | None:
    """A school's correction of one computed figure, with its reason; the computed number is kept
    beside it. A value equal to the computed one removes the correction (returns None)."""
    submission = _lock(submission)
    ensure_school_writes(user, submission)
    _ensure_editable(submission)
    if not submission.campaign.asks_coverage:
        raise ValidationError("Этот сбор не запрашивает форму охвата.")
    if figure not in Figure.values:
        raise ValidationError({"figure": "Такого показателя в форме нет."})
    if form not in FORMS:
        raise ValidationError({"form": "Такой формы наставничества в форме охвата нет."})
    if value is None or int(value) < 0:
        raise ValidationError({"value": "Укажите число не меньше нуля."})
    value = int(value)
    if computed is None:
        computed = computed_figures(submission)[figure][form]
    existing = FigureCorrection.objects.filter(submission=submission, figure=figure, form=form).first()
    if value == computed:
        if existing is not None:
            delete_audited(instance=existing, user=user, parent=submission)
        return None
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Укажите причину исправления: координатор увидит её рядом с рассчитанным числом."}
        )
    correction = existing or FigureCorrection(submission=submission, figure=figure, form=form)
    correction.computed = computed
    correction.value = value
    correction.reason = reason
    correction.by = _actor(user)
    return save_audited(instance=correction, user=user, parent=submission)


@transaction.atomic
def submission_submit(*, submission: Submission, user) -> Submission:
    """«Отправить»: the school sends its answer (draft or returned → on check)."""
    submission = _lock(submission)
    ensure_school_writes(user, submission)
    if submission.status not in EDITABLE:
        raise ValidationError(f"Ответ уже «{submission.get_status_display()}»: отправить его снова нельзя.")
    _ensure_editable(submission)
    if submission.campaign.asks_coverage:
        missing = {}
        if not submission.responsible_name.strip():
            missing["responsible_name"] = "Укажите ФИО ответственного за реализацию программы в ОУ (форма охвата)."
        if not submission.responsible_phone.strip():
            missing["responsible_phone"] = "Укажите телефон ответственного за реализацию программы в ОУ."
        if missing:
            raise ValidationError(missing)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    save_audited(instance=submission, user=user)
    _step(submission, SubmissionStatus.SUBMITTED, user)
    return submission


def _ensure_on_check(submission: Submission, action: str) -> None:
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(f"{action} можно только ответ на проверке; этот — «{submission.get_status_display()}».")


@transaction.atomic
def submission_accept(*, submission: Submission, user) -> Submission:
    """The coordinator accepts a school's answer."""
    submission = _lock(submission)
    ensure_coordinates(user, submission.campaign)
    _ensure_on_check(submission, "Принять")
    submission.status = SubmissionStatus.ACCEPTED
    submission.decided_at = timezone.now()
    save_audited(instance=submission, user=user)
    _step(submission, SubmissionStatus.ACCEPTED, user)
    return submission


@transaction.atomic
def submission_return(*, submission: Submission, comment: str, user) -> Submission:
    """The coordinator returns an answer to the school with a comment (what to fix); the school
    gets the «returned» e-mail, once per return."""
    submission = _lock(submission)
    ensure_coordinates(user, submission.campaign)
    _ensure_on_check(submission, "Вернуть")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Напишите комментарий: что школе исправить в ответе."})
    if submission.campaign.status != CampaignStatus.OPEN:
        raise ValidationError("Сбор закрыт: вернуть ответ на доработку нельзя.")
    submission.status = SubmissionStatus.RETURNED
    submission.decided_at = timezone.now()
    submission.return_comment = comment
    submission.returns += 1
    save_audited(instance=submission, user=user)
    _step(submission, SubmissionStatus.RETURNED, user, comment)
    notices.send_notice(
        submission.campaign, submission.organization, NoticeKind.RETURNED, key=str(submission.returns),
        context={"comment": comment},
    )  # fmt: skip
    return submission
