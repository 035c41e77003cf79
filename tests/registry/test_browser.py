"""The curator's main journey in a real browser: log in, add a person and a consent with a
scan, find the person by a lower-case Russian search."""

import pytest

from core.choices import Role
from core.models import RoleAssignment
from core.testing.factories import MunicipalityFactory, OrganizationFactory, UserFactory
from registry.models import Consent, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def curator1(db):
    municipality = MunicipalityFactory(name="город Назарово")
    school = OrganizationFactory(municipality=municipality, short_name="МБОУ «СОШ № 1»")
    user = UserFactory(username="curator1", first_name="Ольга", last_name="Кузнецова")
    user.set_password("demo12345")
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.CURATOR, organization=school)
    return user


def test_it_lets_a_curator_add_a_person_with_consent_and_find_them(live_server, page, curator1):
    page.goto(live_server.url + "/")
    assert "/login/" in page.url
    page.get_by_label("Имя пользователя").fill("curator1")
    page.get_by_label("Пароль").fill("demo12345")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="МБОУ «СОШ № 1»").is_visible()

    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Люди").click()
    page.get_by_role("link", name="Добавить").click()
    page.get_by_label("Фамилия").fill("Ёлкина")
    page.get_by_label("Имя").fill("Дарья")
    page.get_by_label("Отчество").fill("Андреевна")
    page.get_by_label("Пол").select_option(label="Женский")
    page.get_by_label("Дата рождения").fill("2011-03-14")
    page.get_by_label("Категория").select_option(label="Обучающийся")
    page.get_by_label("Класс / группа").fill("8б")
    page.get_by_role("button", name="Сохранить").click()

    page.wait_for_selector("text=Человек добавлен в реестр")
    assert page.get_by_role("heading", name="Ёлкина Дарья Андреевна").is_visible()
    # Only in the registry: no consent needed yet; in a base, the missing ones are named.
    assert page.get_by_text("Согласия понадобятся, когда человек войдёт в базу").is_visible()
    page.get_by_role("link", name="Включить в базу наставляемых").click()
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_selector("text=Человек включён в базу наставляемых")
    assert page.get_by_text("Не хватает согласий").is_visible()

    page.get_by_role("link", name="Добавить согласие").first.click()
    page.get_by_label("Вид согласия").select_option(label="Согласие родителя (законного представителя)")
    page.get_by_label("Дата подписания").fill("2025-09-01")
    page.get_by_label("ФИО родителя (законного представителя)").fill("Ёлкин Андрей Петрович")
    page.get_by_label("Скан").set_input_files({"name": "согласие.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_selector("text=Согласие внесено")
    assert page.get_by_role("cell", name="Ёлкин Андрей Петрович").is_visible()

    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Люди").click()
    page.get_by_role("searchbox").fill("ёлкина")
    page.get_by_role("button", name="Найти").click()
    page.wait_for_url("**/registry/persons/?q=*")
    row = page.get_by_role("link", name="Ёлкина Дарья Андреевна")
    assert row.is_visible()
    assert page.get_by_text("Найдено: 1").is_visible()

    person = Person.objects.get(last_name="Ёлкина")
    assert person.class_name == "8Б"
    consent = Consent.objects.get(person=person)
    assert consent.scan.name.endswith(".pdf")
    page.screenshot(path=str(live_server_screenshot_dir() / "curator-search.png"), full_page=True)


def live_server_screenshot_dir():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "tmp-screens"
    path.mkdir(exist_ok=True)
    return path
