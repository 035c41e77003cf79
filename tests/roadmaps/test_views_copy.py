"""A municipal roadmap copied into chosen schools as their own (`roadmaps:roadmap_copy`), and the
template's later changes offered to a school's copy, taken only when the school marks them
(`roadmaps:template_changes`): never pushed."""

import pytest
from django.urls import reverse

from core.testing.factories import OrganizationFactory
from roadmaps.models import Roadmap, RoadmapItem
from tests.roadmaps.data import make_roadmaps


@pytest.fixture
def data(world):
    return make_roadmaps(world)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def test_it_copies_a_municipal_roadmap_into_the_chosen_schools(client, world, data):
    school_c = OrganizationFactory(municipality=world.municipality, short_name="МБОУ «СОШ № 3»")
    client.force_login(world.coordinator)
    url = reverse("roadmaps:roadmap_copy", args=[data.template.pk])
    page = client.get(url)
    # School A has its copy already: shown, with a link to it, and not offered again.
    assert data.copy.get_absolute_url() in page.content.decode()
    offered = set(page.context["form"].fields["organizations"].queryset)
    assert offered == {world.school_b, school_c}

    response = client.post(url, {"organizations": [world.school_b.pk, school_c.pk], "title": ""}, follow=True)
    assert messages_of(response) == ["Созданы 2 дорожные карты школ."]
    copies = Roadmap.objects.filter(template=data.template, organization__in=[world.school_b, school_c])
    assert copies.count() == 2
    for copy in copies:
        assert copy.title == data.template.title
        assert list(copy.items.values_list("number", flat=True)) == ["1.", "2.", "3."]


def test_it_names_the_copy_in_the_singular_and_refuses_a_school_already_copied(client, world, data):
    client.force_login(world.coordinator)
    url = reverse("roadmaps:roadmap_copy", args=[data.municipal.pk])
    response = client.post(url, {"organizations": [world.school_a.pk], "title": "Дорожная карта СОШ № 1"}, follow=True)
    assert messages_of(response) == ["Создана 1 дорожная карта школы."]
    assert Roadmap.objects.get(template=data.municipal).title == "Дорожная карта СОШ № 1"
    response = client.post(url, {"organizations": [world.school_a.pk]})
    assert response.status_code == 200
    assert "organizations" in response.context["form"].errors
    assert Roadmap.objects.filter(template=data.municipal).count() == 1
    response = client.post(url, {"organizations": []})
    assert response.context["form"].errors["organizations"] == ["Отметьте школы, которым нужна копия."]


def test_it_offers_the_templates_changes_without_pushing_them(client, world, data):
    client.force_login(world.curator_a)
    detail = client.get(data.copy.get_absolute_url()).content.decode()
    assert "Изменения шаблона (2)" in detail
    response = client.get(reverse("roadmaps:template_changes", args=[data.copy.pk]))
    rows = response.context["rows"]
    assert [(change.kind, change.template_item.number) for change, _diffs, _checked in rows] == [
        ("changed", "2."),
        ("added", "3."),
    ]
    changed_diffs = rows[0][1]
    assert changed_diffs == [("Мероприятие", "Положение о наставничестве", "Положение о программе наставничества ОО")]
    body = response.content.decode()
    assert "<del" in body and "Положение о программе наставничества ОО" in body
    # Nothing changed in the school's copy by the template's edit.
    assert data.copy.items.get(number="2.").title == "Положение о наставничестве"
    assert not data.copy.items.filter(number="3.").exists()


def test_it_takes_only_the_changes_the_school_marks(client, world, data):
    client.force_login(world.curator_a)
    url = reverse("roadmaps:template_changes", args=[data.copy.pk])
    added = data.template.items.get(number="3.")
    response = client.post(url, {"changes": [added.pk]}, follow=True)
    assert messages_of(response) == ["Принято изменений шаблона: 1."]
    assert data.copy.items.filter(number="3.", template_item=added).exists()
    assert data.copy.items.get(number="2.").title == "Положение о наставничестве"  # not taken
    assert "Изменения шаблона (1)" in client.get(data.copy.get_absolute_url()).content.decode()
    response = client.post(url, {"changes": []})
    assert response.context["form"].errors["changes"] == ["Отметьте изменения шаблона, которые нужно принять."]
    changed = data.template.items.get(number="2.")
    client.post(url, {"changes": [changed.pk]})
    assert data.copy.items.get(number="2.").title == "Положение о программе наставничества ОО"
    assert "Изменения шаблона" not in client.get(data.copy.get_absolute_url()).content.decode()
    assert RoadmapItem.objects.filter(roadmap=data.copy).count() == 3
