"""The rules of consents (registry/services.py) and how their state reaches the lists
(registry/selectors.py, registry/filters.py).

Seed 001 §3.5 and 152-ФЗ: a mentoring consent for everyone; a minor's personal data needs a
parent's consent, an adult's their own. docs/product.md: withdrawal takes the person out of every
list and export until a new consent is given; the record and its history stay.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.choices import AuditAction
from core.models import AuditEntry
from core.testing.factories import (
    ConsentFactory,
    MenteeRecordFactory,
    MentorRecordFactory,
    PersonFactory,
    TeacherFactory,
)
from registry.choices import ConsentKind
from registry.filters import PersonFilter
from registry.models import Consent, Person, years_ago
from registry.selectors import person_list, registry_summary
from registry.services import consent_save, consent_withdraw

TODAY = timezone.localdate()
LAST_MONTH = TODAY - datetime.timedelta(days=30)


@pytest.fixture
def student(world):
    return PersonFactory(organization=world.school_a, last_name="Соколова", first_name="Мария")


def listed(user, data=None) -> set[int]:
    """The persons the person list shows `user` with the filter form's `data`."""
    queryset = PersonFilter(data=data or {}, queryset=person_list(user=user), user=user).qs
    return set(queryset.values_list("pk", flat=True))


def consent_state(person, on=None):
    return Person.objects.filter(pk=person.pk).with_consent_state(on).get()


# consent_save ----------------------------------------------------------------------------


def test_it_requires_the_parents_name_on_a_parents_consent(world, student):
    consent = Consent(person=student, kind=ConsentKind.PARENT, signed_on=LAST_MONTH, representative_name="  ")

    with pytest.raises(ValidationError) as error:
        consent_save(consent=consent, user=world.curator_a)

    assert error.value.message_dict["representative_name"] == [
        "Укажите ФИО родителя (законного представителя), подписавшего согласие."
    ]
    assert not Consent.objects.exists()


def test_it_saves_a_parents_consent_that_names_the_parent(world, student):
    consent = Consent(
        person=student, kind=ConsentKind.PARENT, signed_on=LAST_MONTH, representative_name="Соколов Андрей Ильич"
    )

    consent_save(consent=consent, user=world.curator_a)

    assert Consent.objects.get().representative_name == "Соколов Андрей Ильич"


@pytest.mark.parametrize("kind", [ConsentKind.MENTORING, ConsentKind.PERSONAL_DATA])
def test_it_refuses_a_representative_on_the_persons_own_consent(world, student, kind):
    consent = Consent(person=student, kind=kind, signed_on=LAST_MONTH, representative_name="Соколов Андрей Ильич")

    with pytest.raises(ValidationError) as error:
        consent_save(consent=consent, user=world.curator_a)

    assert error.value.message_dict["representative_name"] == [
        "ФИО представителя указывается только в согласии родителя."
    ]
    assert not Consent.objects.exists()


def test_it_refuses_a_consent_signed_in_the_future(world, student):
    consent = Consent(person=student, kind=ConsentKind.MENTORING, signed_on=TODAY + datetime.timedelta(days=1))

    with pytest.raises(ValidationError) as error:
        consent_save(consent=consent, user=world.curator_a)

    assert error.value.message_dict["signed_on"] == ["Дата подписания не может быть в будущем."]
    assert not Consent.objects.exists()


def test_it_forbids_a_curator_to_record_a_consent_in_another_school(world, student):
    consent = Consent(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)

    with pytest.raises(PermissionDenied):
        consent_save(consent=consent, user=world.curator_b)

    assert not Consent.objects.exists()


# consent_withdraw ------------------------------------------------------------------------


def test_it_records_the_date_of_withdrawal(world, student):
    consent = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)
    yesterday = TODAY - datetime.timedelta(days=1)

    consent_withdraw(consent=consent, user=world.curator_a, on=yesterday)

    consent.refresh_from_db()
    assert consent.withdrawn_on == yesterday
    assert not consent.is_active


def test_it_withdraws_today_when_no_date_is_given(world, student):
    consent = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)

    consent_withdraw(consent=consent, user=world.curator_a)

    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY


def test_it_journals_a_withdrawal_on_the_persons_page(world, student):
    consent = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)

    consent_withdraw(consent=consent, user=world.curator_a, on=TODAY)

    entry = AuditEntry.objects.get(action=AuditAction.WITHDRAW)
    assert entry.actor == world.curator_a
    assert entry.object_id == str(consent.pk)
    assert entry.parent_content_type == ContentType.objects.get_for_model(Person)
    assert entry.parent_object_id == str(student.pk)
    assert entry.changes == {"дата отзыва": [None, TODAY.strftime("%d.%m.%Y")]}
    assert entry in AuditEntry.objects.for_object(student)


def test_it_refuses_to_withdraw_a_consent_twice(world, student):
    consent = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)
    first = TODAY - datetime.timedelta(days=2)
    consent_withdraw(consent=consent, user=world.curator_a, on=first)

    with pytest.raises(ValidationError) as error:
        consent_withdraw(consent=consent, user=world.curator_a, on=TODAY)

    assert first.strftime("%d.%m.%Y") in " ".join(error.value.messages)
    consent.refresh_from_db()
    assert consent.withdrawn_on == first
    assert AuditEntry.objects.filter(action=AuditAction.WITHDRAW).count() == 1


def test_it_refuses_a_withdrawal_dated_before_the_signature(world, student):
    consent = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)

    with pytest.raises(ValidationError) as error:
        consent_withdraw(consent=consent, user=world.curator_a, on=LAST_MONTH - datetime.timedelta(days=1))

    assert error.value.message_dict["withdrawn_on"] == ["Согласие нельзя отозвать раньше, чем оно подписано."]
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None
    assert not AuditEntry.objects.filter(action=AuditAction.WITHDRAW).exists()


def test_it_refuses_a_withdrawal_dated_in_the_future(world, student):
    consent = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)

    with pytest.raises(ValidationError) as error:
        consent_withdraw(consent=consent, user=world.curator_a, on=TODAY + datetime.timedelta(days=1))

    assert "withdrawn_on" in error.value.message_dict
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


def test_it_forbids_a_director_to_withdraw_a_consent(world, student):
    consent = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)

    with pytest.raises(PermissionDenied):
        consent_withdraw(consent=consent, user=world.director_a, on=TODAY)

    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None
    assert not AuditEntry.objects.exists()


# Withdrawal and the lists ----------------------------------------------------------------


def test_it_takes_a_person_who_withdrew_out_of_the_list(world, student):
    classmate = PersonFactory(organization=world.school_a)
    consent = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)
    assert listed(world.curator_a) == {student.pk, classmate.pk}

    consent_withdraw(consent=consent, user=world.curator_a, on=TODAY)

    assert listed(world.curator_a) == {classmate.pk}
    assert listed(world.coordinator) == {classmate.pk}


def test_it_shows_those_who_withdrew_when_asked(world, student):
    classmate = PersonFactory(organization=world.school_a)
    consent = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)
    consent_withdraw(consent=consent, user=world.curator_a, on=TODAY)

    assert listed(world.curator_a, {"withdrawn": "only"}) == {student.pk}
    assert listed(world.curator_a, {"withdrawn": "all"}) == {student.pk, classmate.pk}


def test_it_keeps_a_person_out_while_another_kind_stays_active(world, student):
    ConsentFactory(person=student, kind=ConsentKind.PARENT, signed_on=LAST_MONTH, representative_name="Соколов А. И.")
    mentoring = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)

    consent_withdraw(consent=mentoring, user=world.curator_a, on=TODAY)

    assert student.pk not in listed(world.curator_a)


def test_it_brings_a_person_back_with_a_new_consent_of_the_same_kind(world, student):
    withdrawn = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)
    consent_withdraw(consent=withdrawn, user=world.curator_a, on=LAST_MONTH + datetime.timedelta(days=5))
    assert student.pk not in listed(world.curator_a)

    consent_save(consent=Consent(person=student, kind=ConsentKind.MENTORING, signed_on=TODAY), user=world.curator_a)

    assert student.pk in listed(world.curator_a)
    assert student.pk not in listed(world.curator_a, {"withdrawn": "only"})
    assert Consent.objects.filter(person=student).count() == 2


def test_it_does_not_bring_a_person_back_with_a_consent_of_another_kind(world, student):
    withdrawn = ConsentFactory(person=student, kind=ConsentKind.MENTORING, signed_on=LAST_MONTH)
    consent_withdraw(consent=withdrawn, user=world.curator_a, on=TODAY)

    consent_save(
        consent=Consent(
            person=student, kind=ConsentKind.PARENT, signed_on=TODAY, representative_name="Соколов Андрей Ильич"
        ),
        user=world.curator_a,
    )

    assert student.pk not in listed(world.curator_a)


# annotate_consent_state ------------------------------------------------------------------


def test_it_finds_a_minor_with_mentoring_and_parents_consent_complete(world, student):
    ConsentFactory(person=student, kind=ConsentKind.MENTORING)
    ConsentFactory(person=student, kind=ConsentKind.PARENT, representative_name="Соколов Андрей Ильич")

    state = consent_state(student)

    assert student.is_minor()
    assert state.lacks_consents is False
    assert state.consent_withdrawn is False


def test_it_finds_a_minor_without_the_parents_consent_incomplete(world, student):
    ConsentFactory(person=student, kind=ConsentKind.MENTORING)

    assert consent_state(student).lacks_consents is True


def test_it_does_not_take_a_minors_own_personal_data_consent_for_the_parents(world, student):
    ConsentFactory(person=student, kind=ConsentKind.MENTORING)
    ConsentFactory(person=student, kind=ConsentKind.PERSONAL_DATA)

    assert consent_state(student).lacks_consents is True


def test_it_finds_an_adult_with_mentoring_and_personal_data_consents_complete(world):
    teacher = TeacherFactory(organization=world.school_a)
    ConsentFactory(person=teacher, kind=ConsentKind.MENTORING)
    ConsentFactory(person=teacher, kind=ConsentKind.PERSONAL_DATA)

    assert not teacher.is_minor()
    assert consent_state(teacher).lacks_consents is False


def test_it_finds_an_adult_without_the_mentoring_consent_incomplete(world):
    teacher = TeacherFactory(organization=world.school_a)
    ConsentFactory(person=teacher, kind=ConsentKind.PERSONAL_DATA)

    assert consent_state(teacher).lacks_consents is True


def test_it_does_not_count_a_withdrawn_consent(world):
    teacher = TeacherFactory(organization=world.school_a)
    ConsentFactory(person=teacher, kind=ConsentKind.MENTORING)
    ConsentFactory(person=teacher, kind=ConsentKind.PERSONAL_DATA, withdrawn_on=TODAY)

    state = consent_state(teacher)

    assert state.lacks_consents is True
    assert state.consent_withdrawn is True


@pytest.mark.parametrize(("days_after_18th_birthday", "missing"), [(0, False), (-1, True)])
def test_it_counts_a_person_as_adult_from_their_18th_birthday(world, days_after_18th_birthday, missing):
    birth_date = years_ago(18, TODAY) - datetime.timedelta(days=days_after_18th_birthday)
    person = PersonFactory(organization=world.school_a, birth_date=birth_date, class_name="11А")
    ConsentFactory(person=person, kind=ConsentKind.MENTORING)
    ConsentFactory(person=person, kind=ConsentKind.PERSONAL_DATA)

    assert consent_state(person).lacks_consents is missing
    assert person.is_minor() is missing
    assert (person.required_consent_kinds() == {ConsentKind.MENTORING, ConsentKind.PERSONAL_DATA}) is not missing


def test_it_judges_age_at_the_date_asked(world, student):
    ConsentFactory(person=student, kind=ConsentKind.MENTORING)
    ConsentFactory(person=student, kind=ConsentKind.PERSONAL_DATA)
    twenty_years_on = years_ago(-20, TODAY)

    assert consent_state(student).lacks_consents is True
    assert consent_state(student, on=twenty_years_on).lacks_consents is False


def test_it_counts_people_in_a_base_without_the_consents_they_need(world):
    """The home page's «не хватает согласий»: people in a base only, each judged by their age."""
    incomplete_mentor = MentorRecordFactory(person=TeacherFactory(organization=world.school_a))
    ConsentFactory(person=incomplete_mentor.person, kind=ConsentKind.MENTORING)
    complete_mentor = MentorRecordFactory(person=TeacherFactory(organization=world.school_a))
    ConsentFactory(person=complete_mentor.person, kind=ConsentKind.MENTORING)
    ConsentFactory(person=complete_mentor.person, kind=ConsentKind.PERSONAL_DATA)
    incomplete_mentee = MenteeRecordFactory(person=PersonFactory(organization=world.school_a))
    ConsentFactory(person=incomplete_mentee.person, kind=ConsentKind.MENTORING)
    ConsentFactory(person=incomplete_mentee.person, kind=ConsentKind.PERSONAL_DATA)
    complete_mentee = MenteeRecordFactory(person=PersonFactory(organization=world.school_a))
    ConsentFactory(person=complete_mentee.person, kind=ConsentKind.MENTORING)
    ConsentFactory(person=complete_mentee.person, kind=ConsentKind.PARENT, representative_name="Родитель")
    PersonFactory(organization=world.school_a)  # in no base: needs no consents yet
    MentorRecordFactory(person=TeacherFactory(organization=world.school_b))  # another school

    summary = registry_summary(user=world.curator_a)

    assert summary["persons"] == 5
    assert summary["mentors"] == 2
    assert summary["mentees"] == 2
    assert summary["consents_missing"] == 2
    assert registry_summary(user=world.coordinator)["consents_missing"] == 3
