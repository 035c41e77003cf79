"""The campaign's main journey in a real browser (strict CSP on): the coordinator opens a coverage
campaign for the schools; curator1 finds the request on the home page, corrects a figure with a
reason, names the responsible person and sends the answer; the coordinator returns it with a
comment; curator1 sees the comment and sends it again; the coordinator accepts it and downloads the
consolidated workbook, where the school's corrected figure stands over the computed one."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from core.choices import Role
from core.models import RoleAssignment
from core.testing.browser import log_in
from core.testing.factories import MunicipalityFactory, OrganizationFactory, UserFactory
from monitoring.choices import SubmissionStatus
from monitoring.models import Campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The school as pages print it (a no-break space after «№»).
SCHOOL_1 = re.compile(r"СОШ №\s1»")


@pytest.fixture
def municipality(db):
    municipality = MunicipalityFactory(name="Кореновский район")
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


def test_a_campaign_goes_from_opening_through_a_return_to_the_consolidated_file(live_server, page, municipality):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    today = timezone.localdate()

    # The coordinator prepares the campaign (both schools are preselected) and opens it.
    log_in(page, live_server, "coordinator")
    page.get_by_role("navigation", name="Главное меню").get_by_role("button", name="Мониторинг").click()
    page.get_by_role("link", name="Сбор информации").click()
    page.get_by_role("link", name="Новый сбор").click()
    page.get_by_label(re.compile("Название")).fill("Численность охваченных наставничеством")
    page.get_by_label("Форма охвата", exact=True).check()
    page.get_by_label(re.compile("Период: с")).fill(datetime.date(today.year - 1, 9, 1).isoformat())
    page.get_by_label(re.compile("Период: по")).fill(today.isoformat())
    page.get_by_label(re.compile("Дата расчёта возраста и стажа")).fill(today.isoformat())
    page.get_by_label(re.compile("Срок представления")).fill((today + datetime.timedelta(days=10)).isoformat())
    expect(page.get_by_label(SCHOOL_1)).to_be_checked()
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Сбор сохранён.").wait_for()
    page.get_by_role("link", name="Открыть сбор").click()
    page.get_by_role("button", name="Открыть", exact=True).click()
    page.get_by_text("Сбор открыт: школы получили запрос.").wait_for()
    campaign = Campaign.objects.get()
    submission = campaign.submissions.get(organization__short_name="МБОУ «СОШ № 1»")

    # curator1 answers from the home page: one figure corrected with its reason.
    log_in(page, live_server, "curator1")
    page.get_by_role("region", name="Запросы информации").get_by_role("link", name=campaign.title).click()
    cell = page.locator("#coverage-form tbody tr").first.locator("td").first
    cell.get_by_text("Исправить").click()
    cell.get_by_label("По данным школы").fill("3")
    cell.get_by_label("Причина").fill("Три пары внесены в портал после срока")
    cell.get_by_role("button", name="Сохранить").click()
    page.get_by_text("Исправление сохранено.").wait_for()
    page.get_by_label("ФИО").fill("Иванова Мария Петровна")
    page.get_by_label("Телефон").fill("8 (86142) 4-12-34")
    page.get_by_role("button", name="Сохранить").last.click()
    page.get_by_text("Ответственный сохранён.").wait_for()
    page.get_by_role("button", name="Отправить").click()
    page.get_by_text("Ответ отправлен координатору.").wait_for()

    # The coordinator sees the correction beside the computed figure and returns the answer.
    log_in(page, live_server, "coordinator")
    page.goto(live_server.url + campaign.get_absolute_url())
    row = page.locator("#campaign-schools tbody tr", has_text=SCHOOL_1)
    expect(row).to_contain_text("Три пары внесены в портал после срока")
    row.get_by_role("link", name="Вернуть").click()
    page.get_by_label("Комментарий для школы: что исправить").fill("Приложите список пар к ответу")
    page.get_by_role("button", name="Вернуть на доработку").click()
    page.get_by_text("возвращён на доработку").first.wait_for()

    # curator1 reads the comment and sends the answer again.
    log_in(page, live_server, "curator1")
    page.goto(live_server.url + submission.get_absolute_url())
    expect(page.get_by_role("alert")).to_contain_text("Приложите список пар к ответу")
    page.get_by_role("button", name="Отправить").click()
    page.get_by_text("Ответ отправлен координатору.").wait_for()

    # The coordinator accepts it and downloads the consolidated workbook.
    log_in(page, live_server, "coordinator")
    page.goto(live_server.url + campaign.get_absolute_url())
    page.locator("#campaign-schools").get_by_role("button", name="Принять").first.click()
    page.get_by_text("принят").first.wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Сводная форма .xlsx").click()
    book = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED and submission.returns == 1
    assert [step.status for step in submission.steps.order_by("pk")] == [
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.RETURNED,
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.ACCEPTED,
    ]
    school_sheet = next(book[name] for name in book.sheetnames if SCHOOL_1.search(name))
    corrected = [cell for row in school_sheet.iter_rows() for cell in row if cell.comment is not None]
    assert [cell.value for cell in corrected] == [3]
    assert "рассчитано: 0" in corrected[0].comment.text
    assert errors == []  # no script and no style refused by the CSP
