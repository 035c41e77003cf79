"""The demo's roadmaps (roadmaps.demo): the Назарово municipal roadmap of seed 000 with its years
moved around the day of loading, its execution spread over the schools (done with evidence, in
progress, not required, overdue), curator1's school roadmap in seed 002's shape with items due
within 14 days and one overdue; loaded by `load_demo`, which changes nothing when run again."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEntry, RoleAssignment
from registry import demo as registry_demo
from registry.models import Municipality
from roadmaps import selectors
from roadmaps.choices import ExecutionStatus, RoadmapStatus
from roadmaps.demo import load_demo_roadmaps, year_shift
from roadmaps.models import ItemExecution, ItemWindow, Roadmap, RoadmapItem

D = datetime.date


def _load(today: datetime.date):
    registry_demo.load_demo(scale=0.01, today=today)
    municipality = Municipality.objects.get(name=registry_demo.DEMO_MUNICIPALITY)
    counts, notes = load_demo_roadmaps(municipality=municipality, today=today)
    return municipality, counts, notes


def _curator1_school():
    return RoleAssignment.objects.select_related("organization").get(user__username="curator1").organization


@pytest.mark.django_db
def test_it_imports_the_municipal_roadmap_moved_to_the_years_around_today():
    today = D(2026, 11, 21)
    municipality, counts, notes = _load(today)
    assert notes == []
    roadmap = Roadmap.objects.get(organization__isnull=True)
    assert roadmap.municipality == municipality
    assert roadmap.title == (
        "Дорожная карта внедрения целевой модели наставничества для образовательных организаций города Назарово "
        "Красноярского края на период реализации 2025-2028 гг."
    )
    assert (roadmap.starts_on, roadmap.ends_on) == (D(2025, 1, 1), D(2028, 12, 31))
    assert (roadmap.status, roadmap.order_number, roadmap.order_date) == (
        RoadmapStatus.APPROVED,
        "122\\1-о",
        D(2024, 5, 26),
    )
    assert roadmap.items.count() == 24
    item = roadmap.items.get(number="3.1")
    assert item.deadline_text == "Сентябрь-ноябрь Ежегодно 2025 – 2028 гг."
    assert list(item.windows.values_list("starts_on", "ends_on"))[1] == (D(2026, 9, 1), D(2026, 11, 30))
    assert roadmap.items.get(number="1.").deadline_text == "Май-октябрь 2024 г."
    assert counts["roadmaps"] == 2
    assert counts["roadmap_items"] == 24 + 33


@pytest.mark.django_db
def test_its_matrix_has_done_overdue_in_progress_and_not_required_cells():
    today = D(2026, 11, 21)
    _load(today)
    roadmap = Roadmap.objects.get(organization__isnull=True)
    matrix = selectors.execution_matrix(roadmap, today=today)
    assert len(matrix.rows) == 16
    cells = [cell for row in matrix.rows for cell in row.cells]
    statuses = {cell.status for cell in cells}
    assert statuses == set(ExecutionStatus.values)
    assert any(cell.overdue for cell in cells)
    assert matrix.total.done > 0 and matrix.total.overdue > 0
    done = ItemExecution.objects.filter(status=ExecutionStatus.DONE, item__roadmap=roadmap)
    assert all(e.done_on <= today for e in done)
    with_file = done.exclude(evidence="")
    assert with_file.exists()
    assert all(e.evidence.open("rb").read(5) == b"%PDF-" for e in with_file)
    assert done.exclude(link="").exists() and done.exclude(comment="").exists()
    # The authority's own past items are marked by the coordinator.
    own = ItemExecution.objects.filter(item__roadmap=roadmap, organization__isnull=True)
    assert {e.item.number for e in own} == {"1.1.", "1.2.", "1.3."}
    assert {e.updated_by.username for e in own} == {"coordinator"}


@pytest.mark.django_db
def test_it_gives_curator1_items_due_within_14_days_and_one_overdue():
    today = D(2026, 11, 21)
    _load(today)
    school = _curator1_school()
    roadmap = Roadmap.objects.get(organization=school)
    assert (roadmap.starts_on, roadmap.ends_on) == (D(2026, 9, 1), D(2027, 8, 31))
    assert roadmap.title == (
        f"«Дорожная карта» реализации целевой модели наставничества в {school.short_name} на 2026-2027 учебный год"
    )
    assert roadmap.items.count() == 33
    due = selectors.due_items(school, today=today, within_days=selectors.DUE_SOON_DAYS)
    own = [d for d in due if d.item.roadmap_id == roadmap.pk]
    assert [(d.item.number, d.overdue, d.next_end) for d in own] == [
        ("9.", True, None),
        ("2.1.1.", False, D(2026, 11, 26)),
        ("2.1.2.", False, D(2026, 12, 1)),
    ]
    assert roadmap.items.get(number="9.").deadline_text == "До 9 ноября 2026 г."
    marked = ItemExecution.objects.filter(item__roadmap=roadmap)
    assert {e.updated_by.username for e in marked} == {"curator1"}
    assert marked.filter(status=ExecutionStatus.NOT_REQUIRED, item__number="7.4.").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("moment", [D(2026, 9, 3), D(2027, 2, 15), D(2027, 8, 25)])
def test_it_keeps_curator1s_due_items_whatever_the_day(moment):
    _load(moment)
    school = _curator1_school()
    due = selectors.due_items(school, today=moment, within_days=selectors.DUE_SOON_DAYS)
    assert sum(d.overdue for d in due) >= 1
    assert sum(not d.overdue for d in due) >= 2
    municipal = Roadmap.objects.get(organization__isnull=True)
    assert municipal.starts_on <= moment <= municipal.ends_on
    assert year_shift(moment) == moment.year - 2022


@pytest.mark.django_db
def test_load_demo_loads_them_and_changes_nothing_when_run_again():
    import time_machine

    moment = datetime.datetime(2026, 11, 21, 12, tzinfo=ZoneInfo("Europe/Moscow"))
    with time_machine.travel(moment, tick=False):
        out = StringIO()
        call_command("load_demo", "--scale", "0.1", stdout=out)
        assert timezone.localdate() == D(2026, 11, 21)
    lines = [line.split(maxsplit=1) for line in out.getvalue().splitlines()]
    assert ["2", "дорожные карты"] in lines
    assert ["57", "пунктов"] in lines
    snapshot = [
        (model.objects.count(), model.objects.order_by("-pk").values_list("pk", flat=True).first())
        for model in (Roadmap, RoadmapItem, ItemWindow, ItemExecution, AuditEntry)
    ]
    with time_machine.travel(moment, tick=False):
        again = StringIO()
        call_command("load_demo", "--scale", "0.1", stdout=again)
    assert "уже загружен" in again.getvalue()
    assert [
        (model.objects.count(), model.objects.order_by("-pk").values_list("pk", flat=True).first())
        for model in (Roadmap, RoadmapItem, ItemWindow, ItemExecution, AuditEntry)
    ] == snapshot


@pytest.mark.django_db
def test_it_adds_the_roadmaps_to_a_demo_loaded_before_it_had_them():
    from monitoring.demo import load_demo

    today = D(2026, 11, 21)
    registry_demo.load_demo(scale=0.01, today=today)
    from mentorship.demo import load_demo_pairs

    municipality = Municipality.objects.get(name=registry_demo.DEMO_MUNICIPALITY)
    load_demo_pairs(municipality=municipality, seed=registry_demo.DEFAULT_SEED, today=today)
    assert not Roadmap.objects.exists()
    counts, notes = load_demo(scale=0.01, today=today)
    assert notes[0] == "Демо-муниципалитет был загружен без дорожных карт: они добавлены."
    assert counts["roadmaps"] == 2
    assert load_demo(scale=0.01, today=today) == (None, [])


@pytest.mark.django_db
def test_reset_deletes_the_roadmaps_with_their_files_and_loads_them_again():
    from django.db import transaction

    from monitoring.demo import load_demo

    today = D(2026, 11, 21)
    load_demo(scale=0.01, today=today)
    first = set(Roadmap.objects.values_list("pk", flat=True))
    files = [e.evidence.name for e in ItemExecution.objects.exclude(evidence="")]
    assert files
    with transaction.atomic():
        _counts, notes = load_demo(scale=0.01, today=today, reset=True)
    assert "Удалены дорожные карты прежнего демо-муниципалитета (2 дорожные карты)." in notes
    assert first.isdisjoint(Roadmap.objects.values_list("pk", flat=True))
    assert Roadmap.objects.count() == 2
