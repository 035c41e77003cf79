"""Take screenshots of the running portal as its users see it (Debian's Chromium, headless).

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out tmp-screens]

Logs in as each demo user and saves PNGs of the main pages, at 1280 px and at a phone's 390 px.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright

from core.testing.browser import CHROMIUM_ARGS, chromium_path

TOURS = {
    "coordinator": ["/", "/registry/organizations/", "/registry/persons/?consent=missing", "/registry/mentors/"],
    "curator1": ["/", "/registry/persons/", "/registry/mentees/", "/registry/consents/", "first-person"],
    "director1": ["/"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="tmp-screens")
    parser.add_argument("--password", default="demo12345")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for width, suffix in ((1280, ""), (390, "-phone")):
            for login, paths in TOURS.items():
                context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": 900})
                page = context.new_page()
                page.goto(args.base + "/login/")
                if width == 1280 and login == "coordinator":
                    page.screenshot(path=out / "login.png")
                page.fill("#id_username", login)
                page.fill("#id_password", args.password)
                page.click("button[type=submit]")
                page.wait_for_load_state()
                for index, path in enumerate(paths):
                    if path == "first-person":
                        page.goto(args.base + "/registry/persons/?base=mentee")
                        page.locator("table tbody tr td a").first.click()
                        page.wait_for_load_state()
                    else:
                        page.goto(args.base + path)
                    name = out / f"{login}-{index}{suffix}.png"
                    page.screenshot(path=name, full_page=True)
                    print(name, page.url)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
