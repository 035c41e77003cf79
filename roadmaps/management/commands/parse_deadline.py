"""`manage.py parse_deadline "TEXT" [--period START:END] [--json]`: how the portal reads the deadline
of a roadmap item («сроки исполнения»), for administrators' scripts and for checking a phrase by hand.

With `--json` it prints exactly `{"text": …, "kind": …, "windows": [["YYYY-MM-DD", "YYYY-MM-DD"], …]}`
(`roadmaps.deadlines.Schedule.as_dict`); scripts rely on that shape. Without it, one line per window.
The period is the roadmap's (`--period 2021-01-01:2024-12-31`, or anything `parse_period` reads, such
as «2024/2025 учебный год»); without it, the current calendar year."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from roadmaps.deadlines import KINDS, parse_deadline, parse_period

KIND_NAMES = dict(KINDS)


class Command(BaseCommand):
    help = (
        "Разобрать срок исполнения пункта дорожной карты и показать его окна дат. "
        "Без --period период дорожной карты — текущий календарный год."
    )
    # Reads no model and no database: nothing to check before it runs.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("text", help="Срок, как он записан в дорожной карте, например «Май-октябрь 2020 г.».")
        parser.add_argument(
            "--period",
            help=(
                "Период дорожной карты: ГГГГ-ММ-ДД:ГГГГ-ММ-ДД (например 2021-01-01:2024-12-31), "
                "или «2021-2024», или «2024/2025 учебный год». По умолчанию — текущий календарный год."
            ),
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help='Напечатать {"text": …, "kind": …, "windows": [["ГГГГ-ММ-ДД", "ГГГГ-ММ-ДД"], …]}.',
        )

    def handle(self, *args, text, period, as_json, **options):
        schedule = parse_deadline(text, period=self._period(period))
        if as_json:
            self.stdout.write(json.dumps(schedule.as_dict(), ensure_ascii=False))
            return
        for start, end in schedule.windows:
            self.stdout.write(f"{start:%d.%m.%Y}" if start == end else f"{start:%d.%m.%Y} – {end:%d.%m.%Y}")
        if not schedule.windows:
            self.stdout.write(KIND_NAMES[schedule.kind])

    @staticmethod
    def _period(value):
        if value is None:
            year = timezone.localdate().year
            return date(year, 1, 1), date(year, 12, 31)
        period = parse_period(value)
        if period is None:
            raise CommandError(
                f"Не удалось прочитать период --period «{value}»: ожидается ГГГГ-ММ-ДД:ГГГГ-ММ-ДД, "
                "например 2021-01-01:2024-12-31."
            )
        return period
