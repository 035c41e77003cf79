"""`manage.py campaign_reminders [--today YYYY-MM-DD]`: the daily letters of the open campaigns.

«До срока 3 дня» to the schools whose answer is not sent when the deadline is 3 days away or
fewer, «срок прошёл» once it has passed (monitoring.notices.send_due_notices). Each goes once per
school and campaign, whatever restarts the worker: the worker (`manage.py worker`) runs this
daily through `settings.DAILY_COMMANDS`, and by hand it catches up after the worker was stopped."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from monitoring.notices import send_due_notices


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Дата {value!r} не понята: нужна дата в виде ГГГГ-ММ-ДД, например 2026-09-01.") from None


class Command(BaseCommand):
    help = "Напоминания школам о сроке сбора информации (за 3 дня и после срока), каждое один раз."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="На какую дату (ГГГГ-ММ-ДД); по умолчанию — сегодня.")

    def handle(self, *args, today: str | None, **options):
        day = parse_date(today) if today else None
        sent = send_due_notices(day)
        self.stdout.write(f"Отправлено: до срока 3 дня — {sent['due_soon']}, срок прошёл — {sent['overdue']}.")
