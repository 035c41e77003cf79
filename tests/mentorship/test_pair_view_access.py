"""The 403/404/200 matrix of every mentorship page (house style (docs/style.md) habit 9).

Anonymous → the login page; a reader of the pair's organization or municipality → 200; a user of
another school or municipality → 404; a read-only role on a write → 403; the director's approvals
→ 403 for everyone else who sees the pair. Practices are read by the whole municipality, so another
school's curator reads them (200) and may not change them (403).
"""

import pytest
from django.urls import reverse

from core.testing.factories import MentorRecordFactory, TeacherFactory
from mentorship.models import IndividualPlan, Meeting, MenteeReport, MentorReport, MonthlyReport, PairStatus
from tests.mentorship.data import make_pairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world):
    data = make_pairs(world)
    plan = IndividualPlan.objects.get(pair=data.active)
    return {
        "draft": data.draft,
        "active": data.active,
        "completed": data.completed,
        "terminated": data.terminated,
        "plan_item": plan.items.first(),
        "meeting": Meeting.objects.get(pair=data.active),
        "monthly": MonthlyReport.objects.get(pair=data.active),
        "mentor_report": MentorReport.objects.get(pair=data.terminated),
        "mentee_report": MenteeReport.objects.get(pair=data.terminated),
        "recognition": data.recognition,
        "practice": data.practice,
        "practice_file": data.practice_file,
        "mentor_record": MentorRecordFactory(person=TeacherFactory(organization=world.school_a)),
        "data": data,
    }


READ_VIEWS = [("mentorship:pair_detail", "active"), ("mentorship:pair_detail", "draft")]
WRITE_VIEWS = [
    ("mentorship:pair_update", "draft"),
    ("mentorship:pair_delete", "draft"),
    ("mentorship:pair_send", "draft"),
    ("mentorship:pair_add_mentee", "active"),
    ("mentorship:pair_remove_mentee", "active"),
    ("mentorship:pair_replace_mentor", "active"),
    ("mentorship:pair_extend", "active"),
    ("mentorship:pair_terminate", "active"),
    ("mentorship:plan_item_create", "active"),
    ("mentorship:plan_acknowledge", "active"),
    ("mentorship:plan_item_update", "plan_item"),
    ("mentorship:plan_item_delete", "plan_item"),
    ("mentorship:meeting_create", "active"),
    ("mentorship:meeting_update", "meeting"),
    ("mentorship:meeting_delete", "meeting"),
    ("mentorship:monthly_report_create", "active"),
    ("mentorship:monthly_report_update", "monthly"),
    ("mentorship:mentor_report_create", "completed"),
    ("mentorship:mentor_report_update", "mentor_report"),
    ("mentorship:mentee_report_create", "completed"),
    ("mentorship:mentee_report_update", "mentee_report"),
    ("mentorship:recognition_update", "recognition"),
    ("mentorship:recognition_delete", "recognition"),
]
APPROVE_VIEWS = [
    ("mentorship:plan_approve", "active"),
    ("mentorship:mentor_report_approve", "terminated"),
    ("mentorship:mentor_limit", "mentor_record"),
]
PRACTICE_READ = [("mentorship:practice_detail", "practice"), ("mentorship:practice_file", "practice_file")]
PRACTICE_WRITE = [
    ("mentorship:practice_update", "practice"),
    ("mentorship:practice_delete", "practice"),
    ("mentorship:practice_file_create", "practice"),
    ("mentorship:practice_file_delete", "practice_file"),
]
LISTS = [
    "mentorship:pair_list",
    "mentorship:recognition_list",
    "mentorship:practice_list",
    "mentorship:mentor_base",
]
CREATE_PAGES = [
    "mentorship:pair_create",
    "mentorship:pair_check",
    "mentorship:pair_propose",
    "mentorship:recognition_create",
    "mentorship:practice_create",
]
ALL_OBJECT_VIEWS = READ_VIEWS + WRITE_VIEWS + APPROVE_VIEWS + PRACTICE_READ + PRACTICE_WRITE


def _url(name, objects, key):
    kwarg = "parent_pk" if name == "mentorship:practice_file_create" else "pk"
    return reverse(name, kwargs={kwarg: objects[key].pk})


def statuses(client, objects, views, method="get") -> dict[str, int]:
    """{url name: status} of each view for the client's user (every view of a test at once: the
    pairs are built once per test)."""
    send = client.get if method == "get" else client.post
    return {
        name: send(_url(name, objects, key), *([{}] if method == "post" else [])).status_code for name, key in views
    }


def assert_all(found: dict[str, int], expected: int) -> None:
    wrong = {name: status for name, status in found.items() if status != expected}
    assert not wrong, f"expected {expected}: {wrong}"


def test_it_sends_anonymous_users_to_login(client, objects):
    for name, key in ALL_OBJECT_VIEWS:
        response = client.get(_url(name, objects, key))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_it_sends_anonymous_users_to_login_from_lists_and_forms(client, db):
    for name in [*LISTS, *CREATE_PAGES, "mentorship:pair_approve"]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_it_sends_anonymous_users_to_login_from_starting_a_plan(client, objects):
    response = client.post(reverse("mentorship:plan_start", args=[objects["draft"].pk]))
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("actor", ["curator_a", "director_a", "coordinator", "observer"])
def test_it_shows_pairs_and_practices_to_those_in_scope(client, world, objects, actor):
    client.force_login(getattr(world, actor))
    assert_all(statuses(client, objects, READ_VIEWS + PRACTICE_READ), 200)


@pytest.mark.parametrize("actor", ["curator_b", "coordinator_elsewhere"])
def test_it_answers_404_outside_the_scope(client, world, objects, actor):
    client.force_login(getattr(world, actor))
    assert_all(statuses(client, objects, READ_VIEWS + WRITE_VIEWS + APPROVE_VIEWS), 404)
    assert_all(statuses(client, objects, WRITE_VIEWS + APPROVE_VIEWS, "post"), 404)


def test_it_answers_404_for_another_municipalitys_practice(client, world, objects):
    client.force_login(world.coordinator_elsewhere)
    assert_all(statuses(client, objects, PRACTICE_READ + PRACTICE_WRITE), 404)


def test_it_lets_the_whole_municipality_read_the_bank_of_practices(client, world, objects):
    client.force_login(world.curator_b)
    assert_all(statuses(client, objects, PRACTICE_READ), 200)


@pytest.mark.parametrize("actor", ["curator_a", "coordinator"])
def test_it_opens_write_pages_to_writers(client, world, objects, actor):
    client.force_login(getattr(world, actor))
    assert_all(statuses(client, objects, WRITE_VIEWS + PRACTICE_WRITE), 200)


@pytest.mark.parametrize("actor", ["director_a", "observer"])
def test_it_forbids_writes_to_read_only_roles(client, world, objects, actor):
    client.force_login(getattr(world, actor))
    assert_all(statuses(client, objects, WRITE_VIEWS + PRACTICE_WRITE), 403)
    assert_all(statuses(client, objects, WRITE_VIEWS + PRACTICE_WRITE, "post"), 403)


def test_it_forbids_changing_another_schools_practice(client, world, objects):
    client.force_login(world.curator_b)
    assert_all(statuses(client, objects, PRACTICE_WRITE), 403)
    assert_all(statuses(client, objects, PRACTICE_WRITE, "post"), 403)


def test_it_opens_approvals_to_the_director(client, world, objects):
    client.force_login(world.director_a)
    assert_all(statuses(client, objects, APPROVE_VIEWS), 200)


@pytest.mark.parametrize("actor", ["curator_a", "coordinator", "observer"])
def test_it_forbids_approvals_to_everyone_but_the_director(client, world, objects, actor):
    client.force_login(getattr(world, actor))
    assert_all(statuses(client, objects, APPROVE_VIEWS), 403)
    assert_all(statuses(client, objects, APPROVE_VIEWS, "post"), 403)


def test_it_opens_the_approval_page_to_directors_only(client, world, objects):
    for actor in ("curator_a", "coordinator", "observer", "curator_b"):
        client.force_login(getattr(world, actor))
        assert client.get(reverse("mentorship:pair_approve")).status_code == 403, actor
        assert client.post(reverse("mentorship:pair_approve"), {}).status_code == 403, actor
    client.force_login(world.director_a)
    assert client.get(reverse("mentorship:pair_approve")).status_code == 200


def test_it_opens_forming_pages_to_writers_and_forbids_them_to_readers(client, world, objects):
    for name in CREATE_PAGES:
        for actor in ("curator_a", "coordinator", "curator_b"):
            client.force_login(getattr(world, actor))
            assert client.get(reverse(name)).status_code == 200, (name, actor)
        for actor in ("director_a", "observer"):
            client.force_login(getattr(world, actor))
            assert client.get(reverse(name)).status_code == 403, (name, actor)
            assert client.post(reverse(name), {}).status_code == 403, (name, actor)


def test_it_lets_only_writers_of_the_pair_start_its_plan(client, world, objects):
    url = reverse("mentorship:plan_start", args=[objects["draft"].pk])
    for actor, status in (("curator_b", 404), ("coordinator_elsewhere", 404), ("director_a", 403), ("observer", 403)):
        client.force_login(getattr(world, actor))
        assert client.post(url).status_code == status, actor
    assert not IndividualPlan.objects.filter(pair=objects["draft"]).exists()
    client.force_login(world.curator_a)
    assert client.post(url).status_code == 302
    assert IndividualPlan.objects.filter(pair=objects["draft"]).exists()


@pytest.mark.parametrize(
    "actor", ["curator_a", "director_a", "curator_b", "coordinator", "observer", "coordinator_elsewhere"]
)
def test_it_lists_only_what_is_in_scope(client, world, objects, actor):
    client.force_login(getattr(world, actor))
    sees_school_a = actor in ("curator_a", "director_a", "coordinator", "observer")
    sees_school_b = actor in ("curator_b", "coordinator", "observer")
    bodies = {}
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        bodies[name] = response.content.decode()
    assert ("Морозова А.\N{NO-BREAK SPACE}П." in bodies["mentorship:pair_list"]) is sees_school_a  # the draft's mentor
    assert (f"Пара № {objects['data'].other.pk}" in bodies["mentorship:pair_list"]) is sees_school_b
    # The bank is the municipality's: school B reads school A's practice.
    assert ("Открытый урок вдвоём" in bodies["mentorship:practice_list"]) is (actor != "coordinator_elsewhere")
    assert ("Морозова Анна Павловна" in bodies["mentorship:mentor_base"]) is sees_school_a
    assert ("Соколова Ирина Олеговна" in bodies["mentorship:recognition_list"]) is sees_school_a


def test_it_sends_a_page_that_does_not_apply_to_the_pairs_status_back_to_its_card(client, world, objects):
    client.force_login(world.curator_a)
    active = objects["active"]
    for name in ("mentorship:pair_update", "mentorship:pair_delete", "mentorship:pair_send"):
        response = client.get(reverse(name, args=[active.pk]))
        if name == "mentorship:pair_delete":
            assert response.status_code == 404  # only drafts are deleted
            continue
        assert response.status_code == 302
        assert response["Location"] == active.get_absolute_url()
    response = client.get(reverse("mentorship:pair_extend", args=[objects["draft"].pk]), follow=True)
    assert "черновик: это действие для неё недоступно" in response.content.decode()
    assert objects["draft"].status == PairStatus.DRAFT


def test_it_shows_the_buttons_of_a_pair_only_to_who_may_use_them(client, world, objects):
    draft, active = objects["draft"], objects["active"]
    send = reverse("mentorship:pair_send", args=[draft.pk])
    approve = reverse("mentorship:pair_approve") + f"?pair={draft.pk}"
    extend = reverse("mentorship:pair_extend", args=[active.pk])
    plan_approve = reverse("mentorship:plan_approve", args=[active.pk])
    expected = {
        "curator_a": {send: True, approve: False, extend: True, plan_approve: False},
        "coordinator": {send: True, approve: False, extend: True, plan_approve: False},
        "director_a": {send: False, approve: True, extend: False, plan_approve: True},
        "observer": {send: False, approve: False, extend: False, plan_approve: False},
    }
    for actor, links in expected.items():
        client.force_login(getattr(world, actor))
        body = (
            client.get(draft.get_absolute_url()).content.decode()
            + client.get(active.get_absolute_url()).content.decode()
        )
        for url, shown in links.items():
            assert (url.replace("&", "&amp;") in body) is shown, (actor, url)
