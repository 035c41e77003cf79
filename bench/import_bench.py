#!/usr/bin/env python
"""Speed and memory of the persons import, against openpyxl's read-only floor.

    .venv/bin/python bench/import_bench.py [--rows 10000 100000]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_import] [--keep]

The issue's targets: a 10,000-row persons file is validated, matched and saved on PostgreSQL
in at most 2× the time openpyxl takes only to read it (read-only mode, every row), and a
100,000-row file goes through the background worker with the process's peak memory under
500 MB. This prints the figures and PASS/FAIL; it is a measurement, not a test.

It works in a database of its own, which it creates (dropping a previous one of the same
name), migrates and drops at the end (unless --keep): never the developer's database. See
bench/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import gc
import io
import json
import os
import platform
import pstats
import random
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench_db import BenchError, database_name, drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_import"
DEFAULT_SEED = 2025

TARGET_RATIO = 2.0  # import time / read-only floor, 10,000 rows on PostgreSQL
TARGET_RATIO_ROWS = 10_000
TARGET_RSS_MB = 500  # peak RSS of the worker process importing 100,000 rows
WORKER_ROWS = 100_000
IE_ROWS = 10_000  # django-import-export reference runs

HEADER = ["ФИО", "Дата рождения", "Категория", "Класс", "Телефон"]
WORKER_MARK = "BENCH-WORKER "


# Arguments and environment --------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000], help="file sizes (rows)")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL URL of the bench database; its name must contain «bench» (it is dropped and re-created)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench database at the end")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the generated people")
    parser.add_argument("--floor-repeat", type=int, default=3, help="read the file this many times; the best counts")
    parser.add_argument(
        "--ie-default-rows",
        type=int,
        default=IE_ROWS,
        help="rows for django-import-export's default mode (fewer: rows/s are measured and 10,000 extrapolated)",
    )
    parser.add_argument("--skip-ie", action="store_true", help="skip the django-import-export reference runs")
    parser.add_argument(
        "--worker-rows", type=int, default=WORKER_ROWS, help="run the file of this size through the worker too"
    )
    parser.add_argument("--skip-worker", action="store_true", help="skip the background-worker run")
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="after the measurements, import (and re-import) each size again under cProfile; "
        "write DIR/import_<rows>.prof and print the top functions",
    )
    parser.add_argument("--worker-job", type=int, help=argparse.SUPPRESS)  # the worker subprocess
    parser.add_argument("--launcher", action="store_true", help=argparse.SUPPRESS)  # starts the worker
    args = parser.parse_args(argv)
    args.rows = sorted(set(args.rows))
    return args


def configure_environment(database_url: str, media_root: str) -> None:
    """Settings for this process and the worker subprocess (which inherits the environment).

    DEBUG stays off: with DEBUG on, Django keeps the SQL of the last 9,000 queries (the bulk
    INSERTs are megabytes each) and formats every query, which inflates both time and memory
    and is not what the worker does in production. A throwaway SECRET_KEY lets the base
    settings load without DEBUG."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DEBUG"] = "0"
    os.environ["SECRET_KEY"] = "bench-" + secrets.token_urlsafe(40)
    os.environ["DATABASE_URL"] = database_url
    os.environ["MEDIA_ROOT"] = media_root
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# The bench database ---------------------------------------------------------------------------


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


@dataclass
class Fixture:
    school_id: int
    curator_id: int

    def school(self):
        from registry.models import Organization

        return Organization.objects.select_related("municipality").get(pk=self.school_id)

    def curator(self):
        """A fresh user object: its scope is computed anew, as in a new request or job."""
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(pk=self.curator_id)


def create_fixture() -> Fixture:
    """A municipality with three schools and a curator of the first (the real scoped path)."""
    from django.contrib.auth import get_user_model

    from core.choices import Role
    from core.models import RoleAssignment
    from registry.choices import OrganizationKind
    from registry.models import Municipality, Organization

    municipality = Municipality.objects.create(
        name="город Бенчмарково",
        region="Красноярский край",
        authority_name="Управление образования администрации города Бенчмарково",
    )
    schools = [
        Organization.objects.create(
            municipality=municipality,
            kind=OrganizationKind.SCHOOL,
            short_name=f"МБОУ «СОШ № {number}»",
            full_name=f"Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № {number}»",
        )
        for number in (1, 2, 3)
    ]
    curator = get_user_model().objects.create_user(username="bench-curator", password=None)
    RoleAssignment.objects.create(user=curator, role=Role.CURATOR, organization=schools[0])
    return Fixture(school_id=schools[0].pk, curator_id=curator.pk)


def clear_persons() -> None:
    """Empty the persons and the journal (TRUNCATE: a delete of 100,000 audited rows would take long)."""
    from django.db import connection

    from core.models import AuditEntry
    from registry.models import Person

    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Person, AuditEntry))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def person_count() -> int:
    from registry.models import Person

    return Person.objects.count()


# The people -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    last: str
    first: str
    middle: str
    birth_date: datetime.date
    category: str  # PersonCategory value
    class_name: str
    phone: str

    def cells(self) -> list:
        label = "Обучающийся" if self.category == "student" else "Педагог"
        return [f"{self.last} {self.first} {self.middle}", self.birth_date, label, self.class_name, self.phone]


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def generate_people(count: int, seed: int) -> list[Row]:
    """`count` different people of one school: ~85 % students aged 7–17 with their class,
    the rest teachers; names as the demo makes them (Faker ru_RU surnames, first names of the
    generation, patronymics from a father's name); a mobile phone for ~70 %."""
    from faker import Faker

    from registry.demo import NameMaker
    from registry.models import full_years, years_ago

    rng = random.Random(seed * 1_000_003 + count)
    fake = Faker("ru_RU")
    fake.seed_instance(seed * 1_000_003 + count)
    names = NameMaker(rng, fake)
    today = datetime.date.today()
    students = (years_ago(18, today) + datetime.timedelta(days=1), years_ago(7, today))
    teachers = (years_ago(64, today), years_ago(23, today))
    seen: set[tuple] = set()
    rows: list[Row] = []
    while len(rows) < count:
        if rng.random() < 0.85:
            birth = _date_between(rng, *students)
            grade = min(11, max(1, full_years(birth, today) - 6))
            category, class_name = "student", f"{grade}{rng.choice('АБВГ')}"
        else:
            birth = _date_between(rng, *teachers)
            category, class_name = "teacher", ""
        name = names.person(rng.choice(("m", "f")), birth.year)
        key = (name.last.casefold(), name.first.casefold(), name.middle.casefold(), birth)
        if key in seen:
            continue
        seen.add(key)
        phone = ""
        if rng.random() < 0.7:
            digits = rng.randrange(10**9)
            phone = (
                f"+7 9{digits // 10**7:02d} {digits // 10**4 % 1000:03d}-{digits // 100 % 100:02d}-{digits % 100:02d}"
            )
        rows.append(Row(name.last, name.first, name.middle, birth, category, class_name, phone))
    return rows


def write_xlsx(rows: list[Row], path: Path) -> bytes:
    """The file as the portal's own exports write it: a header row, real Excel dates."""
    from core.spreadsheets import SafeWorkbook

    book = SafeWorkbook()
    book.add_sheet("Люди", HEADER, (row.cells() for row in rows))
    content = book.to_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return content


# Measurements ---------------------------------------------------------------------------------


def measure_floor(content: bytes, repeat: int) -> tuple[float, int]:
    """openpyxl read-only, every row with values_only: the best of `repeat` reads, data rows read."""
    from openpyxl import load_workbook

    best = float("inf")
    rows = 0
    for _ in range(max(1, repeat)):
        gc.collect()
        started = time.perf_counter()
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = 0
        for _values in book.worksheets[0].iter_rows(values_only=True):
            rows += 1
        book.close()
        best = min(best, time.perf_counter() - started)
    return best, rows - 1  # less the header


def _timed_importer_class():
    from registry.importers import PersonImporter

    class TimedPersonImporter(PersonImporter):
        """PersonImporter, unchanged, noting how long `check` (read, validate, match) and `save` take."""

        timings: dict[str, float]

        def check(self, rows, plan, progress):
            started = time.perf_counter()
            try:
                return super().check(rows, plan, progress)
            finally:
                self.timings["check"] = time.perf_counter() - started

        def save(self, plan):
            started = time.perf_counter()
            try:
                return super().save(plan)
            finally:
                self.timings["save"] = time.perf_counter() - started

    return TimedPersonImporter


@dataclass
class ImportRun:
    seconds: float
    check: float
    save: float
    summary: dict


def measure_import(fixture: Fixture, name: str, content: bytes, *, expect: str, rows: int, dry_run=False) -> ImportRun:
    """One `run_import` call, timed whole: the importer's set-up, reading, checking, matching, saving."""
    from core.importing import run_import

    importer_class = _timed_importer_class()
    user, school = fixture.curator(), fixture.school()
    timings: dict[str, float] = {"check": 0.0, "save": 0.0}
    gc.collect()
    started = time.perf_counter()
    importer = importer_class(user=user, organization=school)
    importer.timings = timings
    result = run_import(importer, name=name, content=content, dry_run=dry_run)
    seconds = time.perf_counter() - started
    _expect(result, expect, rows, saved=not dry_run)
    return ImportRun(seconds, timings["check"], timings["save"], result.summary)


def _expect(result, expect: str, rows: int, *, saved: bool) -> None:
    if result.file_error or result.errors or result.saved != saved or result.summary.get(expect) != rows:
        errors = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in result.errors[:5])
        raise BenchError(
            f"Unexpected import result: saved={result.saved}, summary={result.summary}, "
            f"file_error={result.file_error!r}, errors ({len(result.errors)}): {errors}"
        )


class Launcher:
    """A small process, started before this one grows, that starts one worker and waits for it.

    On Linux a child's ru_maxrss starts from the RSS of the process it was forked from (the
    kernel carries the high-water mark over the fork and the exec), so a worker started from
    this process, big after the in-process imports, would report this process's size. Started
    from a launcher of a few MB, getrusage(RUSAGE_CHILDREN).ru_maxrss in the launcher is the
    worker's own peak."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--launcher"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )

    def run(self, job_id: int) -> dict:
        stdout, _ = self.process.communicate(f"{job_id}\n")
        lines = [line for line in stdout.splitlines() if line.startswith(WORKER_MARK)]
        if self.process.returncode != 0 or not lines:
            raise BenchError(f"The worker failed ({self.process.returncode}):\n{stdout}")
        return json.loads(lines[-1][len(WORKER_MARK) :])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.communicate("")  # no job: the launcher exits


def launcher_main() -> int:
    """In the launcher: run the worker for the job id read from stdin; add its peak RSS."""
    job_id = sys.stdin.readline().strip()
    if not job_id:
        return 0
    started = time.perf_counter()
    process = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker-job", job_id],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    lines = [line for line in process.stdout.splitlines() if line.startswith(WORKER_MARK)]
    if process.returncode != 0 or not lines:
        print(f"worker exit {process.returncode}\n{process.stdout}\n{process.stderr}")
        return 1
    report = json.loads(lines[-1][len(WORKER_MARK) :])
    report.update(
        wall=wall,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        launcher_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    print(WORKER_MARK + json.dumps(report))
    return 0


def run_worker(launcher: Launcher, fixture: Fixture, name: str, content: bytes, rows: int, *, expect: str) -> dict:
    """An ImportJob with the file in storage, run by `run_import_job` in a worker process of its own."""
    from django.core.files.base import ContentFile

    from core.models import ImportJob

    # Queued for saving, as the page's «Сохранить» leaves it (the task runs only such a save).
    job = ImportJob(
        user_id=fixture.curator_id,
        kind="persons",
        organization_id=fixture.school_id,
        original_name=name,
        status=ImportJob.Status.SAVING,
    )
    job.file.save(name, ContentFile(content), save=False)
    job.save()
    report = launcher.run(job.pk)
    job.refresh_from_db()
    if job.status != ImportJob.Status.DONE or job.result.get("summary", {}).get(expect) != rows:
        raise BenchError(f"The worker's job ended {job.status}: {json.dumps(job.result, ensure_ascii=False)[:2000]}")
    if person_count() != rows:
        raise BenchError(f"{person_count()} persons after the worker's job, not {rows}")
    report.update(rows=rows, expect=expect)
    return report


def _vm_hwm_mb() -> float | None:
    """The process's own RSS high-water mark (VmHWM: of its memory since the exec, nothing inherited)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def worker_main(job_id: int) -> None:
    """In the worker: what `manage.py db_worker` does with the job, run synchronously."""
    setup_django()
    from core.tasks import run_import_job

    started = time.perf_counter()
    outcome = run_import_job.call(job_id=job_id, save=True)
    seconds = time.perf_counter() - started
    print(WORKER_MARK + json.dumps({"call": seconds, "vm_hwm_mb": _vm_hwm_mb(), "outcome": outcome}))


# django-import-export, for reference ----------------------------------------------------------

IE_FIELDS = ("last_name", "first_name", "middle_name", "birth_date", "category", "class_name", "organization")
IE_IDENTITY = ("last_name", "first_name", "middle_name", "birth_date", "organization")


def _ie_resources():
    from import_export import fields, resources, widgets
    from import_export.instance_loaders import CachedInstanceLoader

    from registry.models import Organization, Person

    class PersonResource(resources.ModelResource):
        """Default settings; rows are found again by the person's identity (the table has no id column)."""

        class Meta:
            model = Person
            fields = IE_FIELDS
            import_id_fields = IE_IDENTITY

    class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
        """An organization is looked up once, not once per row."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.cache: dict = {}

        def get_instance_by_lookup_fields(self, value, row, **kwargs):
            if value not in self.cache:
                self.cache[value] = super().get_instance_by_lookup_fields(value, row, **kwargs)
            return self.cache[value]

    class IdentityCachedInstanceLoader(CachedInstanceLoader):
        """CachedInstanceLoader for several import_id_fields (the stock one keys on the first only):
        the persons of the file's organizations are loaded in one query."""

        def __init__(self, resource, dataset=None):
            self.resource, self.dataset = resource, dataset
            self.id_fields = [resource.fields[name] for name in resource.get_import_id_fields()]
            organizations = {row["organization"] for row in dataset.dict} if dataset else set()
            self.all_instances = {
                tuple(getattr(person, field.attribute) for field in self.id_fields): person
                for person in resource.get_queryset().filter(organization_id__in=organizations)
            }

        def get_instance(self, row):
            return self.all_instances.get(tuple(field.clean(row) for field in self.id_fields))

    class BulkPersonResource(PersonResource):
        organization = fields.Field(
            attribute="organization_id",
            column_name="organization",
            widget=CachedForeignKeyWidget(Organization, key_is_id=True),
        )

        class Meta(PersonResource.Meta):
            use_bulk = True
            batch_size = 1000
            skip_unchanged = True
            instance_loader_class = IdentityCachedInstanceLoader

    return PersonResource, BulkPersonResource


def ie_dataset(rows: list[Row], organization_id: int):
    import tablib

    dataset = tablib.Dataset(headers=list(IE_FIELDS))
    for row in rows:
        dataset.append([row.last, row.first, row.middle, row.birth_date, row.category, row.class_name, organization_id])
    return dataset


def measure_ie(resource_class, dataset, *, expect: str) -> float:
    resource = resource_class()
    started = time.perf_counter()
    result = resource.import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors() or result.totals.get(expect) != len(dataset):
        raise BenchError(f"django-import-export: unexpected totals {dict(result.totals)}")
    return seconds


# Profiling ------------------------------------------------------------------------------------


def profile_import(fixture: Fixture, name: str, content: bytes, rows: int, directory: Path) -> None:
    from core.importing import run_import
    from registry.importers import PersonImporter

    directory.mkdir(parents=True, exist_ok=True)
    for label, expect in (("import", "new"), ("reimport", "unchanged")):
        if expect == "new":
            clear_persons()
        profiler = cProfile.Profile()
        importer = PersonImporter(user=fixture.curator(), organization=fixture.school())
        profiler.enable()
        result = run_import(importer, name=name, content=content, dry_run=False)
        profiler.disable()
        _expect(result, expect, rows, saved=True)
        path = directory / f"{label}_{rows}.prof"
        profiler.dump_stats(str(path))
        print(f"\n--- cProfile: {label}, {rows:,} rows ({path}); top 35 by cumulative time ---")
        stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats("cumulative")
        stats.print_stats(35)


# Output ---------------------------------------------------------------------------------------


def rate(rows: int, seconds: float) -> str:
    return f"{seconds:7.2f} s ({rows / seconds:>8,.0f}/s)"


def environment_line() -> str:
    import django
    import openpyxl
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return (
        f"PostgreSQL {server} (database {connection.settings_dict['NAME']}), Python {platform.python_version()}, "
        f"Django {django.get_version()}, openpyxl {openpyxl.__version__}, {os.cpu_count()} CPUs, {platform.machine()}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker_job is not None:
        worker_main(args.worker_job)
        return 0
    if args.launcher:
        return launcher_main()

    database_name(args.database_url)  # refuse a wrong database before anything else
    media_root = tempfile.mkdtemp(prefix="bench-media-")
    configure_environment(args.database_url, media_root)
    # The worker runs' launchers start now, while this process is small (see Launcher).
    worker_runs = 2 if args.worker_rows in args.rows and not args.skip_worker else 0
    launchers = [Launcher() for _ in range(worker_runs)]
    try:
        print(f"Creating the bench database {database_name(args.database_url)} …", flush=True)
        recreate_database(args.database_url)
        setup_django()
        migrate()
        fixture = create_fixture()
        return run(args, fixture, launchers)
    finally:
        for launcher in launchers:
            launcher.close()
        from django.db import connections

        connections.close_all()
        shutil.rmtree(media_root, ignore_errors=True)
        if args.keep:
            print(f"Kept the database {database_name(args.database_url)}.")
        else:
            drop_database(args.database_url)


def run(args: argparse.Namespace, fixture: Fixture, launchers: list[Launcher]) -> int:
    print(environment_line(), flush=True)
    files: dict[int, tuple[str, bytes]] = {}
    warm: list[Row] = []
    for rows in args.rows:
        started = time.perf_counter()
        people = generate_people(rows, args.seed)
        name = f"persons_{rows}.xlsx"
        content = write_xlsx(people, OUT / name)
        files[rows] = (name, content)
        warm = warm or people[:200]
        print(
            f"Generated {OUT / name}: {rows:,} rows, {len(content) / 2**20:.1f} MB "
            f"(not measured, {time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    # The generated rows are not kept: a big live heap would slow every garbage collection
    # of the measured code (the worker process has no such heap either).
    del people

    # Warm up the import's code paths (lazy imports, translations, content types) on a small file.
    measure_import(fixture, "warmup.xlsx", write_xlsx(warm, OUT / "warmup.xlsx"), expect="new", rows=200, dry_run=True)
    del warm

    results = []
    workers: list[dict] = []
    for rows in args.rows:
        name, content = files[rows]
        print(f"\n{rows:,} rows:", flush=True)
        floor, read = measure_floor(content, args.floor_repeat)
        if read != rows:
            raise BenchError(f"The floor read {read} rows, not {rows}")
        print(f"  floor (openpyxl read-only)   {rate(rows, floor)}", flush=True)
        clear_persons()
        first = measure_import(fixture, name, content, expect="new", rows=rows)
        if person_count() != rows:
            raise BenchError(f"{person_count()} persons saved, not {rows}")
        print(
            f"  import (empty table)         {rate(rows, first.seconds)}  {first.seconds / floor:.2f}×"
            f"   [check {first.check:.2f} s, save {first.save:.2f} s]",
            flush=True,
        )
        again = measure_import(fixture, name, content, expect="unchanged", rows=rows)
        print(
            f"  re-import (all unchanged)    {rate(rows, again.seconds)}  {again.seconds / floor:.2f}×"
            f"   [check {again.check:.2f} s, save {again.save:.2f} s]",
            flush=True,
        )
        results.append((rows, floor, first, again))
        if rows == args.worker_rows and not args.skip_worker:
            clear_persons()
            cases = (("worker (empty table)", "new"), ("worker (re-import)", "unchanged"))
            for launcher, (label, expect) in zip(launchers, cases, strict=True):
                run = run_worker(launcher, fixture, name, content, rows, expect=expect)
                run.update(label=label, floor=floor)
                workers.append(run)
                print(
                    f"  {label:<29}{rate(rows, run['call'])}  {run['call'] / floor:.2f}×"
                    f"   peak RSS {run['peak_rss_mb']:.0f} MB, process wall {run['wall']:.1f} s",
                    flush=True,
                )

    ie = []
    if not args.skip_ie:
        print(f"\ndjango-import-export {IE_ROWS:,} rows (tablib Dataset in memory; reading a file not included):")
        default_class, bulk_class = _ie_resources()
        people = generate_people(IE_ROWS, args.seed)  # the same people as the 10,000-row file
        full = ie_dataset(people, fixture.school_id)
        default_rows = min(args.ie_default_rows, IE_ROWS)
        runs = [
            ("default settings", default_class, ie_dataset(people[:default_rows], fixture.school_id), "new"),
            ("use_bulk + skip_unchanged + cached loader/FK", bulk_class, full, "new"),
            ("the same, re-import (all unchanged)", bulk_class, full, "skip"),
        ]
        del people
        for label, resource_class, dataset, expect in runs:
            if expect == "new":
                clear_persons()
            gc.collect()
            seconds = measure_ie(resource_class, dataset, expect=expect)
            note = "" if len(dataset) == IE_ROWS else f"  ({len(dataset):,} rows measured; 10,000 extrapolated)"
            if len(dataset) != IE_ROWS:
                seconds = seconds * IE_ROWS / len(dataset)
            ie.append((label, seconds, note))
            print(f"  {label:<46}{rate(IE_ROWS, seconds)}{note}", flush=True)
        clear_persons()

    if args.profile:
        for rows in args.rows:
            name, content = files[rows]
            profile_import(fixture, name, content, rows, Path(args.profile))
        clear_persons()

    print_report(results, workers, ie)
    return 0


def print_report(results, workers, ie) -> None:
    line = "-" * 104
    print("\n" + line)
    print("Persons import vs. the openpyxl read-only floor (PostgreSQL; the floor is the best of its reads)")
    print(line)
    print(
        f"{'rows':>8} | {'floor s (rows/s)':>22} | {'import s (rows/s)':>22} | {'ratio':>6} | "
        f"{'re-import s (rows/s)':>22} | {'ratio':>6}"
    )
    for rows, floor, first, again in results:
        print(
            f"{rows:>8,} | {rate(rows, floor):>22} | {rate(rows, first.seconds):>22} | {first.seconds / floor:>5.2f}× | "
            f"{rate(rows, again.seconds):>22} | {again.seconds / floor:>5.2f}×"
        )
    for run in workers:
        rows = run["rows"]
        print(
            f"{rows:>8,} | {run['label']}: run_import_job.call(save=True) {run['call']:.2f} s "
            f"({rows / run['call']:,.0f}/s, {run['call'] / run['floor']:.2f}× the floor); "
            f"process wall {run['wall']:.1f} s; peak RSS {run['peak_rss_mb']:.0f} MB"
        )
    print(line)
    verdicts = []
    for rows, floor, first, _ in results:
        if rows == TARGET_RATIO_ROWS:
            ratio = first.seconds / floor
            verdicts.append(
                f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'}  {rows:,} rows validated, matched and saved in "
                f"{ratio:.2f}× the read-only floor (target ≤ {TARGET_RATIO:.1f}×)"
            )
    for run in workers:
        peak = run["peak_rss_mb"]
        verdicts.append(
            f"{'PASS' if peak < TARGET_RSS_MB else 'FAIL'}  {run['rows']:,} rows in the background worker "
            f"({run['label'].removeprefix('worker (').rstrip(')')}): peak RSS {peak:.0f} MB (target < {TARGET_RSS_MB} MB; "
            f"ru_maxrss of the worker process; its VmHWM {run['vm_hwm_mb']:.0f} MB)"
        )
    if not verdicts:
        verdicts.append("(no target measured: the targets are for 10,000 rows and the 100,000-row worker run)")
    print("\n".join(verdicts))
    if ie:
        print(line)
        print(f"django-import-export reference, {IE_ROWS:,} rows (import only, no file reading, no audit journal)")
        for label, seconds, note in ie:
            print(f"  {label:<46}{rate(IE_ROWS, seconds)}{note}")
    print(line)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        sys.exit(2)
