#!/usr/bin/env python
"""Speed of the roadmap pages a coordinator and a curator open every day: the matrix of a
municipal roadmap's items × schools, the roadmap's page, a school's due list, and the Excel export.

    .venv/bin/python bench/roadmap_bench.py [--schools 60] [--items 40]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_roadmaps] [--keep]

The municipality: `--schools` general-education schools, a municipal roadmap in the shape of the
Назарово roadmap (stages of items, most addressed to «Руководители ОО») repeated to `--items`
items, a school roadmap for the first school, and every school's execution marked at random
(a third done, some in progress, some not required). The pages are fetched through Django's test
client as the coordinator and the first school's curator, 21 times each; the figures are the
medians of the last 20, with the number of queries. The target is the house's: a page under
300 ms. This prints the figures; it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_db import BenchError, drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_roadmaps"
TARGET_MS = 300
HOST = "bench.local"
DEADLINES = [
    "Май-октябрь 2026 г.",
    "Сентябрь-ноябрь Ежегодно 2025 – 2028 гг.",
    "Май, ежегодно с 2026 года",
    "2026-2027 учебный год",
    "до 1 декабря 2026 года",
    "Ежегодно",
    "постоянно",
    "по мере необходимости",
    "В соответствии со сроками реализации программ наставничества",
]


def configure(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DEBUG"] = "0"  # DEBUG keeps every query's SQL: not what production does
    os.environ["SECRET_KEY"] = "bench-" + secrets.token_urlsafe(40)
    os.environ["DATABASE_URL"] = database_url
    os.environ["ALLOWED_HOSTS"] = HOST
    # The pages link their static files through the manifest, as in production: collected once here.
    os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="bench-roadmaps-static-")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-roadmaps-media-")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(school_count: int, item_count: int, seed: int):
    """The municipality through the services (items are parsed as an import would)."""
    from django.contrib.auth import get_user_model

    from core.choices import Role
    from core.models import RoleAssignment
    from core.scoping import system_user
    from registry.choices import OrganizationKind
    from registry.models import Municipality, Organization
    from roadmaps import services
    from roadmaps.choices import ExecutionStatus
    from roadmaps.models import ItemExecution, Roadmap

    rng = random.Random(seed)
    system = system_user()
    municipality = Municipality.objects.create(name="город Бенчмарк")
    schools = Organization.objects.bulk_create(
        Organization(
            municipality=municipality,
            kind=OrganizationKind.SCHOOL,
            full_name=f"Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № {n}»",
            short_name=f"МБОУ «СОШ № {n}»",
        )
        for n in range(1, school_count + 1)
    )
    roadmap = services.roadmap_save(
        roadmap=Roadmap(
            municipality=municipality,
            title="Дорожная карта внедрения целевой модели наставничества на период реализации 2025-2028 гг.",
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2028, 12, 31),
        ),
        user=system,
    )
    parsed = []
    stage_index = None
    for n in range(item_count):
        if n % 6 == 0:
            stage_index = len(parsed)
            parsed.append(services.ParsedItem(number=f"{n // 6 + 1}.", level=1, title=f"Этап {n // 6 + 1}"))
            continue
        parsed.append(
            services.ParsedItem(
                number=f"{n // 6 + 1}.{n % 6}.",
                level=2,
                title=f"Мероприятие {n}: формирование школьного реестра наставников",
                deadline_text=DEADLINES[n % len(DEADLINES)],
                responsible_municipal="Управление образования",
                responsible_organization="Руководители ОО, куратор" if n % 5 else "",
                parent_index=stage_index,
            )
        )
    services.roadmap_items_import(roadmap=roadmap, items=parsed, user=system)
    school_roadmap = services.roadmap_save(
        roadmap=Roadmap(
            municipality=municipality,
            organization=schools[0],
            title="Дорожная карта школы на 2026/2027 учебный год",
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2027, 8, 31),
        ),
        user=system,
    )
    services.roadmap_items_import(
        roadmap=school_roadmap,
        items=[
            services.ParsedItem(number=f"{n}.", level=1, title=f"Пункт {n}", deadline_text=DEADLINES[n % 5])
            for n in range(1, 21)
        ],
        user=system,
    )
    states = [ExecutionStatus.DONE] * 3 + [ExecutionStatus.IN_PROGRESS] * 2 + [ExecutionStatus.NOT_REQUIRED]
    executions = []
    for item in roadmap.items.filter(for_schools=True):
        for school in schools:
            if rng.random() < 0.7:
                status = rng.choice(states)
                executions.append(
                    ItemExecution(
                        item=item,
                        organization=school,
                        status=status,
                        done_on=datetime.date(2026, 10, 1) if status == ExecutionStatus.DONE else None,
                        comment="Выполнено, приказ по школе" if status == ExecutionStatus.DONE else "",
                    )
                )
    ItemExecution.objects.bulk_create(executions, batch_size=2000)
    users = get_user_model().objects
    coordinator = users.create_user("bench_coordinator", password=secrets.token_urlsafe(12))
    RoleAssignment.objects.create(user=coordinator, role=Role.COORDINATOR, municipality=municipality)
    curator = users.create_user("bench_curator", password=secrets.token_urlsafe(12))
    RoleAssignment.objects.create(user=curator, role=Role.CURATOR, organization=schools[0])
    return roadmap, school_roadmap, coordinator, curator, len(executions)


def measure(client, url: str) -> tuple[float, float, int, int]:
    from django.db import connection, reset_queries

    timings = []
    queries = 0
    size = 0
    for _ in range(21):
        connection.force_debug_cursor = True
        reset_queries()
        start = time.perf_counter()
        response = client.get(url, HTTP_HOST=HOST)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        timings.append((time.perf_counter() - start) * 1000)
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        if response.status_code != 200:
            raise BenchError(f"{url} answered {response.status_code}")
        size = len(content)
    return statistics.median(timings[1:]), max(timings[1:]), queries, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=60)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    try:
        recreate_database(args.database_url)
    except BenchError as error:
        print(error, file=sys.stderr)
        return 2
    configure(args.database_url)
    import time_machine
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    failed = False
    try:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        started = time.perf_counter()
        with time_machine.travel(datetime.datetime(2026, 11, 21, 10, 0), tick=True):
            roadmap, school_roadmap, coordinator, curator, executions = build(args.schools, args.items, args.seed)
            print(
                f"Built {args.schools} schools, a municipal roadmap of {roadmap.items.count()} items "
                f"({roadmap.items.filter(for_schools=True).count()} addressed to schools), {executions} execution marks "
                f"in {time.perf_counter() - started:.1f} s"
            )
            pages = [
                (coordinator, "matrix", reverse("roadmaps:matrix", args=[roadmap.pk])),
                (coordinator, "roadmap page", reverse("roadmaps:roadmap_detail", args=[roadmap.pk])),
                (coordinator, "export (.xlsx)", reverse("roadmaps:roadmap_export", args=[roadmap.pk])),
                (curator, "curator: municipal roadmap page", reverse("roadmaps:roadmap_detail", args=[roadmap.pk])),
                (curator, "curator: school roadmap page", reverse("roadmaps:roadmap_detail", args=[school_roadmap.pk])),
                (curator, "curator: due list", reverse("roadmaps:due_list")),
                (curator, "curator: home page", reverse("home")),
            ]
            for user, label, url in pages:
                client = Client()
                client.force_login(user)
                median, worst, queries, size = measure(client, url)
                verdict = "PASS" if median < TARGET_MS else "FAIL"
                failed |= median >= TARGET_MS
                print(
                    f"{label:34} median {median:6.0f} ms, max {worst:6.0f} ms, {queries:3} queries, "
                    f"{size / 1024:7.0f} KB  (< {TARGET_MS} ms: {verdict})"
                )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database_url)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
