"""Pairs of every kind in school A, made through the services as a curator and a director would:
the pages' tests (access, queries, figures, every page of every role) open them.

- `draft`: a draft not yet sent to the director; `awaiting`: a draft sent for approval;
- `active`: a group of two, started three months ago, with a plan, a meeting and the report of its
  first month only (the months after it are missing, §5.2), a recognition of its mentor and a
  practice with a file;
- `attention`: an active pair whose mentee withdrew the consent to mentoring (§3.5);
- `completed`: ended three weeks ago without its reports (overdue, §3.12–3.13);
- `terminated`: ended early yesterday, with the mentor's report (not approved) and its mentee's;
- `partner`: a mentor of a partner enterprise of the municipality, with a phone and an e-mail that
  no curator's page may show; `other`: an active pair of school B.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mentorship import services
from mentorship.models import (
    EndReason,
    Meeting,
    MeetingKind,
    MenteeReport,
    MentorReport,
    MonthlyReport,
    Pair,
    Practice,
    PracticeFile,
    Recognition,
    RecognitionKind,
)
from registry.models import Consent, Person
from tests.mentorship.helpers import approved, draft, employer_mentor, teacher_mentor, young_teacher

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.timedelta(days=1)


@dataclass
class PairData:
    draft: Pair
    awaiting: Pair
    active: Pair
    attention: Pair
    completed: Pair
    terminated: Pair
    other: Pair
    partner: Person
    recognition: Recognition
    practice: Practice
    practice_file: PracticeFile

    @property
    def pairs(self) -> list[Pair]:
        """The pairs in the order the page tests should prefer them (core.testing.pages)."""
        return [self.active, self.draft, self.awaiting, self.completed, self.terminated, self.attention]


def month_start(day: datetime.date, back: int) -> datetime.date:
    return services.add_months(day.replace(day=1), -back)


def make_pairs(world) -> PairData:
    today = timezone.localdate()
    school = world.school_a
    first = draft(
        organization=school,
        mentor=teacher_mentor(school, last_name="Морозова", first_name="Анна", middle_name="Павловна"),
        mentees=[young_teacher(school, last_name="Ёлкина", first_name="Дарья", middle_name="Игоревна")],
    )
    awaiting = draft(organization=school, mentor=teacher_mentor(school), mentees=[young_teacher(school)])
    services.pairs_request_approval(pairs=[awaiting], user=None)

    start = month_start(today, 3) + datetime.timedelta(days=4)
    active = approved(
        organization=school,
        mentor=teacher_mentor(school, last_name="Соколова", first_name="Ирина", middle_name="Олеговна"),
        mentees=[young_teacher(school, last_name="Белова"), young_teacher(school, last_name="Чернов")],
        start=start,
        end=today + 200 * DAY,
    )
    plan = services.plan_start(pair=active, user=None)
    services.meeting_save(
        meeting=Meeting(
            pair=active,
            kind=MeetingKind.WORKING,
            held_on=start + 7 * DAY,
            topic="Разбор открытого урока",
            feedback="Полезно: понятно, как строить урок.",
        ),
        user=None,
    )
    services.monthly_report_save(
        report=MonthlyReport(pair=active, month=start.replace(day=1), text="Проведены две встречи."), user=None
    )
    recognition = services.recognition_save(
        recognition=Recognition(
            person=active.mentor, pair=active, kind=RecognitionKind.GRATITUDE, awarded_on=today, grounds="Приказ № 3"
        ),
        user=None,
    )
    practice = services.practice_save(
        practice=Practice(
            municipality=world.municipality,
            organization=school,
            title="Открытый урок вдвоём",
            description="Наставник и молодой педагог готовят урок вместе.",
            form=active.form,
        ),
        pairs=[active],
        user=None,
    )
    practice_file = services.practice_file_add(
        file=PracticeFile(
            practice=practice,
            title="Конспект урока",
            file=SimpleUploadedFile("конспект.pdf", PDF, content_type="application/pdf"),
        ),
        user=None,
    )
    assert plan.items.exists()

    attention = approved(
        organization=school, mentor=teacher_mentor(school), mentees=[young_teacher(school)], start=today - 30 * DAY
    )
    withdrawing = attention.members.get(role="mentee").person
    Consent.objects.filter(person=withdrawing, kind="mentoring").update(withdrawn_on=today)

    completed = approved(
        organization=school,
        mentor=teacher_mentor(school),
        mentees=[young_teacher(school)],
        start=today - 300 * DAY,
        end=today - 21 * DAY,
    )
    terminated = approved(
        organization=school,
        mentor=teacher_mentor(school),
        mentees=[young_teacher(school)],
        start=today - 100 * DAY,
        end=today + 100 * DAY,
    )
    services.pair_terminate(
        pair=terminated, on=today - DAY, reason=EndReason.REQUEST, comment="Просьба наставляемого", user=None
    )
    terminated.refresh_from_db()
    services.mentor_report_save(
        report=MentorReport(pair=terminated, plan_fulfilment="План выполнен наполовину."), user=None
    )
    services.mentee_report_save(
        report=MenteeReport(
            pair=terminated,
            mentee=terminated.members.get(role="mentee").person,
            text="Было полезно.",
            rating_competence=5,
            rating_availability=4,
            rating_usefulness=5,
            rating_overall=5,
        ),
        user=None,
    )
    partner = employer_mentor(world.municipality)
    Person.objects.filter(pk=partner.pk).update(phone="+7 900 111-22-33", email="zavod-mentor@example.org")
    other = approved(
        organization=world.school_b, mentor=teacher_mentor(world.school_b), mentees=[young_teacher(world.school_b)]
    )
    return PairData(
        draft=first,
        awaiting=awaiting,
        active=active,
        attention=attention,
        completed=completed,
        terminated=terminated,
        other=other,
        partner=partner,
        recognition=recognition,
        practice=practice,
        practice_file=practice_file,
    )
