"""Every figure about pairs on a home page equals the pair list it links to, and the card says the
same as the list: each condition is defined once (mentorship.selectors), and where the card needs
it in Python (the missing months, who lacks a consent) the two are compared here pair by pair."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentorship import selectors
from mentorship.models import Pair
from tests.mentorship.data import make_pairs
from tests.registry.test_figures import figures_on, list_count

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def data(world):
    return make_pairs(world)


@pytest.mark.parametrize("actor", ["coordinator", "observer", "curator_a", "director_a", "curator_b"])
def test_it_shows_on_the_home_page_only_pair_figures_that_equal_their_lists(client, world, data, actor):
    client.force_login(getattr(world, actor))
    figures = [(url, shown) for url, shown in figures_on(client, reverse("home")) if url.startswith("/pairs/")]
    if actor in ("coordinator", "observer", "curator_a", "director_a"):
        assert figures, "the home page shows figures about pairs"
    for url, shown in figures:
        assert list_count(client, url) == shown, url


def test_it_gives_the_curator_the_next_steps_about_pairs_with_their_counts(client, world, data):
    client.force_login(world.curator_a)
    body = client.get(reverse("home")).content.decode()
    assert "Направьте руководителю на утверждение черновики: 1 пара." in body
    assert "Требуют внимания: 1 пара" in body
    assert "Просрочены итоговые отчёты: 1 пара" in body
    assert "Нет ежемесячного отчёта наставника:" in body
    figures = dict(figures_on(client, reverse("home")))
    assert figures[reverse("mentorship:pair_list") + "?approval=to_send"] == 1
    assert figures[reverse("mentorship:pair_list") + "?attention=yes"] == 1


def test_it_shows_the_director_what_awaits_their_order(client, world, data):
    client.force_login(world.director_a)
    body = client.get(reverse("home")).content.decode()
    assert "Ждут утверждения приказом" in body
    assert reverse("mentorship:pair_approve") in body
    assert dict(figures_on(client, reverse("home")))[reverse("mentorship:pair_list") + "?approval=awaiting"] == 1


def test_it_shows_the_coordinator_pairs_by_school_form_and_status(client, world, data):
    client.force_login(world.coordinator)
    figures = figures_on(client, reverse("home"))
    by_status = [(url, shown) for url, shown in figures if url.startswith("/pairs/?organization=") and "status=" in url]
    assert (
        sum(shown for _url, shown in by_status)
        == Pair.objects.filter(organization__municipality=world.municipality).count()
    )
    assert (
        f"/pairs/?organization={world.school_b.pk}&form={data.other.form_id}&status=active",
        1,
    ) in by_status


@pytest.mark.parametrize("days", [0, 1, 15, 31, 45, 62, 100])
def test_it_counts_the_missing_months_in_sql_as_the_card_lists_them(world, data, days):
    on = TODAY + datetime.timedelta(days=days)
    in_sql = set(Pair.objects.filter(selectors.months_missing_condition(on)).values_list("pk", flat=True))
    in_python = {
        pair.pk
        for pair in Pair.objects.all()
        if selectors.missing_months(pair, set(pair.monthly_reports.values_list("month", flat=True)), on)
    }
    assert in_sql == in_python
    assert data.active.pk in in_sql


def test_it_tells_on_the_card_what_the_list_marks(client, world, data):
    client.force_login(world.curator_a)
    attention = set(Pair.objects.filter(selectors.attention_condition()).values_list("pk", flat=True))
    overdue = set(Pair.objects.filter(selectors.reports_overdue_condition()).values_list("pk", flat=True))
    for pair in Pair.objects.filter(organization=world.school_a):
        context = client.get(pair.get_absolute_url()).context
        assert bool(context["attention"]) is (pair.pk in attention), pair
        assert context["reports_overdue"] is (pair.pk in overdue), pair
    body = client.get(data.completed.get_absolute_url()).content.decode()
    assert f"Итоговые отчёты просрочены: их срок — {data.completed.reports_due_on:%d.%m.%Y}" in body
    body = client.get(data.attention.get_absolute_url()).content.decode()
    assert "Требует внимания" in body
