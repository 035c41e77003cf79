"""The lists and the person form as a curator sees them in a browser, at 1280 px and on a 390 px
phone (ISSUE6 §5): nothing scrolls sideways, the key columns are on screen, the filter texts fit,
the «Фильтры» button folds the filters with aria-expanded, the person form shows the fields of
the chosen category. Debian's Chromium through Playwright."""

import pytest
from django.conf import settings
from django.test import Client

from tests.core.page_data import fill_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = [
    "/registry/organizations/",
    "/registry/persons/",
    "/registry/mentors/",
    "/registry/mentees/",
    "/registry/consents/",
]

# The text a select shows (its chosen option) and an input's placeholder, against the room the
# control leaves for text: a canvas measures the text in the control's own font.
CUT_TEXTS = """() => {
  const context = document.createElement("canvas").getContext("2d");
  const cut = [];
  for (const control of document.querySelectorAll(".filter-bar select, .filter-bar input[placeholder]")) {
    if (!control.getClientRects().length) continue;
    const style = getComputedStyle(control);
    context.font = style.font;
    const text = control.tagName === "SELECT" ? control.selectedOptions[0].text : control.placeholder;
    const room = control.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (context.measureText(text).width > room) cut.push(`${control.name}: «${text}» in ${Math.round(room)} px`);
  }
  return cut;
}"""


def session_context(browser, live_server, user, width):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": 900}, reduced_motion="reduce")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


@pytest.mark.parametrize("width", [1280, 390])
def test_it_fits_every_list_and_its_filters_to_the_screen(live_server, browser, world, width):
    fill_world(world)
    context = session_context(browser, live_server, world.coordinator, width)
    page = context.new_page()
    problems = []
    for url in [*LISTS, "/"]:
        page.goto(live_server.url + url)
        if url != "/":
            # Unfold the filters on a phone, to measure them too.
            toggle = page.get_by_role("button", name="Фильтры")
            if toggle.is_visible():
                toggle.click()
                page.wait_for_selector("#filter-extra.show")
            problems += [f"{url} @{width}: {cut}" for cut in page.evaluate(CUT_TEXTS)]
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{url} @{width}: the page scrolls sideways by {overflow} px")
        offscreen = page.evaluate(
            """() => [...document.querySelectorAll("main td")]
                 .filter(td => td.getClientRects().length)
                 .filter(td => { const r = td.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1; })
                 .map(td => td.dataset.label || td.textContent.trim()).slice(0, 3)"""
        )
        if offscreen:
            problems.append(f"{url} @{width}: cells off-screen: {offscreen}")
    context.close()
    assert not problems, "\n".join(problems)


def test_it_shows_the_consents_of_each_person_on_a_phone(live_server, browser, world):
    data = fill_world(world)
    context = session_context(browser, live_server, world.curator_a, 390)
    page = context.new_page()
    page.goto(live_server.url + "/registry/persons/?q=Абрамова")
    cell = page.locator('td[data-label="Согласия"]').first
    assert cell.is_visible()
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert "Согласия" in cell.evaluate("td => getComputedStyle(td, '::before').content")
    page.goto(live_server.url + "/")
    assert page.locator('td[data-label="Людей"]').count() == 0  # a curator's home has no table
    context.close()
    context = session_context(browser, live_server, world.coordinator, 390)
    page = context.new_page()
    page.goto(live_server.url + "/")
    for label in ("Людей", "Наставников", "Наставляемых"):
        figure = page.locator(f'td[data-label="{label}"]').first
        box = figure.bounding_box()
        assert figure.is_visible() and box["x"] + box["width"] <= 390, label
    context.close()
    assert data.person.pk


def test_it_folds_the_filters_of_a_phone_under_a_button_that_says_whether_they_are_open(live_server, browser, world):
    fill_world(world)
    context = session_context(browser, live_server, world.curator_a, 390)
    page = context.new_page()
    page.goto(live_server.url + "/registry/persons/")
    toggle = page.get_by_role("button", name="Фильтры")
    category = page.get_by_label("Категория")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "filter-extra"
    assert not category.is_visible()
    toggle.click()
    page.wait_for_selector("#filter-extra.show")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert category.is_visible()
    context.close()
    # At 1280 px the filters are simply there, and the button is not.
    context = session_context(browser, live_server, world.curator_a, 1280)
    page = context.new_page()
    page.goto(live_server.url + "/registry/persons/")
    assert page.get_by_label("Категория").is_visible()
    assert not page.get_by_role("button", name="Фильтры").is_visible()
    context.close()


def test_it_shows_the_person_fields_that_fit_the_chosen_category(live_server, browser, world):
    context = session_context(browser, live_server, world.curator_a, 1280)
    page = context.new_page()
    page.goto(live_server.url + "/registry/persons/new/")
    class_name, position, subjects = (
        page.get_by_label("Класс / группа"),
        page.get_by_label("Должность"),
        page.get_by_label("Предметы"),
    )
    # No category yet: every field is offered.
    assert class_name.is_visible() and position.is_visible() and subjects.is_visible()
    page.get_by_label("Категория").select_option(label="Обучающийся")
    assert class_name.is_visible() and not position.is_visible() and not subjects.is_visible()
    page.get_by_label("Категория").select_option(label="Педагог")
    assert not class_name.is_visible() and position.is_visible() and subjects.is_visible()
    assert class_name.is_disabled()  # left out of the submission
    page.get_by_label("Категория").select_option(label="Представитель работодателя")
    assert position.is_visible() and not subjects.is_visible() and not class_name.is_visible()

    page.get_by_label("Фамилия").fill("Ёлкин")
    page.get_by_label("Имя").fill("Пётр")
    page.get_by_label("Дата рождения").fill("1985-03-14")
    page.get_by_label("Категория").select_option(label="Педагог")
    page.get_by_label("Должность").fill("учитель физики")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_selector("text=Человек добавлен в реестр")
    context.close()


def test_it_keeps_everything_usable_without_javascript(live_server, browser, world):
    fill_world(world)
    client = Client()
    client.force_login(world.curator_a)
    context = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 900}, java_script_enabled=False)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/registry/persons/")
    # The filters stay open (static/css/noscript.css) and the button that cannot work is gone.
    assert page.get_by_label("Категория").is_visible()
    assert not page.get_by_role("button", name="Фильтры").is_visible()
    page.goto(live_server.url + "/registry/persons/new/")
    for label in ("Класс / группа", "Должность", "Предметы"):
        assert page.get_by_label(label).is_visible(), label
    context.close()
