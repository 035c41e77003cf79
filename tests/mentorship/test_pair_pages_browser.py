"""The pair pages in a browser at 1280 px and on a 390 px phone, as tests/registry/test_lists_browser.py
checks the registry's: nothing scrolls sideways, no cell is off-screen, the filters' texts fit."""

import pytest

from core.testing.factories import PersonFactory
from tests.core.page_data import fill_world
from tests.registry.test_lists_browser import CUT_TEXTS, session_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFSCREEN_CELLS = """() => [...document.querySelectorAll("main td")]
     .filter(td => td.getClientRects().length)
     .filter(td => { const r = td.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1; })
     .map(td => td.dataset.label || td.textContent.trim()).slice(0, 3)"""


def problems_of(page, url: str, width: int) -> list[str]:
    found = []
    toggle = page.get_by_role("button", name="Фильтры")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
        page.wait_for_selector("#filter-extra.show")
    found += [f"{url} @{width}: {cut}" for cut in page.evaluate(CUT_TEXTS)]
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        found.append(f"{url} @{width}: the page scrolls sideways by {overflow} px")
    offscreen = page.evaluate(OFFSCREEN_CELLS)
    if offscreen:
        found.append(f"{url} @{width}: cells off-screen: {offscreen}")
    return found


@pytest.mark.parametrize("width", [1280, 390])
def test_it_fits_the_pair_pages_to_the_screen(live_server, browser, world, width):
    # Names as long as a whole suite's factories make them («Иванова100123»), not a lone test's.
    PersonFactory.reset_sequence(100_000)
    data = fill_world(world).pairs
    mentee = data.draft.members.get(role="mentee").person
    pages = {
        world.coordinator: [
            "/pairs/",
            "/pairs/?attention=yes",
            "/pairs/mentor-base/",
            "/pairs/recognitions/",
            "/pairs/practices/",
            "/",
        ],
        world.curator_a: [
            data.active.get_absolute_url(),
            data.terminated.get_absolute_url(),
            f"/pairs/new/?mentee={mentee.pk}",
            "/pairs/propose/",
            data.practice.get_absolute_url(),
            "/",
        ],
        world.director_a: ["/pairs/approve/", "/"],
    }
    problems = []
    for user, urls in pages.items():
        context = session_context(browser, live_server, user, width)
        page = context.new_page()
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.ok, url
            problems += problems_of(page, url, width)
        context.close()
    assert not problems, "\n".join(problems)
