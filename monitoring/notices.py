"""The e-mails of a campaign (сбор информации), through Django's mail settings (console by default,
SMTP when EMAIL_HOST is set: config/settings/base.py).

Each goes once: a `Notice` row (unique per campaign, school, kind and key) is written before the
letter leaves, so a second run of `manage.py campaign_reminders`, a restarted worker or a second
press of «Напомнить» the same day sends nothing more.

- «opened»: the campaign was opened (or the school was added to an open one);
- «returned»: the coordinator returned the answer; key = the return's number;
- «due_soon»: the deadline is in 3 days or fewer and the answer is not sent;
- «overdue»: the deadline has passed and the answer is not sent;
- «reminder»: the coordinator's «Напомнить»; key = the date, so once a day per school.

Recipients: the school's curators and director (users holding a role over the organization)
with an e-mail address.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.choices import Role
from core.models import RoleAssignment
from monitoring.choices import CampaignStatus, NoticeKind, SubmissionStatus
from monitoring.models import Campaign, Notice, Submission
from registry.models import Organization

logger = logging.getLogger(__name__)

#: «до срока 3 дня»: the letter goes when the deadline is this many days away or fewer.
DUE_SOON_DAYS = 3
#: The states in which a school's answer is still awaited.
AWAITED = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)

SUBJECTS = {
    NoticeKind.OPENED: "Запрос информации: {title}",
    NoticeKind.RETURNED: "Ответ возвращён на доработку: {title}",
    NoticeKind.DUE_SOON: "Срок представления {deadline}: {title}",
    NoticeKind.OVERDUE: "Срок представления прошёл: {title}",
    NoticeKind.REMINDER: "Напоминание: {title}",
}


def school_recipients(organization: Organization) -> list[str]:
    """The addresses of the school's curators and director, in a stable order, each once."""
    emails = (
        RoleAssignment.objects.filter(
            organization=organization, role__in=(Role.CURATOR, Role.DIRECTOR), user__is_active=True
        )
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(emails))


def submission_url(campaign: Campaign, organization: Organization) -> str:
    pk = Submission.objects.filter(campaign=campaign, organization=organization).values_list("pk", flat=True).first()
    path = f"/monitoring/submissions/{pk}/" if pk else "/monitoring/campaigns/"
    return f"{settings.PORTAL_URL}{path}"


def send_notice(
    campaign: Campaign, organization: Organization, kind: str, *, key: str = "", context: dict | None = None
) -> bool:
    """Send one notice unless it went already; True when it was sent now. A letter the mail
    server refuses is logged and its record rolled back, so the next run tries again."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(campaign=campaign, organization=organization, kind=kind, key=key)
            recipients = school_recipients(organization)
            notice.recipients = ", ".join(recipients)
            notice.save(update_fields=["recipients"])
            if recipients:
                _mail(campaign, organization, kind, recipients, context or {})
    except IntegrityError:
        return False  # sent before (or by a concurrent run)
    except OSError as error:  # smtplib's errors are OSErrors
        logger.error("Notice %s for %s of campaign %s not sent: %s", kind, organization, campaign.pk, error)
        return False
    return True


def _mail(campaign, organization, kind: str, recipients: list[str], extra: dict) -> None:
    context = {
        "campaign": campaign,
        "organization": organization,
        "kind": kind,
        "url": submission_url(campaign, organization),
        "portal_url": settings.PORTAL_URL,
        **extra,
    }
    subject = SUBJECTS[kind].format(title=campaign.title, deadline=f"{campaign.deadline:%d.%m.%Y}")
    text = render_to_string("monitoring/email/notice.txt", context)
    html = render_to_string("monitoring/email/notice.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=recipients)
    message.attach_alternative(html, "text/html")
    message.send()


def send_due_notices(today: datetime.date | None = None) -> dict[str, int]:
    """The daily run: «до срока 3 дня» and «срок прошёл» to the schools whose answer is awaited,
    in every open campaign; each once per school and campaign. Returns the counts sent."""
    today = today or timezone.localdate()
    sent = {NoticeKind.DUE_SOON: 0, NoticeKind.OVERDUE: 0}
    awaited = Submission.objects.filter(campaign__status=CampaignStatus.OPEN, status__in=AWAITED).select_related(
        "campaign", "organization"
    )
    already = set(
        Notice.objects.filter(
            campaign__status=CampaignStatus.OPEN, kind__in=(NoticeKind.DUE_SOON, NoticeKind.OVERDUE)
        ).values_list("campaign_id", "organization_id", "kind")
    )
    for submission in awaited.order_by("campaign_id", "organization_id"):
        deadline = submission.campaign.deadline
        if today > deadline:
            kind = NoticeKind.OVERDUE
        elif (deadline - today).days <= DUE_SOON_DAYS:
            kind = NoticeKind.DUE_SOON
        else:
            continue
        if (submission.campaign_id, submission.organization_id, kind) in already:
            continue
        sent[kind] += send_notice(submission.campaign, submission.organization, kind)
    return {str(kind): count for kind, count in sent.items()}
