"""Roadmaps and their items through the pages: the document's numbering, order and wording kept;
a deadline the parser does not understand marked «срок не распознан» for a person to set its dates
by hand; the schools a municipal item addresses; the roadmap's level chosen by the coordinator and
fixed to the school for a curator."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmaps import services
from roadmaps.choices import DeadlineKind, RoadmapStatus
from roadmaps.models import Roadmap, RoadmapItem
from tests.roadmaps.data import add_item, make_roadmap, make_roadmaps

UNRECOGNISED = "В соответствии со сроками реализации программ наставничества"


@pytest.fixture
def data(world):
    return make_roadmaps(world)


def item_form(**fields) -> dict:
    base = {"number": "", "parent": "", "title": "", "deadline_text": ""}
    base.update({"responsible_municipal": "", "responsible_organization": "", "result": ""})
    return {**base, **fields}


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def test_it_adds_an_item_and_says_how_it_read_the_deadline(client, world):
    roadmap = make_roadmap(world.municipality, world.school_a, title="Дорожная карта школы")
    stage = add_item(roadmap, "1.", "Организационный этап")
    client.force_login(world.curator_a)
    year = roadmap.starts_on.year + 1
    response = client.post(
        reverse("roadmaps:item_create", args=[roadmap.pk]),
        item_form(
            number="1.1.",
            parent=stage.pk,
            title="Сбор согласий родителей",
            deadline_text=f"Сентябрь-ноябрь {year} г.",
            responsible_organization="Куратор",
            result="Согласия",
        ),
        follow=True,
    )
    item = RoadmapItem.objects.get(number="1.1.")
    assert (item.parent, item.level, item.position) == (stage, 2, 2)
    assert (item.due_start, item.due_end) == (datetime.date(year, 9, 1), datetime.date(year, 11, 30))
    assert messages_of(response) == [
        "Пункт добавлен.",
        f"Срок «Сентябрь-ноябрь {year} г.» понят так: 01.09.{year} – 30.11.{year}.",
    ]
    assert response.redirect_chain[-1][0] == f"{roadmap.get_absolute_url()}#item-{item.pk}"


def test_it_marks_an_unrecognised_deadline_and_takes_dates_set_by_hand(client, world, data):
    item = data.unrecognised_item
    client.force_login(world.coordinator)
    edit = reverse("roadmaps:item_update", args=[item.pk])
    body = client.get(data.municipal.get_absolute_url()).content.decode()
    assert f'href="{edit}#manual-windows"' in body
    assert "срок не распознан — задайте даты" in body
    form_page = client.get(edit).content.decode()
    assert "Срок пункта не распознан: задайте даты" in form_page
    # The manual dates come right after the deadline when it is unrecognised.
    assert form_page.index('id="manual-windows"') < form_page.index('name="responsible_municipal"')

    start = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(
        edit,
        item_form(
            number=item.number,
            parent=item.parent_id,
            title=item.title,
            deadline_text=UNRECOGNISED,
            responsible_organization=item.responsible_organization,
            window_1_start=start,
            window_1_end=start + datetime.timedelta(days=5),
            window_2_start=start + datetime.timedelta(days=30),
            window_2_end=start + datetime.timedelta(days=40),
        ),
        follow=True,
    )
    item.refresh_from_db()
    assert item.deadline_manual and item.deadline_recognised
    assert item.deadline_text == UNRECOGNISED  # kept as written
    assert [(w.starts_on, w.ends_on) for w in item.windows.all()] == [
        (start, start + datetime.timedelta(days=5)),
        (start + datetime.timedelta(days=30), start + datetime.timedelta(days=40)),
    ]
    assert item.due_end == start + datetime.timedelta(days=40)
    assert "(даты заданы вручную)" in messages_of(response)[-1]
    assert "срок не распознан — задайте даты" not in client.get(data.municipal.get_absolute_url()).content.decode()
    # The school now sees the item with its next end in its due list.
    client.force_login(world.curator_a)
    due = client.get(reverse("roadmaps:due_list")).context["table"].data.data
    [entry] = [entry for entry in due if entry.item.pk == item.pk]
    assert entry.next_end == start + datetime.timedelta(days=5)


def test_it_returns_to_the_parsed_dates_when_the_manual_ones_are_cleared(client, world, data):
    item = data.schools_item
    client.force_login(world.coordinator)
    edit = reverse("roadmaps:item_update", args=[item.pk])
    fields = item_form(
        number=item.number,
        parent=item.parent_id,
        title=item.title,
        deadline_text=item.deadline_text,
        responsible_organization=item.responsible_organization,
    )
    day = timezone.localdate() + datetime.timedelta(days=100)
    client.post(edit, {**fields, "window_1_start": day, "window_1_end": day})
    item.refresh_from_db()
    assert item.deadline_manual and item.due_end == day
    # The edit form shows the manual dates again; emptied, the parsed deadline is back.
    assert f'value="{day:%Y-%m-%d}"' in client.get(edit).content.decode()
    client.post(edit, fields)
    item.refresh_from_db()
    assert not item.deadline_manual
    assert item.due_end == timezone.localdate() + datetime.timedelta(days=5)


def test_it_names_the_row_of_a_half_filled_pair_of_dates(client, world, data):
    item = data.unrecognised_item
    client.force_login(world.coordinator)
    response = client.post(
        reverse("roadmaps:item_update", args=[item.pk]),
        item_form(number=item.number, title=item.title, deadline_text=UNRECOGNISED, window_2_start="2026-09-01"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"window_2_end": ["Срок 2: укажите окончание или очистите обе даты."]}
    item.refresh_from_db()
    assert not item.deadline_manual and item.deadline_kind == DeadlineKind.UNRECOGNISED


def test_it_offers_as_parent_only_the_items_of_the_same_roadmap(client, world, data):
    client.force_login(world.curator_a)
    url = reverse("roadmaps:item_create", args=[data.school.pk])
    choices = {value for value, _ in client.get(url).context["form"].fields["parent"].choices if value}
    assert {int(str(value)) for value in choices} == {item.pk for item in data.school_items}
    foreign = data.copy.items.first()
    response = client.post(url, item_form(number="4.", title="Чужой родитель", parent=foreign.pk))
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not RoadmapItem.objects.filter(title="Чужой родитель").exists()


def test_it_addresses_a_municipal_item_to_the_schools_ticked(client, world, data):
    client.force_login(world.coordinator)
    url = reverse("roadmaps:item_create", args=[data.municipal.pk])
    schools = client.get(url).context["form"].fields["organizations"].queryset
    assert list(schools) == [world.school_a, world.school_b]  # not the other municipality's
    client.post(url, item_form(number="2.4.", title="Пилотная площадка", organizations=[world.school_b.pk]))
    item = RoadmapItem.objects.get(number="2.4.")
    assert item.for_schools and list(item.organizations.all()) == [world.school_b]
    # Nothing ticked: the responsibles decide («Руководители ОО»: every school).
    client.post(url, item_form(number="2.5.", title="Отчёт школ", responsible_organization="Руководители ОО"))
    item = RoadmapItem.objects.get(number="2.5.")
    assert item.for_schools and not item.organizations.exists()
    response = client.post(
        url, item_form(number="2.6.", title="Чужая школа", organizations=[world.school_elsewhere.pk])
    )
    assert "organizations" in response.context["form"].errors


def test_it_keeps_the_documents_numbering_order_and_levels_on_the_page(client, world, data):
    client.force_login(world.coordinator)
    response = client.get(data.municipal.get_absolute_url())
    rows = response.context["rows"]
    assert [row.item.number for row in rows] == ["1.", "1.1.", "1.2.", "1.3.", "2.", "2.1.", "2.2.", "2.3."]
    assert [row.is_heading for row in rows] == [True, False, False, False, True, False, False, False]
    body = response.content.decode()
    stage = re.search(rf'<tr id="item-{rows[0].item.pk}">.*?</tr>', body, re.S).group(0)
    assert 'class="fw-semibold link-body-emphasis' in stage
    sub = re.search(rf'<tr id="item-{rows[1].item.pk}">.*?</tr>', body, re.S).group(0)
    assert '<div class="ps-4">' in sub
    # The deadline as worded, the windows beside it; «постоянно» and the recognised addressees.
    assert "В соответствии со сроками реализации программ наставничества" in body
    assert "Кураторы ЦМН в ОО" in body and "Руководители ОО" in body
    assert str(world.school_b) in body  # named by item 2.3.


def test_it_describes_the_windows_as_a_person_reads_them(world):
    from roadmaps.templatetags.roadmap_pages import schedule_label

    roadmap = make_roadmap(world.municipality, starts_on=datetime.date(2021, 1, 1), ends_on=datetime.date(2024, 12, 31))
    texts = {
        "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.": "4 периода: сентябрь–ноябрь 2021–2024",
        "Май-октябрь 2022 г.": "01.05.2022 – 31.10.2022",
        "До 1 июня 2021 г.": "до 01.06.2021",
        "постоянно": "постоянно",
        "по мере необходимости": "по мере необходимости",
        "02.11.2022 18.12.2022 МАОУ «СОШ № 7»": "2 периода: 02.11.2022; 18.12.2022",
        "ежеквартально": "16 периодов: ежеквартально, январь 2021 – декабрь 2024",
        "ежемесячно": "48 периодов: ежемесячно, январь 2021 – декабрь 2024",
    }
    for text, label in texts.items():
        item = add_item(roadmap, "", "Пункт", deadline=text)
        assert schedule_label(item) == label, text
    item = add_item(roadmap, "", "Пункт", deadline="по согласованию")
    assert schedule_label(item) == ""  # the page shows «срок не распознан» instead
    services.item_save(item=item, user=None, windows=[(datetime.date(2022, 3, 1), datetime.date(2022, 3, 15))])
    assert schedule_label(item) == "01.03.2022 – 15.03.2022 (даты заданы вручную)"


def test_it_lets_the_coordinator_choose_the_level_and_fixes_a_curators_to_the_school(client, world):
    client.force_login(world.coordinator)
    url = reverse("roadmaps:roadmap_create")
    choices = dict(client.get(url).context["form"].fields["level"].choices)
    assert choices == {
        f"m{world.municipality.pk}": "Муниципальная",
        f"o{world.school_a.pk}": f"Школьная — {world.school_a}",
        f"o{world.school_b.pk}": f"Школьная — {world.school_b}",
    }
    fields = {
        "title": "Дорожная карта на 2026/2027 учебный год",
        "starts_on": "2026-09-01",
        "ends_on": "2027-08-31",
        "order_number": "",
        "order_date": "",
        "status": RoadmapStatus.DRAFT,
    }
    client.post(url, {**fields, "level": f"m{world.municipality.pk}"})
    roadmap = Roadmap.objects.get()
    assert roadmap.is_municipal and roadmap.municipality == world.municipality
    assert roadmap.period_label == "2026/2027 учебный год"

    client.force_login(world.curator_a)
    form = client.get(url).context["form"]
    assert form.fields["level"].choices == [(f"o{world.school_a.pk}", f"Школьная — {world.school_a}")]
    assert 'type="hidden" name="level"' in client.get(url).content.decode()
    response = client.post(url, {**fields, "level": f"m{world.municipality.pk}"})
    assert "level" in response.context["form"].errors  # a curator cannot make a municipal one
    client.post(url, {**fields, "title": "Школьная", "level": f"o{world.school_a.pk}"})
    assert Roadmap.objects.get(title="Школьная").organization == world.school_a


def test_it_puts_the_services_refusal_of_a_period_on_its_field(client, world):
    client.force_login(world.curator_a)
    response = client.post(
        reverse("roadmaps:roadmap_create"),
        {
            "level": f"o{world.school_a.pk}",
            "title": "Дорожная карта",
            "starts_on": "2026-09-01",
            "ends_on": "2040-08-31",
            "status": RoadmapStatus.DRAFT,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["Период длиннее 10 лет: проверьте годы."]
    assert not Roadmap.objects.exists()


def test_it_lists_what_goes_with_a_roadmap_before_deleting_it(client, world, data):
    client.force_login(world.curator_a)
    url = reverse("roadmaps:roadmap_delete", args=[data.school.pk])
    body = client.get(url).content.decode()
    assert "Пункты дорожных карт: 3" in body
    assert data.school_items[0].title in body
    assert client.post(url).status_code == 302
    assert not Roadmap.objects.filter(pk=data.school.pk).exists()
    assert not RoadmapItem.objects.filter(pk=data.school_items[0].pk).exists()
