"""Data that makes every page of the `world` worth looking at: a person with consents (one with a
scan, one withdrawn) in both bases, lists longer than a page, a contingent, an import job with an
error, pairs of every status with their plan, meetings, reports, a recognition and a practice
(tests/mentorship/data.py), and roadmaps of every kind with their execution
(tests/roadmaps/data.py). Used by the tests that visit every page of every role (texts,
accessibility)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from core import issuing
from core.models import ImportJob, PrintJob
from core.testing.factories import (
    ConsentFactory,
    ContingentFactory,
    MenteeRecordFactory,
    MentorRecordFactory,
    PersonFactory,
    TeacherFactory,
)
from mentorship.orders import PairOrder
from registry.choices import ConsentKind
from registry.models import Person
from tests.mentorship.data import PairData, make_pairs
from tests.monitoring.data import CampaignData, make_campaigns
from tests.monitoring.indicator_data import fill_indicators
from tests.monitoring.package_data import make_packages
from tests.roadmaps.data import RoadmapData, make_roadmaps
from tests.roadmaps.matrix_world import mixed_states, seed_roadmap

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: A person import with one good row and one row whose date cannot be read.
IMPORT_CSV = (
    "ФИО;Дата рождения;Категория;Класс\n"
    "Соколова Мария Андреевна;14.03.2011;обучающийся;7б\n"
    "Петров Пётр Петрович;31.02.2011;обучающийся;7б\n"
).encode()


@dataclass
class PageData:
    person: Person  # in both bases, with three consents
    preferred: list  # objects the page tests open first
    pairs: PairData | None = None
    roadmaps: RoadmapData | None = None
    campaigns: CampaignData | None = None


def fill_world(world) -> PageData:
    today = timezone.localdate()
    person = TeacherFactory(
        organization=world.school_a,
        last_name="Абрамова",
        first_name="Алиса",
        middle_name="Игоревна",
        teaching_since=today - datetime.timedelta(days=2 * 365),
    )
    MentorRecordFactory(person=person, competencies="Проектная деятельность")
    MenteeRecordFactory(person=person, request_details="Классное руководство")
    consent = ConsentFactory(
        person=person,
        kind=ConsentKind.PERSONAL_DATA,
        signed_on=datetime.date(2025, 9, 1),
        scan=SimpleUploadedFile("согласие.pdf", PDF, content_type="application/pdf"),
    )
    ConsentFactory(person=person, kind=ConsentKind.MENTORING, signed_on=datetime.date(2025, 9, 1))
    ConsentFactory(
        person=person,
        kind=ConsentKind.PERSONAL_DATA,
        signed_on=datetime.date(2024, 9, 2),
        withdrawn_on=datetime.date(2025, 8, 30),
    )
    # Longer than a page of 25, so that the pagination shows.
    PersonFactory.create_batch(27, organization=world.school_a)
    PersonFactory.create_batch(3, organization=world.school_b)
    ContingentFactory(organization=world.school_a, year_start=today.year)
    for user in (world.curator_a, world.coordinator):
        client = Client()
        client.force_login(user)
        client.post(
            "/import/",
            {
                "kind": "persons",
                "organization": world.school_a.pk,
                "file": SimpleUploadedFile("люди.csv", IMPORT_CSV, content_type="text/csv"),
            },
        )
    assert ImportJob.objects.filter(user=world.curator_a).exists(), "the import page needs a job"
    pairs = make_pairs(world)
    # Seed 000's municipal roadmap with the schools' execution: its matrix and print view.
    roadmap = seed_roadmap(world)
    mixed_states(world, roadmap)
    # Roadmaps of every kind for the pages of roadmaps, items, execution, copies and the due list.
    roadmaps = make_roadmaps(world)
    # A campaign's document package, school A's Положение sent: the package pages.
    package = make_packages(world)
    # Campaigns: an open one with school A's answer corrected, returned and sent again; a draft.
    campaigns = make_campaigns(world)
    # Targets of the indicators (plan against fact) for the municipality and school A.
    fill_indicators(world)
    # The register: a draft of school A's order on pairs, awaiting its director.
    order = issuing.document_prepare(
        kind=PairOrder.for_pairs(world.school_a, [p.pk for p in pairs.pairs if p.organization_id == world.school_a.pk]),
        user=world.curator_a,
        municipality=world.municipality,
        organization=world.school_a,
    )
    # A consolidated report the worker printed for each role: its page and its download.
    prints = []
    for role in ("coordinator", "curator_a", "director_a", "observer"):
        printed = PrintJob.objects.create(
            user=getattr(world, role),
            kind="coverage_report",
            title="Сводный отчёт об охвате наставничеством",
            filename="Охват наставничеством.pdf",
            status=PrintJob.Status.DONE,
            progress=100,
            pages=1,
            rows=2,
            back_url="/monitoring/coverage/",
        )
        printed.file.save("print.pdf", ContentFile(PDF))
        prints.append(printed)
    preferred = [
        order,
        *prints,
        person,
        consent,
        *pairs.pairs,
        pairs.recognition,
        pairs.practice,
        pairs.practice_file,
        roadmap.roadmap,
        *roadmaps.preferred,
        package.campaign,
        package.submission_a,
        package.sent,
        *campaigns.preferred,
    ]
    return PageData(person=person, preferred=preferred, pairs=pairs, roadmaps=roadmaps, campaigns=campaigns)


ROLES = ("coordinator", "curator_a", "director_a", "observer")
