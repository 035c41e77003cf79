"""The coordinator's journey with a roadmap's document in a real browser (strict CSP on): upload
the order with its roadmap, read the tree with every deadline's dates, save; a document without a
period asks for it on the preview, and is saved once it is given."""

import os

import pytest

from core.choices import Role
from core.models import RoleAssignment
from core.testing.factories import MunicipalityFactory, OrganizationFactory, UserFactory
from roadmaps import demo_documents
from roadmaps.models import Roadmap
from tests.roadmaps import docs_builder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coordinator(db):
    municipality = MunicipalityFactory(name="город Назарово")
    OrganizationFactory(municipality=municipality, short_name="МБОУ «СОШ № 1»")
    user = UserFactory(username="coordinator")
    user.set_password("demo12345")
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR, municipality=municipality)
    return user


def _log_in(page, live_server):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Имя пользователя").fill("coordinator")
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(live_server.url + "/")


def _shot(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


def test_it_previews_the_orders_roadmap_as_a_tree_and_saves_it(live_server, page, coordinator, tmp_path):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    path = tmp_path / "Приказ 122-1-о.docx"
    path.write_bytes(demo_documents.nazarovo_order_docx())
    _log_in(page, live_server)
    page.goto(live_server.url + "/import/?kind=roadmap")
    page.get_by_label("Документ Word (.docx) или таблица Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Проверить документ").click()
    page.get_by_text("Прочитано 24 пункта: ошибок нет.").wait_for()
    tree = page.locator("#roadmap-import-tree")
    assert tree.locator("tbody tr").count() == 24
    assert tree.locator("tbody tr").nth(1).locator("td").nth(2).inner_text().splitlines() == [
        "Июль – август 2020 г.",
        "01.07.2020 – 31.08.2020",
    ]
    _shot(page, "roadmap-import-preview.png")
    page.get_by_role("button", name="Сохранить дорожную карту: 24 пункта").click()
    page.get_by_text("Загружено 24 пункта. Дорожная карта сохранена как проект.").wait_for()
    assert Roadmap.objects.get().items.count() == 24
    assert errors == []  # no script and no style refused by the CSP


def test_it_asks_for_the_period_on_the_preview(live_server, page, coordinator, tmp_path):
    path = tmp_path / "План.docx"
    path.write_bytes(docs_builder.ustyuzhna_docx(title="План мероприятий (дорожная карта) по наставничеству"))
    _log_in(page, live_server)
    page.goto(live_server.url + "/import/?kind=roadmap")
    page.get_by_label("Документ Word (.docx) или таблица Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Проверить документ").click()
    page.get_by_text("В названии документа нет периода дорожной карты").wait_for()
    assert page.get_by_role("button", name="Сохранить дорожную карту").count() == 0
    _shot(page, "roadmap-import-period.png")
    page.get_by_label("Начало периода").fill("2020-09-01")
    page.get_by_label("Конец периода").fill("2021-08-31")
    page.get_by_role("button", name="Проверить снова").click()
    page.get_by_text("Прочитано 12 пунктов, 1 срок не распознан: ошибок нет.").wait_for()
    page.get_by_role("button", name="Сохранить дорожную карту: 12 пунктов").click()
    page.get_by_text("Загружено 12 пунктов, 1 срок не распознан.").wait_for()
    roadmap = Roadmap.objects.get()
    assert (str(roadmap.starts_on), str(roadmap.ends_on)) == ("2020-09-01", "2021-08-31")
