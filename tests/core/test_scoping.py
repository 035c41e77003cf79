"""The one scoping entry point (core/scoping.py): what each actor may see and change.

docs/product.md «Who uses it»: a coordinator reads and writes their municipality, an observer reads
it, a curator reads and writes their organization, a director reads it; staff see everything.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.scoping import can_write, forget_scope, get_scope
from core.testing.factories import ConsentFactory, PersonFactory, Role, UserFactory, user_with_role
from registry.models import Consent, Municipality, Organization, Person


@pytest.fixture
def people(world):
    return {
        "a": PersonFactory(organization=world.school_a, last_name="Соколова"),
        "b": PersonFactory(organization=world.school_b, last_name="Щукин"),
        "elsewhere": PersonFactory(organization=world.school_elsewhere, last_name="Ёлкин"),
    }


def ids(*objects) -> frozenset[int]:
    return frozenset(obj.pk for obj in objects)


def test_it_scopes_a_curator_to_their_school(world):
    scope = get_scope(world.curator_a)

    assert scope.roles == {Role.CURATOR}
    assert scope.read_organization_ids == ids(world.school_a)
    assert scope.write_organization_ids == ids(world.school_a)
    assert scope.read_municipality_ids == frozenset()
    assert scope.write_municipality_ids == frozenset()
    assert scope.member_municipality_ids == ids(world.municipality)
    assert scope.can_write_any
    assert not scope.is_municipal


def test_it_lets_a_director_read_their_school_only(world):
    scope = get_scope(world.director_a)

    assert scope.roles == {Role.DIRECTOR}
    assert scope.read_organization_ids == ids(world.school_a)
    assert scope.write_organization_ids == frozenset()
    assert scope.write_municipality_ids == frozenset()
    assert not scope.can_write_any


def test_it_scopes_the_other_curator_to_school_b(world):
    scope = get_scope(world.curator_b)

    assert scope.read_organization_ids == ids(world.school_b)
    assert scope.write_organization_ids == ids(world.school_b)


def test_it_scopes_the_coordinator_to_the_municipality(world):
    scope = get_scope(world.coordinator)

    assert scope.roles == {Role.COORDINATOR}
    assert scope.read_municipality_ids == ids(world.municipality)
    assert scope.write_municipality_ids == ids(world.municipality)
    assert scope.read_organization_ids == frozenset()
    assert scope.is_municipal
    assert scope.can_write_any


def test_it_lets_the_observer_read_the_municipality_only(world):
    scope = get_scope(world.observer)

    assert scope.roles == {Role.OBSERVER}
    assert scope.read_municipality_ids == ids(world.municipality)
    assert scope.write_municipality_ids == frozenset()
    assert scope.write_organization_ids == frozenset()
    assert scope.is_municipal
    assert not scope.can_write_any


def test_it_scopes_the_other_coordinator_to_their_own_municipality(world):
    scope = get_scope(world.coordinator_elsewhere)

    assert scope.read_municipality_ids == ids(world.other_municipality)
    assert scope.write_municipality_ids == ids(world.other_municipality)


def test_it_adds_up_several_roles_of_one_user(world):
    user = user_with_role(Role.CURATOR, world.school_a)
    user.role_assignments.create(role=Role.DIRECTOR, organization=world.school_b)

    scope = get_scope(user)

    assert scope.roles == {Role.CURATOR, Role.DIRECTOR}
    assert scope.read_organization_ids == ids(world.school_a, world.school_b)
    assert scope.write_organization_ids == ids(world.school_a)


def test_it_sees_a_new_role_after_the_scope_is_forgotten(world):
    user = user_with_role(Role.CURATOR, world.school_a)
    assert get_scope(user).read_organization_ids == ids(world.school_a)
    user.role_assignments.create(role=Role.CURATOR, organization=world.school_b)

    forget_scope(user)

    assert get_scope(user).write_organization_ids == ids(world.school_a, world.school_b)


@pytest.mark.parametrize(
    ("actor", "visible"),
    [
        ("curator_a", {"a"}),
        ("director_a", {"a"}),
        ("curator_b", {"b"}),
        ("coordinator", {"a", "b"}),
        ("observer", {"a", "b"}),
        ("coordinator_elsewhere", {"elsewhere"}),
    ],
)
def test_it_shows_each_actor_the_people_of_their_scope(world, people, actor, visible):
    user = getattr(world, actor)

    assert set(Person.objects.for_user(user)) == {people[key] for key in visible}


@pytest.mark.parametrize(
    ("actor", "writable"),
    [
        ("curator_a", {"a"}),
        ("director_a", set()),
        ("curator_b", {"b"}),
        ("coordinator", {"a", "b"}),
        ("observer", set()),
        ("coordinator_elsewhere", {"elsewhere"}),
    ],
)
def test_it_lets_each_actor_change_only_the_people_they_may_write(world, people, actor, writable):
    user = getattr(world, actor)

    assert set(Person.objects.for_user(user, write=True)) == {people[key] for key in writable}


@pytest.mark.parametrize(
    ("actor", "visible"),
    [
        ("curator_a", {"a"}),
        ("director_a", {"a"}),
        ("curator_b", {"b"}),
        ("coordinator", {"a", "b"}),
        ("observer", {"a", "b"}),
        ("coordinator_elsewhere", {"elsewhere"}),
    ],
)
def test_it_scopes_consents_through_their_person(world, people, actor, visible):
    consents = {key: ConsentFactory(person=person) for key, person in people.items()}

    assert set(Consent.objects.for_user(getattr(world, actor))) == {consents[key] for key in visible}


def test_it_shows_organizations_by_role(world):
    assert set(Organization.objects.for_user(world.curator_a)) == {world.school_a}
    assert set(Organization.objects.for_user(world.coordinator)) == {world.school_a, world.school_b}
    assert set(Organization.objects.for_user(world.coordinator_elsewhere)) == {world.school_elsewhere}


def test_it_shows_a_curator_the_name_of_their_own_municipality_only(world):
    assert set(Municipality.objects.for_user(world.curator_a)) == {world.municipality}
    assert set(Municipality.objects.for_user(world.curator_a, write=True)) == set()
    assert set(Municipality.objects.for_user(world.coordinator, write=True)) == {world.municipality}


def test_it_shows_nothing_to_a_user_without_roles(world, people):
    user = UserFactory()

    assert get_scope(user).roles == frozenset()
    assert not Person.objects.for_user(user).exists()
    assert not Organization.objects.for_user(user).exists()
    assert not Municipality.objects.for_user(user).exists()
    assert not can_write(user, people["a"])


def test_it_shows_nothing_to_an_anonymous_visitor(world, people):
    anonymous = AnonymousUser()

    assert not Person.objects.for_user(anonymous).exists()
    assert not can_write(anonymous, people["a"])


def test_it_shows_everything_to_a_superuser(world, people):
    admin = UserFactory(is_superuser=True, is_staff=True)

    assert set(Person.objects.for_user(admin)) == set(people.values())
    assert set(Person.objects.for_user(admin, write=True)) == set(people.values())
    assert all(can_write(admin, person) for person in people.values())


def test_it_shows_nothing_to_an_inactive_user(world, people):
    user = user_with_role(Role.COORDINATOR, world.municipality)
    user.is_active = False
    user.save()

    assert get_scope(user).read_municipality_ids == frozenset()
    assert not Person.objects.for_user(user).exists()
    assert not can_write(user, people["a"])


def test_it_shows_nothing_to_a_curator_once_deactivated(world, people):
    curator = type(world.curator_a).objects.get(pk=world.curator_a.pk)
    curator.is_active = False
    curator.save()

    assert not Person.objects.for_user(curator).exists()


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        ("curator_a", True),
        ("director_a", False),
        ("curator_b", False),
        ("coordinator", True),
        ("observer", False),
        ("coordinator_elsewhere", False),
    ],
)
def test_it_answers_who_may_change_a_person_of_school_a(world, people, actor, allowed):
    assert can_write(getattr(world, actor), people["a"]) is allowed


def test_it_lets_no_one_but_staff_change_an_unsaved_record(world):
    unsaved = Person(organization=world.school_a)

    assert can_write(world.curator_a, unsaved) is False
    assert can_write(UserFactory(is_superuser=True), unsaved) is True


ACTORS = ["curator_a", "director_a", "curator_b", "coordinator", "observer", "coordinator_elsewhere"]


@pytest.mark.parametrize("actor", ACTORS)
def test_it_answers_can_write_from_memory_as_the_database_does(world, people, actor, django_assert_num_queries):
    """The page's answer (read from the loaded object, no query) equals the services' (asked of the
    database) for every kind of scoped record."""
    from core.testing.factories import ContingentFactory, MenteeRecordFactory, MentorRecordFactory

    user = getattr(world, actor)
    person = people["a"]
    records = [
        world.municipality,
        world.other_municipality,
        world.school_a,
        world.school_b,
        person,
        people["b"],
        ConsentFactory(person=person),
        MentorRecordFactory(person=person),
        MenteeRecordFactory(person=people["b"]),
        ContingentFactory(organization=world.school_a),
    ]
    get_scope(user)
    answers = []
    for record in records:  # made by factories: their relations are loaded, as select_related loads them
        with django_assert_num_queries(0):
            in_memory = can_write(user, record)
        assert in_memory == can_write(user, record, database=True), (actor, record)
        answers.append(in_memory)
    assert any(answers) is (actor in ("curator_a", "curator_b", "coordinator", "coordinator_elsewhere"))


def test_it_names_the_roles_for_the_navbar_from_the_one_query_of_the_scope(world, django_assert_num_queries):
    user = world.coordinator
    forget_scope(user)
    with django_assert_num_queries(1):
        scope = get_scope(user)
    assert scope.labels == ("Муниципальный координатор: город Назарово",)
    assert get_scope(world.curator_a).labels == ("Куратор ЦМН: МБОУ «СОШ №\xa01»",)
