"""The demo's campaigns (monitoring.demo_campaigns): every state a coordinator meets, dated from
the day the demo is loaded, made through the services, and loaded once."""

import datetime

import pytest
from django.core import mail

from core.testing.factories import OrganizationFactory
from monitoring.choices import CampaignStatus, DocumentStatus, SubmissionStatus
from monitoring.demo_campaigns import delete_demo_campaigns, load_demo_campaigns
from monitoring.models import Campaign, FigureCorrection, PackageDocument
from monitoring.selectors import is_late

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def loaded(world):
    for _ in range(4):
        OrganizationFactory(municipality=world.municipality)
    counts = load_demo_campaigns(world.municipality, today=TODAY)
    return world, counts


def test_this_years_coverage_campaign_has_schools_in_every_state(loaded):
    world, counts = loaded
    current = Campaign.objects.get(municipality=world.municipality, title__contains="2026/2027", asks_coverage=True)
    assert current.status == CampaignStatus.OPEN and current.deadline < TODAY
    states = [s.status for s in current.submissions.order_by("organization__short_name")]
    assert states.count(SubmissionStatus.RETURNED) == 1
    assert states.count(SubmissionStatus.SUBMITTED) == 2
    assert states.count(SubmissionStatus.DRAFT) == 2
    assert states.count(SubmissionStatus.ACCEPTED) == len(states) - 5 == counts["answers_accepted"]
    not_sent = [s for s in current.submissions.all() if s.status == SubmissionStatus.DRAFT]
    assert all(is_late(s, TODAY) for s in not_sent)
    returned = current.submissions.get(status=SubmissionStatus.RETURNED)
    assert "телефон" in returned.return_comment
    correction = FigureCorrection.objects.get(submission__campaign=current)
    assert correction.value == correction.computed + 2 and correction.reason


def test_last_years_campaign_is_closed_with_every_answer_accepted(loaded):
    world, _counts = loaded
    last = Campaign.objects.get(municipality=world.municipality, title__contains="2025/2026")
    assert last.status == CampaignStatus.CLOSED
    assert set(last.submissions.values_list("status", flat=True)) == {SubmissionStatus.ACCEPTED}


def test_the_package_is_half_collected_with_one_document_returned(loaded):
    world, counts = loaded
    package = Campaign.objects.get(municipality=world.municipality, asks_documents=True)
    assert package.status == CampaignStatus.OPEN and package.deadline > TODAY
    documents = PackageDocument.objects.filter(submission__campaign=package)
    schools_sent = documents.values("submission").distinct().count()
    assert schools_sent == package.submissions.count() // 2
    assert documents.filter(status=DocumentStatus.RETURNED).count() == 1
    assert documents.filter(status=DocumentStatus.ACCEPTED).exists()
    assert documents.count() == counts["documents"]


def test_it_loads_once_sends_no_letters_and_goes_with_a_reset(loaded):
    world, _counts = loaded
    assert mail.outbox == []  # the demo's addresses are not real
    assert load_demo_campaigns(world.municipality, today=TODAY) == {}
    assert delete_demo_campaigns(world.municipality) == 3
    assert not Campaign.objects.filter(municipality=world.municipality).exists()
