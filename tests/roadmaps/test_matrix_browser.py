"""The matrix in a browser, at 1280 px and on a 390 px phone: the table scrolls inside its card
(the page itself never sideways), the item column and the schools' header stay in view while it
scrolls, and axe-core finds nothing serious. With ROADMAPS_SCREENSHOTS=<folder> the test also
saves what it saw (docs/screenshots/roadmap-matrix-*.png were taken so)."""

import os
from pathlib import Path

import pytest
import time_machine

from tests.core.test_accessibility_browser import audit
from tests.registry.test_lists_browser import session_context
from tests.roadmaps.matrix_world import TODAY, realistic_states, seed_roadmap

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STICKY = """() => {
  const box = document.querySelector(".matrix-scroll");
  const item = document.querySelector("tbody .matrix-item");
  const school = document.querySelector("thead .matrix-school");
  const before = [item.getBoundingClientRect().left, school.getBoundingClientRect().top];
  box.scrollTo(box.scrollWidth, box.scrollHeight);
  const after = [item.getBoundingClientRect().left, school.getBoundingClientRect().top];
  return {before, after, scrolls: box.scrollWidth > box.clientWidth};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_it_keeps_the_matrix_readable_on_a_desktop_and_a_phone(live_server, browser, world, width):
    with time_machine.travel(TODAY, tick=False):
        seed = seed_roadmap(world, extra_schools=4)
        realistic_states(world, seed)
    context = session_context(browser, live_server, world.coordinator, width)
    page = context.new_page()
    with time_machine.travel(TODAY, tick=True):
        page.goto(f"{live_server.url}/roadmaps/{seed.roadmap.pk}/matrix/")
        assert page.locator("td.matrix-cell").count() == len(seed.tracked) * 6
        folder = os.environ.get("ROADMAPS_SCREENSHOTS")
        if folder:
            page.screenshot(path=Path(folder) / f"roadmap-matrix-coordinator-{width}.png", full_page=True)
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert audit(page, f"matrix @{width}") == []
        moved = page.evaluate(STICKY)
        assert moved["before"][0] == pytest.approx(moved["after"][0], abs=1)  # the item column stays
        assert moved["before"][1] == pytest.approx(moved["after"][1], abs=1)  # so does the header
        if width == 390:
            assert moved["scrolls"]
            if folder:
                page.screenshot(path=Path(folder) / f"roadmap-matrix-coordinator-{width}-scrolled.png", full_page=True)
        page.goto(f"{live_server.url}/roadmaps/{seed.roadmap.pk}/matrix/?state=overdue")
        assert page.get_by_role("button", name="Показать").is_visible()
        assert page.locator("td.matrix-danger").count() > 0
    context.close()


def test_it_prints_the_appendix_page_as_the_browser_shows_it(live_server, browser, world):
    world.municipality.authority_name = "Управление образования администрации г. Назарово"
    world.municipality.save()
    seed = seed_roadmap(world)
    context = session_context(browser, live_server, world.coordinator, 1280)
    page = context.new_page()
    page.goto(f"{live_server.url}/roadmaps/{seed.roadmap.pk}/print/")
    assert page.locator("thead").evaluate("el => getComputedStyle(el).display") == "table-header-group"
    assert "Serif" in page.locator("td").first.evaluate("el => getComputedStyle(el).fontFamily")
    assert audit(page, "print @1280") == []
    folder = os.environ.get("ROADMAPS_SCREENSHOTS")
    if folder:
        page.screenshot(path=Path(folder) / "roadmap-print-screen-1280.png", full_page=True)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF-")
    context.close()
