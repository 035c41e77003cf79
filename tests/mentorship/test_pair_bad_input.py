"""The pair pages that read numbers and dates from the URL or a form (beyond what
tests/core/test_bad_input.py throws at every list and id URL) never answer 500."""

import pytest
from django.urls import reverse

from tests.core.test_bad_input import HUGE
from tests.mentorship.data import make_pairs

pytestmark = pytest.mark.django_db

GARBAGE = ["%00", "abc", HUGE]


@pytest.fixture
def data(world):
    return make_pairs(world)


def test_it_answers_garbage_in_the_query_of_the_forming_pages(client, world, data):
    client.raise_request_exception = False
    pages = {
        reverse("mentorship:pair_create"): ("mentee", "form", "mentor"),
        reverse("mentorship:pair_check"): ("mentee", "form", "mentor", "start_on", "more_mentees", "pair_id"),
        reverse("mentorship:pair_propose"): ("organization", "form"),
        reverse("mentorship:recognition_create"): ("person", "pair"),
        reverse("mentorship:practice_create"): ("pair",),
        reverse("mentorship:monthly_report_create", args=[data.active.pk]): ("month",),
        reverse("mentorship:mentee_report_create", args=[data.completed.pk]): ("mentee",),
        reverse("mentorship:pair_remove_mentee", args=[data.active.pk]): ("mentee",),
    }
    client.force_login(world.curator_a)
    for url, names in pages.items():
        for name in names:
            for value in GARBAGE:
                response = client.get(f"{url}?{name}={value}")
                assert response.status_code == 200, (url, name, value[:20], response.status_code)
    client.force_login(world.director_a)
    for value in GARBAGE:
        assert client.get(reverse("mentorship:pair_approve") + f"?pair={value}").status_code == 200


def test_it_answers_garbage_in_the_posted_forms(client, world, data):
    client.raise_request_exception = False
    client.force_login(world.curator_a)
    posts = {
        reverse("mentorship:pair_create"): [
            "mentee",
            "form",
            "mentor",
            "start_on",
            "end_on",
            "role_model",
            "more_mentees",
        ],
        reverse("mentorship:pair_check"): ["mentee", "form", "mentor", "start_on", "more_mentees", "pair_id"],
        reverse("mentorship:pair_update", args=[data.draft.pk]): ["mentee", "mentor", "more_mentees"],
        reverse("mentorship:pair_propose"): ["organization", "mentee_0", "form_0", "mentor_0", "start_on"],
        reverse("mentorship:pair_replace_mentor", args=[data.active.pk]): ["mentor", "on", "reason"],
        reverse("mentorship:pair_add_mentee", args=[data.active.pk]): ["mentee", "on"],
        reverse("mentorship:monthly_report_create", args=[data.active.pk]): ["month", "submitted_on"],
        reverse("mentorship:mentee_report_create", args=[data.completed.pk]): ["mentee", "rating_overall"],
    }
    for url, names in posts.items():
        for name in names:
            for value in GARBAGE:
                response = client.post(url, {name: value, "suggest": "1"} if "new" in url else {name: value})
                assert response.status_code in (200, 302, 404), (url, name, value[:20], response.status_code)
    client.force_login(world.director_a)
    for value in GARBAGE:
        response = client.post(
            reverse("mentorship:pair_approve"), {"pairs": [value], "order_number": "1", "order_date": value}
        )
        assert response.status_code == 200, (value[:20], response.status_code)


def test_it_throws_the_bad_input_corpus_at_the_new_lists_and_id_urls_too():
    """tests/core/test_bad_input.py finds its lists and id URLs through the URL resolver."""
    from core.testing.pages import list_routes, portal_routes

    lists = {route.name for route in list_routes()}
    assert {
        "mentorship:pair_list",
        "mentorship:mentor_base",
        "mentorship:recognition_list",
        "mentorship:practice_list",
    } <= lists
    ids = {route.name for route in portal_routes() if route.int_kwargs}
    assert {"mentorship:pair_detail", "mentorship:pair_replace_mentor", "mentorship:practice_file"} <= ids
