#!/usr/bin/env python
"""Where a page's time goes: SQL, the table, the filter form, context processors, middleware.

    .venv/bin/python bench/profile_pages.py [--pages persons@coordinator mentors@coordinator
        home@coordinator person@coordinator] [--repeat 20] [--reuse] [--keep] [--cprofile DIR]

The companion of bench/web_bench.py (issue 6 §6): the same bench database with the demo
municipality and the production settings (DEBUG off, the manifest static storage, persistent
connections), but in-process through Django's test client, so each request can be taken apart:

1. the request as a whole: wall and CPU time, number and time of SQL queries (medians);
2. phases: middleware, session and user loading, the scope, the view until its response is
   built, the template, django-tables2's `render_table` with its per-cell work, the filter
   form and its choices, the context processors (inclusive and own time, SQL inside each);
3. the SQL: each distinct query with its time, and EXPLAIN ANALYZE of the slowest ones (scans,
   indexes, JIT);
4. experiments that price a fix without making it: base.html alone, the table's cells computed
   without a template, the same cells through one plain template loop;
5. cProfile: the Python time by library, and the top functions.

It prints figures; it is not a test and changes no code. Exit 0 unless something breaks (2).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_bench  # bench/ is not a package: its database helpers are shared by path
from web_bench import PAGES, ROOT, BenchError

DEFAULT_PAGES = ["persons@coordinator", "mentors@coordinator", "home@coordinator", "person@coordinator"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Pages: " + ", ".join(page.key for page in PAGES if page.role),
    )
    parser.add_argument("--pages", nargs="+", default=DEFAULT_PAGES, metavar="PAGE", help="pages to take apart")
    parser.add_argument("--repeat", type=int, default=20, help="requests per measurement; medians are printed (20)")
    parser.add_argument("--explain", type=int, default=3, help="EXPLAIN ANALYZE the N slowest queries of a page (3)")
    parser.add_argument("--full-plans", action="store_true", help="print whole query plans, not their summary")
    parser.add_argument("--top", type=int, default=20, help="functions listed from cProfile (20)")
    parser.add_argument("--cprofile", metavar="DIR", help="also write DIR/<page>.prof (python -m pstats, snakeviz)")
    parser.add_argument("--database-url", default=web_bench.DEFAULT_DATABASE_URL, help="the bench database")
    parser.add_argument("--reuse", action="store_true", help="use the bench database if it exists")
    parser.add_argument("--keep", action="store_true", help="keep the bench database at the end")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        metavar="SECONDS",
        help="CONN_MAX_AGE (default: the production settings'); 0 reconnects for every request",
    )
    parser.add_argument("--pg-options", metavar="OPTIONS", help="PGOPTIONS of the connection, e.g. '-c jit=off'")
    args = parser.parse_args(argv)
    known = {page.key: page for page in PAGES if page.role}
    unknown = [key for key in args.pages if key not in known]
    if unknown:
        parser.error(f"unknown pages {unknown}; known: {', '.join(known)}")
    args.pages = [known[key] for key in args.pages]
    if args.repeat < 3:
        parser.error("--repeat must be at least 3")
    return args


def configure(args: argparse.Namespace, static_root: str, media_root: str) -> None:
    """The production settings in this process, as web_bench gives them to gunicorn, plus the
    test client's host name."""
    bench_args = argparse.Namespace(
        database_url=args.database_url, conn_max_age=args.conn_max_age, pg_options=args.pg_options
    )
    os.environ.update(web_bench.server_environment(bench_args, static_root, media_root))
    if args.conn_max_age is None:
        os.environ.pop("CONN_MAX_AGE", None)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECRET_KEY"] = "bench-" + secrets.token_urlsafe(40)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Measuring ------------------------------------------------------------------------------------


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else 0.0


class SqlLog:
    """Every query of a request: its text, parameters, duration, and the phases it ran in."""

    def __init__(self, phases: Phases | None = None):
        self.phases = phases
        self.queries: list[tuple[str, tuple, float, tuple[str, ...]]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            stack = tuple(self.phases.stack) if self.phases else ()
            self.queries.append((sql, params, elapsed, stack))
            if self.phases:
                for label in set(stack):
                    self.phases.sql_time[label] += elapsed
                    self.phases.sql_count[label] += 1

    @property
    def seconds(self) -> float:
        return sum(q[2] for q in self.queries)


class Phases:
    """Inclusive and own time of the wrapped functions, and the SQL that ran inside each."""

    def __init__(self):
        self.stack: list[str] = []
        self.inclusive = defaultdict(float)
        self.children = defaultdict(float)
        self.cpu = defaultdict(float)
        self.children_cpu = defaultdict(float)
        self.calls = defaultdict(int)
        self.sql_time = defaultdict(float)
        self.sql_count = defaultdict(int)
        self.order: list[str] = []
        self.depth: dict[str, int] = {}
        self.templates: Counter[str] = Counter()
        self._undo: list = []

    def first_seen(self, label: str) -> None:
        """Keep the order phases first ran in, and how deep in the others, for the printout."""
        self.order.append(label)
        self.depth[label] = len({p for p in self.stack if p != label})

    def reset(self) -> None:
        tables = (self.inclusive, self.children, self.cpu, self.children_cpu, self.calls, self.sql_time, self.sql_count)
        for table in (*tables, self.templates):
            table.clear()

    def timed(self, label: str, function):
        phases = self

        def wrapper(*args, **kwargs):
            if label not in phases.order:
                phases.first_seen(label)
            phases.calls[label] += 1
            nested = label in phases.stack  # a recursive call is counted once, by its outermost frame
            phases.stack.append(label)
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
                phases.stack.pop()
                if not nested:
                    phases.inclusive[label] += elapsed
                    phases.cpu[label] += cpu
                    parent = next((p for p in reversed(phases.stack) if p != label), None)
                    if parent:
                        phases.children[parent] += elapsed
                        phases.children_cpu[parent] += cpu

        wrapper.__wrapped__ = function
        return wrapper

    def patch(self, owner, name: str, label: str) -> None:
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        if isinstance(original, property):
            replacement = property(self.timed(label, original.fget), original.fset, original.fdel)
        elif isinstance(original, (staticmethod, classmethod)):
            replacement = type(original)(self.timed(label, original.__func__))
        else:
            replacement = self.timed(label, original)
        setattr(owner, name, replacement)
        self._undo.append((owner, name, original))

    def patch_everywhere(self, function, label: str) -> None:
        """Wrap a function in its module and in every module that imported it by name."""
        wrapper = self.timed(label, function)
        for module in list(sys.modules.values()):
            namespace = getattr(module, "__dict__", None)
            if not namespace:
                continue
            for name, value in list(namespace.items()):
                if value is function:
                    setattr(module, name, wrapper)
                    self._undo.append((module, name, function))

    def counter(self, owner, name: str, label: str) -> None:
        """Count the calls of a hot function without timing them (a timer would distort it)."""
        original = owner.__dict__[name]
        phases = self

        def wrapper(*args, **kwargs):
            if label not in phases.order:
                phases.first_seen(label)
            phases.calls[label] += 1
            return original(*args, **kwargs)

        setattr(owner, name, wrapper)
        self._undo.append((owner, name, original))

    def count_templates(self) -> None:
        """Count the templates rendered, by name (a template compiled from a string has none)."""
        from django.template.base import Template

        original = Template.render
        templates = self.templates

        def render(template, context):
            origin = getattr(template, "origin", None)
            templates[getattr(origin, "template_name", None) or getattr(origin, "name", None) or "?"] += 1
            return original(template, context)

        Template.render = render
        self._undo.append((Template, "render", original))

    def undo(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()


def install_phases(phases: Phases) -> None:
    from django.contrib import auth
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.handlers.base import BaseHandler
    from django.forms.boundfield import BoundField
    from django.template import engines
    from django.template.base import Template
    from django.template.loader_tags import IncludeNode
    from django.template.response import SimpleTemplateResponse
    from django.urls import base as urls_base
    from django.views.generic.base import View
    from django_filters.filterset import BaseFilterSet
    from django_filters.views import FilterMixin
    from django_tables2.columns.base import BoundColumn, LinkTransform
    from django_tables2.columns.templatecolumn import TemplateColumn
    from django_tables2.rows import BoundRow
    from django_tables2.templatetags.django_tables2 import QuerystringReplaceNode, RenderTableNode
    from django_tables2.views import SingleTableMixin

    import core.scoping
    from core.filters import ScopedFilterSet
    from registry import selectors

    phases.patch(BaseHandler, "get_response", "handler: middleware around the view")
    phases.patch(BaseHandler, "_get_response", "view + template (inside middleware)")
    phases.patch(SessionStore, "load", "session: load")
    phases.patch_everywhere(auth.get_user, "auth: load the user")
    phases.patch_everywhere(core.scoping.get_scope, "scope: get_scope")
    phases.patch(View, "dispatch", "view: until the response is built")
    phases.patch(SingleTableMixin, "get_table", "view: the table object and its page (get_table)")
    phases.patch(FilterMixin, "get_filterset", "view: the FilterSet object (get_filterset)")
    phases.patch(BaseFilterSet, "qs", "filter: queryset (FilterSet.qs)")
    phases.patch(ScopedFilterSet, "form", "filter: form (FilterSet.form)")
    phases.patch(BoundField, "as_widget", "filter form: render a field (as_widget)")
    phases.patch(SimpleTemplateResponse, "render", "template: response.render()")
    phases.patch(RenderTableNode, "render", "table: {% render_table %}")
    phases.patch(BoundRow, "get_cell", "table: compute a cell (BoundRow.get_cell)")
    phases.patch(QuerystringReplaceNode, "render", "table: header/page links ({% querystring_replace %})")
    phases.patch_everywhere(selectors.registry_summary, "home: registry_summary()")
    phases.counter(BoundRow, "_call_render", "count: Column.render calls")
    phases.counter(BoundRow, "_optional_cell_arguments", "count: cell argument dicts")
    phases.patch(BoundColumn, "attrs", "table: BoundColumn.attrs (per header and cell)")
    phases.patch(BoundRow, "attrs", "table: BoundRow.attrs (per row)")
    phases.patch(TemplateColumn, "render", "table: TemplateColumn.render (DateColumn)")
    phases.patch(LinkTransform, "__call__", "table: linkify (LinkTransform)")
    phases.counter(Template, "render", "count: Template.render (templates rendered)")
    phases.counter(IncludeNode, "render", "count: {% include %}")
    phases.count_templates()
    phases.patch_everywhere(urls_base.reverse, "count/time: reverse()")
    engine = engines["django"].engine
    processors = engine.template_context_processors
    engine.__dict__["template_context_processors"] = tuple(
        phases.timed(f"context processor: {p.__module__}.{p.__name__}", p) for p in processors
    )
    phases._undo.append((engine, "template_context_processors", processors))


# Pages ----------------------------------------------------------------------------------------


class PageClient:
    """A signed-in test client for one role and one page path."""

    def __init__(self, page):
        from django.contrib.auth import get_user_model
        from django.test import Client

        self.client = Client()
        self.user = get_user_model().objects.get(username=page.role)
        self.client.force_login(self.user)
        self.page = page
        self.path = page.path or self.first_person_path()

    def first_person_path(self) -> str:
        body = self.client.get("/registry/persons/").content.decode()
        match = re.search(r'href="(/registry/persons/\d+/)"', body)
        if not match:
            raise BenchError(f"{self.page.role} sees no person on the people list.")
        return match.group(1)

    def get(self):
        response = self.client.get(self.path)
        if response.status_code != 200:
            raise BenchError(f"{self.page.key} ({self.path}) answered {response.status_code}.")
        return response


class GcLog:
    """The garbage collector's pauses: how many collections of each generation, and how long."""

    def __init__(self):
        self.seconds = 0.0
        self.collections = Counter()
        self._started = 0.0

    def __call__(self, phase, info):
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections[info["generation"]] += 1

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self)


def measure_requests(pc: PageClient, repeat: int) -> dict:
    from django.db import connection

    walls, cpus, sqls, counts = [], [], [], []
    with GcLog() as collector:
        for _ in range(repeat):
            log = SqlLog()
            cpu, wall = time.process_time(), time.perf_counter()
            with connection.execute_wrapper(log):
                response = pc.get()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            sqls.append(log.seconds)
            counts.append(len(log.queries))
    return {
        "gc_ms": 1000 * collector.seconds / repeat,
        "gc_collections": {generation: count / repeat for generation, count in sorted(collector.collections.items())},
        "wall_ms": 1000 * median(walls),
        "cpu_ms": 1000 * median(cpus),
        "sql_ms": 1000 * median(sqls),
        "queries": median(counts),
        "bytes": len(response.content),
        "rows": len(re.findall(rb"<tr[\s>]", response.content.split(b"<tbody", 1)[-1].split(b"</tbody>", 1)[0]))
        if b"<tbody" in response.content
        else 0,
    }


def measure_phases(pc: PageClient, repeat: int) -> tuple[Phases, list]:
    from django.db import connection

    phases = Phases()
    install_phases(phases)
    queries: dict[str, list] = defaultdict(list)
    try:
        pc.get()  # the wrappers' first call
        phases.reset()
        for _ in range(repeat):
            log = SqlLog(phases)
            with connection.execute_wrapper(log):
                pc.get()
            for sql, params, seconds, stack in log.queries:
                queries[sql].append((seconds, params, stack))
    finally:
        phases.undo()
    return phases, [(sql, runs) for sql, runs in queries.items()]


def explain(sql: str, params, *, jit_off: bool = False) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if jit_off:
            cursor.execute("SET jit = off")
        try:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            return [row[0] for row in cursor.fetchall()]
        finally:
            if jit_off:
                cursor.execute("RESET jit")


PLAN_NODE = re.compile(
    r"(Seq Scan on \w+|Index Only Scan using \w+ on \w+|Index Scan using \w+ on \w+|Bitmap Index Scan on \w+|"
    r"Bitmap Heap Scan on \w+).*?actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)"
)


def plan_summary(lines: list[str]) -> list[str]:
    """Planning and execution time, JIT, and each scan with rows × loops."""
    text = "\n".join(lines)
    out = []
    for key in ("Planning Time", "Execution Time"):
        match = re.search(rf"{key}: ([\d.]+) ms", text)
        if match:
            out.append(f"{key.lower()} {float(match.group(1)):.1f} ms")
    jit = re.search(r"Timing: .*Total ([\d.]+) ms", text)
    functions = re.search(r"JIT:\s*\n\s*Functions: (\d+)", text)
    if jit:
        out.append(f"JIT {float(jit.group(1)):.1f} ms ({functions.group(1) if functions else '?'} functions compiled)")
    cost = re.search(r"cost=[\d.]+\.\.([\d.]+)", text)
    if cost:
        out.append(f"estimated cost {float(cost.group(1)):,.0f}")
    scans = defaultdict(lambda: [0, 0])
    for match in PLAN_NODE.finditer(text):
        node, rows, loops = match.group(1), int(match.group(2)), int(match.group(3))
        scans[node][0] += loops
        scans[node][1] += rows * loops
    details = [f"{node} ×{loops:,} loops, {rows:,} rows" for node, (loops, rows) in scans.items()]
    return [", ".join(out), *details]


# Experiments ----------------------------------------------------------------------------------


def time_it(function, repeat: int) -> tuple[float, float, float]:
    """Median wall ms, CPU ms and SQL queries of `function()`."""
    from django.db import connection

    walls, cpus, counts = [], [], []
    for _ in range(repeat):
        log = SqlLog()
        started, cpu_started = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(log):
            function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
        counts.append(len(log.queries))
    return 1000 * median(walls), 1000 * median(cpus), median(counts)


def experiments(pc: PageClient, repeat: int) -> list[tuple[str, float, float, float]]:
    """Price the parts on their own: base.html with an empty page, the filter form, the table's
    cells without a template, and the same cells through one plain template."""
    from django.template import engines
    from django.template.loader import get_template

    response = pc.get()
    request = response.wsgi_request
    context = response.context_data or {}
    results = []

    base = get_template("base.html")

    def render_base():
        from core.scoping import forget_scope

        forget_scope(request.user)  # the scope is computed once per request
        base.render({"title": "x"}, request)

    results.append(("base.html alone (navbar, messages; empty content)", *time_it(render_base, repeat)))

    filterset = context.get("filter")
    view_class = getattr(response.resolver_match.func, "view_class", None)
    if filterset is not None and view_class is not None:
        view = view_class()
        view.setup(request, **response.resolver_match.kwargs)
        results.append(
            (
                "ORM: build the list's queryset in Python (get_queryset: scope, joins, annotations)",
                *time_it(view.get_queryset, repeat),
            )
        )
        results.append(
            (
                "ORM: compile the SQL of the page's rows (filterset.qs[:25])",
                *time_it(lambda: filterset.qs[:25].query.get_compiler("default").as_sql(), repeat),
            )
        )

        def build_filter_form():
            fresh = view_class.filterset_class(data=request.GET, queryset=filterset.queryset, user=request.user)
            form = fresh.form
            return [str(field) for field in form]

        results.append(("filter form: build it and render its fields", *time_it(build_filter_form, repeat)))

    table = context.get("table")
    if table is not None:
        rows = list(table.paginated_rows)  # the page's records, fetched once, outside the timings

        def cells_only():
            return [[cell for _, cell in row.items()] for row in rows]

        values = cells_only()
        results.append(
            (
                f"table: compute the cells of {len(rows)} rows without a template (BoundRow.items)",
                *time_it(cells_only, repeat),
            )
        )
        template = get_template(table.template_name)

        def tables2_template():
            # The same table object, its page already fetched (the queryset keeps its rows):
            # tables2's template alone, without the page around it or the context processors.
            return template.render({"table": table, "request": request})

        results.append(("table: tables2's template for that page (rows fetched)", *time_it(tables2_template, repeat)))
        plain = engines["django"].from_string(
            '<table class="table"><tbody>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>'
            "{% endfor %}</tr>{% endfor %}</tbody></table>"
        )
        results.append(
            (
                "table: the same cell values through one plain template loop",
                *time_it(lambda: plain.render({"rows": values}), repeat),
            )
        )
    return results


# cProfile -------------------------------------------------------------------------------------

LIBRARIES = (
    ("django_tables2", "django-tables2"),
    ("django_filters", "django-filter"),
    ("crispy", "crispy-forms"),
    ("django/template", "Django templates"),
    ("django/db", "Django ORM"),
    ("psycopg", "psycopg"),
    ("django/forms", "Django forms"),
    ("django/urls", "Django URL reversing"),
    ("django/utils", "Django utils (escaping, translation, formats)"),
    ("django/contrib/sessions", "sessions"),
    ("django/contrib/auth", "auth"),
    ("django/middleware", "middleware"),
    ("django/test", "test client"),
    ("django/", "Django, other"),
    ("whitenoise", "whitenoise"),
    ("/core/", "project: core"),
    ("/registry/", "project: registry"),
)


def library_of(filename: str) -> str:
    if filename.startswith(("~", "<")):
        return "Python builtins"
    for fragment, name in LIBRARIES:
        if fragment in filename:
            return name
    return "Python stdlib and other"


def profile_page(pc: PageClient, repeat: int, top: int, directory: str | None):
    pc.get()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        pc.get()
    profiler.disable()
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(Path(directory) / f"{pc.page.key.replace('@', '_')}.prof"))
    stats = pstats.Stats(profiler)
    by_library = defaultdict(float)
    total = 0.0
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():
        by_library[library_of(filename)] += own
        total += own
    functions = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return total / repeat, by_library, functions, repeat


# Output ---------------------------------------------------------------------------------------


def short_sql(sql: str) -> str:
    """`SELECT … FROM table …` with the tables it reads, short enough for a line."""
    verb = sql.split(None, 1)[0].upper()
    tables = []
    for table in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', sql):
        if table not in tables:
            tables.append(table)
    extra = []
    if "COUNT(" in sql:
        extra.append("COUNT")
    exists = sql.count("EXISTS(")
    if exists:
        extra.append(f"{exists} EXISTS subqueries")
    if re.search(r"\bLIMIT \d+", sql) or "LIMIT %s" in sql:
        extra.append("LIMIT")
    return f"{verb} {', '.join(tables[:4])}{'…' if len(tables) > 4 else ''}" + (
        f" [{'; '.join(extra)}]" if extra else ""
    )


def report_page(args, page) -> None:
    pc = PageClient(page)
    for _ in range(3):
        pc.get()  # warm caches: templates, URL resolvers, the manifest, content types
    print(f"\n{'=' * 110}\n{page.label} as {page.role}: GET {pc.path}\n{'=' * 110}")

    totals = measure_requests(pc, args.repeat)
    print(
        f"Whole request (median of {args.repeat}): {totals['wall_ms']:.1f} ms wall, {totals['cpu_ms']:.1f} ms CPU "
        f"of this process, {totals['queries']:.0f} queries taking {totals['sql_ms']:.1f} ms; "
        f"{totals['bytes'] / 1024:.0f} KB" + (f", {totals['rows']} table rows" if totals["rows"] else "")
    )
    collections = ", ".join(f"gen{g} ×{c:.2f}" for g, c in totals["gc_collections"].items()) or "none"
    print(
        f"Garbage collection (mean per request, inside the figures above and below): {totals['gc_ms']:.1f} ms; "
        f"collections {collections}"
    )

    phases, queries = measure_phases(pc, args.repeat)
    n = args.repeat
    print(
        f"\nPhases (per request, mean of {n}; own = inclusive minus the phases listed inside it; "
        "CPU = this process's CPU time, which waiting for the database or for a CPU does not count):"
    )
    print(f"  {'phase':<66} {'calls':>6} {'incl. ms':>9} {'own ms':>8} {'own CPU':>8} {'SQL ms':>8} {'queries':>8}")
    for label in phases.order:
        calls = phases.calls[label] / n
        name = "  " * phases.depth.get(label, 0) + label
        if label.startswith("count:"):
            per_row = f"   ({calls / totals['rows']:.1f} per table row)" if totals["rows"] and "Column" in label else ""
            print(f"  {name:<66} {calls:>6.0f}{per_row}")
            continue
        inclusive = 1000 * phases.inclusive[label] / n
        own = inclusive - 1000 * phases.children[label] / n
        own_cpu = 1000 * (phases.cpu[label] - phases.children_cpu[label]) / n
        print(
            f"  {name:<66} {calls:>6.0f} {inclusive:>9.2f} {own:>8.2f} {own_cpu:>8.2f} "
            f"{1000 * phases.sql_time[label] / n:>8.2f} {phases.sql_count[label] / n:>8.1f}"
        )

    print("  Templates rendered per request, by name:")
    for name, count in phases.templates.most_common(8):
        print(f"  {count / n:8.0f}  {name}")

    print("\nSQL (per request; the phase is the innermost one the query ran in):")
    ranked = sorted(queries, key=lambda item: -median(run[0] for run in item[1]))
    for sql, runs in ranked:
        per_request = len(runs) / n
        where = runs[0][2][-1] if runs[0][2] else "outside the phases"
        print(f"  {1000 * median(r[0] for r in runs):7.2f} ms ×{per_request:.0f}  {short_sql(sql):<70} in {where}")
    for sql, runs in ranked[: args.explain]:
        params = runs[0][1]
        print(f"\n  EXPLAIN ANALYZE: {short_sql(sql)} ({1000 * median(r[0] for r in runs):.2f} ms in the page)")
        plan = explain(sql, params)
        for line in plan if args.full_plans else plan_summary(plan):
            print(f"    {line}")
        if any(line.strip().startswith("JIT:") for line in plan):
            print("    with SET jit = off: " + plan_summary(explain(sql, params, jit_off=True))[0])

    print("\nExperiments (median of each part on its own; wall and CPU ms):")
    for label, ms, cpu_ms, count in experiments(pc, args.repeat):
        print(f"  {ms:8.2f} ms {cpu_ms:8.2f} CPU  {count:>3.0f} queries  {label}")

    per_request, by_library, functions, repeat = profile_page(pc, args.repeat, args.top, args.cprofile)
    print(f"\ncProfile: {1000 * per_request:.1f} ms of Python per request under the profiler, own time by library:")
    for name, seconds in sorted(by_library.items(), key=lambda item: -item[1])[:12]:
        print(f"  {1000 * seconds / repeat:8.2f} ms  {seconds / (per_request * repeat):6.1%}  {name}")
    print(f"Top {args.top} functions by own time (per request):")
    for (filename, line, name), (_, calls, own, cumulative, _) in functions:
        where = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        print(
            f"  {1000 * own / repeat:7.2f} ms own {1000 * cumulative / repeat:8.2f} ms cum "
            f"{calls / repeat:7.0f} calls  {where}:{line}({name})"
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    web_bench.database_name(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    created = False
    try:
        created = web_bench.prepare_database(args.database_url, reuse=args.reuse)
        static_root, media_root = workdir / "static", workdir / "media"
        media_root.mkdir()
        bench_args = argparse.Namespace(
            database_url=args.database_url, conn_max_age=args.conn_max_age, pg_options=args.pg_options
        )
        env = web_bench.server_environment(bench_args, str(static_root), str(media_root))
        started = time.monotonic()
        web_bench.manage("collectstatic", "--noinput", env=env, what="collectstatic")
        print(f"Collected the static files in {time.monotonic() - started:.0f} s", flush=True)
        configure(args, str(static_root), str(media_root))
        from django.conf import settings
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            jit = cursor.fetchone()[0]
        started = time.perf_counter()
        for _ in range(10):
            connection.close()
            connection.ensure_connection()
        connect_ms = 100 * (time.perf_counter() - started)
        print(
            f"Settings {settings.SETTINGS_MODULE}, DEBUG={settings.DEBUG}, CONN_MAX_AGE="
            f"{settings.DATABASES['default']['CONN_MAX_AGE']}, PostgreSQL jit={jit}; opening a database "
            f"connection takes {connect_ms:.1f} ms (paid by every request when CONN_MAX_AGE=0). "
            f"Load average {[round(x, 2) for x in os.getloadavg()]} on {os.cpu_count()} CPUs."
        )
        for page in args.pages:
            report_page(args, page)
        connection.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if args.keep or (args.reuse and not created):
            print(f"\nKept the database {web_bench.database_name(args.database_url)}.")
        else:
            web_bench.drop_database(args.database_url)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (BenchError, subprocess.CalledProcessError) as error:
        print(f"profile failed: {error}", file=sys.stderr)
        sys.exit(2)
