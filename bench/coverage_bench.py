#!/usr/bin/env python
"""Speed of the coverage form of seed 003 (monitoring.coverage, monitoring.exporters) on a region.

    .venv/bin/python bench/coverage_bench.py [--scale 1.0] [--runs 5]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_coverage] [--keep]

The region (issue 9: «1,300 organizations, 700,000 people, 200,000 pairs in one instance»), times
`--scale`: 45 municipalities, the first with exactly 30 schools and the rest sharing the other
schools; four partner enterprises per municipality; in each school about 520 learners aged 6–18 and
28 teachers (experience 0–40 years), some undergraduates; partners' employees; about 154 pairs per
school of the four forms of seed 003 (and a few others), every status (a tenth drafts), dated
from 2023 to 2027, each with a mentor and one to three mentees, some mentors replaced, some
mentees left. Written with COPY (people, orders, pairs, members), then ANALYZE.

It prints, each the median of `--runs` runs after one warm-up:
- the region's coverage (`compute_coverage` over every school: one aggregate query) — target ≤ 1 s,
  and the CPU time PostgreSQL spends on it (parallel workers off: robust to other load);
- one municipality's (30 schools) — target ≤ 50 ms;
- the consolidated .xlsx of every school («Свод», `coverage_workbook(per_school=False)`) — target
  ≤ 1 s; and, once each, the workbook with a sheet per school for the 30-school municipality and
  for the whole region;
- the municipality again with a composite index on the pairs (organization, status, form,
  start_on), to see whether it pays (migration mentorship 0005 if it does);
- with `--pdf`, the consolidated report as PDF (monitoring.kinds.ConsolidatedReport, issue 10) of
  the 30-school municipality and, once, of every school — target ≤ 3 s, beyond which it belongs in
  the worker — and one school's form (CoverageFormPdf), the median.
It is a measurement that prints figures and PASS/FAIL, not a test (exit 0 unless it breaks).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

from bench_db import BenchError, drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_coverage"
MUNICIPALITIES = 45
SCHOOLS = 1300
PARTNERS_PER_MUNICIPALITY = 4
STUDENTS_PER_SCHOOL = 520
TEACHERS_PER_SCHOOL = 28
UNDERGRADUATES_PER_SCHOOL = 4
EMPLOYERS_PER_PARTNER = 15
PAIRS_PER_SCHOOL = 154
START, END, ON = datetime.date(2025, 9, 1), datetime.date(2026, 8, 31), datetime.date(2025, 9, 1)
TARGETS_MS = {"region": 1000, "municipality": 50, "xlsx": 1000, "pdf": 3000}
INDEX_SQL = (
    "CREATE INDEX bench_pair_org_status_form_start ON mentorship_pair (organization_id, status, form_id, start_on)"
)


def configure(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DEBUG"] = "0"  # DEBUG keeps every query's SQL: not what production does
    os.environ["SECRET_KEY"] = "bench-" + secrets.token_urlsafe(40)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def copy_rows(model, rows) -> int:
    """COPY dicts {attname: value} into the model's table; a field not given takes its default
    (blank text, NULL, now for the timestamps)."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    fields = model._meta.concrete_fields
    defaults = []
    for field in fields:
        if field.has_default():
            defaults.append(field.get_default())
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults.append(now)
        elif field.null:
            defaults.append(None)
        else:
            defaults.append("")
    columns = ", ".join(f'"{field.column}"' for field in fields)
    count = 0
    connection.ensure_connection()
    statement = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'
    with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row.get(field.attname, default) for field, default in zip(fields, defaults, strict=True)])
            count += 1
    return count


def build(scale: float, seed: int):
    from django.db import connection

    from mentorship.models import ApprovalOrder, Pair, PairMember
    from registry.models import MentorshipForm, Municipality, Organization, Person

    rng = random.Random(seed)
    school_count = max(30 + MUNICIPALITIES - 1, round(SCHOOLS * scale))
    municipalities = Municipality.objects.bulk_create(
        Municipality(
            name=f"Муниципалитет {n:02}", region="Край", authority_name=f"Управление образования района {n:02}"
        )
        for n in range(1, MUNICIPALITIES + 1)
    )
    # The first municipality has exactly 30 schools; the others share the rest.
    placement = [municipalities[0]] * 30 + [
        municipalities[1 + i % (MUNICIPALITIES - 1)] for i in range(school_count - 30)
    ]
    schools = Organization.objects.bulk_create(
        Organization(municipality=m, kind="school", short_name=f"МБОУ «СОШ № {i + 1}»", full_name=f"Школа № {i + 1}")
        for i, m in enumerate(placement)
    )
    partners = Organization.objects.bulk_create(
        Organization(municipality=m, kind="partner", short_name=f"ООО «Партнёр {m.pk}-{k}»", full_name="Предприятие")
        for m in municipalities
        for k in range(PARTNERS_PER_MUNICIPALITY)
    )
    partners_of = {}
    for partner in partners:
        partners_of.setdefault(partner.municipality_id, []).append(partner.pk)

    def day(start: datetime.date, span_days: int) -> datetime.date:
        return start + datetime.timedelta(days=rng.randrange(span_days))

    people: list[dict] = []
    by_school: dict[int, dict[str, list[int]]] = {}
    employers_of: dict[int, list[int]] = {}
    next_id = 1

    def person(organization_id, category, birth, teaching_since=None):
        nonlocal next_id
        people.append(
            {
                "id": next_id,
                "last_name": f"Фамилия{next_id}",
                "first_name": "Имя",
                "middle_name": "Отчество",
                "birth_date": birth,
                "organization_id": organization_id,
                "category": category,
                "teaching_since": teaching_since,
            }
        )
        next_id += 1
        return next_id - 1

    students_n = STUDENTS_PER_SCHOOL
    for school in schools:
        groups = by_school[school.pk] = {"student": [], "teacher": [], "undergraduate": []}
        for _ in range(students_n):
            groups["student"].append(person(school.pk, "student", day(datetime.date(2006, 9, 1), 12 * 365)))
        for _ in range(TEACHERS_PER_SCHOOL):
            since = day(datetime.date(1986, 1, 1), 40 * 365)
            groups["teacher"].append(person(school.pk, "teacher", since - datetime.timedelta(days=23 * 365), since))
        for _ in range(UNDERGRADUATES_PER_SCHOOL):
            groups["undergraduate"].append(person(school.pk, "undergraduate", day(datetime.date(2005, 1, 1), 4 * 365)))
    for partner in partners:
        employers_of[partner.pk] = [
            person(partner.pk, "employer", day(datetime.date(1970, 1, 1), 30 * 365))
            for _ in range(EMPLOYERS_PER_PARTNER)
        ]
    copy_rows(Person, people)
    person_count = len(people)
    people.clear()

    forms = {form.code: form.pk for form in MentorshipForm.objects.all()}
    orders = []
    for index, school in enumerate(schools, start=1):
        orders.append(
            {"id": index, "organization_id": school.pk, "number": f"{index}-о", "date": datetime.date(2023, 8, 30)}
        )
    copy_rows(ApprovalOrder, orders)
    order_of = {row["organization_id"]: row["id"] for row in orders}

    statuses = ["draft"] * 10 + ["approved"] * 10 + ["active"] * 45 + ["completed"] * 25 + ["terminated"] * 10
    form_mix = ["student_student"] * 40 + ["teacher_teacher"] * 30 + ["undergraduate_student"] * 13
    form_mix += ["employer_student"] * 15 + ["employer_undergraduate"] * 2
    pairs, members = [], []
    pair_id = member_id = 0
    pairs_n = PAIRS_PER_SCHOOL
    for school in schools:
        groups = by_school[school.pk]
        for _ in range(pairs_n):
            pair_id += 1
            code = rng.choice(form_mix)
            status = rng.choice(statuses)
            start = day(datetime.date(2023, 9, 1), 3 * 365)
            end = start + datetime.timedelta(days=rng.randrange(120, 600))
            ended = None
            if status == "completed":
                ended = end
            elif status == "terminated":
                ended = start + datetime.timedelta(days=rng.randrange(1, (end - start).days))
            if code == "teacher_teacher":
                mentor_pool, mentee_pool = groups["teacher"], groups["teacher"]
            elif code == "student_student":
                mentor_pool, mentee_pool = groups["student"], groups["student"]
            elif code == "undergraduate_student":
                mentor_pool, mentee_pool = groups["undergraduate"], groups["student"]
            elif code == "employer_student":
                mentor_pool, mentee_pool = (
                    employers_of[rng.choice(partners_of[school.municipality_id])],
                    groups["student"],
                )
            else:
                mentor_pool, mentee_pool = (
                    employers_of[rng.choice(partners_of[school.municipality_id])],
                    groups["undergraduate"],
                )
            mentor = rng.choice(mentor_pool)
            pairs.append(
                {
                    "id": pair_id,
                    "organization_id": school.pk,
                    "form_id": forms[code],
                    "mentor_id": mentor,
                    "start_on": start,
                    "end_on": end,
                    "ended_on": ended,
                    "status": status,
                    "order_id": None if status == "draft" else order_of[school.pk],
                }
            )
            if rng.random() < 0.05:  # a replaced mentor
                switch = start + datetime.timedelta(days=rng.randrange(1, (end - start).days))
                member_id += 1
                members.append(
                    {
                        "id": member_id,
                        "pair_id": pair_id,
                        "person_id": rng.choice(mentor_pool),
                        "role": "mentor",
                        "joined_on": start,
                        "left_on": switch,
                    }
                )
                start_mentor = switch + datetime.timedelta(days=1)
            else:
                start_mentor = start
            member_id += 1
            members.append(
                {
                    "id": member_id,
                    "pair_id": pair_id,
                    "person_id": mentor,
                    "role": "mentor",
                    "joined_on": start_mentor,
                    "left_on": None,
                }
            )
            for mentee in set(rng.sample(mentee_pool, k=min(len(mentee_pool), rng.choice((1, 1, 2, 3))))) - {mentor}:
                left = None
                if rng.random() < 0.08:  # a mentee who left
                    left = start + datetime.timedelta(days=rng.randrange(0, (end - start).days))
                member_id += 1
                members.append(
                    {
                        "id": member_id,
                        "pair_id": pair_id,
                        "person_id": mentee,
                        "role": "mentee",
                        "joined_on": start,
                        "left_on": left,
                    }
                )
    copy_rows(Pair, pairs)
    copy_rows(PairMember, members)
    with connection.cursor() as cursor:
        for table in ("registry_person", "mentorship_approvalorder", "mentorship_pair", "mentorship_pairmember"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        cursor.execute("ANALYZE")
    return (
        municipalities[0],
        schools,
        {"people": person_count, "pairs": len(pairs), "members": len(members), "partners": len(partners)},
    )


def median_ms(function, runs: int) -> tuple[float, object]:
    result = function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def collect_static() -> None:
    """The PDF reads its stylesheets and fonts from the collected static files, as in production
    (the manifest storage): collected once into a temporary STATIC_ROOT (bench/documents_bench.py)."""
    import subprocess
    import tempfile

    static_root = tempfile.mkdtemp(prefix="bench-coverage-static-")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "0", "STATIC_ROOT": static_root}
    env.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    env.setdefault("ALLOWED_HOSTS", "bench.local")
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], check=True, env=env)
    os.environ["STATIC_ROOT"] = static_root


def measure_pdf(municipality, sheets, region, own_sheets, local, report) -> None:
    """The consolidated report as PDF for the 30-school municipality (the median of three) and for
    every school of the region (once: a minute's work shows here), and one school's form of seed
    003, the median of five."""
    from monitoring.kinds import ConsolidatedReport, CoverageFormPdf

    own = ConsolidatedReport(own_sheets, local.total, municipality=municipality)
    own_ms, _ = median_ms(own.pdf, 3)
    report(f"municipality's PDF ({len(own_sheets)} rows, {own.pages} pages)", own_ms, TARGETS_MS["pdf"])
    started = time.perf_counter()
    whole = ConsolidatedReport(sheets, region.total, municipality=municipality)
    content = whole.pdf().content
    report(
        f"region's PDF ({len(sheets)} rows, {whole.pages} pages, {len(content) // 1024} KB, once)",
        (time.perf_counter() - started) * 1000,
        TARGETS_MS["pdf"],
    )
    form_ms, _ = median_ms(lambda: CoverageFormPdf(sheets[0], municipality=municipality).pdf(), 5)
    report("one school's form PDF (seed 003)", form_ms)


def backend_cpu_ms(function, runs: int) -> float | None:
    """The median CPU time (ms) the PostgreSQL backend spends on `function()`, with parallel
    workers off so that all of it is in the one backend: what the query costs whatever else the
    machine is doing (wall times grow with the load, CPU time much less). None when the server's
    processes cannot be read (another host)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        if not stat.exists():
            return None
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    tick = os.sysconf("SC_CLK_TCK")

    def cpu() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick * 1000

    times = []
    try:
        for _ in range(runs):
            before = cpu()
            function()
            times.append(cpu() - before)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the region's size (1.0: 1,300 schools)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--pdf", action="store_true", help="also the consolidated report and a school's form as PDF")
    args = parser.parse_args()
    try:
        recreate_database(args.database_url)
    except BenchError as error:
        print(error, file=sys.stderr)
        return 2
    if args.pdf:
        collect_static()
    configure(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from monitoring.coverage import compute_coverage
    from monitoring.exporters import coverage_workbook, sheets_from_coverage

    failed = False
    try:
        call_command("migrate", verbosity=0, interactive=False)
        print(f"load average at the start: {os.getloadavg()[0]:.2f} (2 CPUs shared with other work)")
        started = time.perf_counter()
        municipality, schools, counts = build(args.scale, args.seed)
        print(
            f"Built {len(schools)} schools and {counts['partners']} partners in {MUNICIPALITIES} municipalities, "
            f"{counts['people']:,} people, {counts['pairs']:,} pairs, {counts['members']:,} memberships "
            f"in {time.perf_counter() - started:.0f} s"
        )
        ids = [school.pk for school in schools]
        own = [school for school in schools if school.municipality_id == municipality.pk]
        own_ids = [school.pk for school in own]

        def report(label, ms, target=None):
            nonlocal failed
            verdict = ""
            if target is not None:
                verdict = f"  (≤ {target} ms: {'PASS' if ms <= target else 'FAIL'})"
                failed |= ms > target
            print(f"{label:58} {ms:8.0f} ms{verdict}")

        region_ms, region = median_ms(lambda: compute_coverage(ids, start=START, end=END, on=ON), args.runs)
        report(f"region coverage ({len(ids)} schools, 1 query)", region_ms, TARGETS_MS["region"])
        cpu_ms = backend_cpu_ms(lambda: compute_coverage(ids, start=START, end=END, on=ON), args.runs)
        if cpu_ms is not None:
            report("  its CPU time in PostgreSQL (parallel workers off)", cpu_ms)
        municipality_ms, local = median_ms(
            lambda: compute_coverage(own_ids, start=START, end=END, on=ON), args.runs * 4
        )
        report(f"one municipality's coverage ({len(own_ids)} schools)", municipality_ms, TARGETS_MS["municipality"])
        sheets = sheets_from_coverage(schools, region)
        xlsx_ms, content = median_ms(
            lambda: coverage_workbook(municipality=municipality, sheets=sheets, total=region.total, per_school=False),
            args.runs,
        )
        report(
            f"consolidated .xlsx («Свод», {len(schools)} rows, {len(content) // 1024} KB)", xlsx_ms, TARGETS_MS["xlsx"]
        )
        own_sheets = sheets_from_coverage(own, local)
        own_ms, content = median_ms(
            lambda: coverage_workbook(municipality=municipality, sheets=own_sheets, total=local.total), args.runs
        )
        report(f"municipality .xlsx («Свод» + {len(own)} school sheets)", own_ms)
        started = time.perf_counter()
        content = coverage_workbook(municipality=municipality, sheets=sheets, total=region.total)
        report(f"region .xlsx («Свод» + {len(schools)} school sheets, once)", (time.perf_counter() - started) * 1000)
        if args.pdf:
            measure_pdf(municipality, sheets, region, own_sheets, local, report)
        with connection.cursor() as cursor:
            cursor.execute(INDEX_SQL)
            cursor.execute("ANALYZE mentorship_pair")
        indexed_ms, _ = median_ms(lambda: compute_coverage(own_ids, start=START, end=END, on=ON), args.runs * 4)
        report("one municipality's coverage, composite index on pairs", indexed_ms)
        region_indexed_ms, _ = median_ms(lambda: compute_coverage(ids, start=START, end=END, on=ON), args.runs)
        report("region coverage, composite index on pairs", region_indexed_ms)
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.database_url)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
