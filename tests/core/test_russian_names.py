"""Russian text compared, sorted and printed the same way on both databases (core/russian.py,
core/db.py, core/sqlite.py): «ё» is read as «е» in search and identity, names sort in Russian
alphabetical order with numbers in natural order, and «№» stays with its number."""

import pytest
from django.urls import reverse

from core.russian import NBSP, fold, natural_key, typeset
from core.testing.factories import OrganizationFactory, PersonFactory
from registry.models import Organization, Person

# The pure functions ---------------------------------------------------------------------


def test_it_folds_case_and_yo():
    assert fold("Ёлкина") == fold("елкина") == fold("ЕЛКИНА") == "елкина"
    assert fold("Пётр") == "петр"


def test_it_orders_numbers_by_value_and_yo_among_ye():
    names = ["СОШ № 12", "СОШ № 1", "СОШ № 11", "СОШ № 2"]
    assert sorted(names, key=natural_key) == ["СОШ № 1", "СОШ № 2", "СОШ № 11", "СОШ № 12"]
    assert sorted(["Ёлкина", "Авдеева", "Жукова", "Егорова"], key=natural_key) == [
        "Авдеева",
        "Егорова",
        "Ёлкина",
        "Жукова",
    ]


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("МБОУ «СОШ № 9»", f"МБОУ «СОШ №{NBSP}9»"),
        ("МБОУ «СОШ №9»", f"МБОУ «СОШ №{NBSP}9»"),
        ("ООО «Агрохолдинг «Сибирь»»", "ООО «Агрохолдинг „Сибирь“»"),
        ("МАОУ «ЦО № 21 «Лидер»»", f"МАОУ «ЦО №{NBSP}21 „Лидер“»"),
        ("Гимназия", "Гимназия"),
        ("", ""),
    ],
)
def test_it_typesets_names(name, printed):
    assert typeset(name) == printed


def test_it_prints_an_organization_typeset_but_stores_it_as_typed(world):
    organization = OrganizationFactory(municipality=world.municipality, short_name="ООО «Агрохолдинг «Сибирь»»")
    assert str(organization) == "ООО «Агрохолдинг „Сибирь“»"
    assert Organization.objects.get(pk=organization.pk).short_name == "ООО «Агрохолдинг «Сибирь»»"


def test_it_keeps_the_number_sign_with_its_number_on_every_page(client, world):
    client.force_login(world.coordinator)
    body = client.get(reverse("registry:organization_list")).content.decode()
    assert f"СОШ №{NBSP}1" in body
    assert "СОШ № 1" not in body


# Sorting on the database ----------------------------------------------------------------


@pytest.fixture
def surnames(world):
    for surname in ("Жукова", "Ёлкина", "Авдеева", "Егорова", "елизарова"):
        PersonFactory(organization=world.school_a, last_name=surname, first_name="Анна", middle_name="Ивановна")


def test_it_sorts_surnames_in_russian_order_on_the_database(surnames):
    assert list(Person.objects.values_list("last_name", flat=True)) == [
        "Авдеева",
        "Егорова",
        "елизарова",
        "Ёлкина",
        "Жукова",
    ]


def test_it_sorts_the_people_list_by_name_in_russian_order(client, world, surnames):
    client.force_login(world.curator_a)
    for sort in ("full_name", "-full_name"):
        body = client.get(reverse("registry:person_list"), {"sort": sort}).content.decode()
        positions = [body.index(name) for name in ("Авдеева", "Егорова", "елизарова", "Ёлкина", "Жукова")]
        assert positions == sorted(positions, reverse=sort.startswith("-"))


def test_it_sorts_numbered_schools_in_natural_order(client, world):
    for number in (12, 11, 3, 10):
        OrganizationFactory(municipality=world.municipality, short_name=f"МБОУ «СОШ № {number}»")
    names = list(Organization.objects.filter(municipality=world.municipality).values_list("short_name", flat=True))
    assert names == [f"МБОУ «СОШ № {n}»" for n in (1, 2, 3, 10, 11, 12)]

    client.force_login(world.coordinator)
    body = client.get(reverse("registry:organization_list")).content.decode()
    positions = [body.index(f"СОШ №{NBSP}{n}»") for n in (1, 2, 3, 10, 11, 12)]
    assert positions == sorted(positions)


def test_it_sorts_classes_in_natural_order(world):
    for class_name in ("10А", "5Б", "11А", "9В"):
        PersonFactory(organization=world.school_a, class_name=class_name)
    ordered = list(Person.objects.order_by("class_name").values_list("class_name", flat=True))
    assert ordered == ["5Б", "9В", "10А", "11А"]


# Search folds «ё» -------------------------------------------------------------------------


@pytest.fixture
def yolkina_and_elkin(world):
    return (
        PersonFactory(organization=world.school_a, last_name="Ёлкина", first_name="Алёна", middle_name="Ивановна"),
        PersonFactory(organization=world.school_a, last_name="Елкин", first_name="Семен", middle_name="Ильич"),
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("елкина", {"Ёлкина"}),
        ("ЁЛКИНА", {"Ёлкина"}),
        ("ёлкин", {"Ёлкина", "Елкин"}),
        ("алена", {"Ёлкина"}),
        ("семён", {"Елкин"}),
    ],
)
def test_it_reads_yo_as_ye_in_the_search_box(client, world, yolkina_and_elkin, query, expected):
    client.force_login(world.curator_a)
    body = client.get(reverse("registry:person_list"), {"q": query}).content.decode()
    assert {name for name in ("Ёлкина", "Елкин") if f">{name} " in body} == expected


def test_it_reads_yo_as_ye_in_the_admins_search(admin_client, yolkina_and_elkin):
    body = admin_client.get(reverse("admin:registry_person_changelist"), {"q": "елкина"}).content.decode()
    assert "Ёлкина Алёна" in body
    assert "Елкин Семен" not in body


def test_it_reads_yo_as_ye_in_a_related_search(world, yolkina_and_elkin):
    from registry.models import Consent

    assert Person.objects.filter(last_name__icontains="ёлк").count() == 2
    assert Consent.objects.filter(person__last_name__icontains="ёлк").count() == 0
