"""Marking an item through its page (`roadmaps:execution_edit`): the status, the date done, a link,
a comment and a file (checked by its content as scans are), journalled with who did it; the file
downloads only for those who may see it, and every download is journalled."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from roadmaps.choices import ExecutionStatus
from roadmaps.models import ItemExecution
from tests.roadmaps.data import PDF, make_roadmaps


@pytest.fixture
def data(world):
    return make_roadmaps(world)


def mark_url(item, organization=None) -> str:
    if organization is None:
        return reverse("roadmaps:execution_authority", args=[item.pk])
    return reverse("roadmaps:execution_edit", args=[item.pk, organization.pk])


def stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_it_marks_an_item_done_with_a_pdf_and_journals_who_did_it(client, world, data):
    item = data.school_items[1]
    client.force_login(world.curator_a)
    response = client.post(
        mark_url(item, world.school_a),
        {
            "status": ExecutionStatus.DONE,
            "done_on": "",
            "link": "https://school1.example.org/anketa",
            "comment": "Анкеты собраны.",
            "evidence": SimpleUploadedFile("анкеты.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{data.school.get_absolute_url()}#item-{item.pk}"
    execution = ItemExecution.objects.get(item=item, organization=world.school_a)
    assert execution.status == ExecutionStatus.DONE
    assert execution.done_on == timezone.localdate()  # «выполнено» without a date: today
    assert execution.updated_by == world.curator_a
    assert execution.evidence.name.endswith(".pdf")
    assert Path(execution.evidence.path).read_bytes() == PDF
    entry = AuditEntry.objects.for_object(execution).filter(action="create").get()
    assert entry.actor == world.curator_a
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Отмечено: {item.number} — выполнено ({world.school_a})."]


def test_it_refuses_a_fake_pdf_with_the_scans_message_and_keeps_nothing(client, world, data):
    item = data.school_items[1]
    before = stored_files()
    client.force_login(world.curator_a)
    response = client.post(
        mark_url(item, world.school_a),
        {
            "status": ExecutionStatus.DONE,
            "evidence": SimpleUploadedFile("акт.pdf", b"just text, not a scan", content_type="application/pdf"),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["evidence"]
    assert "не похож на скан: принимаются только PDF, JPEG и PNG" in errors[0]
    assert "не похож на скан" in response.content.decode()
    assert not ItemExecution.objects.filter(item=item, organization=world.school_a).exists()
    assert stored_files() == before


def test_it_refuses_a_done_date_in_the_future_on_its_field(client, world, data):
    item = data.school_items[1]
    client.force_login(world.curator_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(mark_url(item, world.school_a), {"status": ExecutionStatus.DONE, "done_on": tomorrow})
    assert response.status_code == 200
    assert response.context["form"].errors["done_on"] == ["Дата выполнения не может быть в будущем."]
    assert not ItemExecution.objects.filter(item=item).exists()


def test_it_lets_the_coordinator_mark_the_authoritys_own_item(client, world, data):
    client.force_login(world.coordinator)
    response = client.post(mark_url(data.authority_item), {"status": ExecutionStatus.IN_PROGRESS, "comment": "Проект"})
    assert response.status_code == 302
    execution = ItemExecution.objects.get(item=data.authority_item, organization=None)
    assert (execution.status, execution.comment, execution.updated_by) == (
        ExecutionStatus.IN_PROGRESS,
        "Проект",
        world.coordinator,
    )


def test_it_lets_the_coordinator_mark_a_school_and_returns_where_it_was_asked(client, world, data):
    client.force_login(world.coordinator)
    due = reverse("roadmaps:due_list") + f"?organization={world.school_b.pk}"
    response = client.post(
        mark_url(data.schools_item, world.school_b) + "?next=" + due.replace("?", "%3F").replace("=", "%3D"),
        {"status": ExecutionStatus.NOT_REQUIRED, "next": due},
    )
    assert response.status_code == 302
    assert response["Location"] == due
    assert ItemExecution.objects.get(item=data.schools_item, organization=world.school_b).status == "not_required"


def test_it_ignores_a_return_address_on_another_site(client, world, data):
    client.force_login(world.curator_a)
    response = client.post(
        mark_url(data.schools_item, world.school_a),
        {"status": ExecutionStatus.IN_PROGRESS, "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{data.municipal.get_absolute_url()}#item-{data.schools_item.pk}"


def test_it_shows_the_current_evidence_and_removes_it_on_request(
    client, world, data, django_capture_on_commit_callbacks
):
    execution = data.evidence
    path = Path(execution.evidence.path)
    client.force_login(world.curator_a)
    url = mark_url(execution.item, world.school_a)
    body = client.get(url).content.decode()
    assert reverse("roadmaps:evidence_download", args=[execution.pk]) in body
    assert execution.evidence_name in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"status": ExecutionStatus.DONE, "done_on": execution.done_on, "remove_evidence": "on"}
        )
    assert response.status_code == 302
    execution.refresh_from_db()
    assert not execution.evidence
    assert not path.exists()  # the file leaves the disk once the change is kept


def test_it_serves_the_evidence_in_scope_and_journals_every_download(client, world, data):
    url = reverse("roadmaps:evidence_download", args=[data.evidence.pk])
    client.force_login(world.director_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    entry = AuditEntry.objects.get(action="download")
    assert (entry.actor, entry.object_id) == (world.director_a, str(data.evidence.pk))

    client.force_login(world.curator_b)
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="download").count() == 1
    assert not str(data.evidence.evidence.url).startswith("/roadmaps/")  # the media URL is not the way


def test_it_keeps_another_schools_execution_out_of_the_items_journal(client, world, data):
    client.force_login(world.curator_b)
    client.post(mark_url(data.schools_item, world.school_b), {"status": "in_progress", "comment": "Секрет школы Б"})
    for url in (data.schools_item.get_absolute_url(), mark_url(data.schools_item, world.school_a)):
        client.force_login(world.curator_a)
        body = client.get(url).content.decode()
        assert "Секрет школы Б" not in body, url
    client.force_login(world.coordinator)
    assert "Секрет школы Б" in client.get(data.schools_item.get_absolute_url()).content.decode()


def test_it_shows_each_school_its_own_status_on_the_municipal_roadmap(client, world, data):
    url = data.municipal.get_absolute_url()
    client.force_login(world.curator_a)
    rows = {row.item.pk: row for row in client.get(url).context["rows"]}
    [cell] = rows[data.curators_item.pk].cells
    assert (cell.organization, cell.status, cell.can_mark) == (world.school_a, "done", True)
    assert rows[data.curators_item.pk].summary is None
    client.force_login(world.director_a)
    [cell] = client.get(url).context["rows"][3].cells
    assert cell.can_mark is False


def test_it_shows_the_coordinator_how_many_schools_have_done_an_item(client, world, data):
    client.force_login(world.coordinator)
    response = client.get(data.municipal.get_absolute_url())
    rows = {row.item.pk: row for row in response.context["rows"]}
    summary = rows[data.curators_item.pk].summary
    # Both schools are asked; school A has done it; the deadline passed three days ago.
    assert (summary.done, summary.asked, summary.overdue) == (1, 2, 1)
    assert "выполнено 1 из 2 школ" in response.content.decode()
    [authority] = rows[data.authority_item.pk].cells
    assert authority.organization is None and authority.overdue and authority.can_mark
