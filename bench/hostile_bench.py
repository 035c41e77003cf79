#!/usr/bin/env python
"""Peak memory and time of refusing the worst files, each in a fresh process.

    .venv/bin/python bench/hostile_bench.py                 # every case, about 2 minutes
    .venv/bin/python bench/hostile_bench.py --only xfd png  # the cases whose key contains a word
    .venv/bin/python bench/hostile_bench.py --project /path/to/another/checkout

Issue 6: none of the worst files may cost the worker more than 300 MB or 10 s, and each must be
refused with a message (PASS needs all three). Each file is refused (or read) through the path
the worker takes: an ImportJob with the file in storage,
`core.tasks.run_import_job.call(job_id, save=False)` in a process of its own, then the job's
final state. The scan goes through `core.uploads.validate_scan`, as the consent form does. A
legitimate 200,000-row file is read and checked the same way for contrast.

The figures are the process's peak resident memory (its ru_maxrss, taken with
getrusage(RUSAGE_CHILDREN) by a small launcher that runs only it, so that it is the process's own
even when it dies) and the time of the task
call (without Python's and Django's start-up). Every process runs under an address-space cap
(--address-space-mb, 4 GB), so that the code before the fix — `--project` pointing at an older
checkout — fails fast instead of taking the machine. It prints a table and PASS/FAIL; it is a
measurement, not a test: it exits 0 unless the bench itself breaks (then 2).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "hostile"
TARGET_MB = 300
TARGET_SECONDS = 10.0
LEGIT_ROWS = 200_000  # rows of the sheet, the header included: the default IMPORT_MAX_ROWS


@dataclass(frozen=True)
class Case:
    key: str
    title: str
    file: str
    path: str  # "worker": run_import_job; "read": core.importing.read_table only; "scan": validate_scan
    contrast: bool = False  # a legitimate file: shown, not judged


CASES = (
    Case("xfd", "cell at XFD1048576 (issue 6: worker aborted)", "XFD1048576.xlsx", "worker"),
    Case("z", "cell at Z1048576 (issue 6: 935 MB, 4 s)", "Z1048576.xlsx", "worker"),
    Case("cell-shared", "one 400 MB cell, shared string (issue 6: 6.5 GB, 34 s)", "cell_400MB_shared.xlsx", "worker"),
    Case("cell-inline", "one 400 MB cell, inline string", "cell_400MB_inline.xlsx", "worker"),
    Case("bomb", "zip bomb: a sheet unpacking to 1 GB", "bomb_1GB.xlsx", "worker"),
    Case("nul", "NUL in a cell (_x0000_; issue 6: failed at save)", "nul.xlsx", "worker"),
    Case("png", "PNG declaring 30000 × 30000 px (issue 6: a 500)", "bomb_30000.png", "scan"),
    Case(
        "legit-read", f"legitimate file, {LEGIT_ROWS - 1:,} rows: reading (contrast)", "persons_200k.xlsx", "read", True
    ),
    Case(
        "legit-check",
        f"legitimate file, {LEGIT_ROWS - 1:,} rows: the check (contrast)",
        "persons_200k.xlsx",
        "worker",
        True,
    ),
)


# Building the files ---------------------------------------------------------------------------


def build(case: Case, path: Path) -> None:
    """Write the case's file (not measured). The huge ones are streamed into their zip."""
    sys.path.insert(0, str(ROOT))
    from core.testing import hostile

    builders = {
        "xfd": lambda: hostile.far_cell_xlsx("XFD1048576"),
        "z": lambda: hostile.far_cell_xlsx("Z1048576"),
        "cell-shared": lambda: hostile.long_cell_xlsx(400_000_000, shared=True),
        "cell-inline": lambda: hostile.long_cell_xlsx(400_000_000, shared=False),
        "bomb": lambda: hostile.zip_bomb_xlsx(1 << 30),
        "nul": lambda: hostile.nul_cell_xlsx("_x0000_"),
        "png": lambda: hostile.png_declaring(30000, 30000),
        "legit-read": legit_persons,
        "legit-check": legit_persons,
    }
    path.write_bytes(builders[case.key]())


def legit_persons() -> bytes:
    """A persons table in the portal's template columns, every column filled, as SafeWorkbook
    writes it (inline strings; what an export or a filled template looks like)."""
    import datetime
    import random

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(20))
    import django

    django.setup()
    from core.spreadsheets import SafeWorkbook

    rng = random.Random(6)
    header = ["ФИО", "Дата рождения", "Пол", "Категория", "Класс", "Должность", "Предметы",
              "Начало педагогической деятельности", "Телефон", "E-mail", "Организация", "Примечание"]  # fmt: skip
    start = datetime.date(2008, 1, 1)

    def rows():
        for n in range(LEGIT_ROWS - 1):
            yield [
                f"Иванова{n} Мария Петровна", start + datetime.timedelta(days=rng.randrange(3000)), "ж",
                "обучающийся", f"{rng.randint(1, 11)}{rng.choice('АБВГ')}", "", "", None,
                f"+7 9{rng.randrange(10**9):09d}", f"pupil{n}@school.example.ru", "", "",
            ]  # fmt: skip

    book = SafeWorkbook()
    book.add_sheet("Люди", header, rows())
    return book.to_bytes()


# The processes --------------------------------------------------------------------------------

CHILD = r"""
import json, os, resource, sys, time
cap = int(os.environ["BENCH_ADDRESS_SPACE"])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
sys.path.insert(0, os.environ["BENCH_PROJECT"])
import django
django.setup()
path, kind, name = sys.argv[1], sys.argv[2], sys.argv[3]
outcome = {}
if kind == "scan":
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from core.uploads import validate_scan
    upload = SimpleUploadedFile(name, open(path, "rb").read(), content_type="image/png")
    started = time.perf_counter()
    try:
        outcome["state"] = "accepted: " + str(validate_scan(upload))
    except ValidationError as error:
        outcome["state"] = "refused"
        outcome["refused"] = True
        outcome["message"] = " ".join(error.messages)[:300]
    except Exception as error:
        outcome["state"] = "exception"
        outcome["message"] = f"{type(error).__name__}: {error}"[:300]
    outcome["seconds"] = time.perf_counter() - started
elif kind == "read":
    from core.importing import FileRejected, read_table
    content = open(path, "rb").read()
    started = time.perf_counter()
    try:
        table = read_table(name, content)
        outcome["state"] = "read"
        outcome["message"] = f"{sum(1 for _ in table.rows):,} rows after the header"
    except FileRejected as refused:
        outcome["state"] = "refused"
        outcome["refused"] = True
        outcome["message"] = refused.message[:300]
    outcome["seconds"] = time.perf_counter() - started
else:
    from django.core.files import File
    from core.models import ImportJob
    from core.tasks import run_import_job
    ids = json.loads(os.environ["BENCH_FIXTURE"])
    job = ImportJob(user_id=ids["curator"], kind="persons", organization_id=ids["school"], original_name=name)
    with open(path, "rb") as handle:
        job.file.save(name, File(handle), save=False)
    job.save()
    started = time.perf_counter()
    try:
        run_import_job.call(job_id=job.pk, save=False)
    except Exception as error:
        outcome["exception"] = f"{type(error).__name__}: {error}"[:300]
    outcome["seconds"] = time.perf_counter() - started
    job.refresh_from_db()
    result = job.result or {}
    outcome["state"] = job.get_status_display()
    errors = result.get("errors", [])
    outcome["refused"] = bool(result.get("file_error") or result.get("error_count") or getattr(job, "failure", ""))
    outcome["message"] = (
        result.get("file_error") or getattr(job, "failure", "")
        or "; ".join(f"{e['row']}/{e['column']}: {e['message'][:150]}" for e in errors[:2])
        or json.dumps(result.get("summary", {}), ensure_ascii=False)
    )[:300]
print("BENCH " + json.dumps(outcome, ensure_ascii=False))
"""

LAUNCHER = r"""
import json, os, subprocess, sys, time
for line in sys.stdin:
    request = json.loads(line)
    started = time.perf_counter()
    process = subprocess.Popen(request["argv"], env=request["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        stdout, stderr = process.communicate(timeout=request["timeout"])
        killed = False
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        killed = True
    # The child is reaped: the launcher's RUSAGE_CHILDREN now holds its peak (and only its).
    print(json.dumps({
        "returncode": process.returncode, "killed": killed, "wall": time.perf_counter() - started,
        "stdout": stdout.decode(errors="replace")[-4000:], "stderr": stderr.decode(errors="replace")[-4000:],
    }), flush=True)
"""


class Launcher:
    """A small process, started before the bench builds anything, that runs one case process at a
    time and reports its peak memory: on Linux a child's ru_maxrss starts at the RSS of the
    process it was forked from, so it must be forked from something small. A new launcher per
    case (RUSAGE_CHILDREN is the maximum over all children)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER + MAXRSS_REPORT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, argv: list[str], env: dict[str, str], timeout: float) -> dict:
        self.process.stdin.write(json.dumps({"argv": argv, "env": env, "timeout": timeout}) + "\n")
        self.process.stdin.flush()
        self.process.stdin.close()
        lines = self.process.stdout.read().splitlines()
        self.process.wait()
        report = json.loads(lines[0])
        report["peak_mb"] = json.loads(lines[1])["children_maxrss_kb"] / 1024
        return report


# After the one request, the launcher reports the peak of its only child.
MAXRSS_REPORT = r"""
import resource
print(json.dumps({"children_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}), flush=True)
"""


# The bench ------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", default=[], help="run only the cases whose key contains one of these")
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout of the portal to measure")
    parser.add_argument("--address-space-mb", type=int, default=4096, help="address-space cap of each process")
    parser.add_argument("--timeout", type=float, default=180, help="seconds before a case process is killed")
    parser.add_argument("--rebuild", action="store_true", help="build the files again even when they exist")
    return parser.parse_args(argv)


def django_env(project: Path, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DEBUG="0",
        SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        LOG_LEVEL="CRITICAL",
        BENCH_PROJECT=str(project),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


FIXTURE = r"""
import json, sys
sys.path.insert(0, __import__("os").environ["BENCH_PROJECT"])
import django
django.setup()
from django.contrib.auth import get_user_model
from core.choices import Role
from core.models import RoleAssignment
from registry.models import Municipality, Organization
municipality = Municipality.objects.create(name="город Бенчмарково", region="Красноярский край", authority_name="УО")
school = Organization.objects.create(municipality=municipality, kind="school", short_name="МБОУ «СОШ № 1»", full_name="МБОУ «СОШ № 1»")
curator = get_user_model().objects.create_user(username="bench-curator", password=None)
RoleAssignment.objects.create(user=curator, role=Role.CURATOR, organization=school)
print(json.dumps({"school": school.pk, "curator": curator.pk}))
"""


def prepare_database(project: Path, env: dict[str, str]) -> dict:
    subprocess.run(
        [sys.executable, str(project / "manage.py"), "migrate", "--noinput", "-v", "0"],
        env=env,
        cwd=project,
        check=True,
    )
    out = subprocess.run(
        [sys.executable, "-c", FIXTURE], env=env, cwd=project, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    args = parse_args(argv)
    cases = [c for c in CASES if not args.only or any(word in c.key for word in args.only)]
    launchers = [Launcher() for _ in cases]  # small processes, started while the bench is small
    OUT.mkdir(parents=True, exist_ok=True)
    for case in cases:
        path = OUT / case.file
        if args.rebuild or not path.exists():
            started = time.perf_counter()
            print(f"building {path.relative_to(ROOT)} …", end=" ", flush=True)
            build(case, path)
            print(f"{path.stat().st_size:,} bytes, {time.perf_counter() - started:.0f} s (not measured)")
    workdir = Path(tempfile.mkdtemp(prefix="hostile-bench-"))
    try:
        env = django_env(args.project.resolve(), workdir)
        env["BENCH_ADDRESS_SPACE"] = str(args.address_space_mb << 20)
        print(f"migrating a scratch SQLite database for {args.project.resolve()} …", flush=True)
        env["BENCH_FIXTURE"] = json.dumps(prepare_database(args.project.resolve(), env))
        rows = []
        for case, launcher in zip(cases, launchers, strict=True):
            path = OUT / case.file
            argv = [sys.executable, "-c", CHILD, str(path), case.path, case.file]
            report = launcher.run(argv, env, args.timeout)
            rows.append((case, path.stat().st_size, report, outcome_of(report)))
            print_row(*rows[-1])
        print_summary(rows, args)
    except (subprocess.CalledProcessError, OSError, ValueError) as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        for launcher in launchers:
            if launcher.process.poll() is None:
                launcher.process.kill()
    return 0


def outcome_of(report: dict) -> dict:
    for line in report["stdout"].splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[len("BENCH ") :])
    if report["killed"]:
        return {"state": "killed (timeout)", "message": ""}
    code = report["returncode"]
    reason = signal.Signals(-code).name if code < 0 else f"exit {code}"
    last = next((line for line in report["stderr"].splitlines() if line.strip()), "")
    return {"state": f"process died ({reason})", "message": last[:200]}


def verdict(case: Case, report: dict, outcome: dict) -> str:
    if case.contrast:
        return "contrast"
    seconds = outcome.get("seconds")
    ok = (
        report["returncode"] == 0
        and outcome.get("refused") is True  # a hostile file must be refused, not pass the check
        and report["peak_mb"] <= TARGET_MB
        and seconds is not None
        and seconds <= TARGET_SECONDS
        and outcome.get("state") not in ("exception",)
        and "exception" not in outcome
    )
    return "PASS" if ok else "FAIL"


def print_row(case: Case, size: int, report: dict, outcome: dict) -> None:
    seconds = outcome.get("seconds")
    shown = f"{seconds:6.2f} s" if seconds is not None else "   —    "
    print(
        f"  {case.key:<12} {size / 1024:>9,.0f} KB  peak {report['peak_mb']:>7,.0f} MB  task {shown}  "
        f"{verdict(case, report, outcome):<8} {outcome.get('state', '')}: {str(outcome.get('message', ''))[:110]}",
        flush=True,
    )


def print_summary(rows, args) -> None:
    import django

    line = "-" * 118
    print()
    print(line)
    print(
        f"Refusing the worst files through the worker's path, each in a fresh process (cap {args.address_space_mb:,} MB)"
    )
    print(
        f"Python {platform.python_version()}, Django {django.get_version()}, {os.cpu_count()} CPUs; project {args.project}"
    )
    print(line)
    print(f"{'case':<58} {'file':>10} {'peak RSS':>10} {'time':>9}  {'result':<8} state")
    for case, size, report, outcome in rows:
        seconds = outcome.get("seconds")
        shown = f"{seconds:.2f} s" if seconds is not None else "—"
        print(
            f"{case.title:<58} {size / 1024:>7,.0f} KB {report['peak_mb']:>7,.0f} MB {shown:>9}  "
            f"{verdict(case, report, outcome):<8} {outcome.get('state', '')}"
        )
    print(line)
    judged = [verdict(case, report, outcome) for case, _, report, outcome in rows if not case.contrast]
    status = "PASS" if judged and all(v == "PASS" for v in judged) else "FAIL"
    print(
        f"{status}  every hostile file refused within {TARGET_MB} MB and {TARGET_SECONDS:.0f} s ({judged.count('PASS')}/{len(judged)})"
    )
    print(line)


if __name__ == "__main__":
    sys.exit(main())
