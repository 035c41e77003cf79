"""Error pages are the portal's Russian ones everywhere, the demo too (issue 6 §3): 400, 403 (and
a CSRF refusal), 404, 500. Django's technical pages only behind DEBUG_TECHNICAL_PAGES. A refusal
is logged as one line, without a traceback."""

import logging

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing.factories import PASSWORD, PersonFactory
from tests.core.test_settings_env import run_django

ENGLISH = ("Not Found", "Forbidden", "Server Error", "Bad Request", "Page not found", "CSRF verification failed")


def _russian(response, *phrases):
    body = response.content.decode()
    for phrase in phrases:
        assert phrase in body
    for english in ENGLISH:
        assert english not in body
    return body


def test_it_answers_another_schools_person_with_the_russian_404(client, world):
    person = PersonFactory(organization=world.school_a)
    client.force_login(world.curator_b)

    response = client.get(reverse("registry:person_detail", args=[person.pk]))

    assert response.status_code == 404
    _russian(response, "Страница не найдена", "Такой записи нет или она вам недоступна.")


def test_it_answers_a_refusal_with_the_russian_403(client, world):
    client.force_login(world.director_a)

    response = client.get(reverse("registry:person_create"))

    assert response.status_code == 403
    _russian(response, "Недостаточно прав", "Недостаточно прав для добавления записей.")


def test_it_answers_a_form_without_its_csrf_token_in_russian(world):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": world.curator_a.username, "password": PASSWORD})

    assert response.status_code == 403
    _russian(response, "Форма устарела")


def test_it_answers_a_host_it_does_not_serve_with_the_russian_400(client, db):
    response = client.get(reverse("login"), HTTP_HOST="evil.example")

    assert response.status_code == 400
    _russian(response, "Неверный запрос")


@pytest.mark.urls("tests.core.urls_failing")
def test_it_answers_a_failure_with_the_russian_500(client, world):
    client.raise_request_exception = False
    client.force_login(world.curator_a)

    response = client.get("/failing/")

    assert response.status_code == 500
    _russian(response, "Что-то пошло не так")


def test_it_renders_the_500_page_without_the_database_or_a_request(db):
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("500.html")
    assert len(queries) == 0
    assert "Что-то пошло не так" in html
    assert "/static/" in html  # styled, from a file: no inline style under the CSP


def test_it_logs_a_refusal_as_one_line_with_the_user_the_path_and_the_reason(client, world, caplog):
    client.force_login(world.director_a)

    with caplog.at_level(logging.INFO):
        client.get(reverse("registry:person_create"))

    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1
    record = refusals[0]
    assert record.exc_info is None
    assert record.levelno == logging.WARNING
    line = record.getMessage()
    assert "\n" not in line
    assert world.director_a.username in line
    assert reverse("registry:person_create") in line
    assert "Недостаточно прав для добавления записей." in line


def test_it_still_logs_a_failure_with_its_traceback(client, world, caplog, settings):
    settings.ROOT_URLCONF = "tests.core.urls_failing"
    client.raise_request_exception = False
    client.force_login(world.curator_a)

    client.get("/failing/")

    errors = [r for r in caplog.records if r.name == "django.request"]
    assert len(errors) == 1
    assert errors[0].exc_info is not None


LOCAL = {"DJANGO_SETTINGS_MODULE": "config.settings.local"}
#: A 403 logged the way Django's handler logs it, printed by the logging configuration of the
#: settings under test: how many lines reach the console?
LOG_A_REFUSAL = """
import django
django.setup()
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden
from django.test import RequestFactory
from django.utils.log import log_response

request = RequestFactory().get("/registry/persons/new/")
request.user = AnonymousUser()
try:
    raise PermissionDenied("Недостаточно прав для добавления записей.")
except PermissionDenied as refusal:
    log_response(
        "Forbidden (Permission denied): %s", request.path,
        response=HttpResponseForbidden(), request=request, exception=refusal,
    )
"""


@pytest.mark.parametrize("technical", ["0", "1"])
def test_it_prints_a_refusal_once_and_without_a_traceback(technical, tmp_path):
    result = run_django(
        ["-c", LOG_A_REFUSAL], **LOCAL, DEBUG="1", DEBUG_TECHNICAL_PAGES=technical,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "/registry/persons/new/" in line]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr


DEMO_404 = (
    "import django; django.setup();"
    "from django.conf import settings; from django.test import Client;"
    "response = Client().get('/no-such-page/', HTTP_HOST='127.0.0.1');"
    "print(settings.DEBUG, response.status_code); print(response.content.decode())"
)


def test_it_shows_the_demo_the_russian_404_as_production_does(tmp_path):
    # `make run` starts the portal with DEBUG=1.
    result = run_django(["-c", DEMO_404], **LOCAL, DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "False 404"
    assert "Страница не найдена" in result.stdout
    assert "Using the URLconf" not in result.stdout


def test_it_shows_the_technical_pages_to_a_developer_who_asks(tmp_path):
    result = run_django(
        ["-c", DEMO_404], **LOCAL, DEBUG="1", DEBUG_TECHNICAL_PAGES="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "True 404"
    assert "Using the URLconf" in result.stdout


def test_it_refuses_technical_pages_without_debug(tmp_path):
    result = run_django(
        ["-c", "import django; django.setup()"], **LOCAL, DEBUG="0", DEBUG_TECHNICAL_PAGES="1", SECRET_KEY="x" * 60,
    )  # fmt: skip

    assert result.returncode != 0
    assert "DEBUG_TECHNICAL_PAGES=1 needs DEBUG=1" in result.stderr
