"""Campaigns (сбор информации) of the `world`, made through the services as the coordinator and
the curators would: the pages' tests (access, queries, every page of every role) open them.

- `open`: an open campaign asking schools A and B for the coverage form; school A has corrected a
  figure with a reason and sent its answer, which the coordinator returned once and school A sent
  again (on check); school B has not answered;
- `draft`: a campaign being prepared (only the coordinator sees it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from monitoring import services
from monitoring.choices import Figure
from monitoring.models import Campaign, Submission
from registry.choices import FormCode

DAY = datetime.timedelta(days=1)


def make_campaign(world, *, schools=None, open_it=True, deadline_in: int = 10, **fields) -> Campaign:
    today = timezone.localdate()
    defaults = {
        "title": "Мониторинг охвата наставничеством",
        "period_start": datetime.date(today.year - 1, 9, 1),
        "period_end": today,
        "reference_date": today,
        "deadline": today + deadline_in * DAY,
        "text": "Просим представить информацию о численности охваченных программой наставничества.",
    }
    campaign = Campaign(municipality=world.municipality, **{**defaults, **fields})
    schools = [world.school_a, world.school_b] if schools is None else schools
    services.campaign_save(campaign=campaign, user=world.coordinator, organizations=schools)
    if open_it:
        services.campaign_open(campaign=campaign, user=world.coordinator)
    return campaign


def answer(world, submission: Submission, user=None) -> Submission:
    """A school's answer with the responsible person, sent."""
    user = user or world.curator_a
    services.submission_save_responsible(
        submission=submission, name="Иванова Мария Петровна", phone="8 (86142) 4-12-34", user=user
    )
    return services.submission_submit(submission=submission, user=user)


@dataclass
class CampaignData:
    open: Campaign
    draft: Campaign
    submission_a: Submission
    submission_b: Submission

    @property
    def preferred(self) -> list:
        return [self.open, self.submission_a]


def make_campaigns(world) -> CampaignData:
    campaign = make_campaign(world)
    submission_a = campaign.submissions.get(organization=world.school_a)
    submission_b = campaign.submissions.get(organization=world.school_b)
    services.correction_save(
        submission=submission_a,
        figure=Figure.MENTEES_10_18,
        form=FormCode.STUDENT_STUDENT,
        value=5,
        reason="Две пары внесены в портал после срока",
        user=world.curator_a,
    )
    answer(world, submission_a)
    services.submission_return(submission=submission_a, comment="Проверьте число наставляемых", user=world.coordinator)
    answer(world, submission_a)
    draft = make_campaign(world, open_it=False, title="Пакет документов", asks_documents=True)
    return CampaignData(open=campaign, draft=draft, submission_a=submission_a, submission_b=submission_b)
