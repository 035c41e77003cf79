"""Persistent database connections in production (config/settings/production.py, issue 6 §6)."""

import json

from tests.core.test_settings_env import PRODUCTION, STRONG_SECRET_KEY, run_django

PRINT_DATABASE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'max_age': db['CONN_MAX_AGE'], 'health_checks': db['CONN_HEALTH_CHECKS']}))"
)
POSTGRES = "postgres://portal@db.example.org:5432/portal"


def database_settings(**env: str) -> dict:
    result = run_django(["-c", PRINT_DATABASE], DEBUG="0", SECRET_KEY=STRONG_SECRET_KEY, DATABASE_URL=POSTGRES, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_keeps_connections_for_a_minute_in_production_and_checks_them():
    assert database_settings(**PRODUCTION) == {"max_age": 60, "health_checks": True}


def test_it_reads_the_connection_age_from_the_environment_in_production():
    assert database_settings(**PRODUCTION, CONN_MAX_AGE="0") == {"max_age": 0, "health_checks": True}
    assert database_settings(**PRODUCTION, CONN_MAX_AGE="300")["max_age"] == 300


def test_it_refuses_a_connection_age_it_cannot_understand():
    result = run_django(
        ["-c", PRINT_DATABASE], **PRODUCTION, DEBUG="0", SECRET_KEY=STRONG_SECRET_KEY, CONN_MAX_AGE="a minute"
    )

    assert result.returncode != 0
    assert "CONN_MAX_AGE='a minute' is not an integer" in result.stderr


def test_it_leaves_development_settings_closing_connections_after_each_request():
    settings = database_settings(DJANGO_SETTINGS_MODULE="config.settings.base")

    assert settings["max_age"] == 0
