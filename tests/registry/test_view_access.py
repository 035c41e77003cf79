"""The 403/404/200 matrix of every registry view (house style (docs/style.md) habit 9).

Anonymous → the login page; a reader of the object's organization or municipality → 200;
a user of another organization or municipality → 404; a read-only role on a write → 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.russian import typeset
from core.testing.factories import (
    ConsentFactory,
    ContingentFactory,
    MenteeRecordFactory,
    MentorRecordFactory,
    PersonFactory,
    TeacherFactory,
)
from registry.choices import ConsentKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def objects(world):
    person = PersonFactory(organization=world.school_a, last_name="Соколова", first_name="Мария")
    consent = ConsentFactory(
        person=person,
        kind=ConsentKind.PARENT,
        representative_name="Соколов Андрей Ильич",
        scan=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
    )
    mentor = MentorRecordFactory(person=TeacherFactory(organization=world.school_a))
    mentee = MenteeRecordFactory(person=person)
    contingent = ContingentFactory(organization=world.school_a)
    return {
        "person": person,
        "consent": consent,
        "mentor": mentor,
        "mentee": mentee,
        "contingent": contingent,
        "organization": world.school_a,
    }


READ_VIEWS = [
    ("registry:organization_detail", "organization"),
    ("registry:person_detail", "person"),
    ("registry:consent_scan", "consent"),
]
WRITE_VIEWS = [
    ("registry:organization_update", "organization"),
    ("registry:contingent_create", "organization"),
    ("registry:contingent_update", "contingent"),
    ("registry:contingent_delete", "contingent"),
    ("registry:person_update", "person"),
    ("registry:person_delete", "person"),
    ("registry:mentor_create", "person"),
    ("registry:mentee_create", "person"),
    ("registry:consent_create", "person"),
    ("registry:mentor_update", "mentor"),
    ("registry:mentor_delete", "mentor"),
    ("registry:mentee_update", "mentee"),
    ("registry:mentee_delete", "mentee"),
    ("registry:consent_update", "consent"),
    ("registry:consent_withdraw", "consent"),
    ("registry:consent_delete", "consent"),
]
LIST_VIEWS = [
    "home",
    "registry:organization_list",
    "registry:person_list",
    "registry:mentor_list",
    "registry:mentee_list",
    "registry:consent_list",
]


def _url(name, objects, key):
    return reverse(name, args=[objects[key].pk])


@pytest.mark.parametrize(("name", "key"), READ_VIEWS + WRITE_VIEWS)
def test_it_sends_anonymous_users_to_login(client, objects, name, key):
    response = client.get(_url(name, objects, key))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", [*LIST_VIEWS, "registry:person_create", "registry:organization_create"])
def test_it_sends_anonymous_users_to_login_from_lists(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "key"), READ_VIEWS)
@pytest.mark.parametrize("actor", ["curator_a", "director_a", "coordinator", "observer"])
def test_it_shows_objects_to_those_in_scope(client, world, objects, name, key, actor):
    client.force_login(getattr(world, actor))
    assert client.get(_url(name, objects, key)).status_code == 200


@pytest.mark.parametrize(("name", "key"), READ_VIEWS + WRITE_VIEWS)
@pytest.mark.parametrize("actor", ["curator_b", "coordinator_elsewhere"])
def test_it_answers_404_outside_the_scope(client, world, objects, name, key, actor):
    client.force_login(getattr(world, actor))
    assert client.get(_url(name, objects, key)).status_code == 404
    if (name, key) in WRITE_VIEWS:
        assert client.post(_url(name, objects, key), {}).status_code == 404


@pytest.mark.parametrize(("name", "key"), WRITE_VIEWS)
@pytest.mark.parametrize("actor", ["curator_a", "coordinator"])
def test_it_opens_write_pages_to_writers(client, world, objects, name, key, actor):
    client.force_login(getattr(world, actor))
    response = client.get(_url(name, objects, key))
    # Creating a record a person already has goes to that record's form.
    assert response.status_code in (200, 302) if name.endswith("_create") and key == "person" else 200
    if response.status_code == 302:
        assert response["Location"].endswith("/edit/")


@pytest.mark.parametrize(("name", "key"), WRITE_VIEWS)
@pytest.mark.parametrize("actor", ["director_a", "observer"])
def test_it_forbids_writes_to_read_only_roles(client, world, objects, name, key, actor):
    client.force_login(getattr(world, actor))
    if actor == "director_a" and name == "registry:organization_update":
        # Issue 10: the director corrects the school's requisites for documents, nothing else.
        response = client.get(_url(name, objects, key))
        assert response.status_code == 200
        assert "order_number_pattern" in response.context["form"].fields
        assert "short_name" not in response.context["form"].fields
        return
    assert client.get(_url(name, objects, key)).status_code == 403
    assert client.post(_url(name, objects, key), {}).status_code == 403


@pytest.mark.parametrize("actor", ["director_a", "observer"])
def test_it_forbids_creating_people_to_read_only_roles(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("registry:person_create")).status_code == 403
    assert client.post(reverse("registry:person_create"), {}).status_code == 403


def test_it_lets_only_the_coordinator_add_and_delete_organizations(client, world, objects):
    client.force_login(world.curator_a)
    assert client.get(reverse("registry:organization_create")).status_code == 403
    assert client.get(reverse("registry:organization_delete", args=[world.school_a.pk])).status_code == 403
    client.force_login(world.coordinator)
    assert client.get(reverse("registry:organization_create")).status_code == 200
    assert client.get(reverse("registry:organization_delete", args=[world.school_a.pk])).status_code == 200


@pytest.mark.parametrize("name", LIST_VIEWS)
@pytest.mark.parametrize(
    "actor", ["curator_a", "director_a", "curator_b", "coordinator", "observer", "coordinator_elsewhere"]
)
def test_it_lists_only_what_is_in_scope(client, world, objects, name, actor):
    client.force_login(getattr(world, actor))
    response = client.get(reverse(name))
    assert response.status_code == 200
    sees_school_a = actor in ("curator_a", "director_a", "coordinator", "observer")
    body = response.content.decode()
    if name in ("registry:person_list", "registry:mentee_list", "registry:consent_list"):
        assert ("Соколова" in body) is sees_school_a
    if name == "registry:organization_list":
        assert (typeset("МБОУ «СОШ № 1»") in body) is sees_school_a
        assert ("Устюженская" in body) is (actor == "coordinator_elsewhere")


def test_it_never_serves_uploaded_files_directly(client, settings, world, objects):
    settings.DEBUG = True
    client.force_login(world.curator_b)
    path = "/" + settings.MEDIA_URL.lstrip("/") + objects["consent"].scan.name
    assert client.get(path).status_code == 404
    client.force_login(world.curator_a)
    assert client.get(path).status_code == 404
    assert client.get(reverse("registry:consent_scan", args=[objects["consent"].pk])).status_code == 200
