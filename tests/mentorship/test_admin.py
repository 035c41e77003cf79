"""Mentorship in the admin: every page opens for staff, and every write goes through the services
(a refusal of the rules is a form error, never a server error)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from mentorship import services
from mentorship.models import (
    ApprovalOrder,
    EventKind,
    IndividualPlan,
    Meeting,
    MeetingKind,
    MenteeReport,
    MentorReport,
    MonthlyReport,
    Pair,
    PairStatus,
    PlanItem,
    Practice,
    PracticeFile,
    Recognition,
    RecognitionKind,
)
from registry.choices import FormCode
from tests.mentorship.helpers import approved, draft, form, pupil, teacher_mentor, young_teacher

DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pass-for-tests-1")
    client.force_login(user)
    return client


@pytest.fixture
def pairs(world):
    """A draft, an active pair with its plan, a meeting and a report, a completed one with its
    completion reports, a recognition and a practice with a file."""
    today = timezone.localdate()
    school = world.school_a
    mentor = teacher_mentor(school, last_name="Наставникова")
    active = approved(
        organization=school, mentor=mentor, mentees=[young_teacher(school, last_name="Молодова")],
        start=today - 40 * DAY, end=today + 200 * DAY,
    )  # fmt: skip
    completed = approved(
        organization=school, mentor=mentor, mentees=[young_teacher(school)],
        start=today - 300 * DAY, end=today - 20 * DAY,
    )  # fmt: skip
    drafted = draft(organization=school, mentor=mentor, mentees=[young_teacher(school)], start=today + 10 * DAY)
    services.plan_start(pair=active, user=None)
    services.meeting_save(
        meeting=Meeting(pair=active, kind=MeetingKind.ACQUAINTANCE, held_on=today - 35 * DAY, topic="Знакомство"),
        user=None,
    )
    services.monthly_report_save(
        report=MonthlyReport(pair=active, month=today - 35 * DAY, text="Встречи по плану."), user=None
    )
    services.mentor_report_save(report=MentorReport(pair=completed, plan_fulfilment="Выполнен."), user=None)
    mentee = completed.members.get(role="mentee").person
    services.mentee_report_save(
        report=MenteeReport(
            pair=completed, mentee=mentee, text="Полезно.", rating_competence=5, rating_availability=5,
            rating_usefulness=4, rating_overall=5,
        ),
        user=None,
    )  # fmt: skip
    services.recognition_save(
        recognition=Recognition(
            person=mentor, pair=completed, kind=RecognitionKind.GRATITUDE, awarded_on=today, grounds="Приказ № 1-од"
        ),
        user=None,
    )
    practice = services.practice_save(
        practice=Practice(municipality=world.municipality, organization=school, title="Практика", description="…"),
        pairs=[completed],
        user=None,
    )
    services.practice_file_add(
        file=PracticeFile(practice=practice, title="Описание", file=SimpleUploadedFile("practice.pdf", PDF)),
        user=None,
    )
    return {"mentor": mentor, "active": active, "completed": completed, "draft": drafted, "practice": practice}


MODELS = {
    "pair": lambda p: p["active"],
    "approvalorder": lambda p: p["active"].order,
    "individualplan": lambda p: p["active"].plan,
    "meeting": lambda p: p["active"].meetings.get(),
    "monthlyreport": lambda p: p["active"].monthly_reports.get(),
    "mentorreport": lambda p: p["completed"].mentor_report,
    "menteereport": lambda p: p["completed"].mentee_reports.get(),
    "recognition": lambda p: Recognition.objects.get(),
    "practice": lambda p: p["practice"],
}


@pytest.mark.parametrize("name", MODELS)
def test_it_opens_the_list_and_the_change_form_of_every_model(admin_client, pairs, name):
    obj = MODELS[name](pairs)
    assert admin_client.get(reverse(f"admin:mentorship_{name}_changelist")).status_code == 200
    response = admin_client.get(reverse(f"admin:mentorship_{name}_change", args=[obj.pk]))
    assert response.status_code == 200
    if name != "approvalorder":  # orders come from approvals only
        assert admin_client.get(reverse(f"admin:mentorship_{name}_add")).status_code == 200


def test_it_filters_and_searches_pairs(admin_client, pairs):
    url = reverse("admin:mentorship_pair_changelist")
    assert admin_client.get(url, {"status__exact": "draft"}).context["cl"].result_count == 1
    assert admin_client.get(url, {"form__id__exact": form().pk}).context["cl"].result_count == 3
    by_organization = {"organization__id__exact": pairs["active"].organization_id}
    assert admin_client.get(url, by_organization).context["cl"].result_count == 3
    # By a mentee's name, and by the mentor's.
    assert list(admin_client.get(url, {"q": "Молодова"}).context["cl"].result_list) == [pairs["active"]]
    assert admin_client.get(url, {"q": "Наставникова"}).context["cl"].result_count == 3


def test_it_shows_an_approved_pairs_members_and_history_read_only(admin_client, pairs):
    pair = pairs["active"]
    url = reverse("admin:mentorship_pair_change", args=[pair.pk])
    body = admin_client.get(url).content.decode()
    assert "Молодова" in body and "Утверждена приказом" in body
    assert 'name="_save"' not in body
    assert admin_client.post(url, {"topic": "Другое"}).status_code == 403


def pair_form_data(world, mentor, mentees, **changes) -> dict:
    today = timezone.localdate()
    data = {
        "organization": world.school_a.pk,
        "form": form(FormCode.TEACHER_TEACHER).pk,
        "role_model": "",
        "mentor": mentor.pk,
        "mentees": [m.pk for m in mentees],
        "topic": "Методика преподавания",
        "goal": "Адаптация молодого педагога.",
        "start_on": (today + 7 * DAY).strftime("%d.%m.%Y"),
        "end_on": (today + 200 * DAY).strftime("%d.%m.%Y"),
    }
    for prefix in ("members", "events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_it_saves_a_draft_pair_through_the_service(admin_client, world, pairs):
    newcomer = young_teacher(world.school_a, last_name="Новикова")

    response = admin_client.post(
        reverse("admin:mentorship_pair_add"), pair_form_data(world, pairs["mentor"], [newcomer])
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    pair = Pair.objects.get(members__person=newcomer)
    assert pair.status == PairStatus.DRAFT
    assert list(pair.events.values_list("kind", flat=True)) == [EventKind.CREATED]
    assert AuditEntry.objects.for_object(pair).filter(action="create").exists()


def test_it_shows_a_rule_refusal_as_a_form_error(admin_client, world, pairs):
    child = pupil(world.school_a, last_name="Школьникова")
    before = Pair.objects.count()

    response = admin_client.post(reverse("admin:mentorship_pair_add"), pair_form_data(world, pairs["mentor"], [child]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Форма «Учитель – учитель»: наставляемым в ней может быть только педагог" in body
    assert Pair.objects.count() == before


def test_it_changes_a_draft_through_the_service_and_keeps_its_members(admin_client, world, pairs):
    pair = pairs["draft"]
    mentee = pair.members.get(role="mentee").person
    url = reverse("admin:mentorship_pair_change", args=[pair.pk])

    response = admin_client.post(url, pair_form_data(world, pairs["mentor"], [mentee], topic="Новая тема"))

    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.topic == "Новая тема"
    assert AuditEntry.objects.for_object(pair).filter(action="update").exists()


def test_it_deletes_a_draft_through_the_service(admin_client, pairs):
    pair = pairs["draft"]

    response = admin_client.post(reverse("admin:mentorship_pair_delete", args=[pair.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Pair.objects.filter(pk=pair.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(pair.pk)).exists()
    # An approved pair is never deleted.
    url = reverse("admin:mentorship_pair_delete", args=[pairs["active"].pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403


def test_it_sends_drafts_for_approval_by_the_action(admin_client, pairs):
    pair = pairs["draft"]

    admin_client.post(
        reverse("admin:mentorship_pair_changelist"), {"action": "request_approval", "_selected_action": [pair.pk]}
    )

    pair.refresh_from_db()
    assert pair.approval_requested_on == timezone.localdate()


def test_it_refuses_a_working_meeting_without_feedback_on_the_form(admin_client, pairs):
    data = {
        "pair": pairs["active"].pk,
        "kind": MeetingKind.WORKING,
        "held_on": timezone.localdate().strftime("%d.%m.%Y"),
        "topic": "Разбор урока",
        "notes": "",
        "feedback": "",
    }

    response = admin_client.post(reverse("admin:mentorship_meeting_add"), data)

    assert response.status_code == 200
    assert "обратная связь наставляемого обязательна" in response.content.decode()
    assert Meeting.objects.count() == 1


def test_it_marks_a_plan_item_done_through_the_service_and_refuses_a_future_date(admin_client, pairs):
    plan = pairs["active"].plan
    items = list(plan.items.order_by("deadline", "order", "pk"))
    url = reverse("admin:mentorship_individualplan_change", args=[plan.pk])
    today = timezone.localdate()

    def data(done_on):
        values = {
            "acknowledged_on": today.strftime("%d.%m.%Y"),
            "approved_on": "",
            "items-TOTAL_FORMS": str(len(items)),
            "items-INITIAL_FORMS": str(len(items)),
        }
        for index, item in enumerate(items):
            values.update(
                {
                    f"items-{index}-id": item.pk,
                    f"items-{index}-plan": plan.pk,
                    f"items-{index}-order": item.order,
                    f"items-{index}-kind": item.kind,
                    f"items-{index}-description": item.description,
                    f"items-{index}-deadline": item.deadline.strftime("%d.%m.%Y"),
                    f"items-{index}-expected_result": item.expected_result,
                    f"items-{index}-done_on": done_on.strftime("%d.%m.%Y") if index == 0 else "",
                }
            )
        return values

    response = admin_client.post(url, data(today + 5 * DAY))
    assert response.status_code == 200
    assert "Дата выполнения не может быть в будущем." in response.content.decode()

    response = admin_client.post(url, data(today))
    assert response.status_code == 302
    assert PlanItem.objects.get(pk=items[0].pk).done_on == today
    plan.refresh_from_db()
    assert plan.acknowledged_on == today  # plan_acknowledge
    assert AuditEntry.objects.for_object(items[0]).filter(action="update").exists()


def test_it_approves_a_mentors_report_by_the_action(admin_client, pairs):
    report = pairs["completed"].mentor_report

    admin_client.post(
        reverse("admin:mentorship_mentorreport_changelist"), {"action": "approve", "_selected_action": [report.pk]}
    )

    report.refresh_from_db()
    assert report.approved_on == timezone.localdate()


def test_orders_and_reports_are_not_deleted_in_the_admin(admin_client, pairs):
    order = ApprovalOrder.objects.first()
    assert admin_client.post(reverse("admin:mentorship_approvalorder_delete", args=[order.pk])).status_code == 403
    plan = IndividualPlan.objects.first()
    assert admin_client.post(reverse("admin:mentorship_individualplan_delete", args=[plan.pk])).status_code == 403
