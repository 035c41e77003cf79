"""`/healthz/` (core/views_health.py): the floor of the page bench and the container's health check."""

import pytest
from django.urls import reverse


@pytest.fixture
def url():
    return reverse("healthz")


def test_it_answers_ok_as_plain_text(client, url):
    """No `db` fixture: pytest-django refuses any database access here."""
    response = client.get(url)

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_it_needs_no_login(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_it_runs_no_database_query(db, client, url, django_assert_num_queries):
    """Asked without a session cookie, as the health check and the bench's floor ask: with one,
    Django's LoginRequiredMiddleware reads the session and the user before any view runs."""
    with django_assert_num_queries(0):
        response = client.get(url)

    assert response.status_code == 200


def test_it_answers_head_and_refuses_writes(client, url):
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_it_is_never_cached(client, url):
    assert "no-store" in client.get(url)["Cache-Control"]


def test_it_answers_a_check_that_says_https_behind_the_proxy(client, settings, url):
    """docker-compose's health check asks over plain HTTP inside the container with the header the
    TLS proxy sets; production's HTTPS redirect must not turn that into a 301."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    assert client.get(url).status_code == 301
    response = client.get(url, headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response.content == b"ok"
