"""The actors of every test (house style (docs/style.md) habit 9): in one municipality, school A with its curator
and director, school B with its curator, the municipal coordinator and an observer; and a
second municipality nobody of the first may see."""

from dataclasses import dataclass

import pytest

from core.testing.factories import (
    MunicipalityFactory,
    OrganizationFactory,
    Role,
    user_with_role,
)


@dataclass
class World:
    municipality: object
    school_a: object
    school_b: object
    other_municipality: object
    school_elsewhere: object
    curator_a: object
    director_a: object
    curator_b: object
    coordinator: object
    observer: object
    coordinator_elsewhere: object


@pytest.fixture
def world(db) -> World:
    municipality = MunicipalityFactory(name="город Назарово")
    other = MunicipalityFactory(name="Устюженский район")
    school_a = OrganizationFactory(municipality=municipality, short_name="МБОУ «СОШ № 1»")
    school_b = OrganizationFactory(municipality=municipality, short_name="МБОУ «СОШ № 2»")
    school_elsewhere = OrganizationFactory(municipality=other, short_name="МБОУ «Устюженская СОШ»")
    return World(
        municipality=municipality,
        school_a=school_a,
        school_b=school_b,
        other_municipality=other,
        school_elsewhere=school_elsewhere,
        curator_a=user_with_role(Role.CURATOR, school_a),
        director_a=user_with_role(Role.DIRECTOR, school_a),
        curator_b=user_with_role(Role.CURATOR, school_b),
        coordinator=user_with_role(Role.COORDINATOR, municipality),
        observer=user_with_role(Role.OBSERVER, municipality),
        coordinator_elsewhere=user_with_role(Role.COORDINATOR, other),
    )


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The reference data the migrations load (the forms of mentorship with their role models,
    mentor levels, request topics), back in place for a transactional test: the one before it
    emptied every table when it ended (Django's flush), and serialized rollback cannot restore it
    after a flush that recreated the content types."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from registry.models import MentorshipForm

    if not MentorshipForm.objects.exists():
        load_reference_data()


def load_reference_data() -> None:
    import importlib

    from registry.models import MentorLevel, MentorshipForm, RequestTopic, RoleModel

    forms = importlib.import_module("mentorship.migrations.0002_reference_forms").FORMS
    levels_topics = importlib.import_module("registry.migrations.0002_reference_levels_topics")
    for order, (code, name, role_models) in enumerate(forms, start=1):
        form, _ = MentorshipForm.objects.update_or_create(code=code, defaults={"name": name, "order": order})
        for role_order, role_name in enumerate(role_models, start=1):
            RoleModel.objects.update_or_create(form=form, name=role_name, defaults={"order": role_order})
    for order, name in enumerate(levels_topics.LEVELS, start=1):
        MentorLevel.objects.update_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(levels_topics.TOPICS, start=1):
        RequestTopic.objects.update_or_create(name=name, defaults={"order": order})


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures (core.cache) are keyed by ids, which another test's database may reuse."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the browser tests of the session."""
    import os

    from playwright.sync_api import sync_playwright

    from core.testing.browser import CHROMIUM_ARGS, chromium_path

    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
