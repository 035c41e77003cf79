"""Settings from the environment, failing loudly on a value they cannot understand
(house style (docs/style.md) habit 8; config/env.py, config/settings/)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: 60 characters of letters, digits and punctuation: what `check --deploy` wants of a key.
STRONG_SECRET_KEY = "aB3$dE5^gH7&jK9*mN1!pQ2@sT4#vW6%yZ8(bC0)eF-hI_kL+nO=rU~xAq7Z"
#: What the test process itself put in the environment (test settings, pytest-django, Playwright's
#: DJANGO_ALLOW_ASYNC_UNSAFE); a child starts without it.
INHERITED = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "TIME_ZONE"}


def run_django(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run Python with `args` in the project root with only `env` as the portal's settings."""
    environment = {
        key: value for key, value in os.environ.items() if key not in INHERITED and not key.startswith("DJANGO_")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setup_django(**env: str) -> subprocess.CompletedProcess:
    return run_django(["-c", "import django; django.setup(); print('started')"], **env)


PRODUCTION = {"DJANGO_SETTINGS_MODULE": "config.settings.production", "ALLOWED_HOSTS": "example.org"}


# config.env ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("0", False),
        ("true", True),
        ("false", False),
        ("yes", True),
        ("no", False),
        ("on", True),
        ("off", False),
        ("TRUE", True),
        (" Off ", False),
    ],
)
def test_it_reads_the_usual_spellings_of_a_boolean(monkeypatch, raw, expected):
    monkeypatch.setenv("PORTAL_FLAG", raw)

    assert env_bool("PORTAL_FLAG", default=not expected) is expected


@pytest.mark.parametrize("raw", ["maybe", "2", "да", "enabled"])
def test_it_refuses_a_boolean_it_cannot_understand(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="PORTAL_FLAG"):
        env_bool("PORTAL_FLAG", default=True)


@pytest.mark.parametrize("default", [True, False])
def test_it_uses_the_default_when_a_boolean_is_not_set(monkeypatch, default):
    monkeypatch.delenv("PORTAL_FLAG", raising=False)

    assert env_bool("PORTAL_FLAG", default=default) is default


def test_it_reads_an_integer(monkeypatch):
    monkeypatch.setenv("PORTAL_NUMBER", "600")

    assert env_int("PORTAL_NUMBER", 0) == 600


@pytest.mark.parametrize("raw", ["abc", "1.5", "10 minutes"])
def test_it_refuses_an_integer_it_cannot_understand(monkeypatch, raw):
    monkeypatch.setenv("PORTAL_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured, match="PORTAL_NUMBER"):
        env_int("PORTAL_NUMBER", 0)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_it_uses_the_default_when_an_integer_is_not_set(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("PORTAL_NUMBER", raising=False)
    else:
        monkeypatch.setenv("PORTAL_NUMBER", raw)

    assert env_int("PORTAL_NUMBER", 42) == 42


def test_it_reads_a_list_dropping_empty_items(monkeypatch):
    monkeypatch.setenv("PORTAL_HOSTS", " example.org, ,www.example.org,")

    assert env_list("PORTAL_HOSTS", []) == ["example.org", "www.example.org"]


# Starting with production settings -------------------------------------------------------


def test_it_refuses_to_start_production_with_debug_on():
    result = setup_django(**PRODUCTION, DEBUG="1", SECRET_KEY="x")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "config.settings.production must run with DEBUG off." in result.stderr
    assert "started" not in result.stdout


def test_it_refuses_to_start_with_a_debug_value_it_cannot_understand():
    result = setup_django(**PRODUCTION, DEBUG="maybe", SECRET_KEY=STRONG_SECRET_KEY)

    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = setup_django(**PRODUCTION, DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_it_refuses_to_start_production_without_allowed_hosts():
    result = setup_django(DJANGO_SETTINGS_MODULE="config.settings.production", DEBUG="0", SECRET_KEY=STRONG_SECRET_KEY)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the portal's host names in production." in result.stderr


def test_it_refuses_to_start_with_an_unknown_time_zone():
    result = setup_django(**PRODUCTION, DEBUG="0", SECRET_KEY=STRONG_SECRET_KEY, TIME_ZONE="Europe/Nowhere")

    assert result.returncode != 0
    assert "TIME_ZONE='Europe/Nowhere' is not a known time zone." in result.stderr


def test_it_starts_production_with_sound_settings():
    result = setup_django(**PRODUCTION, DEBUG="0", SECRET_KEY=STRONG_SECRET_KEY)

    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_it_passes_the_deployment_checklist():
    assert len(STRONG_SECRET_KEY) == 60
    assert len(set(STRONG_SECRET_KEY)) > 5

    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        DEBUG="0",
        SECRET_KEY=STRONG_SECRET_KEY,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_fails_the_deployment_checklist_with_a_weak_secret_key():
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        DEBUG="0",
        SECRET_KEY="short",
    )

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
