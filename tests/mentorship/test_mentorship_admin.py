"""Mentorship in the admin writes through the same services as the portal."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from mentorship.models import Pair, PairStatus, Recognition
from tests.mentorship.data import make_pairs

pytestmark = pytest.mark.django_db
MODELS = [
    "pair",
    "approvalorder",
    "individualplan",
    "meeting",
    "monthlyreport",
    "mentorreport",
    "menteereport",
    "recognition",
    "practice",
]


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pass-for-tests-1")
    client.force_login(user)
    return client


@pytest.fixture
def data(world):
    return make_pairs(world)


def test_it_lists_and_opens_every_mentorship_model_in_the_admin(admin_client, data):
    for model in MODELS:
        assert admin_client.get(f"/admin/mentorship/{model}/").status_code == 200, model
    for pair in (data.draft, data.active, data.terminated):
        assert admin_client.get(reverse("admin:mentorship_pair_change", args=[pair.pk])).status_code == 200
    assert admin_client.get(reverse("admin:mentorship_pair_add")).status_code == 403  # formed on the portal
    assert admin_client.get("/admin/mentorship/pair/?q=Ёлкина").status_code == 200


def _pair_form(pair, **changes):
    data = {
        "form": pair.form_id,
        "role_model": "",
        "mentor": pair.mentor_id,
        "topic": pair.topic,
        "goal": pair.goal,
        "start_on": pair.start_on.strftime("%d.%m.%Y"),
        "end_on": pair.end_on.strftime("%d.%m.%Y"),
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_it_saves_a_draft_through_the_service_and_journals_it(admin_client, data):
    response = admin_client.post(
        reverse("admin:mentorship_pair_change", args=[data.draft.pk]), _pair_form(data.draft, topic="Адаптация")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    data.draft.refresh_from_db()
    assert data.draft.topic == "Адаптация"
    entry = AuditEntry.objects.for_object(data.draft).filter(action="update").latest("pk")
    assert entry.changes == {"тема": [None, "Адаптация"]}


def test_it_deletes_only_drafts_and_through_the_service(admin_client, data):
    # Its reports are kept (no deletion of reports in the admin), and the service deletes drafts only.
    response = admin_client.post(reverse("admin:mentorship_pair_delete", args=[data.active.pk]), {"post": "yes"})
    assert response.status_code in (302, 403)
    assert Pair.objects.filter(pk=data.active.pk, status=PairStatus.ACTIVE).exists()
    response = admin_client.post(reverse("admin:mentorship_pair_delete", args=[data.completed.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Pair.objects.filter(pk=data.completed.pk).exists()
    changelist = reverse("admin:mentorship_pair_changelist")
    mixed = {"action": "delete_selected", "_selected_action": [data.completed.pk, data.awaiting.pk], "post": "yes"}
    assert admin_client.post(changelist, mixed).status_code == 403  # a selection with an approved pair
    assert Pair.objects.filter(pk=data.awaiting.pk).exists()
    drafts = {"action": "delete_selected", "_selected_action": [data.awaiting.pk], "post": "yes"}
    assert admin_client.post(changelist, drafts).status_code == 302
    assert not Pair.objects.filter(pk=data.awaiting.pk).exists()
    admin_client.post(reverse("admin:mentorship_pair_delete", args=[data.draft.pk]), {"post": "yes"})
    assert not Pair.objects.filter(pk=data.draft.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(data.draft.pk)).exists()


def test_it_adds_a_recognition_through_the_service(admin_client, data):
    response = admin_client.post(
        reverse("admin:mentorship_recognition_add"),
        {
            "person": data.active.mentor_id,
            "pair": data.active.pk,
            "kind": "gratitude",
            "level": "organization",
            "title": "",
            "awarded_on": timezone.localdate().strftime("%d.%m.%Y"),
            "grounds": "Приказ № 9",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    recognition = Recognition.objects.get(grounds="Приказ № 9")
    assert AuditEntry.objects.for_object(recognition).filter(action="create").exists()
