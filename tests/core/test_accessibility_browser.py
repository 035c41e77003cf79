"""WCAG 2.1 AA in a real browser: axe-core (vendored under static/vendor/axe-core/, injected by the
test, never served by a page) over every page of every role, at 1280 px and at a phone's 390 px
(ISSUE6 §5). The pages come from the URL resolver (core.testing.pages), so a later app's pages are
audited as soon as they are routed. One browser; one context per role; each page is loaded once
and audited at both widths.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from core.testing.pages import portal_pages
from tests.core.page_data import ROLES, fill_world
from tests.core.test_every_page import DOWNLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js").read_text()
WIDTHS = (1280, 390)
BLOCKING = ("serious", "critical")

# page.evaluate runs through the DevTools protocol, so the page's Content-Security-Policy (no
# inline script) does not stop the injection, and stays in force for everything else.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""

# Links that share an accessible name but lead to different places cannot be told apart by a
# screen reader's list of links (WCAG 2.4.4). Links inside a list item (menus, breadcrumbs,
# pagination, to-do lists) take their context from the item and are left out.
SAME_NAME_LINKS = """() => {
  const byName = {};
  axe.setup(document);
  try {
    for (const link of document.querySelectorAll("a[href]")) {
      if (link.closest("li") || !link.getClientRects().length) continue;
      const name = axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(link)).replace(/\\s+/g, " ").trim();
      (byName[name] = byName[name] || new Set()).add(link.getAttribute("href"));
    }
  } finally {
    axe.teardown();
  }
  return Object.entries(byName).filter(([, hrefs]) => hrefs.size > 1).map(([name, hrefs]) => [name, [...hrefs]]);
}"""


def audit(page, where: str, links: bool = True) -> list[str]:
    """The blocking axe violations (and, with `links`, the same-name links) of the loaded page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    found = []
    for violation in page.evaluate(RUN_AXE):
        if violation["impact"] in BLOCKING:
            nodes = "; ".join(f"{n['target']}: {n['summary']}" for n in violation["nodes"][:5])
            found.append(f"{where}: {violation['id']} ({violation['impact']}) {violation['help']} — {nodes}")
    for name, hrefs in page.evaluate(SAME_NAME_LINKS) if links else ():
        found.append(f"{where}: links named «{name}» lead to {hrefs}")
    return found


def logged_in_context(browser, live_server, user):
    """A browser context with `user`'s session (set through Django's test client, not the form)."""
    client = Client()
    client.force_login(user)
    # Reduced motion turns Bootstrap's transitions off: axe must not measure a colour half-way
    # through a focus transition (the autofocused «Отмена» of a confirmation page).
    context = browser.new_context(locale="ru-RU", viewport={"width": WIDTHS[0], "height": 900}, reduced_motion="reduce")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def audit_url(page, url: str, where: str) -> list[str] | None:
    """Load `url` once and audit it at each width; None when it is not an HTML page."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    response = page.goto(url)
    if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
        return None
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        # Links keep their names at every width: they are compared once, at the first.
        found += audit(page, f"{where} {page.url} @{width}", links=width == WIDTHS[0])
    return found


def test_it_passes_axe_on_every_page_of_every_role_at_desktop_and_phone_width(live_server, browser, world):
    data = fill_world(world)
    failures, audited = [], 0
    context = browser.new_context(locale="ru-RU", reduced_motion="reduce")
    page = context.new_page()
    found = audit_url(page, live_server.url + "/login/", "anonymous")
    assert found is not None
    failures += found
    audited += 1
    context.close()
    for role in ROLES:
        context = logged_in_context(browser, live_server, getattr(world, role))
        page = context.new_page()
        page.set_default_timeout(15000)
        for portal_page in portal_pages(getattr(world, role), data.preferred):
            if portal_page.name in DOWNLOADS:
                continue  # a file, not a page (an attachment would start a download)
            found = audit_url(page, live_server.url + portal_page.url, role)
            if found is not None:
                failures += found
                audited += 1
        context.close()
    print(f"\naxe: {audited} pages × {len(WIDTHS)} widths audited, {len(failures)} blocking findings")
    assert audited >= 60  # four roles' lists, person pages, forms, confirmations, import pages
    assert not failures, "\n" + "\n".join(failures)


def test_it_finds_what_it_is_meant_to_find(live_server, browser, world):
    """The audit is not blind: a page with a low-contrast link and two «Изменить» links fails it."""
    context = logged_in_context(browser, live_server, world.curator_a)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate(
        """() => {
          const main = document.querySelector("main");
          for (const href of ["/a/", "/b/"]) {
            const link = document.createElement("a");
            link.href = href; link.textContent = "Изменить"; link.className = "d-block";
            main.append(link);
          }
          const faint = document.createElement("a");
          faint.href = "/c/"; faint.textContent = "Бледная ссылка"; faint.style.color = "#0d6efd";
          const box = document.createElement("p"); box.className = "bg-body-tertiary"; box.append(faint);
          main.append(box);
        }"""
    )
    found = audit(page, "test")
    context.close()
    assert any("color-contrast" in line for line in found), json.dumps(found, ensure_ascii=False)
    assert any("links named «Изменить»" in line for line in found), json.dumps(found, ensure_ascii=False)
