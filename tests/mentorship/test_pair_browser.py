"""A pair from forming to its order, in a real browser: the curator forms a pair with the suggested
mentor, watches the live check, saves the draft and sends it; the director approves it by an order
number and date; the pair's card then says «Действует» and names the order."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.choices import Role
from core.models import RoleAssignment
from core.testing.browser import log_in
from core.testing.factories import MunicipalityFactory, OrganizationFactory, UserFactory
from mentorship.models import Pair, PairStatus
from registry.choices import FormCode
from tests.mentorship.helpers import form, teacher_mentor, young_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school(db):
    municipality = MunicipalityFactory(name="город Назарово")
    school = OrganizationFactory(municipality=municipality, short_name="МБОУ «СОШ № 1»")
    for login, role, last_name in (("curator1", Role.CURATOR, "Кузнецова"), ("director1", Role.DIRECTOR, "Соболева")):
        user = UserFactory(username=login, first_name="Ольга", last_name=last_name)
        user.set_password("demo12345")
        user.save()
        RoleAssignment.objects.create(user=user, role=role, organization=school)
    teacher_mentor(school, last_name="Морозова", first_name="Анна", middle_name="Павловна")
    young_teacher(school, last_name="Ёлкина", first_name="Дарья", middle_name="Игоревна")
    return school


def test_it_takes_a_pair_from_the_suggestion_to_the_directors_order(live_server, page, school):
    log_in(page, live_server, "curator1")
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Пары").click()
    expect(page.get_by_text("Пар пока нет")).to_be_visible()
    page.get_by_role("link", name="Добавить").click()

    # Choosing the mentee asks for suggestions (the mentee's one form is chosen for her).
    page.get_by_label("Наставляемый").select_option(label="Ёлкина Дарья Игоревна, учитель")
    suggested = page.get_by_role("radio", name="Морозова Анна Павловна")
    expect(suggested).to_be_visible()
    expect(page.get_by_label("Форма наставничества")).to_have_value(str(form(FormCode.TEACHER_TEACHER).pk))
    expect(page.get_by_text("та же школа").first).to_be_visible()
    check = page.locator("#pair-check")
    expect(check).to_contain_text("Выберите наставляемого, форму и наставника")
    suggested.check()
    expect(check).to_contain_text("Правила Положения соблюдены")
    page.get_by_label("Тема").fill("Адаптация молодого педагога")
    page.get_by_role("button", name="Сохранить черновик").click()

    expect(page.get_by_text("Черновик пары сохранён")).to_be_visible()
    pair = Pair.objects.get()
    expect(page.get_by_role("heading", name=f"Пара № {pair.pk}")).to_be_visible()
    page.get_by_role("link", name="Направить на утверждение").click()
    expect(page.get_by_text("Всё, что проверяется при утверждении, в порядке")).to_be_visible()
    page.get_by_role("button", name="Направить на утверждение").click()
    expect(page.get_by_text("Пара направлена руководителю на утверждение")).to_be_visible()

    log_in(page, live_server, "director1")
    expect(page.get_by_text("Ждут утверждения приказом")).to_be_visible()
    page.get_by_role("link", name="Утвердить приказом").click()
    page.get_by_label(f"Утвердить пару № {pair.pk}").check()
    page.get_by_label("Номер приказа").fill("45-од")
    page.get_by_label("Дата приказа").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Утвердить приказом").click()

    expect(page.get_by_text("Утверждено 1 пара")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Пара № {pair.pk}")).to_contain_text("Действует")
    expect(page.get_by_text(f"№\N{NO-BREAK SPACE}45-од от {timezone.localdate():%d.%m.%Y}")).to_be_visible()
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE
    assert pair.order.number == "45-од"
