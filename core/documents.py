"""The documents the portal prints: one renderer of HTML to PDF that every app uses (issue 10).

A document is a kind (`DocumentKind`, house style habit 5: a class the views only pick, that
renders a template to `Rendered` — filename, mime type, bytes, as pretix's invoice renderer
does). The apps define their kinds (the order on pairs, the coverage form, a pair's card, the
roadmap's appendix…) and register them in their `AppConfig.ready`; core imports no app.

Every PDF goes through `render_pdf`: WeasyPrint, the page's stylesheets and fonts read from the
portal's static files on the disk, and nothing else fetched — no network, no file beyond the
static ones. A reference outside them (an `<img src="http://…">`) is refused and logged, and the
document is printed without it: a printed order must not depend on, nor reveal itself to, another
server, and a missing picture is no reason to refuse the order itself.

The layout of an order (`templates/documents/order.html`, `static/css/documents.css`) is the one
of ГОСТ Р 7.0.97-2016 as the seeds print orders (seed 000, приказ № 122\\1-о of 26.05.2020; seed
004, распоряжение of 17.02.2023): the issuing body, «ПРИКАЗ», the date and the number on one
line, the place, the title, the grounds, «ПРИКАЗЫВАЮ:», numbered items, the signature,
«С приказом ознакомлены:», the appendices each from a new page.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.templatetags.static import PrefixNode
from django.utils.safestring import SafeString

from core.exporting import Rendered
from core.russian import MONTHS_GENITIVE

logger = logging.getLogger(__name__)

PDF_MIME = "application/pdf"

#: The stylesheet of every document: A4, the margins, PT Serif, the blocks of an order.
DOCUMENTS_STYLESHEET = "css/documents.css"


# --- Dates -----------------------------------------------------------------------------------


def document_date(value: datetime.date, style: str = "words") -> str:
    """A document's date as the seeds write it: "words" → «26» мая 2020 г. (seed 000; the day in
    «ёлочки», two digits: «05» марта 2021 г.), "digits" → 17.02.2023 (seed 004, and «от 26.05.2020»
    in an appendix's line). Plain spaces: the template keeps the date on one line (`.nowrap`)."""
    if style == "digits":
        return f"{value:%d.%m.%Y}"
    if style == "words":
        return f"«{value:%d}» {MONTHS_GENITIVE[value.month - 1]} {value.year} г."
    raise ValueError(f"Unknown document date style {style!r}: 'words' or 'digits'.")


# --- The body of an order --------------------------------------------------------------------


@dataclass
class Item:
    """An item of an order's operative part: its text, its numbered sub-items (1.1., 1.2., …) and
    its dashed sub-items («- назначить кураторов …», seed 000 item 6)."""

    text: str
    items: list[Item | str] = field(default_factory=list)
    dashes: list[str] = field(default_factory=list)


@dataclass
class NumberedItem:
    """An item as it is printed: «1.», «1.1.», the depth (for the indent), the text, the dashes."""

    number: str
    depth: int
    text: str
    dashes: list[str]


def numbered(items: list[Item | str], prefix: str = "", depth: int = 0) -> list[NumberedItem]:
    """The nested items in the order they print, each with its number: 1., 1.1., 1.2., 2., …
    (seed 004: «2. МОУ ДПО …: 2.1. Вести учет …»). A plain string is an item without sub-items."""
    printed = []
    for index, item in enumerate(items, start=1):
        item = Item(item) if isinstance(item, str) else item
        number = f"{prefix}{index}."
        printed.append(NumberedItem(number, depth, item.text, list(item.dashes)))
        printed += numbered(item.items, number, depth + 1)
    return printed


@dataclass
class Appendix:
    """An appendix of a document: a page of its own with «Приложение № N к приказу … от … № …»
    in the top right corner (seed 000), its title and its body — another template, rendered with
    its own context and styled by its own stylesheets (the roadmap's table: RoadmapPrint.appendix)."""

    template_name: str
    context: dict = field(default_factory=dict)
    title: str = ""
    stylesheets: tuple[str, ...] = ()

    def html(self) -> SafeString:
        return render_to_string(self.template_name, self.context)  # a SafeString: the template escaped it


# --- The kinds -------------------------------------------------------------------------------


class DocumentKind:
    """A kind of document the portal prints (the order on pairs, the coverage form, …): its code,
    its Russian title, its template and the context the template reads; `pdf()` renders it.

    A subclass takes what it prints in its constructor (a pair, a roadmap) and fills `context()`.
    The order template (`documents/order.html`) reads, all optional: `header_lines`,
    `kind_word` («ПРИКАЗ», «РАСПОРЯЖЕНИЕ»), `date`, `date_style`, `number`, `place`, `title`,
    `grounds`, `command` («ПРИКАЗЫВАЮ:»), `items` (nested `Item`s or strings), `signature`
    ({"position": …, "name": …}), `acquainted` (names), `appendix_to` («приказу управления
    образования …»), `appendices` (`Appendix`es)."""

    code: str = ""
    title: str = ""
    template_name: str = "documents/order.html"
    stylesheets: tuple[str, ...] = (DOCUMENTS_STYLESHEET,)

    # --- The register's side (core.issuing), for the kinds an issuer numbers and signs -------

    #: An act of its issuer (an order): prepared as a draft, issued with a number and a date, kept
    #: in the register (core.models.IssuedDocument). Other kinds (a pair's card) print on demand.
    registered: bool = False
    #: Who issues it: a school ("organization") or the education authority ("municipality").
    issuer_level: str = "organization"
    #: A document with more items than this is rendered by the worker, with a progress bar.
    worker_items: int = 150
    #: The number and the date it is issued with (set by core.issuing before it renders).
    number: str = ""
    date: datetime.date | None = None
    #: The pages of the last PDF rendered (`pdf()`).
    pages: int = 0

    @classmethod
    def for_command(cls, *, organization=None, municipality=None, pair=None) -> DocumentKind:
        """The kind for `manage.py render_document` and the place it names (a school, a
        municipality or a pair). A ValueError says in Russian what the kind needs instead."""
        raise ValueError(f"Документ «{cls.title}» не формируется из командной строки.")

    @classmethod
    def from_document(cls, document) -> DocumentKind:
        """The kind as a draft in the register describes it: its issuer, subjects and params."""
        raise NotImplementedError(f"{cls.__name__} is not kept in the register.")

    def subjects(self) -> list:
        """The objects the document concerns (pairs, a roadmap, a campaign), kept with it."""
        return []

    def params(self) -> dict:
        """What `from_document` needs besides the subjects, as JSON."""
        return {}

    def size(self) -> int:
        """How large the document will be (its items): decides between the request and the worker."""
        return 0

    def expected_pages(self) -> int:
        """About how many pages the PDF will take: the scale of the worker's progress bar (0: unknown,
        the bar then moves by stages only)."""
        return 0

    def warnings(self) -> list[str]:
        """What the issuer must read before signing: a name that could not be declined with
        confidence is printed in the nominative and named here (issue 10 §3), never guessed."""
        return []

    def issuing(self, *, document, user, today: datetime.date) -> None:
        """What issuing does besides registering, in the same transaction: the order on pairs
        approves its pairs with its number (Положение §3.6). A ValidationError refuses the issue."""

    def with_requisites(self, number: str, date: datetime.date | None) -> DocumentKind:
        self.number, self.date = number, date
        return self

    def context(self) -> dict:
        return {}

    def filename(self) -> str:
        return f"{self.title[:80]}.pdf"

    def count(self, context: dict) -> int:
        """What `Rendered.rows` says of the document: its items (the journal's «rows»)."""
        return len(context.get("items", ()))

    def full_context(self) -> dict:
        context = {"document": self, "date_style": "words", **self.context()}
        context.setdefault("document_title", self.title)
        context["items_printed"] = numbered(context.get("items", []))
        appendices = context.get("appendices", [])
        stylesheets = list(self.stylesheets)
        for appendix in appendices:
            stylesheets += [name for name in appendix.stylesheets if name not in stylesheets]
        context["stylesheets"] = stylesheets
        if not context.get("appendix_to"):
            context["appendix_to"] = _appendix_to(context.get("kind_word", ""))
        context["appendices_numbered"] = len(appendices) > 1
        return context

    def html(self, request=None, *, context: dict | None = None) -> str:
        return render_to_string(self.template_name, context or self.full_context(), request=request)

    def pdf(self, progress: Callable[[int], None] | None = None) -> Rendered:
        """The PDF; `progress` hears the percentage done (the worker's progress bar)."""
        context = self.full_context()
        html = self.html(context=context)
        if progress:
            progress(PROGRESS_HTML)
        content, self.pages = render_pdf_pages(html, progress=progress, expected_pages=self.expected_pages())
        return Rendered(self.filename(), PDF_MIME, content, self.count(context))


def _appendix_to(kind_word: str) -> str:
    """«к приказу», «к распоряжению»: what an appendix is attached to, by the document's kind."""
    return {"РАСПОРЯЖЕНИЕ": "распоряжению", "ПОСТАНОВЛЕНИЕ": "постановлению"}.get(kind_word.strip().upper(), "приказу")


_KINDS: dict[str, type[DocumentKind]] = {}


def register(kind_cls: type[DocumentKind]) -> type[DocumentKind]:
    """Register a kind (an app's `AppConfig.ready`); returns it, so it may decorate the class."""
    if not kind_cls.code:
        raise ValueError(f"{kind_cls.__name__} has no code.")
    known = _KINDS.get(kind_cls.code)
    if known is not None and known is not kind_cls:
        raise ValueError(f"Document kind {kind_cls.code!r} is already {known.__module__}.{known.__name__}.")
    _KINDS[kind_cls.code] = kind_cls
    return kind_cls


def kinds() -> list[type[DocumentKind]]:
    """The registered kinds, by their Russian titles."""
    return sorted(_KINDS.values(), key=lambda kind_cls: kind_cls.title)


def kind(code: str) -> type[DocumentKind]:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"No document kind {code!r}.") from None


# --- The renderer ----------------------------------------------------------------------------


#: Where a document's progress stands after each stage: the HTML written, the pages laid out
#: (most of WeasyPrint's time), the PDF written. The stages are WeasyPrint's own: it reports no finer.
PROGRESS_HTML, PROGRESS_LAYOUT, PROGRESS_PDF = 10, 80, 95


def render_pdf(html: str, progress: Callable[[int], None] | None = None) -> bytes:
    """The HTML of a document as PDF bytes: WeasyPrint, with the static files as its only source
    of stylesheets, fonts and pictures (`static_files_fetcher`). Links are resolved as the
    browser resolves them on the portal («/static/css/documents.css»)."""
    return render_pdf_pages(html, progress)[0]


def render_pdf_pages(
    html: str, progress: Callable[[int], None] | None = None, *, expected_pages: int = 0
) -> tuple[bytes, int]:
    """`render_pdf`, and the number of pages it laid out (the register keeps it).

    `progress` hears the percentage done after each stage and, when `expected_pages` says about
    how many pages the layout will take, after each page laid out (most of the time goes there:
    a region's report lays out 47 pages in half a minute)."""
    from weasyprint import HTML  # a heavy import, for the PDF only, not with every page

    fetcher = static_files_fetcher()
    with _pages_heard(progress, expected_pages):
        laid_out = HTML(string=html, base_url="file:///", url_fetcher=fetcher).render()
    if progress:
        progress(PROGRESS_LAYOUT)
    content = laid_out.write_pdf()
    if progress:
        progress(PROGRESS_PDF)
    if fetcher.missing:
        # WeasyPrint would print the document without its stylesheet or its fonts: an order in
        # the default sans, no margins, no page numbers. That is a broken deployment, not a paper.
        raise DocumentError(f"A document's static files are missing: {', '.join(fetcher.missing)}")
    return content, len(laid_out.pages)


def layout_percent(page: int, expected_pages: int) -> int:
    """Where the progress stands once `page` of about `expected_pages` is laid out: between
    PROGRESS_HTML and PROGRESS_LAYOUT, never reaching the latter before the layout ends (the
    estimate may be short)."""
    share = min(page / expected_pages, 0.95) if expected_pages > 0 else 0
    return PROGRESS_HTML + int((PROGRESS_LAYOUT - PROGRESS_HTML) * share)


@contextlib.contextmanager
def _pages_heard(progress: Callable[[int], None] | None, expected_pages: int):
    """While WeasyPrint lays out the pages, tell `progress` of each page: WeasyPrint says «Step 5 -
    Creating layout - Page N» on its `weasyprint.progress` logger (documented; enabled at INFO by
    the settings' LOGGING, printed nowhere). Only this thread's pages count: the web server's
    threads may lay out other documents meanwhile."""
    if progress is None or expected_pages <= 0:
        yield
        return
    thread = threading.get_ident()
    last = [PROGRESS_HTML]

    class PageHandler(logging.Handler):
        def emit(self, record):
            if record.thread != thread or not str(record.msg).startswith(_LAYOUT_PAGE) or not record.args:
                return
            percent = layout_percent(int(record.args[0]), expected_pages)
            if percent > last[0]:
                last[0] = percent
                progress(percent)

    handler = PageHandler()
    weasyprint_progress = logging.getLogger("weasyprint.progress")
    weasyprint_progress.addHandler(handler)
    try:
        yield
    finally:
        weasyprint_progress.removeHandler(handler)


_LAYOUT_PAGE = "Step 5 - Creating layout - Page"


class DocumentError(Exception):
    """A document cannot be printed as it should be (its own stylesheet or font is missing)."""


def static_files_fetcher():
    """WeasyPrint's fetcher for a page rendered on the server: the portal's static files (the
    stylesheets the page links, the fonts they name) are read from the disk, and `data:` URLs are
    read as they are; anything else is refused (logged, and WeasyPrint prints the document
    without it), so a PDF never reaches the network, nor a file beyond the static ones. A static
    URL whose file is not there is noted in `missing` (render_pdf then refuses the document)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        def __init__(self):
            super().__init__()
            self.missing: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)  # inline: the urllib data handler, no network
            name = _static_name(url)
            found = _static_file(name)
            if found is None and name:
                self.missing.append(name)
                raise ValueError(f"No static file {name}")
            if found is None:
                logger.warning("A document refers to %s: only the portal's static files are read.", url[:200])
                raise ValueError(f"Only the portal's static files are read for a PDF, not {url[:200]}")
            return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": _content_type(found)})

    return StaticFilesFetcher()


def _static_name(url: str) -> str:
    """The static file's name in a URL («file:///static/css/documents.css» → «css/documents.css»);
    "" for any other URL. A relative STATIC_URL resolves against the base URL, file:///; an
    absolute one (a CDN) is taken as it is written, and never fetched from there."""
    prefix = PrefixNode.handle_simple("STATIC_URL")  # not static(""): a manifest has no entry for ""
    if "://" in prefix:
        return _plain(unquote(url[len(prefix) :].split("?")[0].split("#")[0])) if url.startswith(prefix) else ""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc:
        return ""
    path = unquote(parts.path)
    return _plain(path[len(prefix) :]) if path.startswith(prefix) else ""


def _plain(name: str) -> str:
    """The name, unless it climbs out of the static files («../config/settings/base.py»)."""
    return "" if ".." in Path(name).parts else name


_CONTENT_TYPES = {".css": "text/css", ".woff2": "font/woff2", ".woff": "font/woff", ".svg": "image/svg+xml"}


def _content_type(path: Path) -> str:
    return _CONTENT_TYPES.get(path.suffix, "application/octet-stream")


def _static_file(name: str) -> Path | None:
    """A static file by its name: collected (hashed names in production) or in the source folders."""
    if not name or ".." in Path(name).parts:
        return None
    try:
        collected = Path(staticfiles_storage.path(name))
    except NotImplementedError:
        collected = None
    if collected is not None and collected.is_file():
        return collected
    found = finders.find(name)
    return Path(found) if found else None
