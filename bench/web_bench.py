#!/usr/bin/env python
"""Requests per second of the portal's pages under gunicorn, against a bare Django page.

    .venv/bin/python bench/web_bench.py [--duration 10] [--connections 20] [--pages persons@coordinator ...]
        [--database-url postgres://postgres@127.0.0.1:5432/bench_web] [--keep] [--reuse] [--json FILE]

Issue 6 §6: with gunicorn (2 workers, the production settings) on PostgreSQL with the demo
municipality and wrk with 20 connections, every list of 25–50 rows and every home page answers
≥ 150 requests/s with p99 ≤ 250 ms, and a person's page ≥ 250/s. This prints, for each page, the
requests/s, p50 and p99, the ratio to the floor (`/healthz/`: Django with no session, no query,
no template) and PASS/FAIL against those goals. It is a measurement, not a test: it exits 0
unless something breaks (then 2).

It works in a database of its own, which it creates (dropping a previous one of the same name),
migrates, fills with the demo municipality and drops at the end (unless --keep): never the
developer's database. See bench/README.md for what is measured and how.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench_db import BenchError, _maintenance_url, database_exists, database_name, drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_web"
DEFAULT_PORT = 8104
HOST = "127.0.0.1"
DEMO_PASSWORD = "demo12345"  # registry.demo.DEMO_PASSWORD (this process does not load Django)
ROWS_PER_PAGE = 25  # core.views.ScopedListView.table_pagination
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# The goals of issue 6 §6.
LIST_RPS, LIST_P99_MS = 150.0, 250.0
DETAIL_RPS = 250.0


# The pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One measured page: who asks for it, where, and what its answer must contain."""

    key: str  # "<name>@<role>", or the name alone for pages without a login
    label: str
    kind: str  # floor | login | home | list | detail
    path: str = ""  # empty for a person's page: the first person of that role's people list
    role: str | None = None
    expect: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.key.split("@")[0]


LIST_MARK = ("Найдено:", "<tbody")
PAGES: tuple[Page, ...] = (
    Page("floor", "bare Django (/healthz/)", "floor", "/healthz/"),
    Page("login", "login page", "login", "/login/", expect=('name="csrfmiddlewaretoken"', 'name="password"')),
    Page("home@coordinator", "home", "home", "/", "coordinator", ("в реестре", "Организации муниципалитета")),
    Page("persons@coordinator", "people list", "list", "/registry/persons/", "coordinator", ("Люди", *LIST_MARK)),
    Page("mentors@coordinator", "mentor list", "list", "/registry/mentors/", "coordinator", ("Наставники", *LIST_MARK)),
    Page(
        "mentees@coordinator", "mentee list", "list", "/registry/mentees/", "coordinator", ("Наставляемые", *LIST_MARK)
    ),
    Page(
        "consents@coordinator", "consent list", "list", "/registry/consents/", "coordinator", ("Согласия", *LIST_MARK)
    ),
    Page(
        "organizations@coordinator",
        "organization list",
        "list",
        "/registry/organizations/",
        "coordinator",
        ("Организации", *LIST_MARK),
    ),
    Page("person@coordinator", "a person's page", "detail", "", "coordinator", ("Сведения", "База наставников")),
    Page("home@curator1", "home", "home", "/", "curator1", ("в реестре", "учебный год")),
    Page("persons@curator1", "people list", "list", "/registry/persons/", "curator1", ("Люди", *LIST_MARK)),
    Page("person@curator1", "a person's page", "detail", "", "curator1", ("Сведения", "База наставников")),
    Page("home@director1", "home", "home", "/", "director1", ("в реестре", "учебный год")),
)


def select_pages(tokens: list[str] | None) -> list[Page]:
    """The pages named by `--pages` (a key, a name for every role, or @role), always with the floor."""
    if not tokens:
        return list(PAGES)
    chosen = set()
    for token in tokens:
        matches = {
            page.key
            for page in PAGES
            if token in (page.key, page.name) or (token.startswith("@") and page.role == token[1:])
        }
        if not matches:
            raise BenchError(f"Unknown page {token!r}; known: {', '.join(page.key for page in PAGES)}")
        chosen |= matches
    chosen.add("floor")  # every ratio is to the floor
    return [page for page in PAGES if page.key in chosen]


def goal_of(page: Page) -> str:
    if page.kind in ("list", "home"):
        return f"≥{LIST_RPS:.0f}/s, p99 ≤{LIST_P99_MS:.0f} ms"
    if page.kind == "detail":
        return f"≥{DETAIL_RPS:.0f}/s"
    return ""


def verdict_of(page: Page, rps: float, p99_ms: float) -> str:
    if page.kind in ("list", "home"):
        return "PASS" if rps >= LIST_RPS and p99_ms <= LIST_P99_MS else "FAIL"
    if page.kind == "detail":
        return "PASS" if rps >= DETAIL_RPS else "FAIL"
    return ""


# Arguments ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Pages: " + ", ".join(page.key for page in PAGES) + " (a name alone, e.g. 'home', means every role; "
        "'@curator1' every page of that role; the floor is always measured).",
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per page (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load before each page (2)")
    parser.add_argument("--connections", type=int, default=20, help="concurrent connections of wrk (20)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1: leaves the CPUs to gunicorn)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--pages", nargs="+", metavar="PAGE", help="measure only these pages (and the floor)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port of gunicorn ({DEFAULT_PORT})")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL URL of the bench database; its name must contain «bench» (it is dropped and re-created)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench database at the end")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the bench database if it exists (kept by --keep) instead of re-creating it",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        metavar="SECONDS",
        help="CONN_MAX_AGE for gunicorn (default: what the production settings set); 0 closes the "
        "database connection after every request",
    )
    parser.add_argument(
        "--pg-options",
        metavar="OPTIONS",
        help="PGOPTIONS for gunicorn's database connections, e.g. '-c jit=off' (to measure a server "
        "setting without changing the code)",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.connections < 1 or args.threads < 1 or args.workers < 1:
        parser.error("--duration, --connections, --threads and --workers must be positive")
    args.pages = select_pages(args.pages)
    return args


# The bench database (shared with bench/profile_pages.py) ---------------------------------------


def loader_environment(database_url: str) -> dict[str, str]:
    """Settings to migrate and load the demo: base with DEBUG off (DEMO_DATA_ALLOWED is on there,
    and off in production, which refuses demo data) and a throwaway SECRET_KEY."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DEBUG="0",
        SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    return env


def manage(*command: str, env: dict[str, str], what: str) -> str:
    result = subprocess.run(
        [str(PYTHON), "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BenchError(f"{what} failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare_database(url: str, *, reuse: bool) -> bool:
    """Create (or reuse), migrate and fill the bench database; True when it was created here."""
    name = database_name(url)
    created = not (reuse and database_exists(url))
    if created:
        print(f"Creating the bench database {name} …", flush=True)
        recreate_database(url)
    else:
        print(f"Reusing the bench database {name} …", flush=True)
    env = loader_environment(url)
    started = time.monotonic()
    manage("migrate", "--noinput", env=env, what="migrate")
    output = manage("load_demo", env=env, what="load_demo")
    summary = output.strip().splitlines()[0] if output.strip() else ""
    # A production database has planner statistics (autovacuum gathers them a minute or so after
    # a load); without them the plans, and PostgreSQL's decision to JIT-compile a query, differ,
    # and would change in the middle of a run when autovacuum wakes up.
    _analyze(url)
    print(f"  migrated, demo loaded, analyzed in {time.monotonic() - started:.0f} s: {summary}", flush=True)
    return created


def _analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("pgsql://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# The server -----------------------------------------------------------------------------------


def ensure_wrk() -> str:
    """wrk is a Debian package; install it the way `make system-deps` installs the test's packages."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") is None:
        raise BenchError("wrk is not installed and there is no apt-get: install wrk (https is not needed).")
    sudo = [] if os.geteuid() == 0 else (["sudo"] if shutil.which("sudo") else None)
    if sudo is None:
        raise BenchError("wrk is not installed: run `sudo apt-get install wrk` and start the bench again.")
    print("Installing the Debian package wrk …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"]):
        if subprocess.run([*sudo, *step], env=env, check=False).returncode != 0:
            raise BenchError(f"`{' '.join(step)}` failed: install the Debian package wrk by hand.")
    found = shutil.which("wrk")
    if not found:
        raise BenchError("wrk is still not on PATH after installing it.")
    return found


def server_environment(args: argparse.Namespace, static_root: str, media_root: str) -> dict[str, str]:
    """The production settings, as docker-compose runs them, but over plain http on 127.0.0.1."""
    env = dict(os.environ)
    env.pop("CONN_MAX_AGE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DEBUG="0",
        SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=args.database_url,
        STATIC_ROOT=static_root,
        MEDIA_ROOT=media_root,
        LOG_LEVEL="WARNING",
    )
    if args.conn_max_age is not None:
        env["CONN_MAX_AGE"] = str(args.conn_max_age)
    env.pop("PGOPTIONS", None)
    if args.pg_options:
        env["PGOPTIONS"] = args.pg_options
    return env


def _process_cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process (Linux /proc; 0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime and stime, fields 14 and 15


class Server:
    """gunicorn with the production settings, in its own process group, stopped by its pid."""

    def __init__(self, args: argparse.Namespace, env: dict[str, str], log_path: Path):
        self.port = args.port
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "--config",
                "config/gunicorn.py",
                "config.wsgi:application",
                "--bind",
                f"{HOST}:{args.port}",
                "--workers",
                str(args.workers),
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn stopped (exit {self.process.returncode}):\n{self.log()}")
            try:
                if get(self.port, "/healthz/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise BenchError(f"gunicorn did not answer /healthz/ on port {args.port} within 60 s:\n{self.log()}")

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]

    def worker_cpu_seconds(self) -> float:
        """User and system CPU time the gunicorn workers have used (Linux /proc)."""
        return sum(_process_cpu_seconds(pid) for pid in self.worker_pids())

    def database_cpu(self, database_url: str) -> tuple[frozenset[int], float]:
        """The PostgreSQL backends serving the bench database (other than this query's) and the
        CPU time they have used; with persistent connections they are the workers' own."""
        import psycopg

        with psycopg.connect(database_url.replace("pgsql://", "postgresql://"), autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            ).fetchall()
        pids = frozenset(row[0] for row in rows)
        return pids, sum(_process_cpu_seconds(pid) for pid in pids)

    def open_connections(self) -> int:
        """TCP connections to the server's port that are neither closed nor in TIME-WAIT: those
        waiting in the listen queue and those a worker is answering (Linux /proc/net/tcp)."""
        count = 0
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            local_port, state = int(fields[1].rsplit(":", 1)[1], 16), fields[3]
            if local_port == self.port and state not in ("06", "07", "0A"):  # TIME_WAIT, CLOSE, LISTEN
                count += 1
        return count

    def wait_idle(self, timeout: float = 300) -> None:
        """Wait until no request is queued or being answered: wrk leaves up to one request per
        connection queued when it stops, and a slow page's queue takes seconds to drain (while
        the workers wait for the database, using no CPU); those requests must not land in the
        next measurement."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            quiet = quiet + 1 if self.open_connections() == 0 else 0
            if quiet >= 3:
                return
            time.sleep(0.2)
        raise BenchError(f"gunicorn still had requests to answer {timeout:.0f} s after wrk stopped.")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the master and its workers, nothing else
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


# HTTP -----------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def cookies(self) -> dict[str, str]:
        """name → value of the Set-Cookie headers (Secure cookies too: this client is not a browser)."""
        found = {}
        for header in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
        return found


def get(port: int, path: str, *, cookie: str = "", method: str = "GET", body: str | None = None, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        sent = {"Host": HOST, **({"Cookie": cookie} if cookie else {}), **(headers or {})}
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read().decode("utf-8", errors="replace"))
    finally:
        connection.close()


def log_in(port: int, username: str) -> str:
    """Sign in through the real login form; the Cookie header of the signed-in session."""
    form = get(port, "/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    csrf_cookie = form.cookies().get("csrftoken")
    if form.status != 200 or not token or not csrf_cookie:
        raise BenchError(f"The login page gave no CSRF token (status {form.status}).")
    answer = get(
        port,
        "/login/",
        method="POST",
        cookie=f"csrftoken={csrf_cookie}",
        body=urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": DEMO_PASSWORD, "next": ""}
        ),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{HOST}:{port}/login/"},
    )
    cookies = answer.cookies()
    if answer.status != 302 or "sessionid" not in cookies:
        raise BenchError(
            f"Logging in as {username} failed: status {answer.status}, cookies {sorted(cookies)} "
            f"(is the demo loaded? is the login locked out?)"
        )
    csrf = cookies.get("csrftoken", csrf_cookie)
    return f"sessionid={cookies['sessionid']}; csrftoken={csrf}"


def table_rows(body: str) -> int:
    match = re.search(r"<tbody[^>]*>(.*?)</tbody>", body, re.S)
    return len(re.findall(r"<tr[\s>]", match.group(1))) if match else 0


def found_count(body: str) -> int | None:
    match = re.search(r"Найдено:\s*([\d\s\u00a0\u202f]+)", body)
    return int(re.sub(r"\D", "", match.group(1))) if match else None


def check_page(port: int, page: Page, path: str, cookie: str) -> str:
    """The page answers 200 with its content, not a redirect to the login page or an error;
    a description of what was seen."""
    answer = get(port, path, cookie=cookie)
    where = f"{page.key} ({path})"
    if answer.status != 200:
        location = answer.headers.get("Location", "")
        raise BenchError(f"{where} answered {answer.status}{' → ' + location if location else ''}, not 200.")
    if page.kind == "floor":
        if answer.body != "ok":
            raise BenchError(f"{where} answered {answer.body[:80]!r}, not 'ok'.")
        return "ok"
    missing = [text for text in page.expect if text not in answer.body]
    if missing:
        raise BenchError(f"{where} lacks {missing}: not the expected page.")
    if page.role and 'action="/logout/"' not in answer.body:
        raise BenchError(f"{where} is not signed in as {page.role}.")
    seen = f"{len(answer.body.encode()) / 1024:.0f} KB"
    if page.kind == "list":
        total, rows = found_count(answer.body), table_rows(answer.body)
        if total is None:
            raise BenchError(f"{where} shows no «Найдено:» count.")
        if rows != min(ROWS_PER_PAGE, total):
            raise BenchError(f"{where} shows {rows} rows of {total}, not {min(ROWS_PER_PAGE, total)}.")
        seen += f", {rows} rows of {total:,}"
    return seen


def first_person_path(port: int, cookie: str) -> str:
    """The first person of the role's people list: a person the role sees, with a full page."""
    answer = get(port, "/registry/persons/", cookie=cookie)
    match = re.search(r'href="(/registry/persons/\d+/)"', answer.body)
    if answer.status != 200 or not match:
        raise BenchError(f"No person found on the people list (status {answer.status}).")
    return match.group(1)


# wrk ------------------------------------------------------------------------------------------

# Counts the answers other than 200 (wrk itself counts only 4xx/5xx as errors, not redirects)
# and prints the figures as one JSON line.
WRK_SCRIPT = textwrap.dedent(
    """
    local threads = {}
    function setup(thread) table.insert(threads, thread) end
    function init(args) not_ok = 0 end
    function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
    function done(summary, latency, requests)
      local not_ok = 0
      for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("not_ok") end
      local e = summary.errors
      io.write(string.format(
        'WRK-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "not_ok": %d, "connect": %d, "read": %d, '
        .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, '
        .. '"mean_us": %.1f}\\n',
        summary.requests, summary.duration, summary.bytes, not_ok, e.connect, e.read, e.write, e.status,
        e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        latency.mean))
    end
    """
)


def run_wrk(wrk: str, script: Path, args: argparse.Namespace, url: str, cookie: str, seconds: float) -> dict:
    command = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    line = next((line for line in result.stdout.splitlines() if line.startswith("WRK-JSON ")), None)
    if result.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {url} (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    return json.loads(line.removeprefix("WRK-JSON "))


@dataclass
class Result:
    key: str
    label: str
    role: str
    path: str
    seen: str
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    requests: int
    errors: int
    not_ok: int
    #: CPU time of the gunicorn workers per answered request (Python's share; the database's is not in it).
    cpu_ms: float = 0.0
    #: CPU time of the PostgreSQL backends per answered request (persistent connections only).
    db_cpu_ms: float | None = None
    ratio: float = 0.0
    goal: str = ""
    verdict: str = ""
    wrk: dict = field(default_factory=dict)


def measure(server: Server, wrk: str, script: Path, args, page: Page, path: str, cookie: str, seen: str) -> Result:
    url = f"http://{HOST}:{args.port}{path}"
    server.wait_idle()
    if args.warmup > 0:
        run_wrk(wrk, script, args, url, cookie, args.warmup)
        server.wait_idle()  # the measurement starts with an empty queue
    cpu_before = server.worker_cpu_seconds()
    db_before = server.database_cpu(args.database_url)
    figures = run_wrk(wrk, script, args, url, cookie, args.duration)
    cpu = server.worker_cpu_seconds() - cpu_before
    db_after = server.database_cpu(args.database_url)
    # Only persistent connections keep their backends for the whole run (CONN_MAX_AGE > 0); with
    # a connection per request the backends come and go and their CPU cannot be read this way.
    same_backends = db_before[0] == db_after[0] and len(db_after[0]) > 0
    db_cpu = db_after[1] - db_before[1] if same_backends else None
    seconds = figures["duration_us"] / 1e6
    errors = sum(figures[key] for key in ("connect", "read", "write", "status", "timeout"))
    result = Result(
        key=page.key,
        label=page.label,
        role=page.role or "—",
        path=path,
        seen=seen,
        rps=figures["requests"] / seconds,
        p50_ms=figures["p50_us"] / 1000,
        p90_ms=figures["p90_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        max_ms=figures["max_us"] / 1000,
        requests=figures["requests"],
        errors=errors,
        not_ok=figures["not_ok"],
        cpu_ms=1000 * cpu / figures["requests"] if figures["requests"] else 0.0,
        db_cpu_ms=1000 * db_cpu / figures["requests"] if figures["requests"] and db_cpu is not None else None,
        goal=goal_of(page),
        wrk=figures,
    )
    result.verdict = verdict_of(page, result.rps, result.p99_ms)
    if figures["requests"] < args.connections:
        # Each connection waits behind the others: with fewer answers than connections the run was
        # shorter than one round of the queue, and the latency percentiles mean little.
        result.seen += f"; only {figures['requests']} answers in {seconds:.0f} s: a request takes longer than the run"
    if result.not_ok or errors:
        result.verdict = (result.verdict + " ").lstrip() + f"({result.not_ok} not 200, {errors} errors)"
    return result


# Output ---------------------------------------------------------------------------------------


def environment(database_url: str) -> dict:
    import psycopg

    with psycopg.connect(_maintenance_url(database_url), autocommit=True) as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    versions = subprocess.run(
        [str(PYTHON), "-c", "import django, gunicorn; print(django.get_version(), gunicorn.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False).stdout.split()
    return {
        "python": platform.python_version(),
        "django": versions[0],
        "gunicorn": versions[1],
        "postgresql": server,
        "wrk": wrk_version[1] if len(wrk_version) > 1 else "?",
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def print_table(results: list[Result], args: argparse.Namespace, env: dict) -> None:
    conn_max_age = "production default" if args.conn_max_age is None else str(args.conn_max_age)
    if args.pg_options:
        conn_max_age += f", PGOPTIONS={args.pg_options!r}"
    line = "-" * 118
    print("\n" + line)
    print(
        f"gunicorn {env['gunicorn']} ({args.workers} workers, config.settings.production, CONN_MAX_AGE={conn_max_age}), "
        f"Django {env['django']}, PostgreSQL {env['postgresql']}, demo municipality"
    )
    print(
        f"wrk {env['wrk']}: {args.connections} connections, {args.threads} thread(s), {args.duration:g} s after "
        f"{args.warmup:g} s warm-up; {env['cpus']} CPUs, load average at start {env['load_average_at_start']}"
    )
    print(line)
    print(
        f"{'page':<24} {'role':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'of floor':>9} {'CPU ms':>7} "
        f"{'DB CPU':>7}  {'goal':<22} {'verdict':<8} seen"
    )
    for r in results:
        p50, p99, cpu = (f"{r.p50_ms:.1f}", f"{r.p99_ms:.1f}", f"{r.cpu_ms:.1f}") if r.requests else ("—", "—", "—")
        db_cpu = f"{r.db_cpu_ms:.1f}" if r.db_cpu_ms is not None else "—"
        print(
            f"{r.label:<24} {r.role:<12} {r.rps:>8,.1f} {p50:>8} {p99:>8} {r.ratio:>8.1%} "
            f"{cpu:>7} {db_cpu:>7}  {r.goal:<22} {r.verdict:<8} {r.seen}"
        )
    print(line)
    judged = [r for r in results if r.goal]
    passed = sum(r.verdict.startswith("PASS") for r in judged)
    print(f"{passed} of {len(judged)} pages meet the goal of issue 6 §6.")
    print(
        "«of floor»: requests/s as a share of the floor's; «CPU ms»: gunicorn workers' CPU time per answered "
        "request; «DB CPU»: the PostgreSQL backends' (only with persistent connections). Load average at the "
        f"end {[round(x, 2) for x in os.getloadavg()]}: other work on the machine lowers requests/s; CPU ms "
        "moves less."
    )


def run(args: argparse.Namespace, wrk: str, workdir: Path) -> list[Result]:
    static_root, media_root = workdir / "static", workdir / "media"
    media_root.mkdir()
    env = server_environment(args, str(static_root), str(media_root))
    started = time.monotonic()
    manage("collectstatic", "--noinput", env=env, what="collectstatic")
    print(f"Collected the static files into {static_root} in {time.monotonic() - started:.0f} s", flush=True)
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    server = Server(args, env, workdir / "gunicorn.log")
    try:
        print(f"gunicorn answers on http://{HOST}:{args.port}/ (pid {server.process.pid})", flush=True)
        cookies = {None: ""}
        for role in sorted({page.role for page in args.pages if page.role}):
            cookies[role] = log_in(args.port, role)
            print(f"  logged in as {role}", flush=True)
        plan = []
        for page in args.pages:
            cookie = cookies[page.role]
            path = page.path or first_person_path(args.port, cookie)
            seen = check_page(args.port, page, path, cookie)
            plan.append((page, path, cookie, seen))
        print("Every page answers 200 with its content; measuring …", flush=True)
        results = []
        for page, path, cookie, seen in plan:
            result = measure(server, wrk, script, args, page, path, cookie, seen)
            results.append(result)
            db_cpu = f" + DB {result.db_cpu_ms:.1f}" if result.db_cpu_ms is not None else ""
            not_ok = f"  {result.not_ok} not 200" if result.not_ok else ""
            print(
                f"  {page.key:<26} {result.rps:>8,.1f} req/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms"
                f"  CPU {result.cpu_ms:5.1f}{db_cpu} ms/req{not_ok}",
                flush=True,
            )
        # The session must still be valid at the end: a page that lost it measured redirects.
        for page, path, cookie, _ in plan:
            check_page(args.port, page, path, cookie)
        if server.process.poll() is not None:
            raise BenchError(f"gunicorn stopped during the measurements:\n{server.log()}")
        errors = [line for line in server.log().splitlines() if "Traceback" in line or "ERROR" in line]
        if errors:
            print(f"gunicorn logged errors:\n{server.log()}", file=sys.stderr)
    finally:
        server.stop()
    floor = next(r.rps for r in results if r.key == "floor")
    for r in results:
        r.ratio = r.rps / floor
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_name(args.database_url)  # refuse a wrong database before anything else
    wrk = ensure_wrk()
    env = environment(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    created = False
    try:
        created = prepare_database(args.database_url, reuse=args.reuse)
        results = run(args, wrk, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if args.keep or (args.reuse and not created):
            print(f"Kept the database {database_name(args.database_url)}.")
        else:
            drop_database(args.database_url)
    print_table(results, args, env)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "environment": env,
                    "settings": {
                        "workers": args.workers,
                        "connections": args.connections,
                        "threads": args.threads,
                        "duration_s": args.duration,
                        "warmup_s": args.warmup,
                        "conn_max_age": args.conn_max_age,
                        "pg_options": args.pg_options,
                    },
                    "results": [asdict(r) for r in results],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        print(f"Wrote {args.json}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        sys.exit(2)
