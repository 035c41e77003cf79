"""The order on pairs through the pages: the curator prepares it, the director reads and issues it
in the register, the pairs show the order's number; who may see, issue, cancel and download a
document (issue 10 §4: «the access matrix for the register and downloads»)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEntry, IssuedDocument
from core.testing.documents import pdf_text
from mentorship.models import Pair, PairStatus
from tests.mentorship.order_data import prepare

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_prepares_the_order_from_the_drafts_and_the_director_issues_it(order_world):
    world, pairs, _start, _end = order_world
    curator = client_of(world.curator_a)

    page = curator.get(reverse("mentorship:pair_order_prepare"))
    assert page.status_code == 200
    assert all(f'value="{pair.pk}"' in page.content.decode() for pair in pairs)
    answer = curator.post(reverse("mentorship:pair_order_prepare"), {"pairs": [pair.pk for pair in pairs]})

    document = IssuedDocument.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/documents/{document.pk}/"
    assert document.is_draft and document.organization == world.school_a and document.prepared_by == world.curator_a
    assert curator.get(answer["Location"]).status_code == 200

    director = client_of(world.director_a)
    draft_page = director.get(f"/documents/{document.pk}/").content.decode()
    assert "Издать и утвердить пары" in draft_page and 'value="1-ОД"' in draft_page
    today = timezone.localdate()
    issued = director.post(f"/documents/{document.pk}/issue/", {"number": "7-ОД", "date": today.isoformat()})

    assert issued.status_code == 302
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.ISSUED and document.number == "7-ОД"
    for pair in Pair.objects.filter(pk__in=[pair.pk for pair in pairs]).select_related("order"):
        assert pair.status in (PairStatus.APPROVED, PairStatus.ACTIVE) and pair.order.number == "7-ОД"
        assert "№ 7-ОД" in director.get(pair.get_absolute_url()).content.decode()
    download = director.get(f"/documents/{document.pk}/document.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "№ 7-ОД" in pdf_text(download.content)
    assert AuditEntry.objects.filter(action=AuditAction.DOWNLOAD, object_id=str(document.pk)).count() == 1


def test_it_shows_the_refusal_on_the_form_and_keeps_the_draft(order_world):
    world, pairs, _start, _end = order_world
    document = prepare(world, pairs)
    pairs[0].mentor.consents.all().delete()

    answer = client_of(world.director_a).post(
        f"/documents/{document.pk}/issue/", {"number": "7-ОД", "date": timezone.localdate().isoformat()}
    )

    assert answer.status_code == 400
    assert "соглас" in answer.content.decode()
    document.refresh_from_db()
    assert document.is_draft


@pytest.mark.parametrize(
    ("actor", "sees", "issues"),
    [
        ("curator_a", True, False),
        ("director_a", True, True),
        ("coordinator", True, False),
        ("observer", True, False),
        ("curator_b", False, False),
        ("coordinator_elsewhere", False, False),
    ],
)
def test_it_scopes_the_register(order_world, actor, sees, issues):
    world, pairs, _start, _end = order_world
    document = prepare(world, pairs)
    client = client_of(getattr(world, actor))
    expected = 200 if sees else 404

    assert client.get(f"/documents/{document.pk}/").status_code == expected
    assert client.get(f"/documents/{document.pk}/document.pdf").status_code == expected
    assert (f"/documents/{document.pk}/" in client.get("/documents/").content.decode()) is sees
    answer = client.post(f"/documents/{document.pk}/issue/", {"number": "1", "date": timezone.localdate().isoformat()})
    assert answer.status_code == (302 if issues else 403 if sees else 404)
    document.refresh_from_db()
    assert document.is_draft is not issues


@pytest.mark.parametrize(
    ("actor", "expected"),
    [("curator_a", 403), ("coordinator", 403), ("observer", 403), ("curator_b", 404), ("director_a", 302)],
)
def test_it_lets_only_the_director_cancel(order_world, actor, expected):
    world, pairs, _start, _end = order_world
    from core import issuing

    document = issuing.document_issue(
        document=prepare(world, pairs), number="3-ОД", date=timezone.localdate(), user=world.director_a
    )

    answer = client_of(getattr(world, actor)).post(f"/documents/{document.pk}/cancel/", {"reason": "Ошибка"})

    assert answer.status_code == expected
    document.refresh_from_db()
    assert (document.status == IssuedDocument.Status.CANCELLED) is (expected == 302)


def test_it_discards_a_draft_after_confirmation(order_world):
    world, pairs, _start, _end = order_world
    document = prepare(world, pairs)
    curator = client_of(world.curator_a)

    assert "Удалить проект документа?" in curator.get(f"/documents/{document.pk}/delete/").content.decode()
    assert client_of(world.observer).get(f"/documents/{document.pk}/delete/").status_code == 403
    answer = curator.post(f"/documents/{document.pk}/delete/")

    assert answer.status_code == 302 and not IssuedDocument.objects.filter(pk=document.pk).exists()
    assert not Pair.objects.exclude(status=PairStatus.DRAFT).exists()


def test_it_refuses_the_prepare_page_to_readers(order_world):
    world, _pairs, _start, _end = order_world

    assert client_of(world.director_a).get(reverse("mentorship:pair_order_prepare")).status_code == 403
    assert client_of(world.observer).get(reverse("mentorship:pair_order_prepare")).status_code == 403
    other = client_of(world.curator_b).get(reverse("mentorship:pair_order_prepare")).content.decode()
    assert "Черновиков пар нет" in other


def test_it_lists_the_register_in_constant_queries(order_world, django_assert_max_num_queries):
    world, pairs, _start, _end = order_world
    for pair in pairs:
        prepare(world, [pair])
    client = client_of(world.coordinator)
    client.get("/documents/")  # the session, the scope, the cache warmed

    with django_assert_max_num_queries(12) as few:
        client.get("/documents/")
    for _ in range(5):
        prepare(world, pairs)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Проект" in client.get("/documents/?status=draft").content.decode()


def test_it_puts_one_schools_pairs_in_an_order_the_coordinator_prepares(order_world):
    from tests.mentorship.helpers import draft, teacher_mentor, young_teacher

    world, pairs, _start, _end = order_world
    other = draft(
        organization=world.school_b, mentor=teacher_mentor(world.school_b), mentees=[young_teacher(world.school_b)]
    )

    answer = client_of(world.coordinator).post(
        reverse("mentorship:pair_order_prepare"), {"pairs": [pairs[0].pk, other.pk]}
    )

    assert answer.status_code == 200 and "Один приказ закрепляет пары одной организации" in answer.content.decode()
    assert not IssuedDocument.objects.exists()


def test_a_draft_whose_worker_died_says_so_and_can_be_issued_again(order_world):
    """The worker stopped while laying out a large order: the sweep ends the job (core.document_tasks),
    and the director's page stops saying «Формируется», tells why and offers the issue again."""
    import datetime

    from core.document_tasks import sweep_stuck_documents

    world, pairs, _start, _end = order_world
    document = prepare(world, pairs)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    IssuedDocument.objects.filter(pk=document.pk).update(
        job=IssuedDocument.Job.RUNNING, progress=45, job_started_at=long_ago, job_heartbeat_at=long_ago
    )
    director = client_of(world.director_a)
    assert "Документ формируется: 45 %" in director.get(document.get_absolute_url()).content.decode()

    assert sweep_stuck_documents() == [document]

    page = director.get(document.get_absolute_url()).content.decode()
    assert "Документ формируется" not in page
    assert "Документ не издан: формирование прервалось: фоновый обработчик остановился" in page
    assert "Издать и утвердить пары" in page
    response = director.post(
        reverse("document_issue", args=[document.pk]), {"number": "7-ОД", "date": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.ISSUED and document.job == IssuedDocument.Job.NONE
