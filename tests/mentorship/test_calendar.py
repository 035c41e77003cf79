"""The calendar of pairs: `manage.py advance_pairs` and the worker's daily run of it
(settings.DAILY_COMMANDS), without core importing mentorship."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from core import tasks
from core.management.commands.worker import Housekeeping
from core.models import AuditEntry
from mentorship.models import EventKind, Pair, PairStatus
from tests.mentorship.helpers import approved, teacher_mentor, young_teacher

DAY = datetime.timedelta(days=1)


@pytest.fixture
def two_pairs(world):
    """An approved pair that starts in ten days and an active one that ends in five."""
    today = timezone.localdate()
    mentor = teacher_mentor(world.school_a)
    starting = approved(
        organization=world.school_a,
        mentor=mentor,
        mentees=[young_teacher(world.school_a)],
        start=today + 10 * DAY,
        end=today + 200 * DAY,
    )
    ending = approved(
        organization=world.school_a,
        mentor=mentor,
        mentees=[young_teacher(world.school_a)],
        start=today - 100 * DAY,
        end=today + 5 * DAY,
    )
    assert (starting.status, ending.status) == (PairStatus.APPROVED, PairStatus.ACTIVE)
    return starting, ending


def advance(*args: str) -> str:
    out = io.StringIO()
    call_command("advance_pairs", *args, stdout=out)
    return out.getvalue()


def status_changes(pair: Pair) -> list:
    return [
        entry.changes["статус"]
        for entry in AuditEntry.objects.for_object(pair).filter(action="update").order_by("pk")
        if "статус" in entry.changes
    ]


def test_it_activates_and_completes_pairs_on_a_given_date(two_pairs):
    starting, ending = two_pairs
    on = starting.start_on

    output = advance("--date", on.isoformat())

    assert output.strip() == (f"Календарь пар на {on:%d.%m.%Y}: начали действовать — 1 пара, завершены — 1 пара.")
    starting.refresh_from_db()
    ending.refresh_from_db()
    assert starting.status == PairStatus.ACTIVE
    assert (ending.status, ending.ended_on) == (PairStatus.COMPLETED, ending.end_on)
    assert starting.events.filter(kind=EventKind.ACTIVATED, on=starting.start_on).count() == 1
    assert ending.events.filter(kind=EventKind.COMPLETED, on=ending.end_on).count() == 1
    # The audit line of the approval, then the calendar's.
    assert status_changes(starting) == [["Черновик", "Утверждена"], ["Утверждена", "Действует"]]
    assert status_changes(ending) == [["Черновик", "Действует"], ["Действует", "Завершена"]]


def test_it_changes_nothing_twice_and_prints_json(two_pairs):
    on = two_pairs[0].start_on.isoformat()

    assert json.loads(advance("--date", on, "--json")) == {"activated": 1, "completed": 1}
    assert json.loads(advance("--date", on, "--json")) == {"activated": 0, "completed": 0}


def test_it_does_nothing_before_the_dates_come(two_pairs):
    assert json.loads(advance("--json")) == {"activated": 0, "completed": 0}
    assert "начали действовать — 0 пар, завершены — 0 пар" in advance()


def test_it_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        advance("--date", "01.09.2026")


def test_the_worker_runs_the_calendar_daily_by_the_setting(two_pairs, settings, monkeypatch):
    starting, _ending = two_pairs
    Pair.objects.filter(pk=starting.pk).update(start_on=timezone.localdate())
    settings.DAILY_COMMANDS = ["purge_expired", "advance_pairs"]
    monkeypatch.setattr(tasks, "sweep_stuck_jobs", lambda **kwargs: [])
    lines = []

    Housekeeping(log=lines.append).tick()

    starting.refresh_from_db()
    assert starting.status == PairStatus.ACTIVE
    assert any(line.startswith("purge_expired: ") for line in lines)
    assert any(line.startswith("advance_pairs: ") and "1 пара" in line for line in lines)


def test_a_failing_daily_command_does_not_stop_the_next(two_pairs, settings, monkeypatch):
    starting, _ending = two_pairs
    Pair.objects.filter(pk=starting.pk).update(start_on=timezone.localdate())
    settings.DAILY_COMMANDS = ["no_such_command", "advance_pairs"]
    monkeypatch.setattr(tasks, "sweep_stuck_jobs", lambda **kwargs: [])
    lines = []

    Housekeeping(log=lines.append).tick()

    starting.refresh_from_db()
    assert starting.status == PairStatus.ACTIVE
    assert any("no_such_command" in line and "ошибкой" in line for line in lines)


def test_core_imports_no_app_of_the_portal():
    """Apps import downward only: the worker runs `advance_pairs` by name. (core.testing's
    factories, for the tests, are the one exception.)"""
    import ast
    from pathlib import Path

    import core

    root = Path(core.__file__).parent
    for path in root.rglob("*.py"):
        if "testing" in path.relative_to(root).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            assert not any(name.split(".")[0] in {"mentorship", "registry", "monitoring"} for name in names), path
