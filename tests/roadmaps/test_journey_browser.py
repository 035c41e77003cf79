"""The roadmap's main journey in a real browser (strict CSP on): the coordinator imports the
municipal roadmap from the order's Word document and saves it; curator1 opens it from the menu,
finds an item addressed to «Руководители ОО» and marks it done for their school with a scan; the
roadmap's page then says «Выполнено» for the school, and the file is stored with the mark."""

import re

import pytest
from playwright.sync_api import expect

from core.choices import Role
from core.models import RoleAssignment
from core.testing.browser import log_in
from core.testing.factories import MunicipalityFactory, OrganizationFactory, UserFactory
from roadmaps import demo_documents
from roadmaps.choices import ExecutionStatus
from roadmaps.models import ItemExecution, Roadmap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The mark button of item 1.4 for the school (its hidden text is read after a break).
MARK_1_4 = re.compile(r"Отметить\s*: пункт 1\.4\.")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def municipality(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    municipality = MunicipalityFactory(name="город Назарово")
    school = OrganizationFactory(municipality=municipality, short_name="МБОУ «СОШ № 1»")
    OrganizationFactory(municipality=municipality, short_name="МБОУ «СОШ № 2»")
    for login, role, place in (
        ("coordinator", Role.COORDINATOR, {"municipality": municipality}),
        ("curator1", Role.CURATOR, {"organization": school}),
    ):
        user = UserFactory(username=login)
        user.set_password("demo12345")
        user.save()
        RoleAssignment.objects.create(user=user, role=role, **place)
    return municipality


def test_the_coordinator_imports_the_roadmap_and_curator1_marks_an_item_done_with_a_scan(
    live_server, page, municipality, tmp_path
):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    document = tmp_path / "Приказ 122-1-о.docx"
    document.write_bytes(demo_documents.nazarovo_order_docx())
    scan = tmp_path / "Приказ о кураторе.pdf"
    scan.write_bytes(PDF)

    log_in(page, live_server, "coordinator")
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Дорожные карты").click()
    page.goto(live_server.url + "/import/?kind=roadmap")
    page.get_by_label("Документ Word (.docx) или таблица Excel (.xlsx)").set_input_files(str(document))
    page.get_by_role("button", name="Проверить документ").click()
    page.get_by_role("button", name="Сохранить дорожную карту: 24 пункта").click()
    page.get_by_text("Дорожная карта сохранена как проект.").wait_for()
    roadmap = Roadmap.objects.get()
    item = roadmap.items.get(number="1.4.")  # «Руководители ОО»: every school carries it out

    log_in(page, live_server, "curator1")
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Дорожные карты").click()
    page.get_by_role("link", name=roadmap.title).first.click()
    page.get_by_role("link", name=MARK_1_4).click()
    page.get_by_label("Выполнено").check()
    page.get_by_label("Комментарий").fill("Приказ о назначении куратора издан")
    page.get_by_label("Файл-подтверждение").set_input_files(str(scan))
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".alert-success, .alert-info").first).to_be_visible()

    execution = ItemExecution.objects.get(item=item)
    assert execution.organization.short_name == "МБОУ «СОШ № 1»"
    assert execution.status == ExecutionStatus.DONE and execution.done_on is not None
    assert execution.evidence.read() == PDF
    page.goto(live_server.url + roadmap.get_absolute_url())
    row = page.locator("tr", has=page.get_by_role("link", name=MARK_1_4))
    expect(row).to_contain_text("Выполнено")
    assert errors == []  # no script and no style refused by the CSP
