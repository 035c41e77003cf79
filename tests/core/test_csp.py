"""A strict Content-Security-Policy (issue 6 §3): everything from the portal itself, nothing
inline. The header is checked on the pages and in production settings; the pages are checked to
keep to it (no <script> with a body, no on*= attributes, no style= attributes, no <style>)."""

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.models import ImportJob
from core.testing.factories import ConsentFactory, MenteeRecordFactory, MentorRecordFactory, PersonFactory
from tests.core.test_bad_input import list_views
from tests.core.test_settings_env import PRODUCTION, STRONG_SECRET_KEY, run_django

REQUIRED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def parse_policy(header: str) -> dict[str, str]:
    policy = {}
    for directive in header.split(";"):
        name, _, value = directive.strip().partition(" ")
        if name:
            policy[name] = value.strip()
    return policy


def assert_strict(header: str) -> None:
    policy = parse_policy(header)
    for name, value in REQUIRED.items():
        assert policy.get(name) == value, (name, policy.get(name))
    assert "unsafe" not in header
    assert "*" not in header
    assert set(policy["img-src"].split()) == {"'self'", "data:"}


class InlineFinder(HTMLParser):
    """What the CSP would refuse in a page: inline scripts, event handler attributes, styles."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script_without_src = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _ in attrs}
        self.found += [f"<{tag} {name}=…>" for name in names if name.startswith("on")]
        if "style" in names:
            self.found.append(f"<{tag} style=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script":
            self._script_without_src = "src" not in names
            if dict(attrs).get("type", "text/javascript") not in ("text/javascript", "module", None):
                self.found.append(f"<script type={dict(attrs)['type']}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_without_src = False

    def handle_data(self, data):
        if self._script_without_src and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")


def inline_pieces(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


@pytest.fixture
def pages(world):
    """The main pages of the portal, for the curator of school A."""
    person = PersonFactory(organization=world.school_a)
    consent = ConsentFactory(person=person)
    MenteeRecordFactory(person=person)
    mentor = MentorRecordFactory(person=PersonFactory(organization=world.school_a, category="teacher"))
    job = ImportJob.objects.create(
        user=world.curator_a, kind="persons", organization=world.school_a, status=ImportJob.Status.CHECKING,
        original_name="ученики.xlsx", rows_done=40, rows_expected=100,
    )  # fmt: skip
    job.file.save("ученики.xlsx", ContentFile(b"x"), save=True)
    return [
        reverse("home"),
        *[reverse(name) for name, _ in list_views()],
        reverse("registry:person_list") + "?category=student&q=%D0%B8",
        reverse("registry:person_detail", args=[person.pk]),
        reverse("registry:organization_detail", args=[world.school_a.pk]),
        reverse("registry:person_create"),
        reverse("registry:person_update", args=[person.pk]),
        reverse("registry:person_delete", args=[person.pk]),
        reverse("registry:consent_create", args=[person.pk]),
        reverse("registry:consent_withdraw", args=[consent.pk]),
        reverse("registry:mentor_update", args=[mentor.pk]),
        reverse("import_start"),
        reverse("import_job", args=[job.pk]),
        reverse("password_change"),
        reverse("registry:person_detail", args=[10**12]),  # 404
    ]


def test_it_sends_the_strict_policy_with_every_page(client, world, pages):
    client.force_login(world.curator_a)
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_strict(response["Content-Security-Policy"])


def test_it_keeps_every_main_page_free_of_inline_script_and_style(client, world, pages):
    client.force_login(world.curator_a)
    for url in pages:
        html = client.get(url).content.decode()
        assert inline_pieces(html) == [], url


def test_it_keeps_the_import_progress_free_of_inline_style_when_htmx_asks(client, world, pages):
    client.force_login(world.curator_a)
    job = ImportJob.objects.get()

    html = client.get(reverse("import_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert 'value="40" max="100"' in html
    assert inline_pieces(html) == []


def test_it_keeps_the_login_page_and_the_error_pages_free_of_inline_script_and_style(client, world):
    from django.template.loader import render_to_string

    response = client.get(reverse("login"))
    assert_strict(response["Content-Security-Policy"])
    assert inline_pieces(response.content.decode()) == []
    for template in ("400.html", "500.html", "403_csrf.html"):
        assert inline_pieces(render_to_string(template)) == [], template
    client.force_login(world.director_a)
    assert inline_pieces(client.get(reverse("registry:person_create")).content.decode()) == []  # 403


def test_it_tells_htmx_not_to_inject_styles_or_evaluate_code(client, world):
    client.force_login(world.curator_a)
    html = client.get(reverse("home")).content.decode()

    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html


def test_it_finds_what_the_policy_would_refuse():
    assert inline_pieces('<button onclick="go()">') == ["<button onclick=…>"]
    assert inline_pieces('<div style="width: 5%">') == ["<div style=…>"]
    assert inline_pieces("<script>alert(1)</script>") == ["<script>alert(1)"]
    assert inline_pieces("<style>p{}</style>") == ["<style>"]
    assert inline_pieces('<script src="/static/js/portal.js"></script><p class="x">') == []


PRODUCTION_LOGIN_PAGE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

# Nothing is collected here: the page's static URLs come unhashed (the headers are what counts).
storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    response = Client().get("/login/", secure=True, HTTP_HOST="example.org")
print(response.status_code)
print(response["Content-Security-Policy"])
print(response.get("X-Frame-Options"))
"""


def test_it_sends_the_strict_policy_in_production(tmp_path):
    result = run_django(
        ["-c", PRODUCTION_LOGIN_PAGE], **PRODUCTION, DEBUG="0", SECRET_KEY=STRONG_SECRET_KEY,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", STATIC_ROOT=str(tmp_path),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    status, header, frame_options = result.stdout.strip().splitlines()[-3:]
    assert status == "200"
    assert_strict(header)
    assert frame_options == "DENY"
