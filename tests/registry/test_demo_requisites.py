"""The demo's requisites for documents and its logins' full names and positions (issue 10)."""

import pytest
from django.contrib.auth import get_user_model

from core.models import Profile
from core.profiles import full_name, position_of
from registry import demo
from registry.choices import DateStyle, OrderKind, OrganizationKind
from registry.models import Municipality

pytestmark = pytest.mark.django_db

POSITIONS = {
    "coordinator": "главный специалист управления образования",
    "curator1": "заместитель директора по УВР",
    "curator2": "заместитель директора по УВР",
    "director1": "директор",
}


def users():
    return {user.username: user for user in get_user_model().objects.filter(username__in=demo.DEMO_LOGINS)}


def test_it_fills_the_requisites_and_the_logins_profiles():
    demo.load_demo(scale=0.05)
    municipality = Municipality.objects.get(name=demo.DEMO_MUNICIPALITY)
    assert (municipality.place, municipality.order_number_pattern) == ("г. Назарово", "{n}-о")
    assert (municipality.order_kind, municipality.date_style) == (OrderKind.ORDER, DateStyle.WORDS)
    assert municipality.format_order_number(122, 2020) == "122-о"
    municipality.full_clean()  # the head's name is given in full
    schools = municipality.organizations.filter(kind=OrganizationKind.SCHOOL)
    assert {(school.place, school.order_number_pattern) for school in schools} == {("г. Назарово", "{n}-ОД")}
    for school in schools:
        school.full_clean()
    logins = users()
    assert {name: position_of(user) for name, user in logins.items()} == POSITIONS
    assert full_name(logins["coordinator"]) == "Воронцова Наталья Дмитриевна"
    assert full_name(logins["curator1"]) == "Белова Ольга Сергеевна"
    director = logins["director1"]
    assert full_name(director) == schools.get(role_assignments__user=director).director_name


def test_it_fills_an_older_demo_once_and_keeps_the_coordinators_edits():
    demo.load_demo(scale=0.05)
    municipality = Municipality.objects.get(name=demo.DEMO_MUNICIPALITY)
    # As a demo loaded before issue 10: no requisites, «Имя Отчество» in the first name, no profiles.
    Municipality.objects.filter(pk=municipality.pk).update(place="", order_number_pattern="{n}")
    municipality.organizations.update(place="", order_number_pattern="{n}")
    Profile.objects.all().delete()
    coordinator = users()["coordinator"]
    coordinator.first_name = "Наталья Дмитриевна"
    coordinator.save()
    first, second = municipality.organizations.filter(kind=OrganizationKind.SCHOOL).order_by("pk")[:2]
    municipality.organizations.filter(pk=second.pk).update(order_number_pattern="{year}/{n}")  # a coordinator's edit

    assert demo.fill_demo_requisites(municipality) is True
    municipality.refresh_from_db()
    assert (municipality.place, municipality.order_number_pattern) == ("г. Назарово", "{n}-о")
    assert municipality.organizations.get(pk=first.pk).order_number_pattern == "{n}-ОД"
    assert municipality.organizations.get(pk=second.pk).order_number_pattern == "{year}/{n}"
    logins = users()
    assert full_name(logins["coordinator"]) == "Воронцова Наталья Дмитриевна"
    assert logins["coordinator"].first_name == "Наталья"
    assert {name: position_of(user) for name, user in logins.items()} == POSITIONS
    assert demo.fill_demo_requisites(municipality) is False  # idempotent
