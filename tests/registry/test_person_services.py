"""The rules of `person_save` and `person_delete` (registry/services.py).

docs/product.md «The parts»: a person is found again by name + birth date + organization and is never
entered twice; a curator writes in their school, a coordinator in their municipality, a
director only reads.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEntry
from core.russian import typeset
from core.testing.factories import PersonFactory, TeacherFactory
from registry.choices import PersonCategory, Sex
from registry.models import Person
from registry.services import person_delete, person_save

BIRTH_DATE = datetime.date(2011, 3, 14)


def new_student(organization, **values):
    fields = {
        "last_name": "Соколова",
        "first_name": "Мария",
        "middle_name": "Андреевна",
        "sex": Sex.FEMALE,
        "birth_date": BIRTH_DATE,
        "organization": organization,
        "category": PersonCategory.STUDENT,
        "class_name": "8Б",
    }
    fields.update(values)
    return Person(**fields)


def new_teacher(organization, **values):
    fields = {
        "last_name": "Щукин",
        "first_name": "Илья",
        "middle_name": "Олегович",
        "birth_date": datetime.date(1985, 6, 2),
        "organization": organization,
        "category": PersonCategory.TEACHER,
        "position": "учитель",
        "teaching_since": datetime.date(2010, 9, 1),
    }
    fields.update(values)
    return Person(**fields)


def field_messages(error: ValidationError, field: str) -> list[str]:
    return error.value.message_dict.get(field, [])


# Names -----------------------------------------------------------------------------------


def test_it_brings_names_typed_in_lower_case_to_the_usual_form(world):
    person = person_save(
        person=new_student(
            world.school_a, last_name="  иванова-петрова ", first_name="мария", middle_name=" андреевна"
        ),
        user=world.curator_a,
    )
    person.refresh_from_db()
    assert (person.last_name, person.first_name, person.middle_name) == ("Иванова-Петрова", "Мария", "Андреевна")


def test_it_brings_names_typed_in_capitals_to_the_usual_form(world):
    person = person_save(
        person=new_student(world.school_a, last_name="ИВАНОВ", first_name="ПЁТР"), user=world.curator_a
    )
    person.refresh_from_db()
    assert (person.last_name, person.first_name) == ("Иванов", "Пётр")


def test_it_keeps_a_name_whose_capitals_were_typed_on_purpose(world):
    person = person_save(person=new_student(world.school_a, last_name="ДиКаприо"), user=world.curator_a)
    person.refresh_from_db()
    assert person.last_name == "ДиКаприо"


def test_it_writes_the_class_in_one_form(world):
    person = person_save(person=new_student(world.school_a, class_name=" 7 б "), user=world.curator_a)
    person.refresh_from_db()
    assert person.class_name == "7Б"


# The same person is never entered twice --------------------------------------------------


def test_it_refuses_the_same_person_typed_again_in_another_case(world):
    existing = person_save(
        person=new_student(world.school_a, last_name="Соколова", first_name="Мария", middle_name=""),
        user=world.curator_a,
    )
    before = Person.objects.count()

    with pytest.raises(ValidationError) as error:
        person_save(
            person=new_student(world.school_a, last_name="соколова", first_name="мария", middle_name=""),
            user=world.curator_a,
        )

    message = " ".join(error.value.messages)
    assert "Соколова Мария" in message
    assert "14.03.2011" in message
    assert typeset("МБОУ «СОШ № 1»") in message
    assert f"запись № {existing.pk}" in message
    assert error.value.error_list[0].code == "duplicate"
    assert Person.objects.count() == before


def test_it_refuses_the_same_person_typed_in_mixed_case(world):
    existing = PersonFactory(
        organization=world.school_a, last_name="Соколова", first_name="Мария", middle_name="", birth_date=BIRTH_DATE
    )

    with pytest.raises(ValidationError) as error:
        person_save(
            person=new_student(world.school_a, last_name="СоКОЛОВА", first_name="МаРИЯ", middle_name=""),
            user=world.curator_a,
        )

    assert f"запись № {existing.pk}" in " ".join(error.value.messages)


def test_it_refuses_to_turn_one_person_into_another_already_registered(world):
    PersonFactory(
        organization=world.school_a, last_name="Соколова", first_name="Мария", middle_name="", birth_date=BIRTH_DATE
    )
    other = PersonFactory(
        organization=world.school_a, last_name="Смирнова", first_name="Мария", middle_name="", birth_date=BIRTH_DATE
    )

    other.last_name = "соколова"
    with pytest.raises(ValidationError):
        person_save(person=other, user=world.curator_a)

    other.refresh_from_db()
    assert other.last_name == "Смирнова"


def test_it_lets_a_person_be_saved_again_without_calling_them_their_own_duplicate(world):
    person = person_save(person=new_student(world.school_a), user=world.curator_a)
    person.notes = "переведена из 7Б"

    person_save(person=person, user=world.curator_a)

    person.refresh_from_db()
    assert person.notes == "переведена из 7Б"


def test_it_allows_the_same_name_and_birth_date_in_another_organization(world):
    person_save(person=new_student(world.school_a), user=world.coordinator)

    namesake = person_save(person=new_student(world.school_b), user=world.coordinator)

    assert namesake.pk is not None
    assert Person.objects.filter(last_name="Соколова", birth_date=BIRTH_DATE).count() == 2


# Dates and categories --------------------------------------------------------------------


def test_it_refuses_a_birth_date_in_the_future(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        person_save(person=new_student(world.school_a, birth_date=tomorrow), user=world.curator_a)

    assert "Дата рождения не может быть в будущем." in field_messages(error, "birth_date")
    assert not Person.objects.exists()


def test_it_gives_a_class_only_to_students(world):
    with pytest.raises(ValidationError) as error:
        person_save(person=new_teacher(world.school_a, class_name="7Б"), user=world.curator_a)

    assert field_messages(error, "class_name") == ["Класс указывается только для обучающихся."]
    assert not Person.objects.exists()


def test_it_refuses_a_teaching_start_in_the_future(world):
    next_month = timezone.localdate() + datetime.timedelta(days=31)

    with pytest.raises(ValidationError) as error:
        person_save(person=new_teacher(world.school_a, teaching_since=next_month), user=world.curator_a)

    assert field_messages(error, "teaching_since") == ["Начало педагогической деятельности не может быть в будущем."]


def test_it_accepts_a_teacher_born_on_the_29th_of_february(world):
    teacher = person_save(
        person=new_teacher(
            world.school_a, birth_date=datetime.date(1980, 2, 29), teaching_since=datetime.date(2003, 9, 1)
        ),
        user=world.curator_a,
    )

    assert Person.objects.filter(pk=teacher.pk).exists()


# Who may write where ---------------------------------------------------------------------


def test_it_forbids_a_curator_to_save_a_person_into_another_school(world):
    before = Person.objects.count()

    with pytest.raises(PermissionDenied):
        person_save(person=new_student(world.school_b), user=world.curator_a)

    assert Person.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_it_forbids_a_curator_to_move_their_person_into_another_school(world):
    person = PersonFactory(organization=world.school_a)

    person.organization = world.school_b
    with pytest.raises(PermissionDenied):
        person_save(person=person, user=world.curator_a)

    assert Person.objects.get(pk=person.pk).organization == world.school_a


def test_it_forbids_a_curator_to_change_a_person_of_another_school(world):
    person = PersonFactory(organization=world.school_a, phone="")

    person.phone = "+7 900 111-22-33"
    with pytest.raises(PermissionDenied):
        person_save(person=person, user=world.curator_b)

    assert Person.objects.get(pk=person.pk).phone == ""


def test_it_tells_a_curator_of_another_school_nothing_about_its_people(world):
    PersonFactory(
        organization=world.school_a, last_name="Соколова", first_name="Мария", middle_name="", birth_date=BIRTH_DATE
    )

    with pytest.raises(PermissionDenied):
        person_save(
            person=new_student(world.school_a, last_name="соколова", first_name="мария", middle_name=""),
            user=world.curator_b,
        )


def test_it_forbids_a_director_to_save_a_person(world):
    with pytest.raises(PermissionDenied):
        person_save(person=new_student(world.school_a), user=world.director_a)

    assert not Person.objects.exists()


def test_it_lets_the_coordinator_save_into_any_school_of_the_municipality(world):
    in_a = person_save(person=new_student(world.school_a), user=world.coordinator)
    in_b = person_save(person=new_teacher(world.school_b), user=world.coordinator)

    assert set(Person.objects.values_list("pk", flat=True)) == {in_a.pk, in_b.pk}


def test_it_forbids_the_coordinator_to_save_into_another_municipality(world):
    with pytest.raises(PermissionDenied):
        person_save(person=new_student(world.school_elsewhere), user=world.coordinator)

    assert not Person.objects.filter(organization=world.school_elsewhere).exists()


def test_it_journals_a_change_of_a_person(world):
    person = person_save(person=new_student(world.school_a), user=world.curator_a)

    person.class_name = "9А"
    person_save(person=person, user=world.curator_a)

    entry = AuditEntry.objects.for_object(person).get(action=AuditAction.UPDATE)
    assert entry.actor == world.curator_a
    assert entry.changes == {"класс / группа": ["8Б", "9А"]}


# Deleting --------------------------------------------------------------------------------


def test_it_forbids_a_director_to_delete_a_person(world):
    person = PersonFactory(organization=world.school_a)

    with pytest.raises(PermissionDenied):
        person_delete(person=person, user=world.director_a)

    assert Person.objects.filter(pk=person.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()


def test_it_forbids_a_curator_of_another_school_to_delete_a_person(world):
    person = TeacherFactory(organization=world.school_a)

    with pytest.raises(PermissionDenied):
        person_delete(person=person, user=world.curator_b)

    assert Person.objects.filter(pk=person.pk).exists()


def test_it_lets_the_curator_delete_a_person_of_their_school(world):
    person = PersonFactory(organization=world.school_a)

    person_delete(person=person, user=world.curator_a)

    assert not Person.objects.filter(pk=person.pk).exists()
