"""`manage.py advance_pairs [--date YYYY-MM-DD] [--json]`: the calendar of pairs.

An approved pair begins («действует») on its start date; a live pair is completed once its
(extended) end has passed (mentorship.services.advance_pairs, each with its event and its audit
line). The worker (`manage.py worker`) runs it daily through `settings.DAILY_COMMANDS`; by hand it
catches up after the worker was stopped. `--date` runs the calendar as of another day;
`--json` prints `{"activated": n, "completed": n}` for scripts."""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.russian import count_noun
from mentorship.services import advance_pairs

PAIRS = "пара,пары,пар"


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Дата {value!r} не понята: нужна дата в виде ГГГГ-ММ-ДД, например 2026-09-01.") from None


class Command(BaseCommand):
    help = (
        "Календарь пар: утверждённые пары начинают действовать в дату начала, действующие завершаются "
        "после даты окончания. Advance pairs by their dates."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="На какую дату (ГГГГ-ММ-ДД); по умолчанию — сегодня.")
        parser.add_argument("--json", action="store_true", help='Вывести {"activated": n, "completed": n}.')

    def handle(self, *args, date: str | None, json: bool, **options):
        today = parse_date(date) if date else timezone.localdate()
        counts = advance_pairs(today=today)
        if json:
            self.stdout.write(_dumps(counts))
            return
        self.stdout.write(
            f"Календарь пар на {today:%d.%m.%Y}: начали действовать — {count_noun(counts['activated'], PAIRS)}, "
            f"завершены — {count_noun(counts['completed'], PAIRS)}."
        )


def _dumps(counts: dict[str, int]) -> str:
    return json.dumps({"activated": counts["activated"], "completed": counts["completed"]})
