"""The portal and its admin work in a real browser under the strict CSP: no violation is
reported on any page, and what moved out of the templates (the filters toggle, the progress
bar's width) still works."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from core.choices import Role
from core.models import ImportJob, RoleAssignment
from core.testing.factories import (
    PASSWORD,
    ConsentFactory,
    MenteeRecordFactory,
    MunicipalityFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Collects the browser's CSP reports; an init script runs before the page's own and is not
#: subject to the page's policy.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def school(db):
    municipality = MunicipalityFactory(name="город Назарово")
    return OrganizationFactory(municipality=municipality, short_name="МБОУ «СОШ № 1»")


@pytest.fixture
def curator(school):
    user = UserFactory(username="curator1")
    RoleAssignment.objects.create(user=user, role=Role.CURATOR, organization=school)
    return user


def _log_in(page, live_server, username, url="/login/"):
    page.add_init_script(LISTEN)
    page.goto(live_server.url + url)
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_load_state("networkidle")


def _violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_it_runs_the_portal_without_a_csp_violation(live_server, page, curator, school):
    person = PersonFactory(organization=school, last_name="Соколова")
    ConsentFactory(person=person)
    MenteeRecordFactory(person=person)
    job = ImportJob.objects.create(
        user=curator, kind="persons", organization=school, status=ImportJob.Status.CHECKING,
        original_name="ученики.xlsx", rows_done=40, rows_expected=100,
    )  # fmt: skip
    job.file.save("ученики.xlsx", ContentFile(b"x"), save=True)

    _log_in(page, live_server, "curator1")
    seen = {}
    for path in (
        "/",
        "/registry/persons/",
        f"/registry/persons/{person.pk}/",
        f"/registry/persons/{person.pk}/edit/",
        "/registry/mentees/",
        "/registry/consents/",
        "/registry/organizations/",
        "/import/",
        f"/import/{job.pk}/",
        "/registry/persons/999999/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        seen[path] = _violations(page)
        if path == f"/import/{job.pk}/":
            # The share is the native element's value: no style= needed.
            assert page.locator("progress").get_attribute("value") == "40"
    assert all(not found for found in seen.values()), seen


def test_it_toggles_the_filters_on_a_phone_without_inline_script(live_server, browser, curator):
    context = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        _log_in(page, live_server, "curator1")
        page.goto(live_server.url + "/registry/persons/")
        toggle = page.get_by_role("button", name="Фильтры")
        extra = page.locator("#filter-extra")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not extra.is_visible()

        toggle.click()
        page.wait_for_selector("#filter-extra.show:not(.collapsing)")
        assert toggle.get_attribute("aria-expanded") == "true"
        assert extra.is_visible()
        toggle.click()
        page.wait_for_selector("#filter-extra:not(.show):not(.collapsing)", state="attached")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert _violations(page) == []
    finally:
        context.close()


def test_it_runs_the_admin_without_a_csp_violation(live_server, page, school):
    get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)
    person = PersonFactory(organization=school)

    _log_in(page, live_server, "admin", url="/admin/login/")
    seen = {}
    for path in (
        "/admin/",
        "/admin/registry/person/",
        f"/admin/registry/person/{person.pk}/change/",
        "/admin/registry/person/add/",
        "/admin/core/auditentry/",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("#content").count() == 1, path
        seen[path] = _violations(page)
    # The admin's JavaScript works: the changelist's select-all box ticks every row.
    page.goto(live_server.url + "/admin/registry/person/")
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select:checked").count() == 1
    assert all(not found for found in seen.values()), seen

    # django-import-export's export page carries an onchange= and two style= attributes: the
    # policy refuses them (its «select all» box and a bold label), and the export still works.
    page.locator("select[name=action]").select_option("export_admin_action")
    page.get_by_role("button", name="Выполнить").click()
    page.wait_for_load_state("networkidle")
    refused = {line.split()[0] for line in _violations(page)}
    assert refused <= {"script-src-attr", "style-src-attr"}, _violations(page)
    page.locator("select[name=format]").select_option(label="xlsx")
    with page.expect_download() as download:
        page.get_by_role("button", name="Отправить").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_it_notices_a_violation(live_server, page, curator):
    """The listener above is not blind: an inline style added to a page is reported."""
    _log_in(page, live_server, "curator1")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div style=\"color: red\">x</div>')")
    page.wait_for_timeout(200)
    assert [line.split()[0] for line in _violations(page)] == ["style-src-attr"]
