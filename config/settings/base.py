"""Settings of the portal, read from the environment.

Every value that differs between a developer's machine and production comes from an
environment variable (see README.md); a value that cannot be understood stops the start-up.
"""

import datetime
import zoneinfo
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

#: A developer's or the demo's machine (`DEBUG=1`, as `make run` sets it): a generated
#: SECRET_KEY, local host names, static files straight from the source folders. The pages, error
#: pages included, are production's: the demo looks as the portal does.
DEVELOPMENT = env_bool("DEBUG", False)
#: Django's DEBUG: its technical error pages (traceback, settings, the URL list) instead of the
#: Russian ones, and the SQL of every query kept in memory. Only for a developer who asks.
DEBUG = env_bool("DEBUG_TECHNICAL_PAGES", False)
if DEBUG and not DEVELOPMENT:
    raise ImproperlyConfigured("DEBUG_TECHNICAL_PAGES=1 needs DEBUG=1: technical pages are for a developer's machine.")


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEVELOPMENT:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # A development key kept beside the project, so sessions survive a restart.
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key())
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEVELOPMENT else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # WhiteNoise serves static files under runserver too, as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "csp",
    "import_export",
    "django_tasks",
    "core.task_results.TaskResultsConfig",  # django_tasks_db, named in Russian in the admin
    # Before core: its failed-login receiver marks the request locked out before core journals it.
    "core.lockout.LoginLockoutConfig",  # django-axes
    "core",
    "registry",
    "mentorship",
    "roadmaps",
    "monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files, with their long caching, before anything else looks at the request.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the rest, so that it also marks the refusals the inner middleware answer.
    "core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.SessionRefreshMiddleware",
    # Every page but the login page needs a signed-in user.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into core.auth.lockout_response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.scope",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write to one file: wait for locks, take them up front, use WAL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the portal's queries are short OLTP reads whose EXISTS subqueries give
    # high cost estimates, and PostgreSQL then spends most of a request compiling them (the
    # coordinator's home: 855 of 884 ms; bench/profile_pages.py). Another value may come from
    # DATABASE_URL's own "options".
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = ("-c jit=off " + _options.get("options", "")).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out user name or address before the password is checked.
    "core.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Moscow")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone.") from None
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if DEVELOPMENT:
    # No collectstatic on a developer's machine: WhiteNoise reads the source folders, anew on
    # every request.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
# Consent scans and other uploads: at most 10 MB each (checked in core.uploads).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/portal.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-hover align-middle"}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Figures of the home pages are kept this many seconds per scope, and computed again at once
# after any journalled write (core.cache). Each gunicorn worker keeps its own copy (Django's
# default local-memory cache): the data version is asked of the database, so they agree.
FIGURES_CACHE_SECONDS = env_int("FIGURES_CACHE_SECONDS", 60)
# The region view's figures are a snapshot in the database, computed again by the worker after a
# change; one behind the data is shown for at most this long (monitoring.snapshots).
DASHBOARD_SNAPSHOT_MAX_AGE = env_int("DASHBOARD_SNAPSHOT_MAX_AGE", 15 * 60)

# The demo municipality may be loaded only where this is on (never in production).
DEMO_DATA_ALLOWED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "core.log.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django adds a console handler of its own to "django" when DEBUG is on, and every line
        # reached the console twice: everything goes through the root's handler only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A refusal (403, 400) is one line: who, which path, why (core.log).
        "django.request": {"filters": ["one_line_refusals"]},
        # django-axes says at INFO what it does with every log-in; a failure and a lock-out are
        # warnings, and the portal's journal holds each failure.
        "axes": {"level": "WARNING"},
        # WeasyPrint says at INFO each of the seven steps of every PDF it writes.
        "weasyprint": {"level": "WARNING"},
        # …except its page count while laying out: the worker's progress bar listens to it
        # (core.documents.render_pdf_pages); nothing prints it.
        "weasyprint.progress": {"level": "INFO", "handlers": [], "propagate": False},
    },
}

IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = True

# Imports and uploads: what a file may hold before anything reads it (core.importing,
# core.xlsx_guard, core.uploads), how long a job may run, how long its file is kept.
# At most this many bytes (a 100,000-row persons table is about 5 MB as .xlsx).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 40 * 1024 * 1024)
# The first sheet's last row and column (the header counts as a row), and its cells: a reader
# builds the whole rectangle up to the last cell (32 bytes a cell in python-calamine), so the
# area is capped too. 200,000 rows of the widest template (21 columns) fit.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 5_000_000)
# Characters in one cell: a longer value is an error of its row and column.
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 2_000)
# Zip-bomb check of an .xlsx, from its central directory: unpacked bytes of one part, of all
# parts, and the number of parts. A full 200,000-row template of the widest kind (mentors, 21
# columns, as the portal writes it) unpacks to 288 MB.
IMPORT_MAX_PART_BYTES = env_int("IMPORT_MAX_PART_BYTES", 384 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 512 * 1024 * 1024)
IMPORT_MAX_ZIP_MEMBERS = env_int("IMPORT_MAX_ZIP_MEMBERS", 2_000)
# Seconds a check or a save may run; the worker marks a longer one failed.
IMPORT_JOB_TIMEOUT = env_int("IMPORT_JOB_TIMEOUT", 30 * 60)
# Days an imported file is kept; then `purge_expired` deletes it and keeps the job's summary.
IMPORT_RETENTION_DAYS = env_int("IMPORT_RETENTION_DAYS", 30)
# Seconds the worker may spend on one document (an order of hundreds of pairs, a region's report);
# a longer one is stopped and marked failed. Hours a PDF printed by the worker for a person waits
# for them to download it; then `purge_expired` deletes it (the download stays in the journal).
DOCUMENT_JOB_TIMEOUT = env_int("DOCUMENT_JOB_TIMEOUT", 15 * 60)
PRINT_RETENTION_HOURS = env_int("PRINT_RETENTION_HOURS", 24)
# Pixels a scanned image may declare (an A4 page at 600 dpi is 35 million).
SCAN_MAX_PIXELS = env_int("SCAN_MAX_PIXELS", 80_000_000)
# Management commands the worker (`manage.py worker`) runs at its start and then daily, by name (so
# that core imports no app): expired import files,
# the calendar of pairs (an approved pair begins on its start date, a live one is completed after
# its end), and the campaigns' reminders (monitoring: «до срока 3 дня», «срок прошёл», each once).
DAILY_COMMANDS = ["purge_expired", "advance_pairs", "campaign_reminders"]
for _name in (
    "IMPORT_MAX_BYTES", "IMPORT_MAX_ROWS", "IMPORT_MAX_COLUMNS", "IMPORT_MAX_CELLS", "IMPORT_MAX_CELL_CHARS",
    "IMPORT_MAX_PART_BYTES", "IMPORT_MAX_UNPACKED_BYTES", "IMPORT_MAX_ZIP_MEMBERS", "IMPORT_JOB_TIMEOUT",
    "IMPORT_RETENTION_DAYS", "SCAN_MAX_PIXELS", "DOCUMENT_JOB_TIMEOUT", "PRINT_RETENTION_HOURS",
):  # fmt: skip
    if globals()[_name] <= 0:
        raise ImproperlyConfigured(f"{_name}={globals()[_name]} must be a positive number.")


# E-mail (the campaigns' notices, monitoring.notices): printed to the console unless an SMTP
# server is named; with EMAIL_HOST set, Django's SMTP backend with the settings below.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: choose one (587: TLS, 465: SSL).")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Наставничество <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address as the e-mails link to it (no trailing slash).
PORTAL_URL = (env_str("PORTAL_URL", "http://localhost:8000") or "").rstrip("/")


# Log-in lock-out (django-axes): after LOGIN_FAILURE_LIMIT failures for one user name, or from
# one address, log-ins from it are refused for LOGIN_LOCKOUT_MINUTES after the last failure.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() < 60:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at least 1.")
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Tries during a lock-out do not prolong it: the login page names the minute it ends, and it does.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the failures: it would also wipe those of the address, and anyone with
# an account could then guess another user's password between log-ins of their own.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "core.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.auth.client_address"
# Failures are journalled by core.auth; successful log-ins need no second table that nobody reads.
AXES_DISABLE_ACCESS_LOG = True
#: Reverse proxies in front of the portal that add the client's address to X-Forwarded-For
#: (0: the portal is reached directly and REMOTE_ADDR is the client).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# Sessions end after SESSION_IDLE_MINUTES without a request and when the browser closes. The
# expiry slides with use, moved at most every SESSION_REFRESH_MINUTES (core.middleware), so a
# page costs no session write. Sessions stay in the database: a signed cookie could not be
# revoked on logging out, and a cache would need a server the portal does not have.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 8 * 60) * 60
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_MINUTES", 5) * 60
if not 0 < SESSION_REFRESH_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("SESSION_REFRESH_MINUTES must be at least 1 and less than SESSION_IDLE_MINUTES.")
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy (django-csp): scripts, styles, fonts and everything else from the
# portal itself, never inline, so an injected <script> or onclick= does not run. Bootstrap's
# CSS draws its icons (select arrows, the close button, check marks) as data: images. Templates
# must keep to it: no <script> with a body, no on*= attributes, no style= attributes (README,
# «Безопасность»); JavaScript lives in static/js/portal.js.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
