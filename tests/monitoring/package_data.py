"""A campaign that asks the schools of the `world` for a document package: open, both schools
asked, seed 003's three documents, school A's Положение sent as a PDF scan. Built with the ORM
and `monitoring.packages` (the campaign's own services are the campaigns' tests' business)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring import packages
from monitoring.choices import CampaignStatus
from monitoring.models import Campaign, DocumentRequirement, PackageDocument, Submission

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "polozhenie.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class PackageData:
    campaign: Campaign
    submission_a: Submission
    submission_b: Submission
    requirements: list[DocumentRequirement]
    sent: PackageDocument
    elsewhere: Submission


def open_campaign(municipality, schools, *, title="Пакет документов ЦМН", asks_coverage=False) -> Campaign:
    campaign = Campaign.objects.create(
        municipality=municipality,
        title=title,
        asks_coverage=asks_coverage,
        asks_documents=True,
        period_start=datetime.date(2025, 9, 1),
        period_end=datetime.date(2026, 8, 31),
        reference_date=datetime.date(2025, 9, 1),
        deadline=datetime.date(2025, 9, 10),
        text="Просим представить скан-копии утверждённых документов.",
        status=CampaignStatus.OPEN,
    )
    for school in schools:
        Submission.objects.create(campaign=campaign, organization=school)
    packages.default_requirements(campaign=campaign, user=None)
    return campaign


def make_packages(world) -> PackageData:
    campaign = open_campaign(world.municipality, [world.school_a, world.school_b])
    requirements = list(campaign.requirements.order_by("position"))
    submission_a = campaign.submissions.get(organization=world.school_a)
    sent = packages.document_send(
        document=packages.document_for(submission_a, requirements[0]), user=world.curator_a, file=pdf()
    )
    elsewhere_campaign = open_campaign(world.other_municipality, [world.school_elsewhere], title="Чужой сбор")
    return PackageData(
        campaign=campaign,
        submission_a=submission_a,
        submission_b=campaign.submissions.get(organization=world.school_b),
        requirements=requirements,
        sent=sent,
        elsewhere=elsewhere_campaign.submissions.get(),
    )
