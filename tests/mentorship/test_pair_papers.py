"""A pair's papers printed on demand (issue 10 §1, mentorship.kinds): the card with its plan and
meetings, the completion reports (Положение §3.12–3.13), the gratitude and the certificate (§3.15)
— each read back from its PDF — and the pages that hand them out: scoped, journalled."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.documents import kind
from core.models import AuditEntry
from core.testing.documents import pdf_pages, pdf_text
from mentorship import services
from mentorship.kinds import Certificate, CompletionReport, Gratitude, PairCard
from mentorship.models import (
    IndividualPlan,
    Meeting,
    MeetingKind,
    MenteeReport,
    MentorReport,
    PairStatus,
    PlanItem,
    PlanItemKind,
)
from registry.models import Organization
from tests.mentorship.helpers import approved, teacher_mentor, young_teacher

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def completed(world):
    """A completed pair of school A: Иванова Мария Петровна mentored Белова Анна Сергеевна, with a
    plan of two items (one done), two meetings and both reports, the mentor's approved."""
    today = timezone.localdate()
    Organization.objects.filter(pk=world.school_a.pk).update(
        full_name="Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
        director_name="Гаврилова Светлана Владимировна",
        director_position="Директор",
        place="г. Назарово",
    )
    world.school_a.refresh_from_db()
    school = world.school_a
    mentor = teacher_mentor(
        school, last_name="Иванова", first_name="Мария", middle_name="Петровна", sex="f", position="учитель математики"
    )
    mentee = young_teacher(school, last_name="Белова", first_name="Анна", middle_name="Сергеевна", sex="f")
    pair = approved(
        organization=school, mentor=mentor, mentees=[mentee], start=today - 300 * DAY, end=today - 5 * DAY,
        number="17-од", date=today - 300 * DAY,
    )  # fmt: skip
    assert pair.status == PairStatus.COMPLETED
    plan = IndividualPlan.objects.create(pair=pair, acknowledged_on=pair.start_on + 3 * DAY)
    PlanItem.objects.create(
        plan=plan, kind=PlanItemKind.WORKPLACE, description="Знакомство с коллективом кафедры",
        deadline=pair.start_on + 10 * DAY, done_on=pair.start_on + 8 * DAY,
    )  # fmt: skip
    PlanItem.objects.create(
        plan=plan, kind=PlanItemKind.PRACTICE, description="Открытый урок по теме «Дроби»",
        deadline=pair.start_on + 90 * DAY,
    )  # fmt: skip
    Meeting.objects.create(pair=pair, kind=MeetingKind.ACQUAINTANCE, held_on=pair.start_on + DAY, topic="Знакомство")
    Meeting.objects.create(
        pair=pair, kind=MeetingKind.WORKING, held_on=pair.start_on + 30 * DAY, topic="Разбор урока в 6 «Б»",
        feedback="Стало понятно, как держать темп.",
    )  # fmt: skip
    report = services.mentor_report_save(
        report=MentorReport(
            pair=pair, plan_fulfilment="План выполнен, кроме открытого урока.", results="Уроки ведёт сама."
        ),
        user=None,
    )
    services.mentor_report_approve(report=report, user=None, on=today - 2 * DAY)
    services.mentee_report_save(
        report=MenteeReport(
            pair=pair, mentee=mentee, text="Наставник всегда помогала.", rating_competence=5,
            rating_availability=4, rating_usefulness=5, rating_overall=5,
        ),
        user=None,
    )  # fmt: skip
    pair.refresh_from_db()
    return pair


@pytest.fixture
def running(world):
    """An active pair of school A, started ten days ago: no reports, no rewards yet."""
    today = timezone.localdate()
    return approved(
        organization=world.school_a, mentor=teacher_mentor(world.school_a), mentees=[young_teacher(world.school_a)],
        start=today - 10 * DAY, end=today + 100 * DAY,
    )  # fmt: skip


def test_it_registers_the_pairs_papers_as_kinds_printed_on_demand():
    for code in ("pair_card", "completion_report", "gratitude", "certificate"):
        assert not kind(code).registered
    assert kind("pair_card") is PairCard


def test_it_prints_the_pairs_card_with_its_order_plan_and_meetings(completed):
    content = PairCard(completed).pdf().content
    text = pdf_text(content)
    assert "СРЕДНЯЯ ШКОЛА № 1" in text  # the header line, in capitals
    assert f"Карточка наставнической пары (группы) № {completed.pk}" in text
    assert f"утверждена приказом от {completed.order.date:%d.%m.%Y} № 17-од" in text
    assert "Иванова Мария Петровна" in text and "учитель математики" in text
    assert "Белова Анна Сергеевна" in text
    assert "Знакомство с коллективом кафедры" in text and "Открытый урок по теме «Дроби»" in text
    assert f"{completed.start_on + 8 * DAY:%d.%m.%Y}" in text  # the item done, with its date
    assert "Разбор урока в 6 «Б»" in text and "Стало понятно, как держать темп." in text
    assert "Завершена" in text


def test_it_prints_the_completion_reports_with_the_names_in_their_cases(completed):
    document = CompletionReport(completed)
    content = document.pdf().content
    text = pdf_text(content)
    assert "УТВЕРЖДАЮ" in text and "С. В. Гаврилова" in text
    # §3.12: «отчет о выполнении индивидуального плана лицом, в отношении которого …»: instrumental.
    assert "о выполнении индивидуального плана Беловой Анной Сергеевной" in text
    assert "План выполнен, кроме открытого урока." in text and "Уроки ведёт сама." in text
    assert "не выполнено" in text  # the open lesson's mark
    # §3.13: the mentee's report on the mentor's work (the mentor in the genitive) with the rating.
    pages = pdf_pages(content)
    assert len(pages) == 2
    assert "работе наставника Ивановой Марии Петровны" in " ".join(pages[1].split())
    assert "Средняя оценка 4,8" in text
    assert document.warnings() == []


def test_it_prints_a_report_not_yet_written_as_missing_with_its_due_date(completed):
    MenteeReport.objects.filter(pair=completed).delete()
    text = pdf_text(CompletionReport(completed).pdf().content)
    assert f"Отчёт наставляемого не представлен (срок — до {completed.reports_due_on:%d.%m.%Y})" in text


def test_it_names_the_mentor_in_the_dative_on_a_gratitude_and_the_nominative_on_a_certificate(completed):
    gratitude = pdf_text(Gratitude(completed).pdf().content)
    assert "БЛАГОДАРНОСТЬ объявляется Ивановой Марии Петровне учителю математики МБОУ «СОШ № 1»" in gratitude
    assert "в отношении Беловой Анны Сергеевны" in gratitude
    assert "С. В. Гаврилова" in gratitude and "г. Назарово" in gratitude
    certificate_pdf = Certificate(completed).pdf().content
    certificate = pdf_text(certificate_pdf)
    assert "ПОЧЁТНАЯ ГРАМОТА награждается Иванова Мария Петровна учитель математики" in certificate
    assert len(pdf_pages(certificate_pdf)) == 1


def test_it_prints_a_name_it_cannot_decline_in_the_nominative_and_warns(completed):
    mentor = completed.mentor
    mentor.last_name, mentor.first_name, mentor.middle_name, mentor.sex = "Дюма", "Саша", "", ""
    mentor.save()
    completed.refresh_from_db()
    document = Gratitude(completed)
    text = pdf_text(document.pdf().content)
    assert "объявляется Дюма Саша" in text
    assert len(document.warnings()) == 1
    assert "Дюма Саша" in document.warnings()[0] and "именительном" in document.warnings()[0]


def test_it_warns_on_the_pairs_page_before_printing_a_name_it_cannot_decline(client, world, completed):
    client.force_login(world.curator_a)
    assert "проверьте падежи" not in client.get(completed.get_absolute_url()).content.decode()
    mentor = completed.mentor
    mentor.last_name, mentor.first_name, mentor.middle_name, mentor.sex = "Дюма", "Саша", "", ""
    mentor.save()
    html = client.get(completed.get_absolute_url()).content.decode()
    assert "проверьте падежи" in html and "Дюма Саша" in html
    client.get(reverse("mentorship:gratitude_pdf", args=[completed.pk]))
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD)
    assert "Дюма Саша" in entry.data["warnings"][0]


# The pages ----------------------------------------------------------------------------------------

PAPERS = ["mentorship:pair_card_pdf", "mentorship:completion_report_pdf", "mentorship:gratitude_pdf",
          "mentorship:certificate_pdf"]  # fmt: skip


@pytest.mark.parametrize("route", PAPERS)
@pytest.mark.parametrize(
    ("actor", "status"),
    [("curator_a", 200), ("director_a", 200), ("curator_b", 404), ("coordinator", 200), ("coordinator_elsewhere", 404)],
)
def test_it_hands_out_a_paper_within_the_scope(client, world, completed, route, actor, status):
    client.force_login(getattr(world, actor))
    response = client.get(reverse(route, args=[completed.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(("route", "status"), [(PAPERS[0], 200), (PAPERS[1], 200), (PAPERS[2], 403), (PAPERS[3], 403)])
def test_it_lets_an_observer_read_the_card_and_reports_but_not_reward(client, world, completed, route, status):
    client.force_login(world.observer)
    assert client.get(reverse(route, args=[completed.pk])).status_code == status


def test_it_refuses_reports_and_rewards_for_a_pair_not_yet_ended(client, world, running):
    pair = running
    client.force_login(world.curator_a)
    assert client.get(reverse("mentorship:pair_card_pdf", args=[pair.pk])).status_code == 200
    for route in PAPERS[1:]:
        assert client.get(reverse(route, args=[pair.pk])).status_code == 404


def test_it_journals_every_download_on_the_pairs_history(client, world, completed):
    client.force_login(world.curator_a)
    client.get(reverse("mentorship:gratitude_pdf", args=[completed.pk]))
    entry = AuditEntry.objects.filter(action=AuditAction.DOWNLOAD).get()
    assert entry.actor == world.curator_a
    assert entry.object_id == str(completed.pk)
    assert entry.data["document"] == "gratitude"


def test_it_shows_the_paper_buttons_on_a_completed_pairs_page(client, world, completed):
    client.force_login(world.director_a)
    html = client.get(completed.get_absolute_url()).content.decode()
    for route in PAPERS:
        assert reverse(route, args=[completed.pk]) in html
    client.force_login(world.observer)
    html = client.get(completed.get_absolute_url()).content.decode()
    assert reverse("mentorship:pair_card_pdf", args=[completed.pk]) in html
    assert reverse("mentorship:gratitude_pdf", args=[completed.pk]) not in html


def test_it_renders_a_pairs_paper_from_the_command_line(completed, tmp_path):
    out = tmp_path / "gratitude.pdf"
    call_command("render_document", "gratitude", pair=completed.pk, out=str(out))
    assert "объявляется Ивановой Марии Петровне" in pdf_text(out.read_bytes())


def test_it_refuses_a_recognition_of_a_pair_not_completed_from_the_command_line(world, running, tmp_path):
    pair = running
    with pytest.raises(CommandError, match="для завершённой пары"):
        call_command("render_document", "certificate", pair=pair.pk, out=str(tmp_path / "c.pdf"))
    with pytest.raises(CommandError, match="укажите --pair ID"):
        call_command("render_document", "pair_card", organization=world.school_a.pk, out=str(tmp_path / "c.pdf"))
