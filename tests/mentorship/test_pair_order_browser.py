"""The order on pairs in a real browser (issue 10 «Done means»): curator1 prepares it from the drafts
sent for approval, director1 reads the draft in the register and issues it with a number and a
date; the pairs then show as approved with that order's number, and the PDF is in the register."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import IssuedDocument
from core.services import profile_save
from core.testing.browser import log_in
from mentorship import services
from mentorship.models import Pair, PairStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def drafts_sent(order_world):
    world, pairs, _start, _end = order_world
    for login, user in (("curator1", world.curator_a), ("director1", world.director_a)):
        user.username = login
        user.set_password("demo12345")
        user.save()
    profile_save(holder=world.director_a, user=world.director_a, last_name="Гаврилова", first_name="Светлана",
                 middle_name="Владимировна", position="директор")  # fmt: skip
    services.pairs_request_approval(pairs=pairs, user=world.curator_a)
    return pairs


def test_it_takes_the_drafts_to_an_issued_order(live_server, page, drafts_sent):
    pairs = drafts_sent
    log_in(page, live_server, "curator1")
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Пары").click()
    page.get_by_role("link", name="Приказ о закреплении").click()
    for pair in pairs:
        expect(page.get_by_label(f"Включить в приказ пару № {pair.pk}")).to_be_checked()
    page.get_by_role("button", name="Подготовить проект приказа").click()

    expect(page.get_by_text("Проект приказа подготовлен: 2 пары")).to_be_visible()
    expect(page.get_by_text("Все имена и должности просклонены уверенно")).to_be_visible()
    expect(page.get_by_role("button", name="Издать и утвердить пары")).to_have_count(0)  # the director signs

    log_in(page, live_server, "director1")
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name="Документы").click()
    page.get_by_role("link", name="О закреплении наставнических пар (групп)").click()
    expect(page.get_by_label("Номер")).to_have_value("1-ОД")
    page.get_by_label("Номер").fill("15-ОД")
    page.get_by_role("button", name="Издать и утвердить пары").click()

    document = IssuedDocument.objects.get()
    today = timezone.localdate()
    expect(page.get_by_text(f"Документ издан: {document}")).to_be_visible()
    expect(page.get_by_role("heading", name=f"№ 15-ОД от {today:%d.%m.%Y}")).to_be_visible()
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Открыть PDF").click()
    assert opened.value.url.endswith(f"/documents/{document.pk}/document.pdf")

    page.goto(live_server.url + pairs[0].get_absolute_url())
    expect(page.get_by_role("link", name=f"№\u00a015-ОД от {today:%d.%m.%Y}")).to_be_visible()
    statuses = set(Pair.objects.filter(pk__in=[p.pk for p in pairs]).values_list("status", flat=True))
    assert statuses <= {PairStatus.APPROVED, PairStatus.ACTIVE} and statuses
