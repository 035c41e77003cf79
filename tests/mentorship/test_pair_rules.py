"""The Положение's rules of a pair, each through the service that enforces it (seed 001 §3.4–3.13)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEntry
from core.testing.factories import OrganizationFactory, TeacherFactory
from mentorship import services
from mentorship.models import (
    EndReason,
    EventKind,
    ExtensionReason,
    Meeting,
    MeetingKind,
    MenteeReport,
    MentorReport,
    MonthlyReport,
    Pair,
    PairEvent,
    PairStatus,
    ReplacementReason,
)
from registry.choices import BaseRole, FormCode
from registry.models import Consent
from registry.services import consent_withdraw
from tests.mentorship.helpers import (
    approved,
    draft,
    employer_mentor,
    form,
    give_consents,
    pupil,
    teacher_mentor,
    young_teacher,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def messages(error) -> str:
    return " ".join(error.value.messages)


# §3.4: at most three mentees at a time -----------------------------------------------------------


def test_a_mentor_takes_three_mentees_and_the_fourth_is_refused(world):
    mentor = teacher_mentor(world.school_a)
    mentees = [young_teacher(world.school_a) for _ in range(4)]
    approved(organization=world.school_a, mentor=mentor, mentees=mentees[:2], user=world.director_a)
    approved(organization=world.school_a, mentor=mentor, mentees=mentees[2:3], user=world.director_a)
    fourth = draft(organization=world.school_a, mentor=mentor, mentees=mentees[3:])
    with pytest.raises(ValidationError) as error:
        services.pairs_approve(pairs=[fourth], number="7", date=TODAY, user=world.director_a)
    assert "уже ведёт 3 наставляемых" in messages(error)
    assert "п. 3.4 Положения" in messages(error)
    fourth.refresh_from_db()
    assert fourth.status == PairStatus.DRAFT


def test_a_draft_holds_no_place(world):
    mentor = teacher_mentor(world.school_a)
    mentees = [young_teacher(world.school_a) for _ in range(4)]
    for mentee in mentees:  # four drafts of one mentor are allowed: none holds a place yet
        draft(organization=world.school_a, mentor=mentor, mentees=[mentee])
    assert Pair.objects.filter(mentor=mentor, status=PairStatus.DRAFT).count() == 4


def test_one_order_counts_its_own_pairs(world):
    mentor = teacher_mentor(world.school_a)
    drafts = [
        draft(organization=world.school_a, mentor=mentor, mentees=[young_teacher(world.school_a)]) for _ in range(4)
    ]
    with pytest.raises(ValidationError) as error:
        services.pairs_approve(pairs=drafts, number="8", date=TODAY, user=world.director_a)
    assert f"Пара № {drafts[3].pk}" in messages(error)
    # All or nothing: the three that would fit are not approved either.
    assert not Pair.objects.filter(status__in=(PairStatus.APPROVED, PairStatus.ACTIVE)).exists()


def test_the_directors_lower_limit_counts(world):
    mentor = teacher_mentor(world.school_a)
    services.mentor_limit_set(record=mentor.mentor_record, limit=1, user=world.director_a)
    approved(organization=world.school_a, mentor=mentor, mentees=[young_teacher(world.school_a)], user=world.director_a)
    second = draft(organization=world.school_a, mentor=mentor, mentees=[young_teacher(world.school_a)])
    with pytest.raises(ValidationError) as error:
        services.pairs_approve(pairs=[second], number="9", date=TODAY, user=world.director_a)
    assert "руководитель установил ему не больше 1" in messages(error)


def test_only_the_director_sets_a_limit_and_not_below_the_present_mentees(world):
    mentor = teacher_mentor(world.school_a)
    with pytest.raises(PermissionDenied):
        services.mentor_limit_set(record=mentor.mentor_record, limit=2, user=world.curator_a)
    approved(
        organization=world.school_a, mentor=mentor, mentees=[young_teacher(world.school_a) for _ in range(2)],
        user=world.director_a,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="не может быть меньше"):
        services.mentor_limit_set(record=mentor.mentor_record, limit=1, user=world.director_a)
    with pytest.raises(ValidationError, match="от 1 до 3"):
        services.mentor_limit_set(record=mentor.mentor_record, limit=4, user=world.director_a)


def test_adding_a_mentee_and_replacing_a_mentor_respect_the_limit(world):
    busy = teacher_mentor(world.school_a)
    approved(
        organization=world.school_a, mentor=busy, mentees=[young_teacher(world.school_a) for _ in range(3)],
        user=world.director_a, start=TODAY - 10 * DAY,
    )  # fmt: skip
    other = teacher_mentor(world.school_a)
    pair = approved(
        organization=world.school_a, mentor=other, mentees=[young_teacher(world.school_a)], user=world.director_a,
        start=TODAY - 10 * DAY,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="уже ведёт 3"):
        services.pair_replace_mentor(
            pair=pair, mentor=busy, on=TODAY, reason=ReplacementReason.REQUEST, comment="просьба", user=world.curator_a
        )
    services.mentor_limit_set(record=other.mentor_record, limit=1, user=world.director_a)
    with pytest.raises(ValidationError, match="руководитель установил ему не больше 1"):
        services.pair_add_mentee(pair=pair, mentee=young_teacher(world.school_a), on=TODAY, user=world.curator_a)


# §3.5: consents ---------------------------------------------------------------------------------


def test_approval_needs_the_consents_of_both_sides_and_a_parents_for_a_minor(world):
    mentor = pupil(world.school_a, age=16, role="mentor")
    mentee = pupil(world.school_a, age=12, consents=False)
    Consent.objects.create(person=mentee, kind="mentoring", signed_on=TODAY - 5 * DAY)
    pair = draft(organization=world.school_a, mentor=mentor, mentees=[mentee], code=FormCode.STUDENT_STUDENT)
    with pytest.raises(ValidationError) as error:
        services.pairs_approve(pairs=[pair], number="1", date=TODAY, user=world.director_a)
    assert f"Нет согласия: {mentee.short_name} — согласие родителя (законного представителя)" in messages(error)
    give_consents(mentee)
    services.pairs_approve(pairs=[pair], number="1", date=TODAY, user=world.director_a)


def test_a_withdrawn_consent_blocks_extending_and_adding_but_keeps_the_pair(world):
    mentor = teacher_mentor(world.school_a)
    mentee = young_teacher(world.school_a)
    pair = approved(organization=world.school_a, mentor=mentor, mentees=[mentee], user=world.director_a)
    consent = mentee.consents.get(kind="mentoring")
    consent_withdraw(consent=consent, user=world.curator_a)
    with pytest.raises(ValidationError, match="отозвал"):
        services.pair_extend(
            pair=pair, new_end=pair.end_on + 30 * DAY, reason=ExtensionReason.ILLNESS, comment="", user=world.curator_a
        )
    with pytest.raises(ValidationError, match="отозвал"):
        services.pair_add_mentee(pair=pair, mentee=young_teacher(world.school_a), on=TODAY, user=world.curator_a)
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE and pair.members.count() == 2


# §3.6: approval by the director's order ------------------------------------------------------------


def test_only_the_director_approves(world):
    pair = draft(
        organization=world.school_a, mentor=teacher_mentor(world.school_a), mentees=[young_teacher(world.school_a)]
    )
    for user in (world.curator_a, world.coordinator, world.curator_b):
        with pytest.raises(PermissionDenied):
            services.pairs_approve(pairs=[pair], number="3", date=TODAY, user=user)


def test_approval_names_the_order_and_one_order_approves_many(world):
    mentor = teacher_mentor(world.school_a)
    pairs = [
        draft(
            organization=world.school_a, mentor=mentor, mentees=[young_teacher(world.school_a)], start=TODAY - 3 * DAY
        ),
        draft(
            organization=world.school_a, mentor=mentor, mentees=[young_teacher(world.school_a)], start=TODAY + 5 * DAY
        ),
    ]
    with pytest.raises(ValidationError) as error:
        services.pairs_approve(pairs=pairs, number=" ", date=TODAY + DAY, user=world.director_a)
    assert set(error.value.message_dict) == {"order_number", "order_date"}
    order = services.pairs_approve(pairs=pairs, number="12-од", date=TODAY, user=world.director_a)
    statuses = dict(Pair.objects.filter(order=order).values_list("pk", "status"))
    assert statuses == {pairs[0].pk: PairStatus.ACTIVE, pairs[1].pk: PairStatus.APPROVED}
    assert str(order) == f"приказ от {TODAY:%d.%m.%Y} № 12-од"
    events = PairEvent.objects.filter(pair=pairs[0]).order_by("pk").values_list("kind", flat=True)
    assert list(events) == [EventKind.CREATED, EventKind.APPROVED, EventKind.ACTIVATED]
    line = AuditEntry.objects.filter(object_id=str(pairs[0].pk), action="update").latest("pk")
    assert line.actor == world.director_a


def test_an_approved_pair_is_not_edited_as_a_draft_nor_deleted(world):
    pair = approved(
        organization=world.school_a, mentor=teacher_mentor(world.school_a), mentees=[young_teacher(world.school_a)]
    )
    pair.topic = "Новая тема"
    with pytest.raises(ValidationError, match="не редактируют"):
        services.pair_save(pair=pair, mentees=[], user=world.curator_a)
    with pytest.raises(ValidationError, match="только черновик"):
        services.pair_delete(pair=pair, user=world.curator_a)


# Form sense ------------------------------------------------------------------------------------------


def test_student_student_needs_an_older_pupil_of_fifteen(world):
    young_mentor = pupil(world.school_a, age=14, role="mentor")
    with pytest.raises(ValidationError, match="от 15 лет"):
        draft(
            organization=world.school_a,
            mentor=young_mentor,
            mentees=[pupil(world.school_a, age=12)],
            code=FormCode.STUDENT_STUDENT,
        )
    mentor = pupil(world.school_a, age=15, role="mentor")
    older = pupil(world.school_a, age=16)
    with pytest.raises(ValidationError, match="старше наставляемого"):
        draft(organization=world.school_a, mentor=mentor, mentees=[older], code=FormCode.STUDENT_STUDENT)


def test_teacher_teacher_needs_a_young_or_new_teacher(world):
    mentor = teacher_mentor(world.school_a)
    veteran = young_teacher(
        world.school_a,
    )
    veteran.teaching_since = datetime.date(2000, 9, 1)
    veteran.save()
    with pytest.raises(ValidationError, match="молодой специалист со стажем 0–3 года"):
        draft(organization=world.school_a, mentor=mentor, mentees=[veteran])
    veteran.employed_since = TODAY - 100 * DAY  # new to the school: allowed
    veteran.save()
    assert draft(organization=world.school_a, mentor=mentor, mentees=[veteran]).pk


def test_employer_forms_take_a_partners_mentor(world):
    mentee = pupil(world.school_a, age=15, forms=(FormCode.EMPLOYER_STUDENT,))
    teacher = teacher_mentor(world.school_a, forms=(FormCode.EMPLOYER_STUDENT,))
    with pytest.raises(ValidationError) as error:
        draft(organization=world.school_a, mentor=teacher, mentees=[mentee], code=FormCode.EMPLOYER_STUDENT)
    assert "предприятия-партнёра" in messages(error)
    partner = employer_mentor(world.municipality)
    pair = draft(organization=world.school_a, mentor=partner, mentees=[mentee], code=FormCode.EMPLOYER_STUDENT)
    services.pairs_approve(pairs=[pair], number="4", date=TODAY, user=world.director_a)


def test_no_one_mentors_themselves_and_both_are_in_their_bases(world):
    person = teacher_mentor(world.school_a)
    with pytest.raises(ValidationError) as error:
        draft(organization=world.school_a, mentor=person, mentees=[person])
    assert "не может быть наставником самому себе" in messages(error)
    assert "нет в базе наставляемых" in messages(error)
    outsider = TeacherFactory(organization=world.school_a)
    with pytest.raises(ValidationError, match="нет в базе наставников"):
        draft(organization=world.school_a, mentor=outsider, mentees=[young_teacher(world.school_a)])


def test_a_mentee_has_one_live_pair_of_a_form(world):
    mentee = young_teacher(world.school_a)
    approved(organization=world.school_a, mentor=teacher_mentor(world.school_a), mentees=[mentee])
    second = draft(organization=world.school_a, mentor=teacher_mentor(world.school_a), mentees=[mentee])
    with pytest.raises(ValidationError, match="уже в действующей паре"):
        services.pairs_approve(pairs=[second], number="5", date=TODAY, user=world.director_a)


def test_mentees_belong_to_the_pairs_organization_and_mentors_to_its_municipality(world):
    foreign_mentor = teacher_mentor(world.school_elsewhere)
    with pytest.raises(ValidationError):
        draft(
            organization=world.school_a,
            mentor=foreign_mentor,
            mentees=[young_teacher(world.school_a)],
            user=world.curator_a,
        )
    with pytest.raises(ValidationError, match="наставляемых пары вносит их организация"):
        draft(
            organization=world.school_a, mentor=teacher_mentor(world.school_a), mentees=[young_teacher(world.school_b)]
        )


def test_a_curator_chooses_partner_mentors_but_not_another_schools(world):
    other_school_mentor = teacher_mentor(world.school_b)
    with pytest.raises(ValidationError, match="не найден среди доступных"):
        draft(
            organization=world.school_a,
            mentor=other_school_mentor,
            mentees=[young_teacher(world.school_a)],
            user=world.curator_a,
        )
    mentee = pupil(world.school_a, age=15, forms=(FormCode.EMPLOYER_STUDENT,))
    pair = draft(
        organization=world.school_a, mentor=employer_mentor(world.municipality), mentees=[mentee],
        code=FormCode.EMPLOYER_STUDENT, user=world.curator_a,
    )  # fmt: skip
    assert pair.pk


# History: §3.7 replacement, §3.8 extension, §3.9 early end, a mentee leaving ------------------------


@pytest.fixture
def live_group(world):
    mentor = teacher_mentor(world.school_a)
    mentees = [young_teacher(world.school_a) for _ in range(2)]
    pair = approved(
        organization=world.school_a, mentor=mentor, mentees=mentees, user=world.director_a, start=TODAY - 40 * DAY,
        end=TODAY + 100 * DAY,
    )  # fmt: skip
    return pair, mentor, mentees


def test_a_mentor_is_replaced_only_for_a_listed_reason_and_the_history_stays(world, live_group):
    pair, old_mentor, _ = live_group
    new_mentor = teacher_mentor(world.school_a)
    with pytest.raises(ValidationError) as error:
        services.pair_replace_mentor(
            pair=pair, mentor=new_mentor, on=TODAY, reason="каприз", comment="", user=world.curator_a
        )
    assert set(error.value.message_dict) == {"reason", "comment"}
    services.pair_replace_mentor(
        pair=pair, mentor=new_mentor, on=TODAY, reason=ReplacementReason.CONTRACT_ENDED, comment="уволился",
        user=world.curator_a,
    )  # fmt: skip
    pair.refresh_from_db()
    assert pair.mentor == new_mentor
    periods = list(pair.members.filter(role=BaseRole.MENTOR).values_list("person_id", "joined_on", "left_on"))
    assert periods == [(old_mentor.pk, TODAY - 40 * DAY, TODAY - DAY), (new_mentor.pk, TODAY, None)]
    event = pair.events.get(kind=EventKind.MENTOR_REPLACED)
    assert event.reason_label == "Прекращение трудового договора с наставником"
    assert (event.person, event.other_person) == (old_mentor, new_mentor)


def test_an_extension_needs_a_reason_and_a_later_end(world, live_group):
    pair, _, _ = live_group
    with pytest.raises(ValidationError) as error:
        services.pair_extend(pair=pair, new_end=pair.end_on, reason="отпуск", comment="", user=world.curator_a)
    assert set(error.value.message_dict) == {"reason", "new_end"}
    old_end = pair.end_on
    services.pair_extend(
        pair=pair,
        new_end=old_end + 30 * DAY,
        reason=ExtensionReason.BUSINESS_TRIP,
        comment="курсы",
        user=world.curator_a,
    )
    event = pair.events.get(kind=EventKind.EXTENDED)
    assert (event.previous_end_on, event.new_end_on) == (old_end, old_end + 30 * DAY)


def test_early_termination_records_reason_and_date(world, live_group):
    pair, _, _ = live_group
    with pytest.raises(ValidationError, match="причину"):
        services.pair_terminate(pair=pair, on=TODAY, reason="", comment="", user=world.curator_a)
    services.pair_terminate(
        pair=pair, on=TODAY, reason=EndReason.MENTEE_NON_PERFORMANCE, comment="не выполнял", user=world.curator_a
    )
    pair.refresh_from_db()
    assert (pair.status, pair.ended_on, pair.end_reason) == (PairStatus.TERMINATED, TODAY, "mentee_non_performance")
    with pytest.raises(ValidationError, match="прекращена досрочно"):
        services.pair_extend(pair=pair, new_end=pair.end_on + DAY, reason="illness", comment="", user=world.curator_a)


def test_a_mentee_leaves_a_group_but_not_the_last_one(world, live_group):
    pair, _, mentees = live_group
    services.pair_remove_mentee(
        pair=pair, mentee=mentees[0], on=TODAY, reason=EndReason.LEFT_ORGANIZATION, comment="", user=world.curator_a
    )
    assert pair.members.get(person=mentees[0]).left_on == TODAY
    with pytest.raises(ValidationError, match="единственный наставляемый"):
        services.pair_remove_mentee(
            pair=pair, mentee=mentees[1], on=TODAY, reason=EndReason.OTHER, comment="", user=world.curator_a
        )


def test_only_the_school_changes_its_pairs(world, live_group):
    pair, _, _ = live_group
    for user in (world.curator_b, world.director_a, world.observer):
        with pytest.raises(PermissionDenied):
            services.pair_terminate(pair=pair, on=TODAY, reason=EndReason.OTHER, comment="", user=user)


# The calendar -------------------------------------------------------------------------------------


def test_approved_becomes_active_on_its_start_and_completed_after_its_end(world):
    mentor = teacher_mentor(world.school_a)
    later = approved(
        organization=world.school_a,
        mentor=mentor,
        mentees=[young_teacher(world.school_a)],
        start=TODAY + 2 * DAY,
        end=TODAY + 40 * DAY,
    )
    assert later.status == PairStatus.APPROVED
    assert services.advance_pairs(today=TODAY + 2 * DAY) == {"activated": 1, "completed": 0}
    assert services.advance_pairs(today=TODAY + 41 * DAY) == {"activated": 0, "completed": 1}
    later.refresh_from_db()
    assert (later.status, later.ended_on) == (PairStatus.COMPLETED, TODAY + 40 * DAY)


# The work of a pair -------------------------------------------------------------------------------


def test_plan_from_the_template_approved_by_the_director(world, live_group):
    pair, _, _ = live_group
    plan = services.plan_start(pair=pair, user=world.curator_a)
    kinds = list(plan.items.values_list("kind", flat=True))
    assert len(kinds) >= 5 and "other" in kinds
    assert all(pair.start_on <= d <= pair.end_on for d in plan.items.values_list("deadline", flat=True))
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, user=world.curator_a)
    services.plan_acknowledge(plan=plan, on=TODAY, user=world.curator_a)
    services.plan_approve(plan=plan, user=world.director_a)
    plan.refresh_from_db()
    assert plan.approved_by == world.director_a and plan.acknowledged_on == TODAY


def test_a_working_meeting_needs_the_mentees_feedback(world, live_group):
    pair, _, _ = live_group
    meeting = Meeting(pair=pair, kind=MeetingKind.WORKING, held_on=TODAY, topic="Разбор урока")
    with pytest.raises(ValidationError) as error:
        services.meeting_save(meeting=meeting, user=world.curator_a)
    assert "feedback" in error.value.message_dict
    meeting.feedback = "Понятно, полезно"
    services.meeting_save(meeting=meeting, user=world.curator_a)


def test_monthly_reports_are_for_months_of_the_term_and_once_each(world, live_group):
    pair, _, _ = live_group
    with pytest.raises(ValidationError, match="за будущий месяц"):
        services.monthly_report_save(
            report=MonthlyReport(pair=pair, month=TODAY + 40 * DAY, text="…"), user=world.curator_a
        )
    services.monthly_report_save(
        report=MonthlyReport(pair=pair, month=TODAY, text="Провели 3 встречи"), user=world.curator_a
    )
    with pytest.raises(ValidationError, match="уже есть"):
        services.monthly_report_save(report=MonthlyReport(pair=pair, month=TODAY, text="ещё"), user=world.curator_a)


def test_completion_reports_come_after_the_end_from_the_pairs_people(world):
    mentor = teacher_mentor(world.school_a)
    mentee = young_teacher(world.school_a)
    pair = approved(
        organization=world.school_a, mentor=mentor, mentees=[mentee], start=TODAY - 100 * DAY, end=TODAY + 5 * DAY
    )
    with pytest.raises(ValidationError, match="по завершении"):
        services.mentor_report_save(report=MentorReport(pair=pair, plan_fulfilment="…"), user=world.curator_a)
    services.advance_pairs(today=TODAY + 6 * DAY)
    pair.refresh_from_db()
    report = services.mentor_report_save(
        report=MentorReport(pair=pair, plan_fulfilment="План выполнен"), user=world.curator_a
    )
    services.mentor_report_approve(report=report, user=world.director_a)
    ratings = dict(rating_competence=5, rating_availability=4, rating_usefulness=5, rating_overall=5)
    stranger = young_teacher(world.school_a)
    with pytest.raises(ValidationError, match="не был наставляемым"):
        services.mentee_report_save(
            report=MenteeReport(pair=pair, mentee=stranger, text="…", **ratings), user=world.curator_a
        )
    with pytest.raises(ValidationError):
        services.mentee_report_save(
            report=MenteeReport(pair=pair, mentee=mentee, text="…", **{**ratings, "rating_overall": 6}),
            user=world.curator_a,
        )
    saved = services.mentee_report_save(
        report=MenteeReport(pair=pair, mentee=mentee, text="Полезно", **ratings), user=world.curator_a
    )
    assert saved.average == 4.8
    assert pair.reports_due_on == TODAY + 15 * DAY


def test_a_partner_mentor_from_another_municipality_is_refused(world):
    far = OrganizationFactory(municipality=world.other_municipality, kind="partner")
    mentor = teacher_mentor(far, forms=(FormCode.TEACHER_TEACHER,))
    with pytest.raises(ValidationError, match="другого муниципалитета"):
        draft(organization=world.school_a, mentor=mentor, mentees=[young_teacher(world.school_a)])
    assert form().code == FormCode.TEACHER_TEACHER
