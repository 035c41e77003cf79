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
