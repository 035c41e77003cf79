"""`manage.py worker`: the portal's background worker — django-tasks-db's `db_worker`, plus the
upkeep that keeps import and document jobs from staying stuck.

It takes every option of `db_worker` (which still works, without the upkeep). Before it takes
the first task it ends the jobs that cannot finish any more (core.tasks.sweep_stuck_jobs and
core.document_tasks.sweep_stuck_documents: a worker that died, a job over its time limit, a lost
task) and runs the daily management
commands named in `settings.DAILY_COMMANDS` (`purge_expired`: expired import files;
`advance_pairs`: the calendar of pairs); then a thread repeats the sweep every minute and the
daily commands every day while the worker runs. The commands are run by name, so that core
imports no app of the portal. Its worker id is «host:pid:random», so that the next worker
started on the same machine recognises the jobs of this one if it dies.

Why a thread in the worker rather than a task that enqueues itself again: such a task would add
a row to the task results every minute (1,440 a day in the admin), and would wait in the queue
behind a long import, exactly when a stuck job elsewhere needs sweeping. Under --reload
(DEBUG) tasks run outside the main thread, where the task's own alarm cannot fire; the sweep's
limit still ends a job that runs too long.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import validate_worker_id

from core import document_tasks, tasks

logger = logging.getLogger("core.worker")


def run_command(name: str) -> str:
    """Run a management command by name; return what it printed."""
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


class Housekeeping:
    """The worker's upkeep, on a clock: the sweep every SWEEP_SECONDS, the commands of
    `settings.DAILY_COMMANDS` every DAILY_SECONDS, both at once on the first tick (the worker's
    start-up)."""

    SWEEP_SECONDS = 60
    DAILY_SECONDS = 24 * 60 * 60

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        log: Callable[[str], None],
        worker_id: str = "",
        run: Callable[[str], str] = run_command,
    ):
        self.clock = clock
        self.log = log
        self.worker_id = worker_id
        self.run = run
        self.last_sweep: float | None = None
        self.last_daily: float | None = None

    def tick(self) -> None:
        now = self.clock()
        if self.last_sweep is None or now - self.last_sweep >= self.SWEEP_SECONDS:
            startup = self.last_sweep is None
            self.last_sweep = now
            swept = tasks.sweep_stuck_jobs(startup=startup, own_worker_id=self.worker_id)
            swept += document_tasks.sweep_stuck_documents(startup=startup, own_worker_id=self.worker_id)
            if startup:
                self.log(f"Обработчик запущен. Отмечено как прерванные: {len(swept)}.")
            elif swept:
                self.log(f"Отмечено как прерванные: {len(swept)}.")
        if self.last_daily is None or now - self.last_daily >= self.DAILY_SECONDS:
            self.last_daily = now
            self.run_daily()

    def run_daily(self) -> None:
        """Each daily command in turn; one that fails is logged and does not stop the others."""
        for name in getattr(settings, "DAILY_COMMANDS", ()):
            try:
                output = self.run(name)
            except Exception:
                logger.exception("Daily command %s failed", name)
                self.log(f"Ежедневная команда {name} завершилась ошибкой (подробности в журнале).")
                continue
            for line in output.strip().splitlines():
                self.log(f"{name}: {line}")

    def run_forever(self, stop: threading.Event, every: float = 5.0) -> None:
        try:
            while not stop.wait(every):
                try:
                    close_old_connections()
                    self.tick()
                except Exception:  # the upkeep must never stop; the next tick tries again
                    logger.exception("Worker upkeep failed")
        finally:
            connection.close()


class Command(DbWorkerCommand):
    help = (
        "Фоновый обработчик портала: задачи очереди (как db_worker), уход за загрузками и ежедневные команды "
        "(DAILY_COMMANDS: purge_expired, advance_pairs)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # «host:pid:random» instead of db_worker's random string (see the module's docstring).
        for action in parser._actions:
            if action.dest == "worker_id":
                action.default = None
                action.type = validate_worker_id

    def handle(self, *args, **options):
        options["worker_id"] = options.get("worker_id") or tasks.worker_id()
        # Under --reload the first process only watches the code; the upkeep runs in the one that works.
        reloading = options.get("reload") and not options.get("batch")
        if not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            housekeeping = Housekeeping(log=self.stdout.write, worker_id=options["worker_id"])
            housekeeping.tick()
            if not options.get("batch"):
                stop = threading.Event()
                threading.Thread(
                    target=housekeeping.run_forever, args=(stop,), name="worker-upkeep", daemon=True
                ).start()
        super().handle(*args, **options)
