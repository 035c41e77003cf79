"""Playwright driving Debian's Chromium (never `playwright install`: no download here)."""

import os
import shutil

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = shutil.which(CHROMIUM) or CHROMIUM
    if not os.path.exists(path):
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package (make system-deps).")
    return path


def log_in(page, live_server, login: str, password: str = "demo12345") -> None:
    """Log `login` in through the login page (a fresh session: the previous user's cookies go)."""
    page.context.clear_cookies()
    page.goto(live_server.url + "/login/")
    page.get_by_label("Имя пользователя").fill(login)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(live_server.url + "/")
