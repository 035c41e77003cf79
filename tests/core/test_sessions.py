"""Sessions end after an idle time (SESSION_IDLE_MINUTES, 8 hours) and when the browser closes
(issue 6 §3). The expiry slides with use, but the session is written at most every few minutes
(SESSION_REFRESH_MINUTES), not on every request."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

START = datetime.datetime(2026, 3, 10, 8, 0, tzinfo=datetime.UTC)


def _at(client, moment):
    with time_machine.travel(moment, tick=False):
        return client.get(reverse("home"))


def _signed_in(response) -> bool:
    return response.status_code == 200


@pytest.fixture
def signed_in(client, world):
    with time_machine.travel(START, tick=False):
        client.force_login(world.curator_a)
    return client


def _expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def test_it_defaults_to_eight_idle_hours_and_a_refresh_every_five_minutes():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_REFRESH_SECONDS == 5 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_it_ends_a_session_left_idle_for_eight_hours(signed_in):
    assert _signed_in(_at(signed_in, START + datetime.timedelta(hours=7, minutes=59)))

    response = _at(signed_in, START + datetime.timedelta(hours=7, minutes=59) + datetime.timedelta(hours=8, seconds=1))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_keeps_a_session_in_use_alive_all_day(signed_in):
    moment = START
    for _ in range(12):  # a request every 70 minutes for 14 hours
        moment += datetime.timedelta(minutes=70)
        assert _signed_in(_at(signed_in, moment))


def test_it_writes_the_session_at_most_every_few_minutes(signed_in):
    # Logging in saved it at START.
    assert _expiry(signed_in) == START + datetime.timedelta(hours=8)
    for seconds in (60, 150, 240, 299):
        _at(signed_in, START + datetime.timedelta(seconds=seconds))
        assert _expiry(signed_in) == START + datetime.timedelta(hours=8)

    _at(signed_in, START + datetime.timedelta(minutes=5, seconds=1))

    assert _expiry(signed_in) == START + datetime.timedelta(minutes=5, seconds=1, hours=8)


def test_it_costs_no_write_on_a_request_within_the_refresh_interval(signed_in):
    with time_machine.travel(START + datetime.timedelta(minutes=2), tick=False):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            signed_in.get(reverse("home"))
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]
    assert writes == []


def test_it_ends_the_session_when_the_browser_closes(client, world):
    from core.testing.factories import PASSWORD

    response = client.post(reverse("login"), {"username": world.curator_a.username, "password": PASSWORD})

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""


def test_it_reads_the_idle_time_from_the_environment():
    from tests.core.test_settings_env import run_django

    result = run_django(
        ["-c", "import django; django.setup(); from django.conf import settings as s; "
         "print(s.SESSION_COOKIE_AGE, s.SESSION_REFRESH_SECONDS)"],
        DJANGO_SETTINGS_MODULE="config.settings.local",
        SESSION_IDLE_MINUTES="30",
        SESSION_REFRESH_MINUTES="1",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["1800", "60"]


@pytest.mark.parametrize(("idle", "refresh"), [("30", "30"), ("30", "0"), ("10", "20")])
def test_it_refuses_a_refresh_interval_that_could_end_an_active_session(idle, refresh):
    from tests.core.test_settings_env import run_django

    result = run_django(
        ["-c", "import django; django.setup()"],
        DJANGO_SETTINGS_MODULE="config.settings.local",
        SESSION_IDLE_MINUTES=idle,
        SESSION_REFRESH_MINUTES=refresh,
    )

    assert result.returncode != 0
    assert "SESSION_REFRESH_MINUTES must be at least 1 and less than SESSION_IDLE_MINUTES." in result.stderr
