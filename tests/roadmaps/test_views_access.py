"""The 200/302/403/404 matrix of every roadmaps page (house style, habit 9): anonymous users go to
the login page; the coordinator reads and changes everything of the municipality; a school's people
read their school's roadmaps and the municipal ones, a curator changes their school's; a director
and an observer only read (403 on every write); another school's roadmap and another municipality's
answer 404."""

import pytest
from django.urls import reverse

from tests.roadmaps.data import make_roadmaps

ACTORS = ["coordinator", "curator_a", "director_a", "curator_b", "observer", "coordinator_elsewhere"]


@pytest.fixture
def data(world):
    return make_roadmaps(world)


def urls(world, data) -> dict[str, str]:
    municipal, school = data.municipal, data.school
    school_item = data.school_items[0]
    return {
        "list": reverse("roadmaps:roadmap_list"),
        "due": reverse("roadmaps:due_list"),
        "create": reverse("roadmaps:roadmap_create"),
        "municipal": reverse("roadmaps:roadmap_detail", args=[municipal.pk]),
        "school": reverse("roadmaps:roadmap_detail", args=[school.pk]),
        "municipal_item": reverse("roadmaps:item_detail", args=[data.curators_item.pk]),
        "school_item": reverse("roadmaps:item_detail", args=[school_item.pk]),
        "evidence": reverse("roadmaps:evidence_download", args=[data.evidence.pk]),
        "municipal_update": reverse("roadmaps:roadmap_update", args=[municipal.pk]),
        "municipal_delete": reverse("roadmaps:roadmap_delete", args=[municipal.pk]),
        "school_update": reverse("roadmaps:roadmap_update", args=[school.pk]),
        "school_delete": reverse("roadmaps:roadmap_delete", args=[school.pk]),
        "municipal_item_create": reverse("roadmaps:item_create", args=[municipal.pk]),
        "school_item_create": reverse("roadmaps:item_create", args=[school.pk]),
        "municipal_item_update": reverse("roadmaps:item_update", args=[data.curators_item.pk]),
        "municipal_item_delete": reverse("roadmaps:item_delete", args=[data.curators_item.pk]),
        "school_item_update": reverse("roadmaps:item_update", args=[school_item.pk]),
        "school_item_delete": reverse("roadmaps:item_delete", args=[school_item.pk]),
        "mark_municipal_a": reverse("roadmaps:execution_edit", args=[data.curators_item.pk, world.school_a.pk]),
        "mark_municipal_b": reverse("roadmaps:execution_edit", args=[data.curators_item.pk, world.school_b.pk]),
        "mark_school": reverse("roadmaps:execution_edit", args=[school_item.pk, world.school_a.pk]),
        "mark_authority": reverse("roadmaps:execution_authority", args=[data.authority_item.pk]),
        "copy": reverse("roadmaps:roadmap_copy", args=[municipal.pk]),
        "template_changes": reverse("roadmaps:template_changes", args=[data.copy.pk]),
    }


#: What each actor gets on GET: (page, {actor: status}).
READ = 200
EXPECTED = {
    "list": dict.fromkeys(ACTORS, READ),
    "due": dict.fromkeys(ACTORS, READ),
    "create": {
        "coordinator": 200, "curator_a": 200, "director_a": 403, "curator_b": 200, "observer": 403,
        "coordinator_elsewhere": 200,
    },
    "municipal": {**dict.fromkeys(ACTORS, READ), "coordinator_elsewhere": 404},
    "municipal_item": {**dict.fromkeys(ACTORS, READ), "coordinator_elsewhere": 404},
    "school": {
        "coordinator": 200, "curator_a": 200, "director_a": 200, "curator_b": 404, "observer": 200,
        "coordinator_elsewhere": 404,
    },
    "evidence": {
        "coordinator": 200, "curator_a": 200, "director_a": 200, "curator_b": 404, "observer": 200,
        "coordinator_elsewhere": 404,
    },
    # The municipal roadmap: the coordinator's to change; a school's people read it (403).
    "municipal_update": {
        "coordinator": 200, "curator_a": 403, "director_a": 403, "curator_b": 403, "observer": 403,
        "coordinator_elsewhere": 404,
    },
    # School A's roadmap: its curator's and the coordinator's; school B's curator does not see it.
    "school_update": {
        "coordinator": 200, "curator_a": 200, "director_a": 403, "curator_b": 404, "observer": 403,
        "coordinator_elsewhere": 404,
    },
    # School A's execution of a municipal item: its curator and the coordinator mark it.
    "mark_municipal_a": {
        "coordinator": 200, "curator_a": 200, "director_a": 403, "curator_b": 404, "observer": 403,
        "coordinator_elsewhere": 404,
    },
    "mark_municipal_b": {
        "coordinator": 200, "curator_a": 404, "director_a": 404, "curator_b": 200, "observer": 403,
        "coordinator_elsewhere": 404,
    },
    # The authority's own item: the coordinator marks it, a school's people may not.
    "mark_authority": {
        "coordinator": 200, "curator_a": 403, "director_a": 403, "curator_b": 403, "observer": 403,
        "coordinator_elsewhere": 404,
    },
    # Copying a municipal roadmap into schools is the coordinator's.
    "copy": {
        "coordinator": 200, "curator_a": 403, "director_a": 403, "curator_b": 403, "observer": 403,
        "coordinator_elsewhere": 404,
    },
}  # fmt: skip
EXPECTED["school_item"] = EXPECTED["school"]
EXPECTED["template_changes"] = EXPECTED["school_update"]
EXPECTED["mark_school"] = EXPECTED["school_update"]
for name in ("municipal_delete", "municipal_item_create", "municipal_item_update", "municipal_item_delete"):
    EXPECTED[name] = EXPECTED["municipal_update"]
for name in ("school_delete", "school_item_create", "school_item_update", "school_item_delete"):
    EXPECTED[name] = EXPECTED["school_update"]
WRITES = {name for name, codes in EXPECTED.items() if 403 in codes.values()} - {"create"}


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_it_sends_anonymous_users_to_the_login_page(client, world, data, page):
    response = client.get(urls(world, data)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_it_answers_each_actor_as_the_matrix_says(client, world, data, page):
    url = urls(world, data)[page]
    answers = {}
    for actor in ACTORS:
        client.force_login(getattr(world, actor))
        answers[actor] = client.get(url).status_code
    assert answers == EXPECTED[page]


@pytest.mark.parametrize("page", sorted(WRITES))
def test_it_refuses_a_write_by_post_as_it_refuses_the_page(client, world, data, page):
    """A refused page refuses its form's post the same way (403 or 404), and nothing is written."""
    from core.models import AuditEntry

    url = urls(world, data)[page]
    refused = {actor: code for actor, code in EXPECTED[page].items() if code != 200}
    before = AuditEntry.objects.count()
    answers = {}
    for actor in refused:
        client.force_login(getattr(world, actor))
        answers[actor] = client.post(url, {"status": "done", "title": "Чужая запись"}).status_code
    assert answers == refused
    assert AuditEntry.objects.count() == before


def test_it_answers_404_for_an_organization_the_item_does_not_address(client, world, data):
    client.force_login(world.coordinator)
    # The item names school B only («МБОУ «СОШ № 2»» in its responsibles).
    url = reverse("roadmaps:execution_edit", args=[data.named_item.pk, world.school_a.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "done"}).status_code == 404
    # School B's curator marks it.
    client.force_login(world.curator_b)
    assert (
        client.get(reverse("roadmaps:execution_edit", args=[data.named_item.pk, world.school_b.pk])).status_code == 200
    )


def test_it_answers_404_for_the_authority_row_of_an_item_the_schools_carry_out(client, world, data):
    client.force_login(world.coordinator)
    assert client.get(reverse("roadmaps:execution_authority", args=[data.schools_item.pk])).status_code == 404
    school_item = data.school_items[0]
    assert client.get(reverse("roadmaps:execution_authority", args=[school_item.pk])).status_code == 404


def test_it_copies_only_a_municipal_roadmap_and_offers_changes_only_for_a_copy(client, world, data):
    client.force_login(world.coordinator)
    assert client.get(reverse("roadmaps:roadmap_copy", args=[data.school.pk])).status_code == 404
    assert client.get(reverse("roadmaps:template_changes", args=[data.municipal.pk])).status_code == 404


def test_it_shows_write_buttons_to_writers_only(client, world, data):
    url = reverse("roadmaps:roadmap_detail", args=[data.school.pk])
    edit = reverse("roadmaps:roadmap_update", args=[data.school.pk])
    mark = reverse("roadmaps:execution_edit", args=[data.school_items[0].pk, world.school_a.pk])
    for actor, writes in (("curator_a", True), ("coordinator", True), ("director_a", False), ("observer", False)):
        client.force_login(getattr(world, actor))
        body = client.get(url).content.decode()
        assert (edit in body) is writes, actor
        assert (mark in body) is writes, actor
        assert ("Добавить пункт" in body) is writes, actor


def test_it_offers_the_copy_to_the_coordinator_only(client, world, data):
    url = reverse("roadmaps:roadmap_detail", args=[data.municipal.pk])
    copy = reverse("roadmaps:roadmap_copy", args=[data.municipal.pk])
    client.force_login(world.coordinator)
    assert copy in client.get(url).content.decode()
    client.force_login(world.curator_a)
    body = client.get(url).content.decode()
    assert copy not in body
    assert reverse("roadmaps:roadmap_update", args=[data.municipal.pk]) not in body


def test_it_lists_another_schools_roadmap_to_nobody_but_its_school_and_the_municipality(client, world, data):
    client.force_login(world.curator_b)
    body = client.get(reverse("roadmaps:roadmap_list")).content.decode()
    assert data.municipal.title in body
    assert data.school.title not in body
    client.force_login(world.coordinator_elsewhere)
    body = client.get(reverse("roadmaps:roadmap_list")).content.decode()
    assert data.municipal.title not in body
    assert data.school.title not in body
