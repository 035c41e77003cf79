"""The region view's figures from a snapshot (monitoring.snapshots, issue 9 §6): computed at the first
visit, then shown from the database with «данные на HH:MM», recomputed by the worker's task after a
change, computed in the request when too old, and never shown to another scope."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.cache import scope_key
from core.choices import Role
from core.models import RoleAssignment
from core.testing.factories import OrganizationFactory, PersonFactory
from monitoring import snapshots
from monitoring.models import DashboardSnapshot
from monitoring.tasks import refresh_dashboard_snapshot
from registry import services
from registry.models import Municipality
from tests.mentorship.data import make_pairs

pytestmark = pytest.mark.django_db


@pytest.fixture
def observer(world):
    """An observer of two municipalities: their home page is the region view."""
    RoleAssignment.objects.create(user=world.observer, role=Role.OBSERVER, municipality=world.other_municipality)
    make_pairs(world)
    return type(world.observer).objects.get(pk=world.observer.pk)


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def persons_figure(html: str) -> int:
    """The people tile's figure (its data-figure), as tests/registry/test_figures.py reads them."""
    from tests.registry.test_figures import FigureLinks

    parser = FigureLinks()
    parser.feed(html)
    return dict(parser.figures)[reverse("registry:person_list")]


def fresh(user):
    """The user as a new request loads it (the scope and the data version are read once a request)."""
    return type(user).objects.get(pk=user.pk)


def snapshot_of(user) -> DashboardSnapshot:
    return DashboardSnapshot.objects.get(name=snapshots.REGION, scope_key=scope_key(user))


def worker(monkeypatch, enqueue):
    """The task as the page finds it, with `enqueue` in place of the queue."""

    class Task:
        pass

    Task.enqueue = staticmethod(enqueue)
    monkeypatch.setattr("monitoring.tasks.refresh_dashboard_snapshot", Task)


def add_person(world):
    services.person_save(person=PersonFactory.build(organization=world.school_a), user=world.curator_a)


def test_it_computes_the_region_view_at_the_first_visit_and_keeps_it(client, world, observer):
    assert not DashboardSnapshot.objects.exists()
    html = home(client, observer)
    snapshot = snapshot_of(observer)
    assert snapshot.data["summary"]["persons"] == persons_figure(html) > 0
    assert "Данные на " in html and "пересчитываются" not in html
    assert "Муниципалитеты региона" in html


def test_it_shows_the_snapshot_without_computing_the_figures(client, world, observer):
    home(client, observer)
    snapshot = snapshot_of(observer)
    snapshot.data["summary"]["persons"] = 987654  # what only the snapshot can say
    snapshot.save()

    client.force_login(observer)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("home")).content.decode()

    assert persons_figure(html) == 987654
    assert f"Данные на {timezone.localtime(snapshot.computed_at):%H:%M}" in html
    sql = " ".join(query["sql"] for query in captured.captured_queries).upper()
    assert "REGISTRY_PERSON" not in sql and "MENTORSHIP_PAIRMEMBER" not in sql


def test_it_shows_a_snapshot_behind_the_data_and_the_task_computes_it_again(client, world, observer):
    before = persons_figure(home(client, observer))
    old_version = snapshot_of(observer).data_version

    add_person(world)
    html = home(client, observer)

    # The page did not wait: it shows the snapshot and says that it is behind…
    assert persons_figure(html) == before
    assert "пересчитываются" in html
    # …and the worker's task (run at once by the tests' backend) computed it again.
    snapshot = snapshot_of(observer)
    assert snapshot.data_version > old_version and snapshot.refresh_requested_at is None
    assert snapshot.data["summary"]["persons"] == before + 1
    html = home(client, observer)
    assert persons_figure(html) == before + 1 and "пересчитываются" not in html


def test_it_asks_the_worker_once_while_a_refresh_is_pending(world, observer, monkeypatch):
    snapshots.snapshot_figures(snapshots.REGION, observer)
    add_person(world)
    asked = []
    worker(monkeypatch, lambda **kwargs: asked.append(kwargs))

    for _ in range(3):
        shown = snapshots.snapshot_figures(snapshots.REGION, fresh(observer))  # a request's user
        assert shown.behind

    assert asked == [{"name": snapshots.REGION, "user_id": observer.pk}]
    # Unanswered for longer than REFRESH_RETRY (the worker was down), it is asked again.
    DashboardSnapshot.objects.update(refresh_requested_at=timezone.now() - datetime.timedelta(minutes=5))
    snapshots.snapshot_figures(snapshots.REGION, fresh(observer))
    assert len(asked) == 2


def test_it_computes_in_the_request_a_snapshot_too_old_to_show(client, world, observer, monkeypatch):
    before = persons_figure(home(client, observer))
    add_person(world)
    DashboardSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(minutes=16))
    worker(monkeypatch, lambda **kwargs: pytest.fail("no refresh to ask"))

    html = home(client, observer)

    assert persons_figure(html) == before + 1 and "пересчитываются" not in html


def test_it_keeps_showing_an_old_snapshot_while_nothing_changed(client, world, observer, monkeypatch):
    home(client, observer)
    DashboardSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(hours=3))
    worker(monkeypatch, lambda **kwargs: pytest.fail("no refresh to ask"))

    with CaptureQueriesContext(connection) as captured:
        home(client, observer)

    assert "REGISTRY_PERSON" not in " ".join(q["sql"] for q in captured.captured_queries).upper()


def test_it_computes_again_on_another_day(world, observer, monkeypatch):
    snapshots.snapshot_figures(snapshots.REGION, observer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    shown = snapshots.snapshot_figures(snapshots.REGION, observer)

    assert shown.behind
    assert snapshot_of(observer).computed_on == tomorrow  # the tests' backend ran the task at once


def test_it_never_shows_one_scopes_figures_to_another(world, observer):
    PersonFactory.create_batch(3, organization=world.school_a)
    PersonFactory(organization=world.school_b)
    actors = [world.curator_a, world.director_a, world.curator_b, world.coordinator, observer]
    assert len({scope_key(user) for user in actors}) == len(actors)

    a = snapshots.snapshot_figures(snapshots.REGION, world.curator_a).data
    b = snapshots.snapshot_figures(snapshots.REGION, world.curator_b).data

    assert DashboardSnapshot.objects.count() == 2
    assert a["summary"]["persons"] != b["summary"]["persons"]
    assert b["summary"]["persons"] == world.school_b.persons.count()
    assert b["pairs"]["total"] == world.school_b.pairs.count()


def test_observers_of_the_same_municipalities_share_a_snapshot(world, observer):
    twin = type(observer).objects.create_user(username="twin", password="x")
    for municipality in (world.municipality, world.other_municipality):
        RoleAssignment.objects.create(user=twin, role=Role.OBSERVER, municipality=municipality)
    single = type(observer).objects.create_user(username="single", password="x")
    RoleAssignment.objects.create(user=single, role=Role.OBSERVER, municipality=world.municipality)
    assert scope_key(twin) == scope_key(observer)
    assert scope_key(single) != scope_key(observer)


def test_the_task_skips_a_user_who_was_deactivated(world, observer):
    type(observer).objects.filter(pk=observer.pk).update(is_active=False)
    result = refresh_dashboard_snapshot.call(name=snapshots.REGION, user_id=observer.pk)
    assert result == {"status": "skipped"} and not DashboardSnapshot.objects.exists()


def test_the_region_page_takes_the_same_queries_whatever_the_number_of_municipalities(client, world, observer):
    def queries() -> int:
        snapshots.compute_snapshot(snapshots.REGION, fresh(observer))
        client.force_login(observer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for n in range(3):
        more = Municipality.objects.create(name=f"Район {n}", region="Край", authority_name="Управление")
        OrganizationFactory(municipality=more)
        RoleAssignment.objects.create(user=observer, role=Role.OBSERVER, municipality=more)
    assert queries() == before
