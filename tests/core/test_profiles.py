"""Role holders' full names and positions (issue 10): the profile, the service, «Мой профиль» and the
coordinator's «Пользователи»."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import AuditAction, Role
from core.models import AuditEntry, Profile
from core.profiles import full_name, position_of, profile_of, role_holders, short_name, signature
from core.russian import NBSP
from core.services import profile_save
from core.testing.factories import OrganizationFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def name(user, last, first, middle="", position=""):
    profile_save(holder=user, user=None, last_name=last, first_name=first, middle_name=middle, position=position)
    user.refresh_from_db()
    return user


# The profile and the names ----------------------------------------------------------------------


def test_it_makes_the_profile_when_first_needed(world):
    user = world.curator_a
    assert not Profile.objects.filter(user=user).exists()
    assert full_name(user) == user.username  # reading makes nothing
    assert not Profile.objects.filter(user=user).exists()
    profile = profile_of(user)
    assert profile.pk and profile_of(user) == profile
    assert Profile.objects.filter(user=user).count() == 1


def test_it_names_a_holder_in_full_with_initials_and_for_a_signature(world):
    user = name(world.curator_a, "Белова", "Ольга", "Сергеевна", "заместитель директора по УВР")
    assert full_name(user) == "Белова Ольга Сергеевна"
    assert short_name(user) == f"Белова О.{NBSP}С."
    assert signature(user) == f"О.{NBSP}С.{NBSP}Белова"
    assert position_of(user) == "заместитель директора по УВР"


def test_it_names_a_holder_without_a_patronymic(world):
    user = name(world.observer, "Ким", "Ен")
    assert full_name(user) == "Ким Ен"
    assert signature(user) == f"Е.{NBSP}Ким"


# The service ------------------------------------------------------------------------------------


def test_it_saves_the_names_squeezed_and_journals_the_change(world):
    user = world.curator_a
    profile_save(
        holder=user, user=user, last_name=" Белова ", first_name="Ольга", middle_name="Сергеевна  ", position="  завуч "
    )
    user.refresh_from_db()
    assert (user.last_name, user.first_name, user.profile.middle_name, user.profile.position) == (
        "Белова",
        "Ольга",
        "Сергеевна",
        "завуч",
    )
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(user.pk))
    assert entry.actor == user
    assert entry.changes["Отчество"] == [None, "Сергеевна"]


def test_it_journals_nothing_when_nothing_changed(world):
    user = name(world.curator_a, "Белова", "Ольга")
    count = AuditEntry.objects.count()
    profile_save(holder=user, user=user, last_name="Белова", first_name="Ольга")
    assert AuditEntry.objects.count() == count


def test_it_requires_the_surname_and_the_first_name_in_russian(world):
    with pytest.raises(ValidationError) as error:
        profile_save(holder=world.curator_a, user=world.curator_a, last_name=" ", first_name="")
    assert set(error.value.message_dict) == {"last_name", "first_name"}
    assert "Укажите фамилию" in error.value.message_dict["last_name"][0]


@pytest.mark.parametrize(
    ("actor", "holder", "allowed"),
    [
        ("curator_a", "curator_a", True),
        ("coordinator", "curator_a", True),
        ("coordinator", "director_a", True),
        ("coordinator", "observer", True),
        ("observer", "curator_a", False),
        ("curator_a", "director_a", False),
        ("coordinator_elsewhere", "curator_a", False),
        ("coordinator", "coordinator_elsewhere", False),
    ],
)
def test_it_lets_the_holder_and_their_coordinator_change_the_names(world, actor, holder, allowed):
    target = getattr(world, holder)
    call = lambda: profile_save(holder=target, user=getattr(world, actor), last_name="Новикова", first_name="Анна")  # noqa: E731
    if allowed:
        call()
        target.refresh_from_db()
        assert target.last_name == "Новикова"
    else:
        with pytest.raises(PermissionDenied):
            call()


# «Мой профиль» ----------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["coordinator", "observer", "curator_a", "director_a", "coordinator_elsewhere"])
def test_it_lets_everyone_edit_their_own_profile(client, world, actor):
    user = getattr(world, actor)
    client.force_login(user)
    assert client.get(reverse("profile")).status_code == 200
    response = client.post(
        reverse("profile"),
        {"last_name": "Ёлкина", "first_name": "Дарья", "middle_name": "Игоревна", "position": "методист"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert full_name(user) == "Ёлкина Дарья Игоревна" and position_of(user) == "методист"


def test_it_shows_the_profile_errors_on_the_form(client, world):
    client.force_login(world.curator_a)
    response = client.post(reverse("profile"), {"last_name": "", "first_name": "Дарья"})
    assert response.status_code == 200
    assert "Обязательное поле" in response.content.decode()


def test_it_links_the_profile_from_the_user_menu(client, world):
    client.force_login(world.curator_a)
    page = client.get(reverse("home")).content.decode()
    assert reverse("profile") in page
    assert reverse("registry:municipality_list") not in page  # the municipality's requisites are not a curator's


# «Пользователи» ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "listing", "edit"),
    [
        ("coordinator", 200, 200),
        ("observer", 200, 403),
        ("curator_a", 200, 404),
        ("director_a", 200, 404),
        ("coordinator_elsewhere", 200, 404),
    ],
)
def test_it_answers_the_users_pages_by_role(client, world, actor, listing, edit):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("user_list")).status_code == listing
    url = reverse("user_update", args=[world.curator_b.pk])
    assert client.get(url).status_code == edit
    if edit != 200:
        assert client.post(url, {"last_name": "Взлом", "first_name": "Взлом"}).status_code == edit
        world.curator_b.refresh_from_db()
        assert world.curator_b.last_name != "Взлом"


def test_it_lists_the_role_holders_of_the_municipality_only(world):
    outsider = user_with_role(Role.CURATOR, world.school_elsewhere)
    listed = set(role_holders(world.coordinator))
    assert listed == {
        world.curator_a,
        world.director_a,
        world.curator_b,
        world.coordinator,
        world.observer,
    }
    assert outsider not in listed and world.coordinator_elsewhere not in listed
    # A curator reads their school's holders: their colleagues, not the municipality's.
    assert set(role_holders(world.curator_a)) == {world.curator_a, world.director_a}


def test_it_shows_only_the_roles_held_here(world):
    both = user_with_role(Role.OBSERVER, world.municipality)
    from core.models import RoleAssignment

    RoleAssignment.objects.create(user=both, role=Role.OBSERVER, municipality=world.other_municipality)
    listed = {user.pk: user for user in role_holders(world.coordinator)}
    assert [a.municipality for a in listed[both.pk].role_assignments.all()] == [world.municipality]


def test_it_lists_names_positions_roles_and_places(client, world):
    name(world.curator_a, "Белова", "Ольга", "Сергеевна", "заместитель директора по УВР")
    client.force_login(world.coordinator)
    page = client.get(reverse("user_list")).content.decode()
    assert "Белова Ольга Сергеевна" in page
    assert "заместитель директора по УВР" in page
    assert f"Куратор ЦМН: {world.school_a}" in page
    assert reverse("user_update", args=[world.curator_a.pk]) in page
    client.force_login(world.observer)
    page = client.get(reverse("user_list")).content.decode()
    assert "Белова Ольга Сергеевна" in page
    assert reverse("user_update", args=[world.curator_a.pk]) not in page  # observers read
    client.force_login(world.curator_a)
    page = client.get(reverse("user_list")).content.decode()
    assert str(world.director_a.username) in page and world.curator_b.username not in page
    assert reverse("user_update", args=[world.director_a.pk]) not in page


def test_it_forbids_a_curator_to_change_a_colleague(client, world):
    client.force_login(world.curator_a)
    url = reverse("user_update", args=[world.director_a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"last_name": "Взлом", "first_name": "Взлом"}).status_code == 403


@pytest.mark.parametrize("query", ["белова", "БЕЛОВА", "сергеевна", "заместитель увр", "ольга белова"])
def test_it_finds_users_by_russian_words_in_any_case(client, world, query):
    name(world.curator_a, "Белова", "Ольга", "Сергеевна", "заместитель директора по УВР")
    name(world.curator_b, "Ёлкина", "Дарья", "Игоревна", "учитель")
    client.force_login(world.coordinator)
    response = client.get(reverse("user_list"), {"q": query})
    rows = list(response.context["table"].page.object_list)
    assert [row.record for row in rows] == [world.curator_a]


def test_it_finds_yo_by_ye(client, world):
    name(world.curator_b, "Ёлкина", "Дарья")
    client.force_login(world.coordinator)
    response = client.get(reverse("user_list"), {"q": "елкина"})
    assert [row.record for row in response.context["table"].page.object_list] == [world.curator_b]


def test_it_filters_users_by_role(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("user_list"), {"role": Role.CURATOR})
    assert {row.record for row in response.context["table"].page.object_list} == {world.curator_a, world.curator_b}


def test_it_pages_the_users_list(client, world):
    for number in range(30):
        user = user_with_role(Role.CURATOR, OrganizationFactory(municipality=world.municipality))
        name(user, f"Иванова{number:02}", "Анна")
    client.force_login(world.coordinator)
    first = client.get(reverse("user_list"))
    assert len(first.context["table"].page.object_list) == 25
    second = client.get(reverse("user_list"), {"page": 2})
    assert len(second.context["table"].page.object_list) == 35 - 25


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_keeps_the_users_list_queries_constant(client, world):
    client.force_login(world.coordinator)
    url = reverse("user_list")
    client.get(url)  # sessions, content types: warm
    few = _queries(client, url)
    for _number in range(15):
        user = user_with_role(Role.CURATOR, OrganizationFactory(municipality=world.municipality))
        name(user, "Петрова", "Анна", "Ивановна", "учитель")
        user_with_role(Role.DIRECTOR, OrganizationFactory(municipality=world.municipality))
    assert _queries(client, url) == few


def test_it_saves_a_holders_names_from_the_coordinators_page(client, world):
    client.force_login(world.coordinator)
    url = reverse("user_update", args=[world.director_a.pk])
    response = client.post(
        url, {"last_name": "Гаврилова", "first_name": "Светлана", "middle_name": "Владимировна", "position": "директор"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("user_list")
    world.director_a.refresh_from_db()
    assert full_name(world.director_a) == "Гаврилова Светлана Владимировна"
    assert world.director_a.check_password("pass-for-tests-1")  # the password is not the coordinator's


def test_it_lets_staff_see_every_user(client, world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert set(role_holders(admin)) >= {world.curator_a, world.coordinator_elsewhere}
