"""The home page's figures are cached per scope and computed again as soon as anything is written
(core.cache): a write shows up on the next visit, and a visit within the minute costs no aggregate."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.cache import cached_for_scope
from core.testing.factories import ConsentFactory, MenteeRecordFactory, PersonFactory
from registry import services
from registry.choices import ConsentKind


def figure(client, url: str, href: str) -> int:
    from tests.registry.test_figures import figures_on

    return dict(figures_on(client, url))[href]


def test_it_shows_a_new_person_at_the_next_visit(client, world):
    client.force_login(world.curator_a)
    people = reverse("registry:person_list")
    before = figure(client, reverse("home"), people)

    services.person_save(person=PersonFactory.build(organization=world.school_a), user=world.curator_a)

    assert figure(client, reverse("home"), people) == before + 1


def test_it_shows_a_withdrawal_at_the_next_visit(client, world):
    person = MenteeRecordFactory(person=PersonFactory(organization=world.school_a)).person
    consent = ConsentFactory(person=person, kind=ConsentKind.MENTORING)
    client.force_login(world.coordinator)
    withdrawn = reverse("registry:person_list") + "?withdrawn=only"
    assert figure(client, reverse("home"), withdrawn) == 0

    services.consent_withdraw(consent=consent, user=world.curator_a, on=timezone.localdate())

    assert figure(client, reverse("home"), withdrawn) == 1


def test_it_serves_a_second_visit_without_the_aggregates(client, world):
    PersonFactory(organization=world.school_a)
    client.force_login(world.coordinator)
    client.get(reverse("home"))

    with CaptureQueriesContext(connection) as second:
        client.get(reverse("home"))

    sql = " ".join(query["sql"] for query in second.captured_queries)
    assert "COUNT(" not in sql.upper()


def test_it_keeps_figures_apart_for_users_of_different_scopes(world):
    calls = []

    def compute(name):
        calls.append(name)
        return name

    assert cached_for_scope("x", world.curator_a, lambda: compute("a")) == "a"
    assert cached_for_scope("x", world.curator_b, lambda: compute("b")) == "b"
    assert cached_for_scope("x", world.curator_a, lambda: compute("again")) == "a"
    assert calls == ["a", "b"]


def test_it_computes_again_on_another_day(world, monkeypatch):
    values = iter(["monday", "tuesday"])
    assert cached_for_scope("d", world.curator_a, lambda: next(values)) == "monday"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert cached_for_scope("d", world.curator_a, lambda: next(values)) == "tuesday"
