"""Requisites for documents (issue 10): the municipality's page, the organization's «Для документов»,
the number pattern, the date style and the signatory's name (seeds 000, 004)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.choices import AuditAction
from core.models import AuditEntry
from core.russian import NBSP
from registry import services
from registry.choices import DateStyle, OrderKind
from registry.forms import MunicipalityForm, OrganizationForm
from registry.models import Municipality, Organization, validate_full_name, validate_order_number_pattern

pytestmark = pytest.mark.django_db

MUNICIPALITY_POST = {
    "authority_name": "Управление образования администрации г. Назарово",
    "address": "662200, г. Назарово, ул. Карла Маркса, 40",
    "phone": "8 (39155) 5-70-56",
    "email": "uo@nazarovo.example",
    "okpo": "12345678",
    "ogrn": "1022401588550",
    "inn": "2456001234",
    "kpp": "245601001",
    "head_name": "Гаврилова Светлана Владимировна",
    "head_position": "Начальник управления образования",
    "place": "г. Назарово",
    "order_kind": OrderKind.ORDER,
    "date_style": DateStyle.WORDS,
    "order_number_pattern": "{n}-о",
}


# The number pattern, the date, the signatory ---------------------------------------------------


@pytest.mark.parametrize("pattern", ["{n}", "{n}-о", "{n}-ОД", "{year}/{n}", "01-06/{n}"])
def test_it_accepts_patterns_with_the_running_number(pattern):
    validate_order_number_pattern(pattern)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("122-о", "нет «{n}»"),
        ("{year}-о", "нет «{n}»"),
        ("{num}-о", "неизвестная подстановка «{num}»"),
        ("{n:03}", "неизвестная подстановка"),
        ("{}", "неизвестная подстановка"),
        ("{n", "не разобрать"),
        ("n}", "не разобрать"),
    ],
)
def test_it_refuses_patterns_without_the_number_in_russian(pattern, message):
    with pytest.raises(ValidationError) as error:
        validate_order_number_pattern(pattern)
    assert message in error.value.messages[0]


def test_it_numbers_and_dates_orders_as_the_body_prefers(world):
    municipality = world.municipality
    municipality.order_number_pattern = "{n}-о"
    assert municipality.format_order_number(122, 2020) == "122-о"
    municipality.order_number_pattern = "{year}/{n}"
    assert municipality.format_order_number(5, 2023) == "2023/5"
    day = datetime.date(2020, 5, 26)
    municipality.date_style = DateStyle.WORDS
    assert municipality.format_order_date(day) == "«26» мая 2020 г."
    municipality.date_style = DateStyle.DIGITS
    assert municipality.format_order_date(datetime.date(2023, 2, 17)) == "17.02.2023"


def test_it_calls_a_schools_act_a_prikaz_and_the_municipalitys_as_set(world):
    assert world.school_a.order_kind_label == "ПРИКАЗ"
    world.municipality.order_kind = OrderKind.DIRECTIVE
    assert world.municipality.order_kind_label == "РАСПОРЯЖЕНИЕ"
    assert Municipality().order_kind == OrderKind.ORDER


def test_it_prints_the_signatory_with_initials_before_the_surname(world):
    school = world.school_a
    school.director_name, school.director_position = "Гаврилова Светлана Владимировна", "Директор"
    assert school.signatory == f"Директор С.{NBSP}В.{NBSP}Гаврилова"
    municipality = world.municipality
    municipality.head_name, municipality.head_position = "Кузюкова Ирина Александровна", "Начальник управления"
    assert municipality.signatory == f"Начальник управления И.{NBSP}А.{NBSP}Кузюкова"


@pytest.mark.parametrize(
    "name",
    ["Гаврилова Светлана Владимировна", "Римский-Корсаков Николай Андреевич", "Алиев Руслан Эльдар оглы", "Ким Ен"],
)
def test_it_accepts_full_names(name):
    validate_full_name(name)


@pytest.mark.parametrize("name", ["Гаврилова С. В.", "Гаврилова С.В.", "С. В. Гаврилова", "Гаврилова", "Гаврилова 1"])
def test_it_refuses_initials_for_a_signatory(name):
    with pytest.raises(ValidationError) as error:
        validate_full_name(name)
    assert "полностью" in error.value.messages[0]


# Services -----------------------------------------------------------------------------------


def test_it_saves_the_municipalitys_requisites_and_journals_them(world):
    municipality = world.municipality
    municipality.place, municipality.order_kind = "г. Саянск", OrderKind.DIRECTIVE
    municipality.head_name = "  Кузюкова   Ирина Александровна "
    services.municipality_save(municipality=municipality, user=world.coordinator)
    municipality.refresh_from_db()
    assert (municipality.place, municipality.order_kind) == ("г. Саянск", OrderKind.DIRECTIVE)
    assert municipality.head_name == "Кузюкова Ирина Александровна"
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(municipality.pk))
    assert entry.actor == world.coordinator
    assert entry.changes["вид распорядительного акта"] == ["ПРИКАЗ", "РАСПОРЯЖЕНИЕ"]


@pytest.mark.parametrize("actor", ["observer", "curator_a", "director_a", "coordinator_elsewhere"])
def test_it_lets_only_the_coordinator_change_the_municipality(world, actor):
    municipality = world.municipality
    municipality.place = "г. Ачинск"
    with pytest.raises(PermissionDenied):
        services.municipality_save(municipality=municipality, user=getattr(world, actor))
    assert Municipality.objects.get(pk=municipality.pk).place == ""


def test_it_refuses_a_pattern_without_the_number_in_the_service(world):
    municipality = world.municipality
    municipality.order_number_pattern = "122-о"
    with pytest.raises(ValidationError) as error:
        services.municipality_save(municipality=municipality, user=world.coordinator)
    assert "order_number_pattern" in error.value.message_dict


def test_it_lets_the_director_change_the_requisites_only(world):
    school = Organization.objects.get(pk=world.school_a.pk)
    school.place, school.order_number_pattern = "г. Назарово", "{n}-ОД"
    services.organization_requisites_save(organization=school, user=world.director_a)
    school.refresh_from_db()
    assert (school.place, school.order_number_pattern) == ("г. Назарово", "{n}-ОД")
    assert AuditEntry.objects.filter(actor=world.director_a, object_id=str(school.pk)).exists()
    school.short_name = "МБОУ «СОШ № 99»"
    with pytest.raises(PermissionDenied):
        services.organization_requisites_save(organization=school, user=world.director_a)
    assert Organization.objects.get(pk=school.pk).short_name == "МБОУ «СОШ № 1»"


@pytest.mark.parametrize("actor", ["observer", "curator_b", "coordinator_elsewhere"])
def test_it_refuses_the_requisites_to_others(world, actor):
    school = Organization.objects.get(pk=world.school_a.pk)
    school.place = "г. Ачинск"
    with pytest.raises(PermissionDenied):
        services.organization_requisites_save(organization=school, user=getattr(world, actor))


def test_it_lets_the_curator_change_the_requisites_through_the_organization_form(world):
    school = Organization.objects.get(pk=world.school_a.pk)
    school.place, school.date_style = "г. Назарово", DateStyle.DIGITS
    services.organization_save(organization=school, user=world.curator_a)
    assert Organization.objects.get(pk=school.pk).date_style == DateStyle.DIGITS


# Forms ------------------------------------------------------------------------------------------


def test_it_shows_the_pattern_error_on_the_municipality_form(world):
    form = MunicipalityForm(
        {**MUNICIPALITY_POST, "order_number_pattern": "№ 5"}, instance=world.municipality, user=world.coordinator
    )
    assert not form.is_valid()
    assert "нет «{n}»" in form.errors["order_number_pattern"][0]


def test_it_groups_the_organizations_document_fields(world):
    form = OrganizationForm(instance=world.school_a, user=world.curator_a)
    html = str(form.helper.layout.fields[-1].legend)
    assert html == "Для документов"
    assert form.helper.layout.fields[-1].fields == [
        "director_name",
        "director_position",
        "place",
        "date_style",
        "order_number_pattern",
    ]


# Pages -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "detail", "edit"),
    [
        ("coordinator", 200, 200),
        ("observer", 200, 403),
        ("curator_a", 404, 404),
        ("director_a", 404, 404),
        ("coordinator_elsewhere", 404, 404),
    ],
)
def test_it_answers_the_municipality_pages_by_role(client, world, actor, detail, edit):
    client.force_login(getattr(world, actor))
    pk = world.municipality.pk
    assert client.get(reverse("registry:municipality_detail", args=[pk])).status_code == detail
    assert client.get(reverse("registry:municipality_update", args=[pk])).status_code == edit
    if edit != 200:
        assert client.post(reverse("registry:municipality_update", args=[pk]), MUNICIPALITY_POST).status_code == edit
        assert Municipality.objects.get(pk=pk).place == ""


def test_it_saves_the_municipality_from_its_page(client, world):
    client.force_login(world.coordinator)
    url = reverse("registry:municipality_update", args=[world.municipality.pk])
    response = client.post(url, MUNICIPALITY_POST)
    assert response.status_code == 302
    municipality = Municipality.objects.get(pk=world.municipality.pk)
    assert (municipality.place, municipality.order_number_pattern) == ("г. Назарово", "{n}-о")
    page = client.get(response["Location"]).content.decode()
    assert "Реквизиты сохранены." in page
    assert "1-о" in page and "ПРИКАЗ" in page


def test_it_shows_the_pattern_error_on_the_page(client, world):
    client.force_login(world.coordinator)
    url = reverse("registry:municipality_update", args=[world.municipality.pk])
    response = client.post(url, {**MUNICIPALITY_POST, "order_number_pattern": "{num}"})
    assert response.status_code == 200
    assert "неизвестная подстановка" in response.content.decode()


def test_it_takes_the_coordinator_from_the_list_to_their_municipality(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("registry:municipality_list"))
    assert response.status_code == 302
    assert response["Location"] == world.municipality.get_absolute_url()
    client.force_login(world.curator_a)
    assert client.get(reverse("registry:municipality_list")).status_code == 404


def test_it_links_the_requisites_from_the_menu_and_the_organizations(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("registry:organization_list")).content.decode()
    assert page.count(reverse("registry:municipality_list")) == 2  # the user menu and the list
    client.force_login(world.curator_a)
    page = client.get(reverse("registry:organization_list")).content.decode()
    assert reverse("registry:municipality_list") not in page


def test_it_lets_the_director_save_the_requisites_from_the_organization_page(client, world):
    client.force_login(world.director_a)
    detail = client.get(world.school_a.get_absolute_url()).content.decode()
    assert "Изменить реквизиты" in detail
    url = reverse("registry:organization_update", args=[world.school_a.pk])
    response = client.post(
        url,
        {
            "director_name": "Гаврилова Светлана Владимировна",
            "director_position": "Директор",
            "place": "г. Назарово",
            "date_style": DateStyle.DIGITS,
            "order_number_pattern": "{n}-ОД",
            "short_name": "Взлом",
        },
    )
    assert response.status_code == 302
    school = Organization.objects.get(pk=world.school_a.pk)
    assert (school.director_name, school.order_number_pattern) == ("Гаврилова Светлана Владимировна", "{n}-ОД")
    assert school.short_name == "МБОУ «СОШ № 1»"  # not a field of the director's form


def test_it_refuses_initials_on_the_organization_form(client, world):
    client.force_login(world.curator_a)
    url = reverse("registry:organization_update", args=[world.school_a.pk])
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields if name != "municipality"}
    data.update(director_name="Гаврилова С. В.", date_style=DateStyle.WORDS, order_number_pattern="{n}")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "без инициалов" in response.content.decode()


def test_it_saves_the_municipality_in_the_admin_through_the_service(client, world):
    from core.testing.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:registry_municipality_change", args=[world.municipality.pk])
    data = {**MUNICIPALITY_POST, "name": world.municipality.name, "region": world.municipality.region}
    response = client.post(url, {**data, "order_number_pattern": "122"})
    assert response.status_code == 200 and "нет «{n}»" in response.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(world.municipality.pk))
    assert entry.actor == admin and entry.changes["место издания"] == [None, "г. Назарово"]


def test_it_shows_the_profile_in_the_admin(client, world):
    from core.testing.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:auth_user_change", args=[world.curator_a.pk])).content.decode()
    assert "Отчество" in page and "Должность" in page
