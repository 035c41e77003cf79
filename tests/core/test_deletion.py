"""Deleting leaves nothing behind (152-ФЗ) and hides nothing from the journal (core.services
`delete_audited`, `deletion_plan`): what cascades with a record is listed on the confirmation page,
journalled line by line, and its files leave the disk once the deletion commits — not before, and
not at all if it rolls back."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.choices import AuditAction
from core.models import AuditEntry
from core.services import deletion_plan
from core.testing.factories import ConsentFactory, MenteeRecordFactory, MentorRecordFactory, PersonFactory
from registry import services
from registry.choices import ConsentKind
from registry.models import Consent, MenteeRecord, MentorRecord, Person, RequestTopic

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scan(name="скан.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def person_with_everything(world):
    person = PersonFactory(organization=world.school_a, last_name="Соколова", first_name="Мария")
    consents = [
        services.consent_save(
            consent=Consent(person=person, kind=kind, signed_on=datetime.date(2025, 9, 1), scan=scan(), **extra),
            user=world.curator_a,
        )
        for kind, extra in (
            (ConsentKind.MENTORING, {}),
            (ConsentKind.PARENT, {"representative_name": "Соколов Андрей Ильич"}),
        )
    ]
    mentee = MenteeRecordFactory(person=person)
    mentee.requests.set([RequestTopic.objects.get_or_create(name="Адаптация")[0]])
    MentorRecordFactory(person=person)
    return person, consents


def on_disk(consent) -> Path:
    return Path(settings.MEDIA_ROOT) / consent.scan.name


def test_it_lists_what_goes_with_a_person(world, person_with_everything):
    person, _ = person_with_everything

    plan = deletion_plan(person)

    assert plan.protected == []
    assert {type(obj) for obj in plan.cascaded} == {Consent, MentorRecord, MenteeRecord}
    assert len(plan.cascaded) == 4
    assert dict((label, count) for label, count, _ in plan.groups()) == {
        "Согласия": 2,
        "База наставников": 1,
        "База наставляемых": 1,
    }


def test_it_shows_the_cascade_on_the_confirmation_page(client, world, person_with_everything):
    person, _ = person_with_everything
    client.force_login(world.curator_a)

    body = client.get(reverse("registry:person_delete", args=[person.pk])).content.decode()

    assert "Вместе с ней будут удалены" in body
    assert "Согласия: 2" in body
    assert "Письменное согласие на участие в наставничестве: Соколова Мария" in body
    assert "База наставников: 1" in body


def test_it_journals_every_record_deleted_with_a_person(
    world, person_with_everything, django_capture_on_commit_callbacks
):
    person, _ = person_with_everything
    pk = person.pk
    with django_capture_on_commit_callbacks(execute=True):
        services.person_delete(person=person, user=world.curator_a)

    deleted = AuditEntry.objects.filter(action=AuditAction.DELETE)
    person_type = ContentType.objects.get_for_model(Person)
    assert deleted.filter(content_type=person_type, object_id=str(pk)).count() == 1
    cascaded = deleted.filter(parent_content_type=person_type, parent_object_id=str(pk), data__cascade=True)
    assert sorted(cascaded.values_list("content_type__model", flat=True)) == [
        "consent",
        "consent",
        "menteerecord",
        "mentorrecord",
    ]
    mentee_line = cascaded.get(content_type__model="menteerecord")
    assert mentee_line.changes["запрос"] == [["Адаптация"], None]
    assert all(entry.actor == world.curator_a for entry in deleted)


def test_it_removes_a_persons_scans_after_the_deletion_commits(
    world, person_with_everything, django_capture_on_commit_callbacks
):
    person, consents = person_with_everything
    paths = [on_disk(consent) for consent in consents]
    assert all(path.exists() for path in paths)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.person_delete(person=person, user=world.curator_a)
        assert all(path.exists() for path in paths), "nothing leaves the disk before the commit"

    for callback in callbacks:
        callback()
    assert not any(path.exists() for path in paths)


def test_it_removes_a_consents_scan_with_the_consent(world, person_with_everything, django_capture_on_commit_callbacks):
    _, consents = person_with_everything
    path = on_disk(consents[0])

    with django_capture_on_commit_callbacks(execute=True):
        services.consent_delete(consent=consents[0], user=world.curator_a)

    assert not path.exists()
    assert on_disk(consents[1]).exists()


def test_it_keeps_the_scans_when_the_deletion_rolls_back(
    world, person_with_everything, django_capture_on_commit_callbacks
):
    from django.core.exceptions import PermissionDenied

    person, consents = person_with_everything
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(PermissionDenied):
        services.person_delete(person=person, user=world.curator_b)

    assert callbacks == []
    assert all(on_disk(consent).exists() for consent in consents)
    assert Person.objects.filter(pk=person.pk).exists()


def test_it_removes_a_replaced_scan(world, person_with_everything, django_capture_on_commit_callbacks):
    _, consents = person_with_everything
    consent = consents[0]
    old = on_disk(consent)

    consent.scan = scan("новый скан.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_save(consent=consent, user=world.curator_a)

    assert not old.exists()
    assert on_disk(consent).exists()


def test_it_says_what_forbids_deleting_an_organization(client, world):
    PersonFactory(organization=world.school_a)
    client.force_login(world.coordinator)

    body = client.get(reverse("registry:organization_delete", args=[world.school_a.pk])).content.decode()

    assert "Запись нельзя удалить" in body
    assert "Да, удалить" not in body


def test_it_deletes_a_consent_from_the_page_and_its_scan_goes(
    client, world, person_with_everything, django_capture_on_commit_callbacks
):
    _, consents = person_with_everything
    path = on_disk(consents[1])
    client.force_login(world.curator_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:consent_delete", args=[consents[1].pk]))

    assert response.status_code == 302
    assert not Consent.objects.filter(pk=consents[1].pk).exists()
    assert not path.exists()


def test_it_answers_404_for_another_schools_deletion_page(client, world):
    other = ConsentFactory(person=PersonFactory(organization=world.school_b))
    client.force_login(world.curator_a)
    assert client.get(reverse("registry:consent_delete", args=[other.pk])).status_code == 404
