"""Roadmaps in the admin: every page opens for staff, and every write goes through the services —
a refusal of the rules is a form error (never a 500), and nothing the dry run checked stays behind."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem
from tests.roadmaps.data import make_roadmaps


def yesterday() -> str:
    """Yesterday in the portal's time zone, when the test runs (not when the module was read)."""
    return f"{timezone.localdate() - datetime.timedelta(days=1):%d.%m.%Y}"


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pass-for-tests-1")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def data(world):
    return make_roadmaps(world)


def roadmap_form(roadmap: Roadmap, items=(), **changes) -> dict:
    form = {
        "municipality": roadmap.municipality_id,
        "organization": roadmap.organization_id or "",
        "title": roadmap.title,
        "starts_on": roadmap.starts_on.strftime("%d.%m.%Y"),
        "ends_on": roadmap.ends_on.strftime("%d.%m.%Y"),
        "order_number": roadmap.order_number,
        "order_date": roadmap.order_date.strftime("%d.%m.%Y") if roadmap.order_date else "",
        "status": roadmap.status,
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(sum(1 for item in items if item.get("id"))),
    }
    for index, item in enumerate(items):
        form.update({f"items-{index}-{key}": value for key, value in item.items()})
        form[f"items-{index}-roadmap"] = roadmap.pk
    form.update(changes)
    return form


@pytest.mark.parametrize("model", ["roadmap", "itemexecution"])
def test_it_lists_the_roadmaps_models_and_opens_their_records(admin_client, data, model):
    assert admin_client.get(f"/admin/roadmaps/{model}/").status_code == 200
    obj = data.municipal if model == "roadmap" else data.evidence
    response = admin_client.get(f"/admin/roadmaps/{model}/{obj.pk}/change/")
    assert response.status_code == 200
    if model == "roadmap":
        body = response.content.decode()
        assert data.curators_item.title in body
        assert "срок не распознан" in body  # the windows column, read-only


def test_it_saves_a_roadmap_and_its_new_item_through_the_services(admin_client, data):
    roadmap = data.school
    url = reverse("admin:roadmaps_roadmap_change", args=[roadmap.pk])
    deadline = f"{timezone.localdate() + datetime.timedelta(days=7):%d.%m.%Y}"
    response = admin_client.post(
        url,
        roadmap_form(
            roadmap,
            items=[
                {"id": "", "number": "4.", "title": "Новый пункт", "deadline_text": deadline},
            ],
            title="Дорожная карта МБОУ «СОШ № 1» (изм.)",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    roadmap.refresh_from_db()
    assert roadmap.title.endswith("(изм.)")
    item = RoadmapItem.objects.get(roadmap=roadmap, number="4.")
    assert item.due_end == timezone.localdate() + datetime.timedelta(days=7)  # parsed by item_save
    assert item.position == 4
    assert AuditEntry.objects.for_object(roadmap).filter(actor=admin_client.user).count() == 2


def test_it_shows_a_services_refusal_on_the_roadmap_form(admin_client, data):
    roadmap = data.school
    response = admin_client.post(
        reverse("admin:roadmaps_roadmap_change", args=[roadmap.pk]),
        roadmap_form(roadmap, ends_on="01.01.2040"),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ends_on"] == ["Период длиннее 10 лет: проверьте годы."]
    roadmap.refresh_from_db()
    assert roadmap.ends_on.year < 2040


def test_it_refuses_a_fake_scan_in_the_executions_admin_and_writes_no_file(admin_client, world, data):
    execution = ItemExecution.objects.get(item=data.schools_item, organization=world.school_a)
    before = sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())
    response = admin_client.post(
        reverse("admin:roadmaps_itemexecution_change", args=[execution.pk]),
        {
            "item": execution.item_id,
            "organization": world.school_a.pk,
            "status": "in_progress",
            "comment": "",
            "link": "",
            "evidence": SimpleUploadedFile("акт.pdf", b"not a pdf", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "не похож на скан" in " ".join(response.context["adminform"].form.errors["evidence"])
    assert sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()) == before


def test_it_refuses_in_the_admin_an_execution_by_a_school_the_item_does_not_address(admin_client, world, data):
    response = admin_client.post(
        reverse("admin:roadmaps_itemexecution_add"),
        {"item": data.named_item.pk, "organization": world.school_a.pk, "status": "done", "done_on": yesterday()},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["organization"] == ["Этот пункт не адресован этой организации."]
    assert not ItemExecution.objects.filter(item=data.named_item).exists()


def test_it_marks_through_the_admin_with_a_real_pdf(admin_client, world, data):
    from tests.roadmaps.data import PDF

    response = admin_client.post(
        reverse("admin:roadmaps_itemexecution_add"),
        {
            "item": data.named_item.pk,
            "organization": world.school_b.pk,
            "status": "done",
            "done_on": yesterday(),
            "evidence": SimpleUploadedFile("акт.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    execution = ItemExecution.objects.get(item=data.named_item)
    assert execution.updated_by == admin_client.user
    # The file written once, by the real save: the form's dry run checked it without writing it.
    stored = Path(execution.evidence.path)
    assert stored.read_bytes() == PDF
    assert list(stored.parent.iterdir()) == [stored]
