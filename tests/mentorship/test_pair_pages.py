"""What the pages of mentorship do, through the services: forming a pair with suggestions (without
JavaScript too), the live check, sending, approving by order, the changes of a live pair, the plan,
meetings and reports, recognition, practices with their files, the base of mentors for matching
and the director's limit. Refusals come back on the page in Russian."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from mentorship import services
from mentorship.models import (
    EventKind,
    IndividualPlan,
    Meeting,
    MenteeReport,
    MentorReport,
    MonthlyReport,
    Pair,
    PairStatus,
    Practice,
    PracticeFile,
    Recognition,
)
from registry.choices import FormCode
from registry.models import Consent, MentorRecord
from tests.mentorship.data import PDF, make_pairs
from tests.mentorship.helpers import draft, form, pupil, teacher_mentor, young_teacher

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def data(world):
    return make_pairs(world)


def body(response) -> str:
    return response.content.decode()


def pair_form(mentee, mentor, **extra):
    return {
        "mentee": mentee.pk,
        "form": form(FormCode.TEACHER_TEACHER).pk,
        "mentor": mentor.pk,
        "start_on": TODAY.isoformat(),
        "end_on": "",
        "topic": "Адаптация молодого педагога",
        "goal": "",
        "role_model": "",
        **extra,
    }


# Forming a pair ------------------------------------------------------------------------------------


def test_it_suggests_mentors_and_saves_the_chosen_one_as_a_draft_without_javascript(client, world):
    client.force_login(world.curator_a)
    mentor = teacher_mentor(world.school_a, last_name="Морозова", first_name="Анна", middle_name="Павловна")
    mentee = young_teacher(world.school_a, last_name="Ёлкина")

    page = client.post(reverse("mentorship:pair_create"), {"mentee": mentee.pk, "suggest": "1"})
    assert page.status_code == 200
    html = body(page)
    assert "Морозова Анна Павловна" in html
    assert "свободно 3 из 3" in html
    assert "та же школа" in html
    assert "Выберите наставника из предложенных" not in html  # suggesting is not saving

    response = client.post(reverse("mentorship:pair_create"), pair_form(mentee, mentor))
    pair = Pair.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pair.get_absolute_url()
    assert pair.status == PairStatus.DRAFT
    assert pair.organization == world.school_a
    assert pair.end_on == services.default_end(TODAY)  # left empty: nine months
    assert {m.person_id for m in pair.members.all()} == {mentor.pk, mentee.pk}
    assert pair.events.get().kind == EventKind.CREATED


def test_it_shows_the_services_refusal_on_the_form(client, world):
    client.force_login(world.curator_a)
    mentee = young_teacher(world.school_a)
    pupil_mentor = pupil(world.school_a, age=16, role="mentor")  # a pupil cannot mentor a teacher
    response = client.post(reverse("mentorship:pair_create"), pair_form(mentee, pupil_mentor))
    assert response.status_code == 200
    assert "Учитель – учитель" in body(response)
    assert "нет формы «Учитель – учитель»" in body(response)
    assert not Pair.objects.exists()


def test_it_checks_the_rules_live_as_the_form_changes(client, world):
    client.force_login(world.curator_a)
    mentor = teacher_mentor(world.school_a)
    without_consent = young_teacher(world.school_a, consents=False)
    data = pair_form(without_consent, mentor)

    fragment = client.post(reverse("mentorship:pair_check"), data, HTTP_HX_REQUEST="true")
    html = body(fragment)
    assert "<html" not in html
    assert "Черновик сохранится, но утвердить пару пока нельзя" in html
    assert "Нет согласия" in html

    wrong = client.post(
        reverse("mentorship:pair_check"),
        pair_form(without_consent, pupil(world.school_a, age=16, role="mentor")),
        HTTP_HX_REQUEST="true",
    )
    assert "Сохранить нельзя" in body(wrong)

    fine = client.post(
        reverse("mentorship:pair_check"), pair_form(young_teacher(world.school_a), mentor), HTTP_HX_REQUEST="true"
    )
    assert "Правила Положения соблюдены" in body(fine)
    page = client.get(reverse("mentorship:pair_check"))
    assert "<html" in body(page)
    assert "Выберите наставляемого, форму и наставника" in body(page)


def test_it_changes_a_draft_and_refuses_to_edit_an_approved_pair(client, world, data):
    client.force_login(world.curator_a)
    page = client.get(reverse("mentorship:pair_update", args=[data.draft.pk]))
    assert page.status_code == 200
    assert "Морозова Анна Павловна" in body(page)  # the draft's mentor is offered, chosen
    mentee = data.draft.members.get(role="mentee").person
    response = client.post(
        reverse("mentorship:pair_update", args=[data.draft.pk]),
        pair_form(mentee, data.draft.mentor, topic="Классное руководство", pair_id=data.draft.pk),
    )
    assert response.status_code == 302
    data.draft.refresh_from_db()
    assert data.draft.topic == "Классное руководство"


def test_it_deletes_a_draft_after_asking(client, world, data):
    client.force_login(world.curator_a)
    page = client.get(reverse("mentorship:pair_delete", args=[data.draft.pk]))
    assert "Удалить запись?" in body(page)
    assert "Участники пар" in body(page)  # what goes with it is listed
    response = client.post(reverse("mentorship:pair_delete", args=[data.draft.pk]))
    assert response.status_code == 302
    assert not Pair.objects.filter(pk=data.draft.pk).exists()


# Sending and approving ------------------------------------------------------------------------------


def test_it_sends_a_draft_for_approval_or_says_what_stops_it(client, world, data):
    client.force_login(world.curator_a)
    url = reverse("mentorship:pair_send", args=[data.draft.pk])
    assert "Всё, что проверяется при утверждении, в порядке" in body(client.get(url))
    response = client.post(url)
    assert response.status_code == 302
    data.draft.refresh_from_db()
    assert data.draft.approval_requested_on == TODAY

    lacking = draft(
        organization=world.school_a,
        mentor=teacher_mentor(world.school_a),
        mentees=[young_teacher(world.school_a, consents=False)],
    )
    url = reverse("mentorship:pair_send", args=[lacking.pk])
    assert "Сейчас утверждению помешает" in body(client.get(url))
    refused = client.post(url)
    assert refused.status_code == 200
    assert "Нет согласия" in body(refused)
    lacking.refresh_from_db()
    assert lacking.approval_requested_on is None


def test_it_lets_the_director_approve_awaiting_pairs_by_an_order(client, world, data):
    client.force_login(world.director_a)
    page = client.get(reverse("mentorship:pair_approve"))
    assert f'value="{data.awaiting.pk}"' in body(page)
    assert f'value="{data.draft.pk}"' not in body(page)  # not sent yet
    response = client.post(
        reverse("mentorship:pair_approve"),
        {"pairs": [data.awaiting.pk], "order_number": "27-од", "order_date": TODAY.isoformat()},
    )
    assert response.status_code == 302
    data.awaiting.refresh_from_db()
    assert data.awaiting.status == PairStatus.ACTIVE
    assert data.awaiting.order.number == "27-од"
    card = client.get(data.awaiting.get_absolute_url())
    assert "Действует" in body(card)
    assert "№&nbsp;27-од от" in body(card)


def test_it_lists_every_refusal_of_an_approval_by_pair_and_approves_nothing(client, world, data):
    Consent.objects.filter(person=data.awaiting.mentor).update(withdrawn_on=TODAY)
    client.force_login(world.director_a)
    response = client.post(
        reverse("mentorship:pair_approve") + f"?pair={data.draft.pk}",
        {"pairs": [data.awaiting.pk, data.draft.pk], "order_number": "28-од", "order_date": TODAY.isoformat()},
    )
    assert response.status_code == 200
    assert f"Пара № {data.awaiting.pk}" in body(response)
    assert "Нет согласия" in body(response)
    assert Pair.objects.filter(pk__in=[data.awaiting.pk, data.draft.pk], status=PairStatus.DRAFT).count() == 2


def test_it_opens_the_approval_for_one_pair_from_its_card(client, world, data):
    client.force_login(world.director_a)
    page = client.get(reverse("mentorship:pair_approve") + f"?pair={data.draft.pk}")
    html = body(page)
    assert f'value="{data.draft.pk}" id="pair-{data.draft.pk}" checked' in html
    assert f'value="{data.awaiting.pk}" id="pair-{data.awaiting.pk}">' in html


def test_it_refuses_an_order_without_number_or_dated_in_the_future(client, world, data):
    client.force_login(world.director_a)
    response = client.post(
        reverse("mentorship:pair_approve"),
        {"pairs": [data.awaiting.pk], "order_number": " ", "order_date": (TODAY + DAY).isoformat()},
    )
    assert response.status_code == 200
    assert "Укажите номер приказа" in body(response) or "Обязательное поле" in body(response)
    data.awaiting.refresh_from_db()
    assert data.awaiting.status == PairStatus.DRAFT


# A whole base at once -----------------------------------------------------------------------------


def test_it_proposes_mentors_for_the_whole_base_and_accepts_the_kept_ones(client, world):
    client.force_login(world.curator_a)
    mentor = teacher_mentor(world.school_a, last_name="Морозова")
    kept, left_out = (
        young_teacher(world.school_a, last_name="Белова"),
        young_teacher(world.school_a, last_name="Чернова"),
    )
    page = client.get(reverse("mentorship:pair_propose"))
    html = body(page)
    assert "Белова" in html and "Чернова" in html
    rows = {p.mentee.pk: row for row in page.context["rows"] for p in [row["proposal"]]}
    post = {"organization": world.school_a.pk, "start_on": TODAY.isoformat(), "end_on": ""}
    for mentee in (kept, left_out):
        row = rows[mentee.pk]
        post[f"mentee_{row['index']}"] = mentee.pk
        post[f"form_{row['index']}"] = row["proposal"].form.pk
        post[f"mentor_{row['index']}"] = mentor.pk if mentee == kept else ""
    response = client.post(reverse("mentorship:pair_propose"), post)
    assert response.status_code == 302
    pair = Pair.objects.get()
    assert pair.status == PairStatus.DRAFT
    assert {m.person_id for m in pair.members.all()} == {mentor.pk, kept.pk}


# A live pair --------------------------------------------------------------------------------------


def test_it_adds_and_removes_a_mentee_of_a_group(client, world, data):
    client.force_login(world.curator_a)
    newcomer = young_teacher(world.school_a, last_name="Новикова")
    response = client.post(
        reverse("mentorship:pair_add_mentee", args=[data.active.pk]), {"mentee": newcomer.pk, "on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    assert data.active.members.filter(person=newcomer, left_on__isnull=True).exists()
    response = client.post(
        reverse("mentorship:pair_remove_mentee", args=[data.active.pk]),
        {"mentee": newcomer.pk, "on": TODAY.isoformat(), "reason": "left_organization", "comment": "Переезд"},
    )
    assert response.status_code == 302
    member = data.active.members.get(person=newcomer)
    assert member.left_on == TODAY
    assert "Выбытие наставляемого" in body(client.get(data.active.get_absolute_url()))


def test_it_replaces_the_mentor_only_with_a_reason_and_a_comment(client, world, data):
    client.force_login(world.curator_a)
    new_mentor = teacher_mentor(world.school_a, last_name="Зайцева")
    url = reverse("mentorship:pair_replace_mentor", args=[data.active.pk])
    refused = client.post(url, {"mentor": new_mentor.pk, "on": TODAY.isoformat(), "reason": "", "comment": ""})
    assert refused.status_code == 200
    assert "Обязательное поле" in body(refused)
    response = client.post(
        url, {"mentor": new_mentor.pk, "on": TODAY.isoformat(), "reason": "request", "comment": "Просьба наставника"}
    )
    assert response.status_code == 302
    data.active.refresh_from_db()
    assert data.active.mentor == new_mentor
    card = body(client.get(data.active.get_absolute_url()))
    assert "Замена наставника" in card
    assert "Причина: Просьба наставника или наставляемого" in card  # PairEvent.reason_label


def test_it_extends_and_terminates_a_pair_with_their_reasons(client, world, data):
    client.force_login(world.curator_a)
    new_end = data.active.end_on + 30 * DAY
    response = client.post(
        reverse("mentorship:pair_extend", args=[data.active.pk]),
        {"new_end": new_end.isoformat(), "reason": "illness", "comment": "Больничный"},
    )
    assert response.status_code == 302
    data.active.refresh_from_db()
    assert data.active.end_on == new_end
    refused = client.post(
        reverse("mentorship:pair_terminate", args=[data.active.pk]), {"on": TODAY.isoformat(), "reason": "request"}
    )
    assert refused.status_code == 200  # the comment is required
    response = client.post(
        reverse("mentorship:pair_terminate", args=[data.active.pk]),
        {"on": TODAY.isoformat(), "reason": "request", "comment": "Просьба наставляемого"},
    )
    assert response.status_code == 302
    data.active.refresh_from_db()
    assert data.active.status == PairStatus.TERMINATED
    assert "Причина: Просьба наставника или наставляемого" in body(client.get(data.active.get_absolute_url()))


# The plan, meetings and reports ------------------------------------------------------------------


def test_it_keeps_the_plan_and_lets_the_director_approve_it(client, world, data):
    client.force_login(world.curator_a)
    assert client.post(reverse("mentorship:plan_start", args=[data.draft.pk])).status_code == 302
    plan = IndividualPlan.objects.get(pair=data.draft)
    count = plan.items.count()
    response = client.post(
        reverse("mentorship:plan_item_create", args=[data.draft.pk]),
        {"kind": "practice", "description": "Открытый урок", "deadline": (TODAY + 30 * DAY).isoformat()},
    )
    assert response.status_code == 302
    assert plan.items.count() == count + 1
    item = plan.items.get(description="Открытый урок")
    client.post(
        reverse("mentorship:plan_item_update", args=[item.pk]),
        {
            "kind": "practice",
            "description": "Открытый урок",
            "deadline": item.deadline.isoformat(),
            "done_on": TODAY.isoformat(),
        },
    )
    item.refresh_from_db()
    assert item.done_on == TODAY
    client.post(reverse("mentorship:plan_acknowledge", args=[data.draft.pk]), {"acknowledged_on": TODAY.isoformat()})
    plan.refresh_from_db()
    assert plan.acknowledged_on == TODAY
    client.force_login(world.director_a)
    assert client.post(reverse("mentorship:plan_approve", args=[data.draft.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.approved_on == TODAY and plan.approved_by == world.director_a


def test_it_records_meetings_and_asks_feedback_of_a_working_one(client, world, data):
    client.force_login(world.curator_a)
    url = reverse("mentorship:meeting_create", args=[data.active.pk])
    refused = client.post(url, {"kind": "working", "held_on": TODAY.isoformat(), "topic": "Разбор урока"})
    assert refused.status_code == 200
    assert "обратная связь наставляемого обязательна" in body(refused)
    client.post(url, {"kind": "working", "held_on": TODAY.isoformat(), "topic": "Разбор урока", "feedback": "Понятно"})
    assert Meeting.objects.filter(pair=data.active, topic="Разбор урока").exists()
    # A draft has no meetings yet: its page sends back to the card.
    response = client.get(reverse("mentorship:meeting_create", args=[data.draft.pk]))
    assert response.status_code == 302


def test_it_lists_the_missing_months_and_fills_one(client, world, data):
    client.force_login(world.curator_a)
    card = client.get(data.active.get_absolute_url())
    missing = card.context["missing_months"]
    assert missing
    month = missing[0]
    url = reverse("mentorship:monthly_report_create", args=[data.active.pk]) + f"?month={month.isoformat()}"
    assert f'value="{month.isoformat()}" selected' in body(client.get(url))
    client.post(url, {"month": month.isoformat(), "submitted_on": TODAY.isoformat(), "text": "Две встречи"})
    assert MonthlyReport.objects.filter(pair=data.active, month=month).exists()
    assert month not in client.get(data.active.get_absolute_url()).context["missing_months"]


def test_it_takes_the_completion_reports_and_the_directors_approval(client, world, data):
    client.force_login(world.curator_a)
    pair = data.completed
    client.post(
        reverse("mentorship:mentor_report_create", args=[pair.pk]),
        {"submitted_on": TODAY.isoformat(), "plan_fulfilment": "План выполнен", "results": "Урок проведён"},
    )
    report = MentorReport.objects.get(pair=pair)
    mentee = pair.members.get(role="mentee").person
    response = client.post(
        reverse("mentorship:mentee_report_create", args=[pair.pk]),
        {
            "mentee": mentee.pk,
            "submitted_on": TODAY.isoformat(),
            "text": "Полезно",
            "rating_competence": "5",
            "rating_availability": "4",
            "rating_usefulness": "5",
            "rating_overall": "5",
        },
    )
    assert response.status_code == 302
    assert MenteeReport.objects.get(pair=pair).average == 4.8
    assert client.get(pair.get_absolute_url()).context["reports_overdue"] is False
    client.force_login(world.director_a)
    client.post(reverse("mentorship:mentor_report_approve", args=[pair.pk]))
    report.refresh_from_db()
    assert report.approved_on == TODAY


# Recognition and practices --------------------------------------------------------------------------


def test_it_recognises_a_mentor_from_the_pair(client, world, data):
    client.force_login(world.curator_a)
    url = reverse("mentorship:recognition_create") + f"?person={data.active.mentor_id}&pair={data.active.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "person": data.active.mentor_id,
            "pair": data.active.pk,
            "kind": "certificate",
            "level": "municipality",
            "title": "Лучший педагог-наставник",
            "awarded_on": TODAY.isoformat(),
            "grounds": "Приказ управления образования № 5",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == data.active.get_absolute_url()
    assert Recognition.objects.filter(title="Лучший педагог-наставник").exists()
    assert "Лучший педагог-наставник" in body(client.get(reverse("mentorship:recognition_list")))


def test_it_keeps_practices_with_files_downloaded_only_in_the_municipality_and_journalled(client, world, data):
    client.force_login(world.curator_a)
    response = client.post(
        reverse("mentorship:practice_create"),
        {
            "title": "Педагогический квест",
            "description": "Как провести.",
            "organization": world.school_a.pk,
            "pairs": [data.active.pk],
        },
    )
    practice = Practice.objects.get(title="Педагогический квест")
    assert response["Location"] == practice.get_absolute_url()
    assert practice.municipality == world.municipality
    client.post(
        reverse("mentorship:practice_file_create", args=[practice.pk]),
        {"title": "Сценарий", "file": SimpleUploadedFile("сценарий.pdf", PDF, content_type="application/pdf")},
    )
    item = PracticeFile.objects.get(practice=practice)
    refused = client.post(
        reverse("mentorship:practice_file_create", args=[practice.pk]),
        {"title": "Вирус", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00", content_type="application/pdf")},
    )
    assert "не похож на скан" in body(refused)
    client.force_login(world.curator_b)  # another school of the municipality reads the bank
    download = client.get(reverse("mentorship:practice_file", args=[item.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="download", object_id=str(item.pk), actor=world.curator_b).exists()


# The base of mentors for matching ------------------------------------------------------------------


def test_it_shows_the_partners_mentors_for_matching_without_their_personal_data(client, world, data):
    client.force_login(world.curator_a)
    partner = data.partner
    html = body(client.get(reverse("mentorship:mentor_base")))
    assert partner.full_name in html
    assert "АО «Завод»" in html
    assert "свободно 3 из 3" in html
    assert partner.get_absolute_url() not in html  # another organization's person: no card to open
    for private in ("+7 900 111-22-33", "zavod-mentor@example.org", "01.01.1985"):
        assert private not in html


def test_it_never_shows_a_partner_mentors_personal_data_on_a_curators_pages(client, world, data):
    client.force_login(world.curator_a)
    mentee = pupil(world.school_a, age=15, forms=(FormCode.EMPLOYER_STUDENT,))
    suggest = client.post(reverse("mentorship:pair_create"), {"mentee": mentee.pk, "suggest": "1"})
    assert data.partner.full_name in body(suggest)
    response = client.post(
        reverse("mentorship:pair_create"),
        {
            "mentee": mentee.pk,
            "form": form(FormCode.EMPLOYER_STUDENT).pk,
            "mentor": data.partner.pk,
            "start_on": TODAY.isoformat(),
        },
    )
    pair = Pair.objects.get(mentor=data.partner)
    assert response["Location"] == pair.get_absolute_url()
    pages = [suggest, client.get(pair.get_absolute_url()), client.get(reverse("mentorship:pair_list"))]
    pages.append(client.get(reverse("mentorship:mentor_base") + "?q=завод"))
    for page in pages:
        html = body(page)
        for private in ("+7 900 111-22-33", "zavod-mentor@example.org", "01.01.1985"):
            assert private not in html
        assert data.partner.get_absolute_url() not in html
    assert client.get(data.partner.get_absolute_url()).status_code == 404


def test_it_lets_the_director_set_a_mentors_limit(client, world, data):
    record = MentorRecord.objects.get(person=data.draft.mentor)
    url = reverse("mentorship:mentor_limit", args=[record.pk])
    client.force_login(world.director_a)
    assert "Предел" in body(client.get(reverse("mentorship:mentor_base")))
    response = client.post(url, {"max_mentees": "2"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.max_mentees == 2
    assert "свободно 2 из 2" in body(client.get(reverse("mentorship:mentor_base") + "?q=морозова"))
    client.force_login(world.curator_a)
    assert "Предел<span" not in body(client.get(reverse("mentorship:mentor_base")))
    assert client.post(url, {"max_mentees": "1"}).status_code == 403


def test_it_lists_a_persons_pairs_on_their_page(client, world, data):
    client.force_login(world.curator_a)
    mentee = data.draft.members.get(role="mentee").person
    html = body(client.get(mentee.get_absolute_url()))
    assert "Наставнические пары" in html
    assert data.draft.get_absolute_url() in html
    assert "наставник Морозова А. П." in html
    client.force_login(world.curator_b)
    assert client.get(mentee.get_absolute_url()).status_code == 404
    # A mentor's page lists only their own pairs.
    client.force_login(world.coordinator)
    assert data.other.get_absolute_url() not in body(client.get(data.draft.mentor.get_absolute_url()))
