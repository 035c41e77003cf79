"""One identity for a person in the service and in the database (ISSUE: «МакЛейн» and «Маклейн»
posted at once made two people): name with case and «ё» folded, birth date, organization.

The unique index person_identity_folded_unique holds the same identity as
`registry.services.person_identity`, so a write that slips past the service's check in a race is
refused by the database and turned into the usual form error — never a 500 (core.services
`lost_race_error`). The same holds for every unique rule of the registry."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from core.testing.factories import ContingentFactory, OrganizationFactory, PersonFactory
from registry import services
from registry.choices import PersonCategory, Sex
from registry.models import Contingent, MentorRecord, Organization, Person

BIRTH_DATE = datetime.date(2011, 3, 14)


def new_person(organization, **values) -> Person:
    fields = {
        "last_name": "МакЛейн",
        "first_name": "Алёна",
        "middle_name": "Игоревна",
        "sex": Sex.FEMALE,
        "birth_date": BIRTH_DATE,
        "organization": organization,
        "category": PersonCategory.STUDENT,
    }
    fields.update(values)
    return Person(**fields)


def form_data(organization, **values) -> dict:
    data = {
        "last_name": "МакЛейн",
        "first_name": "Алёна",
        "middle_name": "Игоревна",
        "sex": "f",
        "birth_date": BIRTH_DATE.isoformat(),
        "organization": organization.pk,
        "category": "student",
        "class_name": "7А",
    }
    data.update(values)
    return data


@pytest.mark.parametrize(
    "spelling",
    [{"last_name": "Маклейн"}, {"last_name": "МАКЛЕЙН"}, {"first_name": "Алена"}, {"middle_name": "игоревна"}],
)
def test_it_finds_the_same_person_in_another_spelling(world, spelling):
    existing = services.person_save(person=new_person(world.school_a), user=world.curator_a)

    with pytest.raises(ValidationError) as error:
        services.person_save(person=new_person(world.school_a, **spelling), user=world.curator_a)

    assert error.value.error_list[0].code == "duplicate"
    assert f"запись № {existing.pk}" in error.value.messages[0]


@pytest.mark.parametrize("spelling", [{"last_name": "Маклейн"}, {"first_name": "Алена"}])
def test_it_makes_the_database_refuse_the_same_identity_in_another_spelling(world, spelling):
    PersonFactory(**{**form_data(world.school_a), "organization": world.school_a, "birth_date": BIRTH_DATE})

    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(
            **{**form_data(world.school_a), **spelling, "organization": world.school_a, "birth_date": BIRTH_DATE}
        )


def test_it_lets_the_database_keep_namesakes_apart(world):
    """Another birth date or another school is another person, for the index as for the service."""
    PersonFactory(last_name="Маклейн", first_name="Алёна", birth_date=BIRTH_DATE, organization=world.school_a)
    PersonFactory(last_name="Маклейн", first_name="Алёна", birth_date=BIRTH_DATE, organization=world.school_b)
    PersonFactory(
        last_name="Маклейн", first_name="Алёна", birth_date=BIRTH_DATE.replace(day=15), organization=world.school_a
    )
    assert Person.objects.filter(last_name="Маклейн").count() == 3


@pytest.fixture
def lost_race(world, monkeypatch):
    """Маклейн Алёна is saved by «another request» between the checks and the save: the service's
    duplicate check misses her once, and so does the model's constraint check (her row was not
    committed yet). Returns the calls of the duplicate check and the person already there."""
    existing = PersonFactory(
        last_name="Маклейн",
        first_name="Алёна",
        middle_name="Игоревна",
        birth_date=BIRTH_DATE,
        organization=world.school_a,
    )
    real_find = services.person_find_duplicate
    calls = []

    def miss_once(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real_find(**kwargs)

    monkeypatch.setattr(services, "person_find_duplicate", miss_once)
    monkeypatch.setattr(Person, "validate_constraints", lambda self, exclude=None: None)
    return calls, existing


def test_it_turns_a_lost_race_into_the_services_message(world, lost_race):
    """The service's check passed (the other request had not saved yet); the index refuses the row."""
    calls, existing = lost_race

    with pytest.raises(ValidationError) as error:
        services.person_save(person=new_person(world.school_a), user=world.curator_a)

    assert len(calls) == 2, "the check ran again after the database refused the row"
    assert error.value.error_list[0].code == "duplicate"
    assert f"запись № {existing.pk}" in error.value.messages[0]
    assert Person.objects.count() == 1


def test_it_shows_a_lost_race_as_a_form_error(client, world, lost_race):
    client.force_login(world.curator_a)

    response = client.post(reverse("registry:person_create"), form_data(world.school_a))

    assert response.status_code == 200
    assert "Такой человек уже есть: Маклейн Алёна Игоревна" in response.content.decode()
    assert Person.objects.count() == 1


def test_it_refuses_an_organization_named_again_in_another_case(world):
    OrganizationFactory(municipality=world.municipality, short_name="МБОУ «Гимназия № 2»")
    with pytest.raises(ValidationError) as error:
        services.organization_save(
            organization=Organization(municipality=world.municipality, short_name="мбоу «гимназия № 2»", full_name="x"),
            user=world.coordinator,
        )
    assert error.value.messages == ["Организация с таким кратким наименованием уже есть в муниципалитете."]


def test_it_turns_a_lost_race_of_any_unique_rule_into_its_message(world, monkeypatch):
    """The model's checks passed before the other request saved; the index refuses the row and the
    message is the constraint's own, as if the user had come second."""
    from django.db.models import Model

    OrganizationFactory(municipality=world.municipality, short_name="МБОУ «Гимназия № 2»")
    monkeypatch.setattr(
        Organization, "full_clean", lambda self, **kwargs: Model.full_clean(self, validate_constraints=False)
    )

    with pytest.raises(ValidationError) as error:
        services.organization_save(
            organization=Organization(municipality=world.municipality, short_name="МБОУ «ГИМНАЗИЯ № 2»", full_name="x"),
            user=world.coordinator,
        )

    assert error.value.messages == ["Организация с таким кратким наименованием уже есть в муниципалитете."]
    assert Organization.objects.filter(municipality=world.municipality).count() == 3


def test_it_refuses_a_second_contingent_of_the_same_year_with_a_message(world):
    ContingentFactory(organization=world.school_a, year_start=2025)
    with pytest.raises(ValidationError) as error:
        services.contingent_save(
            contingent=Contingent(organization=world.school_a, year_start=2025), user=world.curator_a
        )
    assert "уже внесён" in " ".join(error.value.messages)


def test_it_refuses_a_second_entry_of_a_person_into_a_base_with_a_message(world):
    person = PersonFactory(organization=world.school_a)
    MentorRecord.objects.create(person=person)
    with pytest.raises(ValidationError) as error:
        services.mentor_record_save(record=MentorRecord(person=person), user=world.curator_a)
    assert "уже в базе наставников" in " ".join(error.value.messages)


@pytest.mark.django_db(transaction=True)
def test_it_answers_two_simultaneous_posts_of_one_person_with_a_redirect_and_a_form_error(world, monkeypatch):
    """Both requests pass the service's duplicate check before either saves (a barrier makes sure),
    then both insert: the database lets one through and refuses the other, which reads the form error."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE): there is no race to lose")
    barrier = threading.Barrier(2, timeout=10)
    real_validate = services.person_validate

    waited = threading.local()

    def validate_then_wait(*, person):
        real_validate(person=person)
        if not getattr(waited, "done", False):  # only the first check of each request waits
            waited.done = True
            barrier.wait()

    monkeypatch.setattr(services, "person_validate", validate_then_wait)
    results = {}

    def post(name, spelling):
        try:
            client = Client()
            client.force_login(world.curator_a)
            response = client.post(reverse("registry:person_create"), form_data(world.school_a, last_name=spelling))
            results[name] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n, s)) for n, s in (("a", "МакЛейн"), ("b", "Маклейн"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = sorted(code for code, _ in results.values())
    assert codes == [200, 302]
    refused = next(body for code, body in results.values() if code == 200)
    assert "Такой человек уже есть" in refused
    assert Person.objects.filter(birth_date=BIRTH_DATE).count() == 1
