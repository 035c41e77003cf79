"""Russian search ignores case on both databases (core/filters.py SearchFilter, core/sqlite.py).

SQLite's own LIKE folds ASCII only; core.sqlite replaces it so that «соколова» finds
«Соколова» there as on PostgreSQL. The search box takes words in any order, and the LIKE
wildcards typed into it are plain characters.
"""

import pytest
from django.urls import reverse

from core.testing.factories import MenteeRecordFactory, MentorRecordFactory, PersonFactory, TeacherFactory
from registry.models import Person


@pytest.fixture
def people(world):
    return {
        "Соколова": PersonFactory(
            organization=world.school_a, last_name="Соколова", first_name="Мария", middle_name="Андреевна"
        ),
        "Ёлкин": PersonFactory(organization=world.school_a, last_name="Ёлкин", first_name="Пётр", middle_name="Ильич"),
        "Щукин": PersonFactory(
            organization=world.school_a, last_name="Щукин", first_name="Илья", middle_name="Юрьевич"
        ),
    }


def found(client, url_name, query) -> set[str]:
    """The surnames of `people` that the list page shows for the search `query`."""
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    return {surname for surname in ("Соколова", "Ёлкин", "Щукин") if surname in body}


@pytest.fixture
def curator_client(client, world):
    client.force_login(world.curator_a)
    return client


def test_it_lists_everyone_without_a_query(curator_client, people):
    assert found(curator_client, "registry:person_list", "") == {"Соколова", "Ёлкин", "Щукин"}


@pytest.mark.parametrize("query", ["соколова", "СОКОЛОВА", "сОкОлОвА", "  соколова  "])
def test_it_finds_a_person_by_surname_in_any_case(curator_client, people, query):
    assert found(curator_client, "registry:person_list", query) == {"Соколова"}


@pytest.mark.parametrize("query", ["мария соколова", "соколова мария", "МАР сокол"])
def test_it_finds_a_person_by_several_words_in_any_order(curator_client, people, query):
    assert found(curator_client, "registry:person_list", query) == {"Соколова"}


def test_it_needs_every_word_to_match(curator_client, people):
    assert found(curator_client, "registry:person_list", "соколова илья") == set()


def test_it_finds_a_surname_with_yo_typed_in_lower_case(curator_client, people):
    assert found(curator_client, "registry:person_list", "ёлкин") == {"Ёлкин"}
    assert found(curator_client, "registry:person_list", "пётр") == {"Ёлкин"}


def test_it_finds_by_part_of_a_surname_in_the_orm(people):
    assert set(Person.objects.filter(last_name__icontains="щук")) == {people["Щукин"]}
    assert set(Person.objects.filter(last_name__icontains="ЩУК")) == {people["Щукин"]}
    assert set(Person.objects.filter(last_name__istartswith="ёл")) == {people["Ёлкин"]}


def test_it_compares_whole_cyrillic_values_ignoring_case(people):
    assert set(Person.objects.filter(last_name__iexact="ЁЛКИН")) == {people["Ёлкин"]}
    assert set(Person.objects.filter(last_name__iexact="соколова")) == {people["Соколова"]}
    assert not Person.objects.filter(last_name__iexact="соколов").exists()


def test_it_keeps_exact_comparisons_case_sensitive(people):
    assert set(Person.objects.filter(last_name="Щукин")) == {people["Щукин"]}
    assert not Person.objects.filter(last_name="щукин").exists()


@pytest.mark.parametrize("query", ["%", "_", "%%", "С%а", "Щ_кин", "\\", "\\%"])
def test_it_takes_like_wildcards_as_plain_characters(curator_client, people, query):
    assert found(curator_client, "registry:person_list", query) == set()


def test_it_takes_like_wildcards_as_plain_characters_in_the_orm(people):
    assert not Person.objects.filter(last_name__icontains="%").exists()
    assert not Person.objects.filter(last_name__icontains="_").exists()
    assert not Person.objects.filter(last_name__iexact="Щ_кин").exists()


def test_it_finds_a_percent_sign_that_is_really_there(world, people):
    odd = PersonFactory(organization=world.school_a, last_name="Тестова", subjects="100% посещаемость")

    assert set(Person.objects.filter(subjects__icontains="0%")) == {odd}


def test_it_searches_only_within_the_users_scope(client, world, people):
    PersonFactory(organization=world.school_b, last_name="Соколова", first_name="Анна")
    client.force_login(world.curator_b)

    response = client.get(reverse("registry:person_list"), {"q": "соколова"})

    body = response.content.decode()
    assert "Соколова Анна" in body
    assert "Соколова Мария" not in body


def test_it_finds_a_mentor_by_a_lower_case_surname(curator_client, world):
    MentorRecordFactory(person=TeacherFactory(organization=world.school_a, last_name="Щукина", first_name="Ольга"))
    MentorRecordFactory(person=TeacherFactory(organization=world.school_a, last_name="Ёлкина", first_name="Дарья"))

    response = curator_client.get(reverse("registry:mentor_list"), {"q": "щукина"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Щукина Ольга" in body
    assert "Ёлкина Дарья" not in body


def test_it_finds_a_mentee_by_a_capitalised_surname(curator_client, world, people):
    MenteeRecordFactory(person=people["Ёлкин"])
    MenteeRecordFactory(person=people["Щукин"])

    response = curator_client.get(reverse("registry:mentee_list"), {"q": "ЁЛКИН"})

    body = response.content.decode()
    assert "Ёлкин Пётр" in body
    assert "Щукин" not in body
