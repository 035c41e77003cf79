#!/usr/bin/env python
"""Speed of the home page's dashboard (monitoring.views.HomeView, monitoring.dashboard) on a region.

    .venv/bin/python bench/dashboard_bench.py [--scale 1.0] [--runs 5]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_dashboard] [--keep] [--reuse]

The region of `coverage_bench.py` (1,300 schools in 45 municipalities, 700,000 people, 200,000
pairs, times `--scale`), plus what the other charts read: every school's contingent for this
academic year and the last, the municipalities' indicator targets (2021 on), and in each
municipality an approved municipal roadmap of 24 items addressed to the schools, with every
school's execution marks (a third done, some overdue).

Two people open the home page through Django's test client (the whole request: middleware,
scoping, every figure, the four charts, the template):
- the coordinator of the 30-school municipality — target ≤ 300 ms;
- an observer of all 45 municipalities (the region view: the same figures per municipality and
  in total) — target ≤ 2 s.
Each is timed, the median of `--runs` after one warm-up (and the best run, this process's CPU
time and the time waiting for SQL, with the number of queries):
- the coordinator cold (the per-process figures' cache emptied and a journal line written before
  every run: the first visit after a change, which is every visit in a busy region) and warm;
- the observer at the first visit ever (no snapshot: the page computes the figures itself), after
  a write (the snapshot of `monitoring.snapshots` behind the data: shown, and a refresh queued
  for the worker without waiting) and warm; then what the worker's task takes to compute the
  snapshot again.
The load average is printed at the start and the end: other work on the machine slows every
figure but the CPU time. It prints figures and PASS/FAIL; it is a measurement, not a test (exit 0
unless it breaks). `--keep` keeps the region's database and `--reuse` measures it again without
building it (two minutes).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from dataclasses import dataclass

from bench_db import BenchError, database_exists, drop_database, recreate_database
from coverage_bench import build, configure

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_dashboard"
TARGETS_MS = {"coordinator": 300, "observer": 2000}
ITEMS_PER_ROADMAP = 24


def add_dashboard_data(schools, today: datetime.date) -> dict[str, int]:
    """Contingents, targets and the municipal roadmaps with their marks (bulk writes)."""
    from monitoring.coverage import academic_year
    from monitoring.indicators import load_demo_targets
    from registry.models import Contingent, Municipality, current_academic_year_start
    from roadmaps.choices import DeadlineKind, ExecutionStatus, RoadmapStatus
    from roadmaps.models import ItemExecution, Roadmap, RoadmapItem

    year = current_academic_year_start(today)
    contingents = [
        Contingent(
            organization=school,
            year_start=year_start,
            students_10_18=300 + school.pk % 200,
            students_15_18=120 + school.pk % 80,
            young_teachers=3 + school.pk % 5,
        )
        for school in schools
        for year_start in (year - 1, year)
    ]
    Contingent.objects.bulk_create(contingents, batch_size=2000)
    targets = sum(load_demo_targets(municipality, today=today) for municipality in Municipality.objects.all())
    start, end, _ = academic_year(year)
    by_municipality: dict[int, list] = {}
    for school in schools:
        by_municipality.setdefault(school.municipality_id, []).append(school)
    executions = []
    items_made = 0
    for municipality_id, own in by_municipality.items():
        roadmap = Roadmap.objects.create(
            municipality_id=municipality_id,
            title="Дорожная карта внедрения целевой модели наставничества",
            starts_on=start,
            ends_on=end,
            status=RoadmapStatus.APPROVED,
            order_number="122\\1-о",
            order_date=start,
        )
        items = RoadmapItem.objects.bulk_create(
            [
                RoadmapItem(
                    roadmap=roadmap,
                    position=n,
                    number=f"1.{n}.",
                    title=f"Мероприятие {n}",
                    deadline_text="в течение года",
                    deadline_kind=DeadlineKind.DATES,
                    due_start=start,
                    due_end=start + datetime.timedelta(days=15 * n),
                    responsible_organization="Руководители ОО",
                    for_schools=True,
                )
                for n in range(1, ITEMS_PER_ROADMAP + 1)
            ]
        )
        items_made += len(items)
        for item in items:
            for school in own:
                if (item.pk + school.pk) % 3 == 0:
                    status, done_on = ExecutionStatus.DONE, item.due_start
                elif (item.pk + school.pk) % 3 == 1:
                    status, done_on = ExecutionStatus.IN_PROGRESS, None
                else:
                    continue
                executions.append(ItemExecution(item=item, organization=school, status=status, done_on=done_on))
    ItemExecution.objects.bulk_create(executions, batch_size=5000)
    return {"contingents": len(contingents), "targets": targets, "items": items_made, "executions": len(executions)}


def someone_writes() -> None:
    """A journal line, as every write of the portal leaves: the figures are behind the data now (a
    busy region: someone writes every few seconds)."""
    from core.choices import AuditAction
    from core.models import AuditEntry

    AuditEntry.objects.create(action=AuditAction.UPDATE, object_id="bench")


@dataclass
class Timing:
    """Medians of `--runs` requests (ms): wall time, this process's CPU time (Django, Python) and
    the time spent waiting for the queries; the best wall time; the queries of the last run."""

    wall: float
    best: float
    cpu: float
    sql: float
    queries: int
    status: int


def time_page(client, runs: int, *, before=None) -> Timing:
    """GET / `runs` times after one warm-up; `before()` runs before every request, unmeasured."""
    from django.db import connection, reset_queries

    before = before or (lambda: None)
    before()
    client.get("/")  # warm-up
    walls, cpus, sqls = [], [], []
    connection.force_debug_cursor = True
    try:
        for _ in range(runs):
            before()
            reset_queries()
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get("/")
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            sqls.append(sum(float(query["time"]) for query in connection.queries) * 1000)
            queries = len(connection.queries)
    finally:
        connection.force_debug_cursor = False
    median = statistics.median
    return Timing(median(walls), min(walls), median(cpus), median(sqls), queries, response.status_code)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the region's size (1.0: 1,300 schools)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the region a previous `--keep` left (implies --keep)"
    )
    args = parser.parse_args()
    args.keep |= args.reuse
    try:
        if not (args.reuse and database_exists(args.database_url)):
            args.reuse = False
            recreate_database(args.database_url)
    except BenchError as error:
        print(error, file=sys.stderr)
        return 2
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    configure(args.database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.utils import timezone

    from core.choices import Role
    from core.models import RoleAssignment
    from core.testing.factories import UserFactory
    from monitoring.coverage import coverage_organizations
    from registry.models import Municipality

    failed = False
    try:
        call_command("migrate", verbosity=0, interactive=False)
        from django.contrib.auth import get_user_model
        from django.db import connection

        if args.reuse:
            municipality = Municipality.objects.order_by("pk").first()
            schools = list(coverage_organizations())
            coordinator = get_user_model().objects.get(username="bench-coordinator")
            observer = get_user_model().objects.get(username="bench-observer")
            print(f"Reused the region of {len(schools)} schools in {Municipality.objects.count()} municipalities")
        else:
            started = time.perf_counter()
            municipality, schools, counts = build(args.scale, args.seed)
            extra = add_dashboard_data(schools, timezone.localdate())
            coordinator = UserFactory(username="bench-coordinator")
            RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR, municipality=municipality)
            observer = UserFactory(username="bench-observer")
            RoleAssignment.objects.bulk_create(
                RoleAssignment(user=observer, role=Role.OBSERVER, municipality=m) for m in Municipality.objects.all()
            )
            print(
                f"Built {len(schools)} schools in {Municipality.objects.count()} municipalities, "
                f"{counts['people']:,} people, {counts['pairs']:,} pairs, {extra['contingents']:,} contingents, "
                f"{extra['targets']} targets, {extra['items']} roadmap items with {extra['executions']:,} marks "
                f"in {time.perf_counter() - started:.0f} s"
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # The hashed static names need `collectstatic`'s manifest; plain names cost the same to print.
        plain_static = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        override_settings(STORAGES=plain_static).enable()
        own = sum(1 for school in schools if school.municipality_id == municipality.pk)
        from django.core.cache import cache

        from monitoring.models import DashboardSnapshot

        def cold():
            cache.clear()
            someone_writes()

        def first_visit():
            cache.clear()
            DashboardSnapshot.objects.all().delete()

        coordinator_label = f"coordinator's home ({own} schools)"
        region_label = f"observer's home, the region ({len(schools)} schools)"
        measures = (
            # (label, user, before each request, target)
            (f"{coordinator_label}, cold (after a write)", coordinator, cold, TARGETS_MS["coordinator"]),
            (f"{coordinator_label}, warm", coordinator, None, None),
            (f"{region_label}, first visit ever (no snapshot)", observer, first_visit, None),
            (f"{region_label}, after a write (snapshot behind)", observer, cold, TARGETS_MS["observer"]),
            (f"{region_label}, warm", observer, None, None),
        )
        print(f"load average at the start: {os.getloadavg()[0]:.2f} (2 CPUs shared with other work)")
        for label, user, before, target in measures:
            client = Client()
            client.force_login(user)
            runs = 1 if before is first_visit else args.runs
            timing = time_page(client, runs, before=before)
            if timing.status != 200:
                raise RuntimeError(f"GET / answered {timing.status} for {user.username}")
            verdict = ""
            if target is not None:
                verdict = f"  (≤ {target} ms: {'PASS' if timing.wall <= target else 'FAIL'})"
                failed |= timing.wall > target
            print(
                f"{label:66} {timing.wall:6.0f} ms (best {timing.best:5.0f}, CPU {timing.cpu:4.0f}, "
                f"SQL {timing.sql:4.0f}) {timing.queries:3d} queries{verdict}"
            )
        started = time.perf_counter()
        from monitoring.snapshots import REGION
        from monitoring.tasks import refresh_dashboard_snapshot

        refresh_dashboard_snapshot.call(name=REGION, user_id=observer.pk)
        print(
            f"{'the worker computing the region snapshot again (the task)':66} "
            f"{(time.perf_counter() - started) * 1000:6.0f} ms"
        )
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database_url)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
