"""The campaign pages: the access matrix of every route (another municipality's campaign or another
school's answer answers 404; a curator cannot accept; a director cannot edit), the flow through the
pages, and query counts that do not grow with the schools."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing.factories import OrganizationFactory
from monitoring.choices import CampaignStatus, SubmissionStatus
from monitoring.models import Campaign, FigureCorrection, Submission
from tests.monitoring.data import answer, make_campaign, make_campaigns

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def data(world):
    return make_campaigns(world)


GET_MATRIX = {
    # route: {actor: status} for the open campaign (or school A's answer)
    "campaign_detail": {"coordinator": 200, "observer": 200, "curator_a": 200, "director_a": 200,
                        "curator_b": 200, "coordinator_elsewhere": 404},
    "campaign_update": {"coordinator": 200, "observer": 403, "curator_a": 403, "director_a": 403,
                        "coordinator_elsewhere": 404},
    "campaign_close": {"coordinator": 200, "observer": 403, "curator_a": 403, "coordinator_elsewhere": 404},
    "submission_detail": {"coordinator": 200, "observer": 200, "curator_a": 200, "director_a": 200,
                          "curator_b": 404, "coordinator_elsewhere": 404},
}  # fmt: skip


@pytest.mark.parametrize("route", GET_MATRIX)
def test_it_scopes_every_page(world, data, route):
    pk = data.submission_a.pk if route.startswith("submission") else data.open.pk
    for actor, status in GET_MATRIX[route].items():
        response = client_of(getattr(world, actor)).get(reverse(f"monitoring:{route}", args=[pk]))
        assert response.status_code == status, (route, actor)


def test_it_hides_a_draft_campaign_from_the_schools(world, data):
    url = data.draft.get_absolute_url()
    assert client_of(world.coordinator).get(url).status_code == 200
    assert client_of(world.curator_a).get(url).status_code == 404
    draft_answer = data.draft.submissions.get(organization=world.school_a)
    assert client_of(world.curator_a).get(draft_answer.get_absolute_url()).status_code == 404
    assert (
        client_of(world.coordinator).get(reverse("monitoring:campaign_open", args=[data.draft.pk])).status_code == 200
    )


def test_it_lists_the_campaigns_with_counts_and_a_schools_requests(world, data):
    response = client_of(world.coordinator).get(reverse("monitoring:campaign_list"))
    row = next(c for c in response.context["campaigns"] if c.pk == data.open.pk)
    assert (row.n_total, row.n_submitted, row.n_draft) == (2, 1, 1)
    response = client_of(world.curator_a).get(reverse("monitoring:campaign_list"))
    assert [c.pk for c in response.context["campaigns"]] == [data.open.pk]
    assert (
        client_of(world.coordinator_elsewhere).get(reverse("monitoring:campaign_list")).context["campaigns"].count()
        == 0
    )
    home = client_of(world.curator_a).get(reverse("home"))
    assert [s.pk for s in home.context["campaign_requests"]] == [data.submission_a.pk]
    assert data.open.title in home.content.decode()


def test_it_refuses_post_actions_out_of_role(world, data):
    accept = reverse("monitoring:submission_action", args=[data.submission_a.pk, "accept"])
    assert client_of(world.curator_a).post(accept).status_code == 403
    assert client_of(world.director_a).post(accept).status_code == 403
    assert client_of(world.curator_b).post(accept).status_code == 404
    assert client_of(world.coordinator_elsewhere).post(accept).status_code == 404
    correction = reverse("monitoring:submission_action", args=[data.submission_b.pk, "correction"])
    posted = {"figure": "mentees_10_18", "form": "student_student", "value": 3, "reason": "x"}
    assert client_of(world.director_a).post(correction, posted).status_code == 404  # school B's answer
    assert client_of(world.curator_a).post(correction, posted).status_code == 404
    assert client_of(world.coordinator).post(correction, posted).status_code == 403
    remind = reverse("monitoring:campaign_remind", args=[data.open.pk])
    assert client_of(world.curator_a).post(remind).status_code == 403
    assert client_of(world.coordinator_elsewhere).post(remind).status_code == 404
    delete = reverse("monitoring:campaign_delete", args=[data.draft.pk])
    assert client_of(world.observer).post(delete).status_code == 403
    assert Submission.objects.get(pk=data.submission_a.pk).status == SubmissionStatus.SUBMITTED
    assert not FigureCorrection.objects.filter(submission=data.submission_b).exists()
    assert Campaign.objects.filter(pk=data.draft.pk).exists()


def test_it_runs_the_flow_through_the_pages(world):
    coordinator, curator = client_of(world.coordinator), client_of(world.curator_a)
    response = coordinator.get(reverse("monitoring:campaign_create"))
    assert set(response.context["form"]["organizations"].initial) == {world.school_a.pk, world.school_b.pk}
    response = coordinator.post(
        reverse("monitoring:campaign_create"),
        {"title": "Охват 2025", "asks_coverage": "on", "period_start": "2025-01-01", "period_end": "2025-06-30",
         "reference_date": "2025-06-30", "deadline": "2099-01-01", "organizations": [world.school_a.pk]},
    )  # fmt: skip
    campaign = Campaign.objects.get(title="Охват 2025")
    assert response.status_code == 302 and campaign.status == CampaignStatus.DRAFT
    coordinator.post(reverse("monitoring:campaign_open", args=[campaign.pk]))
    submission = campaign.submissions.get()
    act = lambda client, action, **posted: client.post(  # noqa: E731
        reverse("monitoring:submission_action", args=[submission.pk, action]), posted, follow=True
    )
    response = act(curator, "correction", figure="mentees_10_18", form="student_student", value=2, reason="")
    assert "Укажите причину исправления" in response.content.decode()
    act(curator, "correction", figure="mentees_10_18", form="student_student", value=2, reason="Пары не внесены")
    response = act(curator, "submit")
    assert "Укажите ФИО ответственного" in response.content.decode()
    act(curator, "responsible", name="Иванова М. П.", phone="4-12-34")
    act(curator, "submit")
    act(coordinator, "return", comment="Поясните причину")
    act(curator, "submit")
    act(coordinator, "accept")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED and submission.returns == 1
    page = coordinator.get(campaign.get_absolute_url()).content.decode()
    assert (
        "Пары не внесены" in page
        and '<s class="text-body-secondary">0</s>' in page
        and "<strong>2</strong>" in page
        and "0 → 2" in page
    )


def queries_for(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_it_renders_the_campaign_page_in_as_many_queries_for_6_schools_as_for_2(world):
    campaign = make_campaign(world)
    answer(world, campaign.submissions.get(organization=world.school_a))
    client = client_of(world.coordinator)
    few = queries_for(client, campaign.get_absolute_url())
    schools = [
        world.school_a,
        world.school_b,
        *(OrganizationFactory(municipality=world.municipality) for _ in range(4)),
    ]
    from monitoring import services

    services.campaign_save(campaign=campaign, user=world.coordinator, organizations=schools)
    assert campaign.submissions.count() == 6
    assert queries_for(client, campaign.get_absolute_url()) == few
    assert queries_for(client, campaign.get_absolute_url() + "?state=late") <= few
