"""No user input may produce a 500 (issue 6 §1).

The bad-input corpus — NUL, 10,000 characters, invalid UTF-8, a lone surrogate, non-numeric and
huge ids, negative and huge page numbers, unknown and malicious sort keys, unknown export formats,
repeated parameters, ids of objects outside the user's scope — is thrown at every list and its
exports, for every actor, and at every URL that names an object by its id. The lists and the id
URLs are discovered by walking the URL resolver, so the apps built later are covered as they come.
"""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.models import AuditEntry
from core.testing.factories import (
    ConsentFactory,
    MenteeRecordFactory,
    MentorRecordFactory,
    PersonFactory,
    TeacherFactory,
)
from core.testing.pages import list_routes, portal_routes
from core.views import ScopedListView

ACTORS = ["curator_a", "director_a", "curator_b", "coordinator", "observer", "coordinator_elsewhere", "superuser"]
#: Beyond PostgreSQL's bigint and SQLite's INTEGER.
HUGE = "9" * 30
LONG = "я" * 10_000
MODES = ("", "&export=xlsx", "&export=csv")

#: Raw query strings, sent as they are (the test client would re-encode a dict).
CORPUS = [
    "q=%00",
    "q=%D0%B8%D0%B2%00%D0%B0%D0%BD",  # «ив\0ан»
    "q=" + quote(LONG),
    "q=" + "%D0%B0+" * 5_000,  # 5,000 words
    "q=%ff%fe",  # not UTF-8
    "q=%ED%A0%80",  # a lone surrogate, UTF-8-encoded
    "q=%25%5F%5C",  # LIKE wildcards and the escape character
    "q=" + quote("'; DROP TABLE registry_person; --"),
    "q=a&q=%00&q=b",  # repeated
    "page=abc",
    "page=-1",
    f"page={HUGE}",
    "sort=-password",
    "sort=organization__municipality__name",
    "sort=" + "x" * 10_000,
    "sort=%00",
    "sort=full_name&sort=-password&sort=-",
    "per_page=-5",
    f"per_page={HUGE}",
    "export=pdf",
    "export=" + "x" * 10_000,
    "%00=%00",
    "x" * 10_000 + "=1",
]
#: What every filter of a list is given, one at a time: a NUL, a word where a number or a choice
#: is expected, a number beyond bigint (a record's id), 10,000 characters.
FILTER_VALUES = ["%00", "abc", HUGE, quote(LONG)]


def list_views() -> list[tuple[str, type[ScopedListView]]]:
    """Every list of the portal: the URLs whose view is a ScopedListView."""
    return [(route.name, route.view_class) for route in list_routes()]


def id_urls() -> list[tuple[str, list[str]]]:
    """Every URL that names an object by a number: (url name, its integer arguments)."""
    return sorted((route.name, list(route.int_kwargs)) for route in portal_routes() if route.int_kwargs)


LISTS = list_views()


def test_it_discovers_every_list_and_every_id_url():
    names = {name for name, _ in LISTS}
    assert {
        "registry:organization_list",
        "registry:person_list",
        "registry:mentor_list",
        "registry:mentee_list",
        "registry:consent_list",
    } <= names
    id_names = {name for name, _ in id_urls()}
    assert {"registry:person_detail", "registry:person_update", "registry:person_delete", "import_job"} <= id_names


def _filter_queries(view_class) -> list[str]:
    """Each filter of the list with each bad value, and with a value repeated."""
    queries = []
    for name in view_class.filterset_class.base_filters:
        queries += [f"{name}={value}" for value in FILTER_VALUES]
        queries.append(f"{name}=abc&{name}=1&{name}=%00")
    return queries


def _scoped_queries(view_class, world) -> list[str]:
    """What depends on who asks: a choice of organizations offers only the user's, so every
    organization is asked for by its id (the user's own, another school, another municipality);
    the organization column is shown only to users of several organizations, so it is sorted by."""
    queries = []
    for name, model in view_class.filterset_class.scoped_choices.items():
        queries += [f"{name}={pk}" for pk in model.objects.values_list("pk", flat=True)]
    return [*queries, "sort=organization", "sort=-organization", "sort=-password"]


@pytest.fixture
def populated(world):
    """People, bases and consents in both schools of the municipality and in the other one."""
    for school in (world.school_a, world.school_b, world.school_elsewhere):
        person = PersonFactory(organization=school)
        ConsentFactory(person=person)
        MenteeRecordFactory(person=person)
        MentorRecordFactory(person=TeacherFactory(organization=school))
    world.superuser = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    return world


def _assert_answer(response, mode: str, query: str) -> None:
    assert response.status_code == 200, (query[:80], mode, response.status_code)
    if mode == "&export=xlsx":
        assert response["Content-Disposition"].startswith("attachment")
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            assert "xl/workbook.xml" in book.namelist()
    elif mode == "&export=csv":
        assert response["Content-Disposition"].startswith("attachment")
        response.content.decode("utf-8-sig")


def _assert_journalled(before: int, query: str) -> None:
    entries = AuditEntry.objects.filter(action="export").order_by("-pk")
    assert entries.count() == before + 1, query[:80]
    stored = json.dumps(entries.first().data, ensure_ascii=False)
    assert "\\u0000" not in stored
    assert len(stored) < 2_000


def _throw(client, url: str, queries: list[str]) -> None:
    for query in queries:
        for mode in MODES:
            before = AuditEntry.objects.filter(action="export").count()
            _assert_answer(client.get(f"{url}?{query}{mode}"), mode, query)
            if mode:
                _assert_journalled(before, query)


@pytest.mark.parametrize(("name", "view_class"), LISTS, ids=[name for name, _ in LISTS])
def test_it_answers_the_bad_input_corpus_at_every_list_and_its_exports_without_a_500(
    client, populated, name, view_class
):
    """The whole corpus and every filter's bad values, as the page, .xlsx and .csv. The actors
    take turns (the query decides what breaks; who asks is the next test's matter), so every
    actor meets a share of the corpus in every list."""
    client.raise_request_exception = False
    url = reverse(name)
    for index, query in enumerate(CORPUS + _filter_queries(view_class)):
        client.force_login(getattr(populated, ACTORS[index % len(ACTORS)]))
        _throw(client, url, [query])


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "view_class"), LISTS, ids=[name for name, _ in LISTS])
def test_it_answers_every_actor_asking_for_what_is_outside_their_scope_without_a_500(
    client, populated, name, view_class, actor
):
    client.raise_request_exception = False
    client.force_login(getattr(populated, actor))
    _throw(client, reverse(name), _scoped_queries(view_class, populated))


def test_it_journals_an_export_whose_search_holds_a_nul_without_the_nul(client, world):
    PersonFactory(organization=world.school_a, last_name="Соколова")
    client.force_login(world.curator_a)
    response = client.get(reverse("registry:person_list") + "?q=%D0%A1%D0%BE%D0%BA%00&export=csv")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="export")
    assert entry.data["filters"]["q"] == "Сок\N{REPLACEMENT CHARACTER}"


def test_it_cuts_a_long_filter_value_in_the_journal(client, world):
    client.force_login(world.curator_a)
    client.get(reverse("registry:person_list") + "?q=" + quote(LONG) + "&export=csv")
    entry = AuditEntry.objects.get(action="export")
    assert len(entry.data["filters"]["q"]) <= 201
    assert entry.data["filters"]["q"].endswith("…")


@pytest.mark.parametrize("actor", ACTORS)
def test_it_answers_a_huge_or_foreign_id_with_404_never_500(client, populated, actor):
    client.raise_request_exception = False
    user = getattr(populated, actor)
    client.force_login(user)
    for name, arguments in id_urls():
        for value in (HUGE, "0", str(2**63), str(2**63 - 1)):
            url = reverse(name, kwargs=dict.fromkeys(arguments, value))
            for method in (client.get, client.post):
                response = method(url)
                # A read-only role may be refused (403) before the object is looked up; a view that only
                # answers GET refuses a POST (405).
                assert response.status_code in (403, 404, 405), (url, method.__name__, response.status_code)


def test_a_many_to_many_choice_beyond_64_bits_is_a_form_error_not_a_500(client, world):
    """`pk__in` with a number SQLite cannot hold raised «Python int too large»: every service form's
    many-to-many field refuses such an id first (core.forms.IdsMultipleChoiceField)."""
    from core.testing.factories import MentorRecordFactory, TeacherFactory

    record = MentorRecordFactory(person=TeacherFactory(organization=world.school_a))
    client.force_login(world.curator_a)
    response = client.post(
        reverse("registry:mentor_update", args=[record.pk]),
        {"forms": ["9" * 30], "topics": ["-1"], "entered_on": "2025-09-01"},
    )
    assert response.status_code == 200
    assert "forms" in response.context["form"].errors and "topics" in response.context["form"].errors
