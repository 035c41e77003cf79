"""The pages that prepare the orders on the ЦМН and on the working group (issue 10 §1–§2): the
form, then a draft in the register (core.issuing.document_prepare) and its page. Scoped: another
school's or municipality's roadmap answers 404; who may not prepare the issuer's documents, 403."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.choices import Role
from core.models import IssuedDocument
from core.testing.factories import user_with_role
from roadmaps.kinds import CMN_GROUNDS
from tests.roadmaps.matrix_world import seed_roadmap
from tests.roadmaps.test_kinds import named, school_roadmap

pytestmark = pytest.mark.django_db


def cmn_url(roadmap):
    return reverse("roadmaps:cmn_order", args=[roadmap.pk])


def wg_url(municipality):
    return reverse("roadmaps:working_group_order", args=[municipality.pk])


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("curator_a", 200),
        ("director_a", 403),  # signs the school's orders, does not prepare them
        ("curator_b", 404),
        ("coordinator", 200),
        ("observer", 403),
        ("coordinator_elsewhere", 404),
    ],
)
def test_it_opens_a_schools_order_for_who_may_prepare_it(client, world, actor, status):
    roadmap = school_roadmap(world)
    client.force_login(getattr(world, actor))
    assert client.get(cmn_url(roadmap)).status_code == status


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("coordinator", 200),
        ("curator_a", 403),  # reads the municipal roadmap, does not prepare the authority's order
        ("director_a", 403),
        ("observer", 403),
        ("coordinator_elsewhere", 404),
    ],
)
def test_it_opens_the_authoritys_order_for_the_coordinator_only(client, world, actor, status):
    seed = seed_roadmap(world)
    client.force_login(getattr(world, actor))
    assert client.get(cmn_url(seed.roadmap)).status_code == status


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("coordinator", 200),
        ("curator_a", 403),
        ("director_a", 403),
        ("curator_b", 403),
        ("observer", 403),
        ("coordinator_elsewhere", 404),
    ],
)
def test_it_opens_the_working_group_order_for_the_coordinator_only(client, world, actor, status):
    client.force_login(getattr(world, actor))
    assert client.get(wg_url(world.municipality)).status_code == status


def test_it_prefills_the_grounds_and_the_schools_curator(client, world):
    named(world.curator_a, "Шестакова", "Татьяна", "Васильевна", "заместитель директора")
    named(world.curator_b, "Чужакова", "Анна", "Петровна", "учитель")
    roadmap = school_roadmap(world)
    client.force_login(world.curator_a)
    html = client.get(cmn_url(roadmap)).content.decode()
    assert "Чужакова" not in html  # the other school's curator is not offered
    assert "Шестакова Татьяна Васильевна — заместитель директора" in html
    assert f'value="{world.curator_a.pk}" ' in html and "checked" in html
    assert "письмом Министерства просвещения Российской Федерации от 23.01.2020 № МР-42/02" in html
    assert "— оставляю за собой —" in html


def test_it_prepares_a_draft_of_the_schools_order_and_goes_to_its_page(client, world):
    named(world.curator_a, "Шестакова", "Татьяна", "Васильевна", "заместитель директора")
    roadmap = school_roadmap(world)
    client.force_login(world.curator_a)
    response = client.post(
        cmn_url(roadmap),
        {
            "grounds": CMN_GROUNDS,
            "appointees": [world.curator_a.pk],
            "controller": world.director_a.pk,
            "polozhenie": "on",
        },
    )
    document = IssuedDocument.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/documents/{document.pk}/")
    assert (document.kind, document.status, document.organization) == ("cmn_order_school", "draft", world.school_a)
    assert [subject.object_id for subject in document.subjects.all()] == [roadmap.pk]
    assert document.params["appointees"][0]["last_name"] == "Шестакова"
    assert document.params["controller"]["position"] == ""
    assert document.params["polozhenie"] is True


def test_it_refuses_another_schools_curator_as_the_appointee(client, world):
    roadmap = school_roadmap(world)
    client.force_login(world.curator_a)
    response = client.post(cmn_url(roadmap), {"grounds": "x", "appointees": [world.curator_b.pk]})
    assert response.status_code == 200 and "appointees" in response.context["form"].errors
    assert not IssuedDocument.objects.exists()


def test_it_prepares_the_working_group_order_with_typed_members(client, world):
    named(world.coordinator, "Шестакова", "Татьяна", "Васильевна", "методист")
    client.force_login(world.coordinator)
    response = client.post(
        wg_url(world.municipality),
        {
            "grounds": "На основании …",
            "coordinator": world.coordinator.pk,
            "chair": "Гаврилова Светлана Владимировна; начальник управления; управление образования",
            "members": [world.coordinator.pk, world.curator_a.pk],
            "others": "Семаков Александр Серафимович (по согласованию); главный врач; ЦРБ\n\n",
        },
    )
    document = IssuedDocument.objects.get()
    assert response["Location"].endswith(f"/documents/{document.pk}/")
    assert (document.kind, document.organization) == ("working_group_order", None)
    members = document.params["members"]
    assert (members[0]["last_name"], members[0]["chair"]) == ("Гаврилова", True)
    assert {member["workplace"] for member in members[1:3]} == {
        world.municipality.authority_name,
        str(world.school_a),
    }
    assert members[3]["note"] == "(по согласованию)"


def test_it_names_the_typed_line_it_cannot_read(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        wg_url(world.municipality),
        {"grounds": "x", "coordinator": world.coordinator.pk, "others": "Иванов Иван; учитель\nСидоров; врач"},
    )
    assert response.status_code == 200
    assert "Строка 2: «Сидоров; врач»: нужны фамилия и имя" in " ".join(response.context["form"].errors["others"])
    assert not IssuedDocument.objects.exists()


def test_it_shows_the_buttons_to_who_may_prepare(client, world):
    roadmap = school_roadmap(world)
    seed = seed_roadmap(world)
    for user, target, shown in (
        (world.curator_a, roadmap, True),
        (world.director_a, roadmap, False),
        (world.coordinator, seed.roadmap, True),
        (world.curator_a, seed.roadmap, False),
    ):
        client.force_login(user)
        html = client.get(target.get_absolute_url()).content.decode()
        assert (cmn_url(target) in html) is shown
    client.force_login(world.coordinator)
    assert wg_url(world.municipality) in client.get(reverse("roadmaps:roadmap_list")).content.decode()
    client.force_login(world.curator_a)
    assert "working-group-order" not in client.get(reverse("roadmaps:roadmap_list")).content.decode()


def test_it_warns_on_preparing_of_a_name_it_could_not_decline(client, world):
    named(world.curator_a, "Дюма", "Анна", "Петровна", "учитель")
    roadmap = school_roadmap(world)
    client.force_login(world.curator_a)
    response = client.post(cmn_url(roadmap), {"grounds": CMN_GROUNDS, "appointees": [world.curator_a.pk]}, follow=False)
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("Проверьте падежи" in message and "«Дюма»" in message for message in shown)


def test_it_opens_the_forms_in_as_many_queries_with_many_holders(client, world, django_assert_max_num_queries):
    roadmap = school_roadmap(world)
    client.force_login(world.coordinator)
    for extra in (0, 10):
        for _ in range(extra):
            user_with_role(Role.CURATOR, world.school_a)
            user_with_role(Role.DIRECTOR, world.school_b)
        with django_assert_max_num_queries(12):
            assert client.get(cmn_url(roadmap)).status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get(wg_url(world.municipality)).status_code == 200
