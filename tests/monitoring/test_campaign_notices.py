"""The campaign e-mails (monitoring.notices): each goes once, a second run (a restarted worker)
sends nothing more."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from monitoring import services
from monitoring.choices import NoticeKind
from monitoring.models import Notice
from tests.monitoring.data import DAY, answer, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def addressed(world):
    for user, email in ((world.curator_a, "curator-a@school1.ru"), (world.director_a, "director-a@school1.ru"),
                        (world.curator_b, "curator-b@school2.ru"), (world.coordinator, "uo@nazarovo.ru")):  # fmt: skip
        user.email = email
        user.save()
    return world


def test_it_tells_each_school_once_that_a_campaign_opened(addressed):
    campaign = make_campaign(addressed)
    assert sorted(tuple(message.to) for message in mail.outbox) == [
        ("curator-a@school1.ru", "director-a@school1.ru"),
        ("curator-b@school2.ru",),
    ]
    message = mail.outbox[0]
    assert message.subject == f"Запрос информации: {campaign.title}"
    assert "Срок представления" in message.body and message.alternatives[0][1] == "text/html"
    assert Notice.objects.filter(kind=NoticeKind.OPENED).count() == 2


def test_it_sends_the_returned_notice_once_per_return(addressed):
    submission = make_campaign(addressed, schools=[addressed.school_a]).submissions.get()
    mail.outbox.clear()
    answer(addressed, submission)
    services.submission_return(submission=submission, comment="Нет телефона", user=addressed.coordinator)
    answer(addressed, submission)
    services.submission_return(submission=submission, comment="Снова нет", user=addressed.coordinator)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Ответ возвращён на доработку"] * 2
    assert "Снова нет" in mail.outbox[1].body
    assert list(Notice.objects.filter(kind=NoticeKind.RETURNED).values_list("key", flat=True).order_by("key")) == [
        "1",
        "2",
    ]


def test_it_reminds_of_the_deadline_once_and_then_of_the_lateness_once(addressed):
    campaign = make_campaign(addressed, deadline_in=10)
    answer(addressed, campaign.submissions.get(organization=addressed.school_a))
    mail.outbox.clear()
    today = timezone.localdate()
    call_command("campaign_reminders", "--today", str(today + 6 * DAY))
    assert mail.outbox == []  # 4 days before
    call_command("campaign_reminders", "--today", str(today + 7 * DAY))
    call_command("campaign_reminders", "--today", str(today + 8 * DAY))  # the worker restarted
    assert [(m.to, m.subject.split(" ")[0]) for m in mail.outbox] == [(["curator-b@school2.ru"], "Срок")]
    assert "осталось не больше 3 дней" in mail.outbox[0].body
    call_command("campaign_reminders", "--today", str(today + 11 * DAY))
    call_command("campaign_reminders", "--today", str(today + 12 * DAY))
    assert len(mail.outbox) == 2 and "прошёл" in mail.outbox[1].subject
    assert Notice.objects.filter(organization=addressed.school_a).exclude(kind=NoticeKind.OPENED).count() == 0


def test_it_reminds_the_late_schools_once_a_day(addressed):
    campaign = make_campaign(addressed)
    mail.outbox.clear()
    today = timezone.localdate()
    assert services.campaign_remind(campaign=campaign, user=addressed.coordinator, today=today) == 2
    assert services.campaign_remind(campaign=campaign, user=addressed.coordinator, today=today) == 0
    assert len(mail.outbox) == 2
    assert (
        services.campaign_remind(
            campaign=campaign, user=addressed.coordinator, organizations=[addressed.school_b.pk], today=today + DAY
        )
        == 1
    )
    assert len(mail.outbox) == 3 and mail.outbox[2].to == ["curator-b@school2.ru"]


def test_the_worker_runs_the_reminders_daily(settings):
    assert "campaign_reminders" in settings.DAILY_COMMANDS
