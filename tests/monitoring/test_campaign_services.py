"""The rules of campaigns and answers (monitoring.services): every transition allowed and refused,
corrections beside the computed figures, the responsible person, steps and journal lines."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEntry
from core.testing.factories import OrganizationFactory
from monitoring import services
from monitoring.choices import CampaignStatus, Figure, SubmissionStatus
from monitoring.models import Campaign, FigureCorrection, Submission, SubmissionStep
from registry.choices import FormCode, OrganizationKind
from tests.monitoring.data import answer, make_campaign

pytestmark = pytest.mark.django_db
CELL = {"figure": Figure.MENTEES_10_18, "form": FormCode.STUDENT_STUDENT}


def messages(error) -> str:
    return " ".join(error.value.messages)


def test_it_asks_every_school_of_the_municipality_by_default(world):
    OrganizationFactory(municipality=world.municipality, kind=OrganizationKind.PARTNER)
    today = timezone.localdate()
    campaign = Campaign(
        municipality=world.municipality,
        title="Охват",
        period_start=today.replace(month=1, day=1),
        period_end=today,
        reference_date=today,
        deadline=today,
    )
    services.campaign_save(campaign=campaign, user=world.coordinator)
    assert set(campaign.submissions.values_list("organization", flat=True)) == {world.school_a.pk, world.school_b.pk}
    assert campaign.created_by == world.coordinator
    assert AuditEntry.objects.filter(object_id=str(campaign.pk), object_repr="Охват").exists()


@pytest.mark.parametrize(
    "fields, field, text",
    [
        ({"period_end": datetime.date(2020, 1, 1)}, "period_end", "Конец периода"),
        ({"reference_date": datetime.date(2020, 1, 1)}, "reference_date", "Дата расчёта"),
        ({"deadline": datetime.date(2020, 1, 1)}, "deadline", "Срок представления"),
        ({"asks_coverage": False, "asks_documents": False}, "asks_coverage", "что запрашивается"),
    ],
)
def test_it_refuses_a_campaign_with_a_named_field(world, fields, field, text):
    with pytest.raises(ValidationError) as error:
        make_campaign(world, open_it=False, period_start=datetime.date(2021, 1, 1), **fields)
    assert field in error.value.error_dict
    assert text in messages(error)
    assert not Campaign.objects.exists()


def test_it_refuses_a_school_of_another_municipality_and_a_campaign_without_schools(world):
    with pytest.raises(ValidationError) as error:
        make_campaign(world, open_it=False, schools=[world.school_elsewhere])
    assert "своего муниципалитета" in messages(error)
    with pytest.raises(ValidationError) as error:
        make_campaign(world, open_it=False, schools=[])
    assert "хотя бы одну школу" in messages(error)


def test_it_lets_only_the_coordinator_of_the_municipality_make_a_campaign(world):
    for user in (world.curator_a, world.observer, world.coordinator_elsewhere):
        with pytest.raises(PermissionDenied):
            services.campaign_save(
                campaign=Campaign(
                    municipality=world.municipality,
                    title="x",
                    period_start=datetime.date(2025, 1, 1),
                    period_end=datetime.date(2025, 2, 1),
                    reference_date=datetime.date(2025, 2, 1),
                    deadline=datetime.date(2025, 3, 1),
                ),
                user=user,
            )
    assert not Campaign.objects.exists()


def test_it_opens_a_draft_once_and_creates_the_answers(world):
    campaign = make_campaign(world, open_it=False, schools=[world.school_a])
    services.campaign_open(campaign=campaign, user=world.coordinator)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN and campaign.opened_at
    assert list(campaign.submissions.values_list("status", flat=True)) == [SubmissionStatus.DRAFT]
    with pytest.raises(ValidationError) as error:
        services.campaign_open(campaign=campaign, user=world.coordinator)
    assert "только готовящийся" in messages(error)
    with pytest.raises(PermissionDenied):
        services.campaign_close(campaign=campaign, user=world.curator_a)


def test_it_refuses_to_open_a_campaign_whose_deadline_passed(world):
    campaign = make_campaign(world, open_it=False, deadline_in=-1)
    with pytest.raises(ValidationError) as error:
        services.campaign_open(campaign=campaign, user=world.coordinator)
    assert "deadline" in error.value.error_dict


def test_it_adds_a_school_to_an_open_campaign_and_refuses_removing_one_that_answered(world, mailoutbox):
    campaign = make_campaign(world, schools=[world.school_a])
    answer(world, campaign.submissions.get())
    services.campaign_save(campaign=campaign, user=world.coordinator, organizations=[world.school_a, world.school_b])
    assert campaign.submissions.filter(organization=world.school_b, status=SubmissionStatus.DRAFT).exists()
    with pytest.raises(ValidationError) as error:
        services.campaign_save(campaign=campaign, user=world.coordinator, organizations=[world.school_b])
    assert "уже отправляла ответ" in messages(error) and str(world.school_a) in messages(error)
    services.campaign_save(campaign=campaign, user=world.coordinator, organizations=[world.school_a])
    assert not campaign.submissions.filter(organization=world.school_b).exists()


def test_it_closes_an_open_campaign_and_then_refuses_changes(world):
    campaign = make_campaign(world)
    submission = campaign.submissions.get(organization=world.school_a)
    services.campaign_close(campaign=campaign, user=world.coordinator)
    with pytest.raises(ValidationError) as error:
        services.campaign_close(campaign=campaign, user=world.coordinator)
    assert "только идущий" in messages(error)
    with pytest.raises(ValidationError) as error:
        services.campaign_save(campaign=Campaign.objects.get(pk=campaign.pk), user=world.coordinator)
    assert "закрыт" in messages(error)
    with pytest.raises(ValidationError) as error:
        answer(world, submission)
    assert "закрыт" in messages(error)


def test_it_deletes_only_a_draft(world):
    opened = make_campaign(world)
    with pytest.raises(ValidationError) as error:
        services.campaign_delete(campaign=opened, user=world.coordinator)
    assert "только готовящийся" in messages(error)
    draft = make_campaign(world, open_it=False)
    pk = draft.pk
    services.campaign_delete(campaign=draft, user=world.coordinator)
    assert not Campaign.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(pk)).count() == 1
    assert AuditEntry.objects.filter(action="delete", parent_object_id=str(pk)).count() == 2  # its two answers


def test_it_keeps_a_correction_beside_the_computed_figure_and_drops_it_at_the_computed_value(world):
    submission = make_campaign(world).submissions.get(organization=world.school_a)
    correction = services.correction_save(
        submission=submission, value=4, reason="Пары на бумаге", user=world.curator_a, **CELL
    )
    assert (correction.computed, correction.value, correction.by) == (0, 4, world.curator_a)
    services.correction_save(submission=submission, value=6, reason="Ещё одна пара", user=world.curator_a, **CELL)
    assert FigureCorrection.objects.get().value == 6
    assert services.correction_save(submission=submission, value=0, reason="", user=world.curator_a, **CELL) is None
    assert not FigureCorrection.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_repr__contains="→ 6").exists()


def test_it_requires_a_reason_and_refuses_a_correction_by_others_or_after_sending(world):
    submission = make_campaign(world).submissions.get(organization=world.school_a)
    with pytest.raises(ValidationError) as error:
        services.correction_save(submission=submission, value=3, reason="  ", user=world.curator_a, **CELL)
    assert "reason" in error.value.error_dict
    for user in (world.director_a, world.curator_b, world.coordinator, world.observer):
        with pytest.raises(PermissionDenied):
            services.correction_save(submission=submission, value=3, reason="x", user=user, **CELL)
    answer(world, submission)
    with pytest.raises(ValidationError) as error:
        services.correction_save(submission=submission, value=3, reason="x", user=world.curator_a, **CELL)
    assert "На проверке" in messages(error)
    assert not FigureCorrection.objects.exists()


def test_it_requires_the_responsible_person_to_send_the_coverage_form(world):
    submission = make_campaign(world).submissions.get(organization=world.school_a)
    with pytest.raises(ValidationError) as error:
        services.submission_submit(submission=submission, user=world.curator_a)
    assert set(error.value.error_dict) == {"responsible_name", "responsible_phone"}
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT


def test_it_walks_an_answer_through_send_return_send_accept_with_a_step_each(world):
    submission = make_campaign(world).submissions.get(organization=world.school_a)
    answer(world, submission)
    with pytest.raises(ValidationError) as error:
        services.submission_submit(submission=submission, user=world.curator_a)
    assert "снова нельзя" in messages(error)
    with pytest.raises(ValidationError) as error:
        services.submission_return(submission=submission, comment="", user=world.coordinator)
    assert "comment" in error.value.error_dict
    services.submission_return(submission=submission, comment="Нет телефона директора", user=world.coordinator)
    submission.refresh_from_db()
    assert (submission.status, submission.returns, submission.return_comment) == (
        SubmissionStatus.RETURNED,
        1,
        "Нет телефона директора",
    )
    with pytest.raises(ValidationError) as error:
        services.submission_accept(submission=submission, user=world.coordinator)
    assert "только ответ на проверке" in messages(error)
    services.submission_submit(submission=submission, user=world.curator_a)
    services.submission_accept(submission=submission, user=world.coordinator)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED and submission.decided_at
    steps = list(SubmissionStep.objects.filter(submission=submission).values_list("status", "by", "comment"))
    assert steps == [
        (SubmissionStatus.SUBMITTED, world.curator_a.pk, ""),
        (SubmissionStatus.RETURNED, world.coordinator.pk, "Нет телефона директора"),
        (SubmissionStatus.SUBMITTED, world.curator_a.pk, ""),
        (SubmissionStatus.ACCEPTED, world.coordinator.pk, ""),
    ]
    assert AuditEntry.objects.filter(object_id=str(submission.pk), action="update").count() >= 5
    with pytest.raises(ValidationError):
        services.submission_return(submission=submission, comment="поздно", user=world.coordinator)


def test_it_lets_neither_a_curator_nor_a_director_accept_and_no_one_but_the_curator_send(world):
    submission = make_campaign(world).submissions.get(organization=world.school_a)
    for user in (world.director_a, world.coordinator, world.curator_b):
        with pytest.raises(PermissionDenied):
            services.submission_save_responsible(submission=submission, name="x", phone="1", user=user)
    answer(world, submission)
    for user in (world.curator_a, world.director_a, world.observer, world.coordinator_elsewhere):
        with pytest.raises(PermissionDenied):
            services.submission_accept(submission=submission, user=user)
        with pytest.raises(PermissionDenied):
            services.submission_return(submission=submission, comment="x", user=user)
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.SUBMITTED
