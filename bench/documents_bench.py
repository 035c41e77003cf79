#!/usr/bin/env python
"""What the one document renderer (core.documents.render_pdf) costs over bare WeasyPrint, on an
order on pairs with 50 and with 500 numbered items.

    .venv/bin/python bench/documents_bench.py [--items 50 500] [--repeat 3] [--sample out.pdf]

The order is the portal's own (`templates/documents/order.html` through a `DocumentKind`): the
authority's header, «ПРИКАЗ», the date and the number, the title, the grounds, «ПРИКАЗЫВАЮ:», one
item «Закрепить наставнические пары:» with N sub-items of about two lines each («Назначить
Иванову Марию Петровну, учителя математики, наставником Петрова Ивана Сергеевича, обучающегося
9 «А» класса, на период с 01.09.2026 по 31.05.2027.»), the signature and «С приказом
ознакомлены». The one HTML is rendered

- **bare**: `HTML(string=…).write_pdf(stylesheets=[CSS(filename=documents.css)])`, WeasyPrint's
  own fetcher reading the same collected stylesheet and fonts from the disk;
- **render_pdf**: the portal's renderer, the page's `<link>` and the fonts read through the
  static-files-only fetcher.

Settings as production (DEBUG off, the static files collected once into a temporary STATIC_ROOT
with their hashed names). For each N a child process renders one small order with each renderer
(the imports, fontconfig), then the N-item order `--repeat` times with each, the two interleaved
so that the machine's other work weighs on both alike; the best and the median of each are
printed. Two more children render it once each, with one renderer, for their peak resident memory
(`ru_maxrss`). The target: render_pdf within 1.2× of bare, compared by the best of the renders
(on a shared machine other work only ever adds time).
`--sample` also writes an order of 40 items with an appendix (a table of 40 pairs) to look at.
This prints figures; it is a measurement, not a test (exit 0 unless something breaks).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.2

MENTORS = [
    ("Иванову Марию Петровну", "учителя математики"),
    ("Смирнову Ольгу Викторовну", "учителя русского языка и литературы"),
    ("Кузнецова Андрея Николаевича", "учителя физики"),
    ("Попову Елену Сергеевну", "учителя начальных классов"),
]
MENTEES = ["Петрова Ивана Сергеевича", "Соколову Анну Дмитриевну", "Волкова Павла Андреевича"]


def configure(static_root: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    os.environ.setdefault("DATABASE_URL", "sqlite:///" + tempfile.gettempdir() + "/bench-documents.sqlite3")
    os.environ.setdefault("ALLOWED_HOSTS", "bench.local")
    os.environ["STATIC_ROOT"] = static_root
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # The sample's appendix: a template only the bench has.
    settings.TEMPLATES[0]["DIRS"].append(str(Path(__file__).resolve().parent / "templates"))


def pair_items(count: int) -> list[str]:
    items = []
    for n in range(count):
        mentor, position = MENTORS[n % len(MENTORS)]
        mentee = MENTEES[n % len(MENTEES)]
        grade = 5 + n % 7
        letter = "АБВ"[n % 3]
        items.append(
            f"Назначить {mentor}, {position}, наставником {mentee}, обучающегося {grade} «{letter}» класса, "
            "на период с 01.09.2026 по 31.05.2027."
        )
    return items


def order_kind(count: int, *, appendix_rows: int = 0):
    import datetime

    from core.documents import Appendix, DocumentKind, Item

    class PairsOrder(DocumentKind):
        code = "bench_pairs_order"
        title = "Приказ о закреплении наставнических пар"

        def context(self) -> dict:
            appendices = []
            if appendix_rows:
                rows = range(1, appendix_rows + 1)
                appendices.append(Appendix("bench/pairs_table.html", {"rows": rows}, title="Список наставнических пар"))
            return {
                "header_lines": ["Управление образования", "администрации г. Назарово"],
                "kind_word": "ПРИКАЗ",
                "date": datetime.date(2026, 8, 28),
                "number": "214-о",
                "place": "г. Назарово",
                "title": "О закреплении наставнических пар\nна 2026/2027 учебный год",
                "grounds": (
                    "В соответствии с распоряжением Министерства просвещения Российской Федерации от 25.12.2019 "
                    "№ Р-145 «Об утверждении методологии (целевой модели) наставничества обучающихся для "
                    "организаций, осуществляющих образовательную деятельность по общеобразовательным, "
                    "дополнительным общеобразовательным и программам среднего профессионального образования», "
                    "Положением о программе наставничества, на основании письменных согласий наставников и "
                    "законных представителей наставляемых,"
                ),
                "command": "ПРИКАЗЫВАЮ:",
                "items": [
                    Item("Закрепить наставнические пары на 2026/2027 учебный год:", items=pair_items(count)),
                    Item(
                        "Кураторам образовательных организаций обеспечить:",
                        dashes=["учет наставников и наставляемых;", "мониторинг реализации программы наставничества."],
                    ),
                    "Контроль за исполнением настоящего приказа возложить на Селезневу Е. В., начальника "
                    "отдела общего, дополнительного образования управления образования администрации г. Назарово.",
                ],
                "signature": {"position": "Руководитель\nуправления образования", "name": "С. В. Гаврилова"},
                "acquainted": ["Е. В. Селезнева", "Н. Д. Цветцых"],
                "appendix_to": "приказу управления образования администрации г. Назарово",
                "appendices": appendices,
            }

    return PairsOrder()


def page_count(content: bytes) -> int:
    """The pages (pdfinfo; WeasyPrint keeps the page objects in compressed object streams)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        info = subprocess.run(["pdfinfo", pdf.name], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def render_bare(html: str) -> bytes:
    """Bare WeasyPrint with the same (collected) stylesheet, its own fetcher, no <link>."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    css = staticfiles_storage.path(staticfiles_storage.stored_name("css/documents.css"))
    bare = re.sub(r'<link rel="stylesheet"[^>]*>', "", html)
    fonts = FontConfiguration()  # a stylesheet given aside loads its @font-face only through one
    stylesheet = CSS(filename=css, font_config=fonts)
    return HTML(string=bare, base_url=str(ROOT)).write_pdf(stylesheets=[stylesheet], font_config=fonts)


def child(mode: str, count: int, repeat: int, static_root: str) -> dict:
    """One process. "time": bare and render_pdf interleaved, `repeat` renders each, so that
    whatever else the machine does weighs on both alike. "bare"/"render_pdf": one render, for
    the process's peak memory."""
    configure(static_root)
    from core.documents import render_pdf

    renders = {"bare": render_bare, "render_pdf": render_pdf}
    if mode != "time":
        renders = {mode: renders[mode]}  # the other renderer's imports would weigh on the memory
    for render in renders.values():
        render(order_kind(3).html())  # the imports and fontconfig, not measured
    html = order_kind(count).html()
    if mode != "time":
        renders[mode](html)
        return {"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    times: dict[str, list[float]] = {name: [] for name in renders}
    contents = {}
    for _ in range(repeat):
        for name, render in renders.items():
            started = time.perf_counter()
            contents[name] = render(html)
            times[name].append(time.perf_counter() - started)
    return {
        name: {
            "median": statistics.median(times[name]),
            "best": min(times[name]),
            "pages": page_count(contents[name]),
            "fonts": fonts(contents[name]),
        }
        for name in renders
    }


def fonts(content: bytes) -> list[str]:
    """The fonts embedded (pdffonts), without the subset prefix: both cases must print in PT Serif."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        out = subprocess.run(["pdffonts", pdf.name], capture_output=True, text=True, check=True).stdout
    return sorted({line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:] if line.strip()})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=Path, help="also write an order of 40 items with an appendix here")
    parser.add_argument("--sample-only", action="store_true", help="write the sample, measure nothing")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "ITEMS", "STATIC_ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        mode, count, static_root = args.child
        print(json.dumps(child(mode, int(count), args.repeat, static_root)))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-documents-static-") as static_root:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "0"}
        env.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
        env.setdefault("ALLOWED_HOSTS", "bench.local")
        env["STATIC_ROOT"] = static_root
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], check=True, env=env
        )
        if not args.sample_only:
            print(f"PT Serif order on pairs: {args.repeat} renders each, interleaved; peak RSS of a process per case")
            print(
                f"{'items':>6} {'pages':>6} {'bare s (median)':>16} {'render_pdf s (median)':>22} {'ratio':>6}"
                f" {'bare MB':>8} {'ours MB':>8}"
            )
        verdicts = []

        def run(mode: str, count: int) -> dict:
            command = [sys.executable, __file__, "--repeat", str(args.repeat), "--child", mode, str(count), static_root]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            return json.loads(out.strip().splitlines()[-1])

        for count in [] if args.sample_only else args.items:
            timed = run("time", count)
            bare, ours = timed["bare"], timed["render_pdf"]
            memory = {mode: run(mode, count)["maxrss_mb"] for mode in ("bare", "render_pdf")}
            # The best of the renders: the other work of a shared machine only ever adds time.
            ratio = ours["best"] / bare["best"]
            verdicts.append(ratio <= TARGET_RATIO)
            print(
                f"{count:>6} {ours['pages']:>6} {bare['best']:>8.2f} ({bare['median']:.2f})"
                f" {ours['best']:>14.2f} ({ours['median']:.2f}) {ratio:>5.2f}×"
                f" {memory['bare']:>8.0f} {memory['render_pdf']:>8.0f}"
                + ("" if bare["pages"] == ours["pages"] else f"  (bare: {bare['pages']} pages!)")
            )
            if bare["fonts"] != ours["fonts"] or not all(f.startswith("PT-Serif") for f in ours["fonts"]):
                print(f"       fonts differ: bare {bare['fonts']}, render_pdf {ours['fonts']}")
        if verdicts:
            print(f"target render_pdf ≤ {TARGET_RATIO}× bare: {'PASS' if all(verdicts) else 'FAIL'}")
        if args.sample:
            configure(static_root)
            from core.documents import render_pdf

            args.sample.write_bytes(render_pdf(order_kind(40, appendix_rows=40).html()))
            print(f"sample: {args.sample}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # a measurement: say what broke, exit 2
        print(f"bench failed: {error!r}", file=sys.stderr)
        sys.exit(2)
