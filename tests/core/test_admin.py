"""The admin writes through the same services as the portal."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.models import AuditEntry, RoleAssignment
from core.testing.factories import PersonFactory
from registry.models import Person


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pass-for-tests-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "registry/person",
        "registry/organization",
        "registry/consent",
        "registry/mentorrecord",
        "registry/menteerecord",
        "registry/contingent",
        "registry/municipality",
        "core/auditentry",
        "core/roleassignment",
        "auth/user",
    ],
)
def test_it_lists_every_model_in_the_admin(admin_client, world, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200


def _person_form(person, **changes):
    data = {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "sex": person.sex,
        "birth_date": person.birth_date.strftime("%d.%m.%Y"),
        "organization": person.organization_id,
        "category": person.category,
        "class_name": person.class_name,
        "position": "",
        "subjects": "",
        "teaching_since": "",
        "phone": "",
        "email": "",
        "notes": "",
        "consents-TOTAL_FORMS": "0",
        "consents-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_it_refuses_a_duplicate_person_in_the_admin_with_the_services_message(admin_client, world):
    existing = PersonFactory(organization=world.school_a, last_name="Соколова", first_name="Мария")
    response = admin_client.post(reverse("admin:registry_person_add"), _person_form(existing, last_name="соколова"))
    assert response.status_code == 200
    assert f"запись № {existing.pk}" in response.content.decode()
    assert Person.objects.count() == 1


def test_it_journals_an_admin_change(admin_client, world):
    person = PersonFactory(organization=world.school_a)
    response = admin_client.post(
        reverse("admin:registry_person_change", args=[person.pk]), _person_form(person, phone="+7 900 000-00-00")
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.for_object(person).get()
    assert entry.action == "update"
    assert entry.changes == {"телефон": [None, "+7 900 000-00-00"]}


def test_it_assigns_roles_on_the_user_page(admin_client, world):
    user = world.curator_a
    response = admin_client.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert "Роли пользователей" in response.content.decode() or "роли пользователей" in response.content.decode()
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_it_exports_from_the_admin_through_the_safe_formats_and_journals_it(admin_client, world):
    import io

    import openpyxl

    PersonFactory(organization=world.school_a, last_name="Соколова", class_name="=1+2")
    person_ids = list(Person.objects.values_list("pk", flat=True))
    response = admin_client.post(
        reverse("admin:registry_person_changelist"),
        {"action": "export_admin_action", "_selected_action": person_ids},
    )
    assert response.status_code == 200
    # import-export asks for the format and the fields first, then writes the file.
    response = admin_client.post(
        reverse("admin:registry_person_export"),
        {
            "format": "0",
            "export_items": person_ids,
            "personresource_last_name": "on",
            "personresource_class_name": "on",
        },
    )
    assert response.status_code == 200, response.content[:500]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value == "=1+2"]
    assert cells and cells[0].data_type == "s"
    assert AuditEntry.objects.filter(action="export").count() == 1


@pytest.fixture
def withdrawn_and_present(world):
    import datetime

    from django.utils import timezone

    from core.testing.factories import ConsentFactory

    withdrawn = PersonFactory(organization=world.school_a, last_name="Отозвавшая", first_name="Анна")
    ConsentFactory(person=withdrawn, withdrawn_on=timezone.localdate() - datetime.timedelta(days=1))
    present = PersonFactory(organization=world.school_a, last_name="Присутствующая", first_name="Вера")
    return withdrawn, present


def test_it_hides_people_who_withdrew_consent_in_the_admin_list_by_default(admin_client, withdrawn_and_present):
    body = admin_client.get(reverse("admin:registry_person_changelist")).content.decode()
    assert "Присутствующая" in body
    assert "Отозвавшая" not in body
    assert "Без отозвавших согласие" in body

    shown = admin_client.get(reverse("admin:registry_person_changelist"), {"withdrawn": "all"}).content.decode()
    assert "Отозвавшая" in shown
    only = admin_client.get(reverse("admin:registry_person_changelist"), {"withdrawn": "only"}).content.decode()
    assert "Отозвавшая" in only
    assert "Присутствующая" not in only


@pytest.mark.parametrize("name", ["consent", "mentorrecord", "menteerecord"])
def test_it_hides_the_records_of_people_who_withdrew_in_the_admin(admin_client, withdrawn_and_present, name):
    from core.testing.factories import ConsentFactory, MenteeRecordFactory, MentorRecordFactory

    withdrawn, present = withdrawn_and_present
    make = {
        # Another kind than the withdrawn one: a new consent of the same kind would end the withdrawal.
        "consent": lambda person: ConsentFactory(person=person, kind="personal_data"),
        "mentorrecord": lambda person: MentorRecordFactory(person=person),
        "menteerecord": lambda person: MenteeRecordFactory(person=person),
    }[name]
    for person in (withdrawn, present):
        make(person)
    body = admin_client.get(reverse(f"admin:registry_{name}_changelist")).content.decode()
    assert "Присутствующая" in body
    assert "Отозвавшая" not in body


def test_it_leaves_people_who_withdrew_out_of_the_admins_export(admin_client, withdrawn_and_present):
    import io

    import openpyxl

    ids = [person.pk for person in withdrawn_and_present]
    response = admin_client.post(
        reverse("admin:registry_person_export"),
        {"format": "0", "export_items": ids, "personresource_last_name": "on"},
    )
    assert response.status_code == 200
    names = [row[0].value for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows()]
    assert "Присутствующая" in names
    assert "Отозвавшая" not in names
