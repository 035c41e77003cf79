#!/usr/bin/env python
"""The order on pairs the whole way (issue 10 §4: «The portal's overhead over bare WeasyPrint for
the same HTML ≤ 1.2×, measured in bench/ for 50 and 500 pairs, peak memory reported»).

    .venv/bin/python bench/pair_order_bench.py [--pairs 50 500] [--repeat 3]

`documents_bench.py` compares the renderer alone with WeasyPrint on a synthetic order. This one
takes the real kind (`mentorship.orders.PairOrder`) on real data: a school with N draft pairs of
two teachers each, their consents on file, in a throwaway SQLite database (migrated, filled once,
deleted at the end). For each N it measures, interleaved `--repeat` times:

- **portal**: what issuing does before it writes the file — the pairs loaded with everything the
  text reads, every name and position declined, the HTML written (`kind.html()`), then
  `core.documents.render_pdf_pages` with the worker's progress listener on (a page-by-page
  callback, `expected_pages` from the kind);
- **bare**: WeasyPrint alone on the HTML the portal wrote (`HTML(string=…).write_pdf()`, its
  own fetcher reading the same stylesheet and fonts from the disk).

The ratio is portal / bare by the best of the renders (on a shared machine other work only ever
adds time). A child process then does the portal's whole way once for N pairs and reports its peak
resident memory (`ru_maxrss`). This prints figures; it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.2

LAST = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров"]
FIRST_M = ["Иван", "Пётр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Павел", "Лев", "Никита", "Илья"]
FIRST_F = ["Мария", "Анна", "Елена", "Ольга", "Татьяна", "Любовь", "Наталья", "Ирина", "Светлана", "Жанна"]
PATRONYMIC = [
    ("Иванович", "Ивановна"), ("Петрович", "Петровна"), ("Ильич", "Ильинична"), ("Львович", "Львовна"),
    ("Фомич", "Фоминична"),
]  # fmt: skip
POSITIONS = ["учитель математики", "учитель русского языка и литературы", "учитель физики", "учитель истории"]


def configure(database: str) -> None:
    """Production's settings (DEBUG off, the static files collected next to the database, with
    their hashed names), a throwaway SQLite database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["STATIC_ROOT"] = str(Path(database).parent / "static")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("ALLOWED_HOSTS", "bench.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fill(total: int) -> int:
    """A school with `total` draft pairs (a woman mentor, a man mentee, each with consents); its pk."""
    from django.utils import timezone

    from core.testing.factories import MunicipalityFactory, OrganizationFactory
    from tests.mentorship.helpers import draft, teacher_mentor, young_teacher

    municipality = MunicipalityFactory(name="город Назарово")
    school = OrganizationFactory(
        municipality=municipality,
        short_name="МБОУ «СОШ № 1»",
        full_name="Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
        director_name="Гаврилова Светлана Владимировна",
        director_position="Директор",
        place="г. Назарово",
    )
    start = timezone.localdate()
    end = start + datetime.timedelta(days=270)
    for n in range(total):
        a, b, c = n % 10, (n // 10) % 10, (n // 100) % len(PATRONYMIC)
        mentor = teacher_mentor(
            school, last_name=LAST[a] + "а", first_name=FIRST_F[b], middle_name=PATRONYMIC[c][1], sex="f",
            position=POSITIONS[n % 4], birth_date=datetime.date(1970, 1, 1) + datetime.timedelta(days=n),
        )  # fmt: skip
        mentee = young_teacher(
            school, last_name=LAST[b], first_name=FIRST_M[a], middle_name=PATRONYMIC[c][0], sex="m",
            position=POSITIONS[(n + 1) % 4],
        )  # fmt: skip
        draft(organization=school, mentor=mentor, mentees=[mentee], start=start, end=end)
    return school.pk


def pair_ids(school_id: int, count: int) -> list[int]:
    from mentorship.models import Pair

    return list(Pair.objects.filter(organization_id=school_id).order_by("pk").values_list("pk", flat=True)[:count])


def portal(school_id: int, ids: list[int]) -> tuple[str, bytes, int]:
    """The issue's way to the PDF: the kind from the database, its HTML, the renderer with progress."""
    from core.documents import render_pdf_pages
    from mentorship.orders import PairOrder, load_pairs
    from registry.models import Organization

    kind = PairOrder(Organization.objects.get(pk=school_id), load_pairs(ids))
    kind.with_requisites("15-ОД", datetime.date(2026, 9, 1))
    html = kind.html()
    content, pages = render_pdf_pages(html, progress=lambda percent: None, expected_pages=kind.expected_pages())
    return html, content, pages


def bare(html: str) -> bytes:
    from django.conf import settings
    from weasyprint import HTML

    # The collected static files: «/static/css/documents.<hash>.css» read from there, its fonts beside it.
    return HTML(string=html.replace('href="/static/', 'href="'), base_url=f"{settings.STATIC_ROOT}/").write_pdf()


def measure(school_id: int, count: int, repeat: int) -> dict:
    ids = pair_ids(school_id, count)
    html, _content, pages = portal(school_id, ids)  # warm: imports, fontconfig, the dictionaries
    bare(html)
    times: dict[str, list[float]] = {"portal": [], "bare": []}
    for _ in range(repeat):
        started = time.perf_counter()
        html, content, pages = portal(school_id, ids)
        times["portal"].append(time.perf_counter() - started)
        started = time.perf_counter()
        bare_content = bare(html)
        times["bare"].append(time.perf_counter() - started)
    return {
        "pairs": len(ids),
        "pages": pages,
        "bare_pages": page_count(bare_content),
        "kb": len(content) // 1024,
        "bare_kb": len(bare_content) // 1024,
        "portal": times["portal"],
        "bare": times["bare"],
    }


def page_count(content: bytes) -> int:
    """The pages of a PDF (pdfinfo): the bare render must lay out as many as the portal's, or it
    missed the stylesheet or the fonts and the comparison means nothing."""
    import re

    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        info = subprocess.run(["pdfinfo", pdf.name], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def child_memory(database: str, school_id: int, count: int) -> float:
    out = subprocess.run(
        [sys.executable, __file__, "--child", database, str(school_id), str(count)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])["maxrss_mb"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("DATABASE", "SCHOOL", "PAIRS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        database, school_id, count = args.child
        configure(database)
        portal(int(school_id), pair_ids(int(school_id), int(count)))
        print(json.dumps({"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-pair-order-") as folder:
        database = f"{folder}/bench.sqlite3"
        configure(database)
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        school_id = fill(max(args.pairs))
        print(
            f"database: migrated, static files collected, {max(args.pairs)} pairs written in {time.perf_counter() - started:.0f} s"
        )
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print("pairs | pages | KB | portal best (median) | bare best (median) | ratio | peak RSS | target")
        for count in args.pairs:
            figures = measure(school_id, count, args.repeat)
            best_portal, best_bare = min(figures["portal"]), min(figures["bare"])
            ratio = best_portal / best_bare
            memory = child_memory(database, school_id, count)
            verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
            if figures["bare_pages"] != figures["pages"]:
                verdict = f"NOT COMPARABLE: bare laid out {figures['bare_pages']} pages"
            median = sorted(figures["portal"])[len(figures["portal"]) // 2]
            bare_median = sorted(figures["bare"])[len(figures["bare"]) // 2]
            print(
                f"{figures['pairs']} | {figures['pages']} | {figures['kb']} | {best_portal:.2f} s ({median:.2f}) | "
                f"{best_bare:.2f} s ({bare_median:.2f}) | {ratio:.2f}× | {memory:.0f} MB | "
                f"≤ {TARGET_RATIO}×: {verdict}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
