"""Reading a rendered PDF in tests: its text (`pdftotext`) and its fonts (`pdffonts`), both from
poppler-utils (`make system-deps`). A test that needs them is skipped, saying why, where the
tools are missing."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

NBSP = "\xa0"


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is needed to read a PDF: make system-deps")
    return path


def _run(tool: str, content: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "document.pdf"
        pdf.write_bytes(content)
        return subprocess.run(
            [_poppler(tool), *args, str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
        ).stdout


def pdf_text(content: bytes, *, page: int | None = None, layout: bool = False) -> str:
    """The words of a PDF (of one page, counted from 1, when `page` is given), every run of
    spaces, no-break spaces and line ends as one space: what a reader of the paper reads, to
    compare with a sentence. `layout=True` keeps the lines as they are placed (the raw text)."""
    args = ["-f", str(page), "-l", str(page)] if page else []
    if layout:
        return _run("pdftotext", content, "-layout", *args)
    text = _run("pdftotext", content, *args)
    return re.sub(r"\s+", " ", text.replace(NBSP, " ")).strip()


def pdf_pages(content: bytes) -> list[str]:
    """The raw text of every page (pdftotext separates pages by a form feed)."""
    return _run("pdftotext", content, "-layout").split("\f")[:-1]


def pdf_fonts(content: bytes) -> list[str]:
    """The names of the fonts a PDF carries, without the subset prefix: ["PT-Serif",
    "PT-Serif-Bold", "PT-Serif-Latin", …] (pdffonts; every one of them embedded, else the
    name ends in " (not embedded)")."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "document.pdf"
        pdf.write_bytes(content)
        out = subprocess.run(
            [_poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if not parts:
            continue
        name = parts[0].split("+", 1)[-1]
        # columns from the right: emb sub uni object-id generation
        embedded = len(parts) >= 6 and parts[-5] == "yes"
        fonts.append(name if embedded else f"{name} (not embedded)")
    return sorted(set(fonts))


def pdf_images(content: bytes) -> int:
    """How many pictures a PDF shows (`pdfimages -list`: two header lines, then one per image)."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "document.pdf"
        pdf.write_bytes(content)
        out = subprocess.run(
            [_poppler("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    return len([line for line in out.splitlines()[2:] if line.strip()])
