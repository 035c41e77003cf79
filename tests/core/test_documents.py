"""The one renderer of the printed documents (core.documents, issue 10): an order laid out as the
seeds print them (seed 000, приказ № 122\\1-о of 26.05.2020), its dates, its page numbers, its
fonts, and a PDF that reads nothing but the portal's static files."""

import datetime
import logging
import socket
from pathlib import Path

import pytest

from core import documents
from core.documents import Appendix, DocumentError, DocumentKind, Item, document_date, numbered, render_pdf
from core.testing.documents import pdf_fonts, pdf_images, pdf_pages, pdf_text

D = datetime.date

PAIR_ITEM = (
    "Назначить Иванову Марию Петровну, учителя математики, наставником Петрова Ивана Сергеевича, "
    "обучающегося 9 «А» класса, на период с 01.09.2026 по 31.05.2027."
)


@pytest.fixture
def appendix_templates(settings, tmp_path):
    """A template of an appendix that only the tests know: a table of N rows."""
    folder = tmp_path / "templates"
    (folder / "tests").mkdir(parents=True)
    (folder / "tests" / "pairs_table.html").write_text(
        '<table class="doc-table"><thead><tr><th>№ п/п</th><th>Наставник</th><th>Наставляемый</th></tr></thead>'
        "<tbody>{% for n in rows %}<tr><td>{{ n }}</td><td>Иванова Мария Петровна</td>"
        "<td>Петров Иван Сергеевич {{ n }}</td></tr>{% endfor %}</tbody></table>",
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], folder]}]
    return folder


class PairsOrder(DocumentKind):
    """A test-only kind: the order on pairs with as many items and appendices as asked."""

    code = "test_pairs_order"
    title = "Приказ о закреплении наставнических пар"

    def __init__(self, *, pairs=3, appendices=(), **overrides):
        self.pairs = pairs
        self.appendices = list(appendices)
        self.overrides = overrides

    def context(self) -> dict:
        return {
            "header_lines": ["Управление образования", "администрации г. Назарово"],
            "kind_word": "ПРИКАЗ",
            "date": D(2020, 5, 26),
            "number": "122\\1-о",
            "place": "г. Назарово",
            "title": "О закреплении наставнических пар",
            "grounds": "В соответствии с Положением о наставничестве,",
            "command": "ПРИКАЗЫВАЮ:",
            "items": [
                Item("Закрепить наставнические пары:", items=[PAIR_ITEM] * self.pairs),
                Item("Кураторам обеспечить:", dashes=["учет наставников;", "мониторинг."]),
                "Контроль за исполнением настоящего приказа возложить на Селезневу Е. В.",
            ],
            "signature": {"position": "Руководитель\nуправления образования", "name": "С. В. Гаврилова"},
            "acquainted": ["Е. В. Селезнева", "Н. Д. Цветцых"],
            "appendix_to": "приказу управления образования администрации г. Назарово",
            "appendices": self.appendices,
            **self.overrides,
        }


def pairs_appendix(rows: int, title: str = "Список наставнических пар") -> Appendix:
    return Appendix("tests/pairs_table.html", {"rows": range(1, rows + 1)}, title=title)


# --- Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "style", "text"),
    [
        (D(2020, 5, 26), "words", "«26» мая 2020 г."),  # seed 000
        (D(2021, 3, 5), "words", "«05» марта 2021 г."),  # the day in two digits
        (D(2024, 12, 31), "words", "«31» декабря 2024 г."),
        (D(2023, 2, 17), "digits", "17.02.2023"),  # seed 004
        (D(2020, 5, 26), "digits", "26.05.2020"),
    ],
)
def test_it_writes_a_documents_date_as_the_seeds_do(date, style, text):
    assert document_date(date, style) == text


def test_it_writes_the_date_in_words_unless_told_otherwise():
    assert document_date(D(2020, 1, 9)) == "«09» января 2020 г."


def test_it_refuses_an_unknown_date_style():
    with pytest.raises(ValueError, match="words"):
        document_date(D(2020, 1, 9), "roman")


# --- Items and kinds -------------------------------------------------------------------------


def test_it_numbers_items_and_sub_items_as_an_order_does():
    printed = numbered([Item("Утвердить:", items=["план;", Item("состав", items=["группы"])]), "Контроль."])
    assert [(item.number, item.depth, item.text) for item in printed] == [
        ("1.", 0, "Утвердить:"),
        ("1.1.", 1, "план;"),
        ("1.2.", 1, "состав"),
        ("1.2.1.", 2, "группы"),
        ("2.", 0, "Контроль."),
    ]


@pytest.fixture
def registry(monkeypatch):
    """The kinds the apps registered, and whatever a test adds gone after it."""
    monkeypatch.setattr(documents, "_KINDS", dict(documents._KINDS))


def test_it_finds_a_registered_kind_by_its_code(registry):
    documents.register(PairsOrder)
    assert documents.kind("test_pairs_order") is PairsOrder
    assert PairsOrder in documents.kinds()
    documents.register(PairsOrder)  # again, the same class: nothing changes


def test_it_refuses_a_second_kind_under_a_known_code(registry):
    documents.register(PairsOrder)

    class Other(DocumentKind):
        code = "test_pairs_order"
        title = "Другой"

    with pytest.raises(ValueError, match="already"):
        documents.register(Other)
    with pytest.raises(ValueError, match="no code"):
        documents.register(type("Nameless", (DocumentKind,), {}))


def test_it_says_which_code_is_unknown():
    with pytest.raises(LookupError, match="no_such_kind"):
        documents.kind("no_such_kind")


def test_it_has_the_roadmap_appendix_registered_by_its_app():
    assert documents.kind("roadmap_appendix").__module__ == "roadmaps.exporters"


# --- The order on paper ----------------------------------------------------------------------


def test_it_renders_an_order_with_every_block_of_the_seeds_order(appendix_templates):
    rendered = PairsOrder(appendices=[pairs_appendix(3)]).pdf()
    assert rendered.content.startswith(b"%PDF-")
    assert rendered.content_type == "application/pdf"
    assert rendered.filename == "Приказ о закреплении наставнических пар.pdf"
    assert rendered.rows == 3  # the items of the first level
    first = pdf_text(rendered.content, page=1)
    assert first.startswith("УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ Г. НАЗАРОВО")
    assert "«26» мая 2020 г. № 122\\1-о г. Назарово О закреплении наставнических пар" in first
    assert (
        "В соответствии с Положением о наставничестве, ПРИКАЗЫВАЮ: 1. Закрепить наставнические пары: 1.1. Назначить"
        in first
    )
    assert "2. Кураторам обеспечить: - учет наставников; - мониторинг. 3. Контроль" in first
    assert (
        "3. Контроль за исполнением настоящего приказа возложить на Селезневу Е. В. Руководитель управления образования"
        in first
    )
    assert "С приказом ознакомлены: Е. В. Селезнева Н. Д. Цветцых" in first
    raw = pdf_text(rendered.content, page=1, layout=True)
    assert "П Р И К А З" in raw or "ПРИКАЗ" in [line.replace(" ", "") for line in raw.splitlines()]  # a line of its own
    date_line = next(line for line in raw.splitlines() if "мая 2020" in line)
    assert date_line.strip().startswith("«26» мая 2020 г.") and date_line.strip().endswith("№ 122\\1-о")
    signature = next(line for line in raw.splitlines() if "Гаврилова" in line)
    assert signature.strip().startswith("управления образования")  # the position's last line, the name beside it
    appendix = pdf_text(rendered.content, page=2)
    assert appendix.startswith(
        "2 Приложение к приказу управления образования администрации г. Назарово от 26.05.2020 № 122\\1-о "
        "Список наставнических пар № п/п Наставник Наставляемый 1 Иванова Мария Петровна"
    )


def test_it_leaves_out_the_blocks_a_kind_lacks():
    kind = PairsOrder(
        header_lines=[], kind_word="", number="", place="", grounds="", command="", acquainted=[], signature=None
    )
    text = pdf_text(kind.pdf().content)
    assert text.startswith("«26» мая 2020 г. О закреплении наставнических пар 1. Закрепить")
    for absent in ("ПРИКАЗЫВАЮ", "№", "ознакомлены", "Гаврилова", "Приложение"):
        assert absent not in text


def test_it_numbers_appendices_when_there_are_several_each_on_a_page_of_its_own(appendix_templates):
    kind = PairsOrder(appendices=[pairs_appendix(2, "Список пар"), pairs_appendix(2, "Список групп")])
    pages = [pdf_text(kind.pdf().content, page=page) for page in (2, 3)]
    assert pages[0].startswith("2 Приложение № 1 к приказу управления образования")
    assert "Список пар" in pages[0] and "Список групп" not in pages[0]
    assert pages[1].startswith("3 Приложение № 2 к приказу управления образования")
    assert "Список групп" in pages[1]


def test_it_attaches_an_appendix_to_a_disposal_when_the_kind_is_one():
    assert PairsOrder(kind_word="РАСПОРЯЖЕНИЕ", appendix_to="").full_context()["appendix_to"] == "распоряжению"
    assert PairsOrder(appendix_to="").full_context()["appendix_to"] == "приказу"
    assert PairsOrder(appendix_to="приказу МБОУ «СОШ № 1»").full_context()["appendix_to"] == "приказу МБОУ «СОШ № 1»"


def test_it_numbers_pages_from_the_second_at_the_top(appendix_templates):
    content = PairsOrder(pairs=40).pdf().content
    pages = pdf_pages(content)
    assert len(pages) >= 3
    first_lines = [next(line.strip() for line in page.splitlines() if line.strip()) for page in pages]
    assert first_lines[0] == "УПРАВЛЕНИЕ ОБРАЗОВАНИЯ"  # no number on the first page
    assert first_lines[1:] == [str(number) for number in range(2, len(pages) + 1)]


def test_it_repeats_a_tables_header_on_every_page(appendix_templates):
    pages = pdf_pages(PairsOrder(appendices=[pairs_appendix(80)]).pdf().content)[1:]
    assert len(pages) >= 2
    for page in pages:
        assert "Наставник" in page.split("Иванова")[0]  # the header comes before the first row


def test_it_embeds_pt_serif_and_no_other_font(appendix_templates):
    fonts = pdf_fonts(PairsOrder(appendices=[pairs_appendix(2)]).pdf().content)
    assert {"PT-Serif", "PT-Serif-Bold", "PT-Serif-Latin"} <= set(fonts)
    assert all(font.startswith("PT-Serif") for font in fonts), fonts  # no DejaVu, no Liberation
    assert not any("not embedded" in font for font in fonts)


def test_it_prints_latin_letters_and_digits_with_their_own_glyphs():
    """The two subsets of PT Serif each embedded as a font of its own: under one name WeasyPrint
    printed «Latin» as «Аatin» (the latin glyph ids read through the cyrillic font)."""
    text = pdf_text(render_pdf(_page("<p>Latin text 0123456789 — «ёлочки» № 7 МБОУ «СОШ № 7»</p>")))
    assert text == "Latin text 0123456789 — «ёлочки» № 7 МБОУ «СОШ № 7»"


# --- Nothing but the static files ------------------------------------------------------------


def _page(body: str) -> str:
    return f'<html lang="ru"><head><link rel="stylesheet" href="/static/css/documents.css"></head><body>{body}</body></html>'


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection is recorded and fails."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("the test forbids the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_it_never_fetches_a_url_outside_the_static_files(no_network, caplog, tmp_path):
    """Decided: a reference outside the static files is refused and logged, and the document is
    printed without it (a missing picture is no reason to refuse the order)."""
    secret = tmp_path / "secret.css"
    secret.write_text("p { color: red }")
    html = _page(
        '<p>Приказ</p><img src="http://example.com/logo.png" alt="">'
        '<img src="https://127.0.0.1:9/tracker.png" alt="">'
        f'<link rel="stylesheet" href="file://{secret}">'
        '<img src="/static/../config/settings/base.py" alt="">'
    )
    with caplog.at_level(logging.WARNING, logger="core.documents"):
        content = render_pdf(html)
    assert content.startswith(b"%PDF-")
    assert pdf_text(content) == "Приказ"
    assert no_network == []
    refused = " ".join(record.getMessage() for record in caplog.records if record.name == "core.documents")
    assert "http://example.com/logo.png" in refused
    assert "https://127.0.0.1:9/tracker.png" in refused
    assert str(secret) in refused
    assert "base.py" in refused
    assert pdf_images(content) == 0


def test_it_reads_the_stylesheet_and_the_fonts_from_the_static_files(no_network):
    fonts = pdf_fonts(render_pdf(_page("<p>Приказ № 1</p>")))
    assert fonts == ["PT-Serif", "PT-Serif-Latin"]
    assert no_network == []


def test_it_reads_a_picture_given_inline():
    pixel = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    content = render_pdf(_page(f'<p>Подпись</p><img src="{pixel}" alt="">'))
    assert pdf_images(content) >= 1  # the picture (and its transparency mask)


def test_it_keeps_the_documents_stylesheet_in_the_static_files():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/documents.css")).read_text(encoding="utf-8")
    for font in ("cyrillic-400-normal", "cyrillic-700-normal", "latin-400-italic", "latin-700-italic"):
        assert finders.find(f"vendor/pt-serif/files/pt-serif-{font}.woff")
        assert f"pt-serif-{font}.woff" in css


def test_it_refuses_to_print_a_document_whose_own_stylesheet_is_missing():
    """Printed without its stylesheet an order would come out in the default sans, no margins,
    no page numbers: a broken deployment, said as such rather than handed over as a paper."""
    html = _page('<p>Приказ</p><link rel="stylesheet" href="/static/css/no-such-documents.css">')
    with pytest.raises(DocumentError, match=r"css/no-such-documents\.css"):
        render_pdf(html)


def test_it_reads_the_collected_static_files_with_their_hashed_names(settings, tmp_path):
    """Production: the static files collected by the manifest storage, the page linking
    «/static/css/documents.<hash>.css» and the stylesheet the fonts by their hashed names."""
    from django.core.management import call_command
    from django.templatetags.static import static

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    href = static("css/documents.css")
    assert href != "/static/css/documents.css"  # hashed
    content = render_pdf(
        f'<html lang="ru"><head><link rel="stylesheet" href="{href}"></head><body><p>Приказ № 1</p></body></html>'
    )
    assert pdf_fonts(content) == ["PT-Serif", "PT-Serif-Latin"]


@pytest.mark.parametrize("pairs", range(17, 24))
def test_it_keeps_the_signature_on_the_page_of_the_last_item(pairs):
    """Whatever the length, the signature never opens a page alone: the last item goes with it
    (the break falls for these counts around the end of the second page)."""
    pages = pdf_pages(PairsOrder(pairs=pairs).pdf().content)
    signed = next(index for index, page in enumerate(pages) if "Гаврилова" in page)
    assert "3. Контроль за исполнением" in pages[signed]
