"""The curator's import journey in a real browser: download the template, upload a filled file
with one bad row, see the error in the preview, fix it, import, find the people in the list."""

import io

import openpyxl
import pytest

from core.choices import Role
from core.models import RoleAssignment
from core.testing.factories import MunicipalityFactory, OrganizationFactory, UserFactory
from registry.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def curator1(db):
    municipality = MunicipalityFactory(name="город Назарово")
    school = OrganizationFactory(municipality=municipality, short_name="МБОУ «СОШ № 1»")
    user = UserFactory(username="curator1")
    user.set_password("demo12345")
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.CURATOR, organization=school)
    return user


def _fill(template: bytes, rows: list[list]) -> bytes:
    """Fill the template as a curator would: keep its header, replace the examples with our rows."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        values = dict(row)
        sheet.append([values.get(h.rstrip(" *")) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_imports_a_fixed_file_after_showing_the_bad_row(live_server, page, curator1, tmp_path):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Имя пользователя").fill("curator1")
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(live_server.url + "/")

    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Люди").click()
    page.get_by_role("link", name="Загрузить из Excel").click()
    with page.expect_download() as download_info:
        page.locator("li", has_text="Люди").get_by_role("link", name="Скачать шаблон").click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)

    good = [
        ("ФИО", "Соколова Мария Андреевна"),
        ("Дата рождения", "14.03.2011"),
        ("Категория", "обучающийся"),
        ("Класс", "7б"),
    ]
    bad = [
        ("ФИО", "Петров Илья Сергеевич"),
        ("Дата рождения", "31.02.2010"),
        ("Категория", "обучающийся"),
        ("Класс", "8а"),
    ]
    filled = tmp_path / "ученики.xlsx"
    filled.write_bytes(_fill(template.read_bytes(), [good, bad]))

    page.get_by_label("Что загружаем").select_option(label="Люди")
    page.get_by_label("Файл .xlsx или .csv").set_input_files(str(filled))
    page.get_by_role("button", name="Проверить файл").click()
    page.wait_for_selector("text=Ничего не сохранено")
    error_row = page.get_by_role("row", name="3 Дата рождения")
    assert "Такой даты нет: «31.02.2010»" in error_row.inner_text()
    assert Person.objects.count() == 0
    page.screenshot(path=str(tmp_path / "preview-errors.png"), full_page=True)

    fixed = [(k, "28.02.2010" if k == "Дата рождения" else v) for k, v in bad]
    filled.write_bytes(_fill(template.read_bytes(), [good, fixed]))
    page.get_by_role("link", name="Загрузить исправленный файл").click()
    page.get_by_label("Файл .xlsx или .csv").set_input_files(str(filled))
    page.get_by_role("button", name="Проверить файл").click()
    page.wait_for_selector("text=Проверка прошла без ошибок")
    assert page.get_by_text("добавится", exact=True).locator("..").inner_text().startswith("2")
    page.get_by_role("button", name="Сохранить: 2 записи").click()
    page.wait_for_selector("text=Загружено. Добавлено: 2")
    assert page.get_by_text("добавлено", exact=True).locator("..").inner_text().startswith("2")
    assert page.locator(".badge").inner_text() == "Загружен"

    page.get_by_role("link", name="Открыть список").click()
    page.get_by_role("searchbox").fill("петров")
    page.get_by_role("button", name="Найти").click()
    assert page.get_by_role("link", name="Петров Илья Сергеевич").is_visible()
    assert Person.objects.get(last_name="Соколова").class_name == "7Б"
