"""The print view: the roadmap as the appendix to its order on A4 (seed 000: «Приложение к приказу
управления образования администрации города Назарово от 26.05.2020 № 122\\1-о»), a page of its
own that WeasyPrint renders to the PDF the documents attach."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from registry.orders import authority_genitive
from roadmaps import services
from roadmaps.exporters import RoadmapPrint, appendix_line
from roadmaps.models import Roadmap, RoadmapItem
from tests.roadmaps.matrix_world import SEED_000, TITLE, bulk_matrix, seed_roadmap

pytestmark = pytest.mark.django_db
D = datetime.date
NBSP = "\xa0"


@pytest.fixture
def seed(world):
    world.municipality.authority_name = "Управление образования администрации г. Назарово"
    world.municipality.save()
    return seed_roadmap(world)


def print_page(client, user, roadmap):
    client.force_login(user)
    return client.get(reverse("roadmaps:roadmap_print", args=[roadmap.pk]))


def text_of(html: str) -> str:
    """The page's words without tags, spaces as one."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(NBSP, " ").replace("&shy;", "")


def test_it_prints_the_appendix_line_the_title_and_every_item(client, world, seed):
    response = print_page(client, world.coordinator, seed.roadmap)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<p class="appendix-line">Приложение к приказу управления образования администрации г. Назарово от 26.05.2020 №\xa0122\\1-о</p>'
        in html
    )
    assert f'<caption class="roadmap-title">{TITLE}</caption>' in html
    text = text_of(html)
    for number, title, deadline, *_rest in SEED_000:
        assert f"{number} {title} {deadline}" in text.replace("&quot;", '"')
    assert "<nav" not in html and "<script" not in html  # a page of its own, no menu, no script
    assert 'href="/static/css/roadmaps-print.css"' in html


def test_it_heads_a_municipal_roadmaps_table_with_both_responsible_columns(client, world, seed):
    html = print_page(client, world.coordinator, seed.roadmap).content.decode()
    head = text_of(html.split("<thead>")[1].split("</thead>")[0])
    assert head.strip() == "№ п/п Мероприятия Сроки исполнения Ответственные муниципальные ОО"
    assert '<th scope="colgroup" colspan="2">Ответственные</th>' in html
    assert "Ожидаемый результат" not in html  # no item has one


def test_it_prints_the_result_column_when_an_item_has_a_result(client, world, seed):
    item = seed.items["1.4."]
    item.result = "Приказ ОО о внедрении ЦМН"
    item.save()
    html = print_page(client, world.coordinator, seed.roadmap).content.decode()
    assert '<th scope="col" rowspan="2">Ожидаемый результат, вид документа</th>' in html
    assert "<td>Приказ ОО о внедрении ЦМН</td>" in html


def test_it_prints_stage_rows_bold_and_numbers_and_deadlines_as_written(client, world, seed):
    html = print_page(client, world.coordinator, seed.roadmap).content.decode()
    stages = re.findall(r'<tr class="stage">\s*<td class="number">([^<]*)</td>', html)
    assert stages == ["1.", "2.", "3.", "4.", "5."]
    assert '<td class="number">3.1</td>' in html  # without the dot, as the document has it
    assert "<td>24.02.2021 года в 10.00 МАОУ «СОШ № 7»</td>" in html


def test_it_leaves_the_appendix_line_out_without_an_order(client, world):
    seed = seed_roadmap(world, order=False)
    html = print_page(client, world.coordinator, seed.roadmap).content.decode()
    assert "Приложение к приказу" not in html
    assert TITLE in html


def test_it_prints_a_schools_roadmap_under_the_schools_order_with_one_responsible_column(client, world):
    roadmap = services.roadmap_save(
        roadmap=Roadmap(
            municipality=world.municipality,
            organization=world.school_a,
            title="«Дорожная карта» реализации целевой модели наставничества в МБОУ «СОШ № 1» на 2024-2025 учебный год",
            starts_on=D(2024, 9, 1),
            ends_on=D(2025, 8, 31),
            order_number="45-о",
            order_date=D(2024, 8, 30),
        ),
        user=world.curator_a,
    )
    services.item_save(
        item=RoadmapItem(
            roadmap=roadmap,
            number="1.",
            title="Подготовка условий для реализации системы наставничества",
            deadline_text="Август - сентябрь 2024",
            responsible_organization="Директор\nВедущий наставник",
        ),
        user=world.curator_a,
    )
    html = print_page(client, world.curator_a, roadmap).content.decode()
    assert "Приложение к приказу МБОУ «СОШ №\xa01» от 30.08.2024 №\xa045-о" in html
    head = text_of(html.split("<thead>")[1].split("</thead>")[0])
    assert head.strip() == "№ п/п Мероприятия Сроки исполнения Ответственные"
    assert "<td>Директор<br>Ведущий наставник</td>" in html


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("coordinator", 200),
        ("observer", 200),
        ("curator_a", 200),
        ("director_a", 200),
        ("curator_b", 200),
        ("coordinator_elsewhere", 404),
    ],
)
def test_it_lets_whoever_reads_the_roadmap_print_it(client, world, seed, actor, status):
    assert print_page(client, getattr(world, actor), seed.roadmap).status_code == status


def test_it_sends_an_anonymous_visitor_to_log_in(client, seed):
    response = client.get(reverse("roadmaps:roadmap_print", args=[seed.roadmap.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_it_keeps_another_schools_roadmap_out_of_print(client, world):
    roadmap = services.roadmap_save(
        roadmap=Roadmap(
            municipality=world.municipality,
            organization=world.school_a,
            title="Дорожная карта школы",
            starts_on=D(2024, 9, 1),
            ends_on=D(2025, 8, 31),
        ),
        user=world.curator_a,
    )
    assert print_page(client, world.curator_b, roadmap).status_code == 404
    assert print_page(client, world.director_a, roadmap).status_code == 200


@pytest.mark.parametrize(
    ("name", "genitive"),
    [
        ("Управление образования администрации г. Назарово", "управления образования администрации г. Назарово"),
        (
            "Отдел образования администрации Устюженского муниципального района",
            "отдела образования администрации Устюженского муниципального района",
        ),
        ("Комитет по образованию администрации города Саянска", "комитета по образованию администрации города Саянска"),
        ("МКУ «Управление образования»", "МКУ «Управление образования»"),
    ],
)
def test_it_puts_the_authoritys_name_in_the_genitive(name, genitive):
    assert authority_genitive(name) == genitive


def test_it_writes_the_order_in_the_appendix_line_as_the_document_does(world, seed):
    assert appendix_line(seed.roadmap) == (
        "Приложение к приказу управления образования администрации г. Назарово от 26.05.2020 №\xa0122\\1-о"
    )


def test_it_renders_the_appendix_to_a_pdf_with_weasyprint(world, seed, tmp_path):
    rendered = RoadmapPrint(seed.roadmap).pdf()
    assert rendered.content.startswith(b"%PDF-")
    assert rendered.content_type == "application/pdf"
    path = tmp_path / "appendix.pdf"
    path.write_bytes(rendered.content)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read the PDF: make system-deps")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = re.sub(r"\s+", " ", text)
    assert "Приложение к приказу управления" in words
    assert "Дорожная карта внедрения целевой модели наставничества" in words
    assert "Формирование базы наставников" in words
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)  # portrait
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Serif" in fonts  # the print stylesheet was read: not the default sans


def test_it_prints_a_long_roadmap_in_as_many_queries_as_a_short_one(client, world, django_assert_max_num_queries):
    client.force_login(world.coordinator)
    for items in (3, 30):
        roadmap = bulk_matrix(world, items=items, schools=1)
        with django_assert_max_num_queries(6):  # the session, the user, the roles, the roadmap, items, windows
            html = client.get(reverse("roadmaps:roadmap_print", args=[roadmap.pk])).content.decode()
        assert html.count('<td class="number">') == items + 2


def test_it_renders_the_roadmap_as_the_appendix_of_the_order_that_approves_it(world, seed):
    """Seed 000: the order № 122\\1-о «О внедрении целевой модели наставничества», item 4 approves
    the roadmap, printed after the order as its appendix, from a page of its own."""
    from core.documents import DocumentKind
    from core.testing.documents import pdf_fonts, pdf_text

    class Order(DocumentKind):
        code = "test_roadmap_order"
        title = "Приказ о внедрении целевой модели наставничества"

        def context(self):
            return {
                "kind_word": "ПРИКАЗ",
                "date": D(2020, 5, 26),
                "number": "122\\1-о",
                "items": ["Утвердить Дорожную карту внедрения целевой модели наставничества."],
                "appendix_to": "приказу управления образования администрации г. Назарово",
                "appendices": [RoadmapPrint(seed.roadmap).appendix()],
            }

    html = Order().html()
    assert html.count('class="appendix-line"') == 1  # the order's own line, not the roadmap's again
    assert 'href="/static/css/documents.css"' in html and 'href="/static/css/roadmaps-print.css"' in html
    content = Order().pdf().content
    appendix = pdf_text(content, page=2)
    assert appendix.startswith(
        "2 Приложение к приказу управления образования администрации г. Назарово от 26.05.2020 № 122\\1-о "
        "Дорожная карта внедрения целевой модели наставничества"
    )
    assert "Формирование базы наставников" in pdf_text(content)
    fonts = pdf_fonts(content)
    assert all(font.startswith("PT-Serif") for font in fonts), fonts
