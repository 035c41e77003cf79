"""The audit journal (core/audit.py, core/services.py): who changed which personal record,
when, from what to what; downloads of personal data are logged (docs/product.md «Personal data»)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEntry
from core.russian import typeset
from core.testing.factories import ConsentFactory
from registry.choices import ConsentKind, PersonCategory
from registry.models import Consent, Person
from registry.services import consent_save, person_delete, person_save

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def new_person(world, **values):
    fields = {
        "last_name": "Соколова",
        "first_name": "Мария",
        "middle_name": "Андреевна",
        "birth_date": datetime.date(2011, 3, 14),
        "organization": world.school_a,
        "category": PersonCategory.STUDENT,
        "class_name": "8Б",
        "phone": "+7 900 111-22-33",
    }
    fields.update(values)
    return Person(**fields)


@pytest.fixture
def person(world):
    return person_save(person=new_person(world), user=world.curator_a)


def test_it_journals_a_new_person_with_its_values(world):
    person = person_save(person=new_person(world), user=world.curator_a)

    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.CREATE
    assert entry.actor == world.curator_a
    assert entry.content_type == ContentType.objects.get_for_model(Person)
    assert entry.object_id == str(person.pk)
    assert entry.object_repr == "Соколова Мария Андреевна"
    assert entry.changes["фамилия"] == [None, "Соколова"]
    assert entry.changes["дата рождения"] == [None, "14.03.2011"]
    assert entry.changes["организация"] == [None, typeset("МБОУ «СОШ № 1»")]
    assert entry.changes["категория"] == [None, "Обучающийся"]
    assert "внесён" not in entry.changes
    assert "изменён" not in entry.changes


def test_it_journals_only_what_changed(world, person):
    person.phone = "+7 900 444-55-66"

    person_save(person=person, user=world.coordinator)

    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.actor == world.coordinator
    assert entry.changes == {"телефон": ["+7 900 111-22-33", "+7 900 444-55-66"]}


def test_it_journals_nothing_when_nothing_changed(world, person):
    before = AuditEntry.objects.count()

    person_save(person=Person.objects.get(pk=person.pk), user=world.curator_a)

    assert AuditEntry.objects.count() == before
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


def test_it_journals_nothing_when_only_the_case_of_a_name_was_typed_differently(world, person):
    person.last_name = "СОКОЛОВА"

    person_save(person=person, user=world.curator_a)

    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


def test_it_journals_a_deletion_with_the_values_that_were_lost(world, person):
    pk = person.pk

    person_delete(person=person, user=world.curator_a)

    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert entry.actor == world.curator_a
    assert entry.object_id == str(pk)
    assert entry.object_repr == "Соколова Мария Андреевна"
    assert entry.changes["фамилия"] == ["Соколова", None]


def test_it_shows_a_consent_in_the_persons_journal(world, person):
    consent = consent_save(
        consent=Consent(
            person=person,
            kind=ConsentKind.PARENT,
            signed_on=timezone.localdate(),
            representative_name="Соколов Андрей Ильич",
        ),
        user=world.curator_a,
    )

    entries = AuditEntry.objects.for_object(person)

    consent_entry = entries.get(content_type=ContentType.objects.get_for_model(Consent))
    assert consent_entry.object_id == str(consent.pk)
    assert consent_entry.action == AuditAction.CREATE
    assert consent_entry.changes["ФИО родителя (законного представителя)"] == [None, "Соколов Андрей Ильич"]
    assert {entry.action for entry in entries} == {AuditAction.CREATE}
    assert entries.count() == 2


def test_it_keeps_other_peoples_entries_out_of_a_persons_journal(world, person):
    other = person_save(person=new_person(world, last_name="Щукина"), user=world.curator_a)
    ConsentFactory(person=other)
    consent_save(
        consent=Consent(person=other, kind=ConsentKind.MENTORING, signed_on=timezone.localdate()),
        user=world.curator_a,
    )

    assert {entry.object_repr for entry in AuditEntry.objects.for_object(person)} == {"Соколова Мария Андреевна"}


def test_it_journals_nothing_when_the_rules_refuse_a_save(world, person):
    before = AuditEntry.objects.count()
    person.birth_date = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError):
        person_save(person=person, user=world.curator_a)

    assert AuditEntry.objects.count() == before


def test_it_journals_nothing_when_a_new_person_is_refused(world):
    with pytest.raises(ValidationError):
        person_save(person=new_person(world, category=PersonCategory.TEACHER), user=world.curator_a)

    assert not AuditEntry.objects.exists()


def test_it_journals_nothing_when_the_user_may_not_write(world, person):
    before = AuditEntry.objects.count()
    person.phone = "+7 900 000-00-00"

    with pytest.raises(PermissionDenied):
        person_save(person=person, user=world.director_a)
    with pytest.raises(PermissionDenied):
        person_save(person=new_person(world, organization=world.school_b), user=world.curator_a)

    assert AuditEntry.objects.count() == before


# Pages -----------------------------------------------------------------------------------


def test_it_shows_the_journal_on_the_persons_page(client, world, person):
    client.force_login(world.curator_a)

    response = client.get(reverse("registry:person_detail", args=[person.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Журнал изменений" in body
    assert "Создание" in body
    assert list(response.context["audit_entries"]) == list(AuditEntry.objects.for_object(person))


def test_it_hides_the_persons_journal_from_another_school(client, world, person):
    client.force_login(world.curator_b)

    response = client.get(reverse("registry:person_detail", args=[person.pk]))

    assert response.status_code == 404
    assert "Соколова" not in response.content.decode()


def test_it_journals_the_download_of_a_scan(client, world, person):
    consent = ConsentFactory(
        person=person,
        kind=ConsentKind.PARENT,
        representative_name="Соколов Андрей Ильич",
        scan=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
    )
    client.force_login(world.director_a)

    response = client.get(reverse("registry:consent_scan", args=[consent.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD)
    assert entry.actor == world.director_a
    assert entry.object_id == str(consent.pk)
    assert entry.parent_object_id == str(person.pk)
    assert entry.data == {"file": consent.scan.name}
    assert entry in AuditEntry.objects.for_object(person)


def test_it_journals_no_download_that_was_refused(client, world, person):
    consent = ConsentFactory(person=person, scan=SimpleUploadedFile("scan.pdf", PDF))
    client.force_login(world.curator_b)

    assert client.get(reverse("registry:consent_scan", args=[consent.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.DOWNLOAD).exists()
