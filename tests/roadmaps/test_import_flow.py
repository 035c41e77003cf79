"""The pages of a roadmap's import (core's import engine, `/import/?kind=roadmap`): upload, the
preview as a tree with each deadline's dates and the warnings, the period asked for when the
document has none, the save all or nothing, errors by row; who may (house style, habit 9:
403/404/200), and files that must not hurt (never a 500, never a hang).

Tasks run in-process in tests (ImmediateBackend): the job is checked or saved by the time the
upload, the options or the save redirect."""

import datetime
import io
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.importing import run_import
from core.models import AuditEntry, ImportJob
from core.testing import hostile
from roadmaps import demo_documents
from roadmaps.importers import RoadmapImporter
from roadmaps.models import Roadmap, RoadmapItem
from tests.roadmaps import docs_builder

START = reverse("import_start") + "?kind=roadmap"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload(client, content, *, owner, name="Дорожная карта.docx", **fields):
    return client.post(START, {"owner": owner, "file": SimpleUploadedFile(name, content, DOCX), **fields})


def _municipal(world):
    return f"municipality:{world.municipality.pk}"


def _school(organization):
    return f"organization:{organization.pk}"


def _page(client, job):
    return client.get(reverse("import_job", args=[job.pk])).content.decode()


# The upload form ------------------------------------------------------------------------------


def test_it_offers_a_coordinator_the_municipal_roadmap_and_every_school(client, world):
    client.force_login(world.coordinator)
    response = client.get(START)
    assert response.status_code == 200
    assert response.templates[0].name == "roadmaps/import_start.html"
    assert [label for _, label in response.context["form"].fields["owner"].choices] == [
        "Муниципальная: город Назарово",
        f"Школьная: {world.school_a}",
        f"Школьная: {world.school_b}",
    ]
    assert response.context["form"].initial["owner"] == _municipal(world)


def test_it_offers_a_curator_only_their_schools_roadmap(client, world):
    client.force_login(world.curator_a)
    form = client.get(START).context["form"]
    assert list(form.fields["owner"].choices) == [(_school(world.school_a), f"Школьная: {world.school_a}")]


def test_it_leaves_the_roadmap_out_of_the_common_upload_page(client, world):
    client.force_login(world.coordinator)
    kinds = dict(client.get(reverse("import_start")).context["form"].fields["kind"].choices)
    assert "roadmap" not in kinds and "persons" in kinds


@pytest.mark.parametrize(
    ("actor", "owner"),
    [
        ("curator_a", "school_b"),
        ("curator_a", "municipality"),
        ("curator_b", "school_a"),
        ("coordinator_elsewhere", "municipality"),
        ("coordinator_elsewhere", "school_a"),
    ],
)
def test_it_refuses_a_roadmap_out_of_reach_and_saves_nothing(client, world, actor, owner):
    client.force_login(getattr(world, actor))
    value = _municipal(world) if owner == "municipality" else _school(getattr(world, owner))
    response = _upload(client, demo_documents.nazarovo_order_docx(), owner=value)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "owner": ["Выберите корректный вариант. " + value + " нет среди допустимых значений."]
    }
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("actor", ["director_a", "observer"])
def test_it_forbids_readers_the_upload(client, world, actor):
    client.force_login(getattr(world, actor))
    assert client.get(START).status_code == 403
    assert _upload(client, demo_documents.nazarovo_order_docx(), owner=_school(world.school_a)).status_code == 403
    assert ImportJob.objects.count() == 0


def test_it_checks_the_period_given_at_the_upload(client, world):
    client.force_login(world.coordinator)
    response = _upload(
        client,
        demo_documents.nazarovo_order_docx(),
        owner=_municipal(world),
        starts_on="2024-12-31",
        ends_on="2021-01-01",
    )
    assert response.context["form"].errors == {"ends_on": ["Конец периода не может быть раньше начала."]}
    response = _upload(client, demo_documents.nazarovo_order_docx(), owner=_municipal(world), starts_on="2021-01-01")
    assert response.context["form"].errors == {
        "ends_on": ["Укажите и начало, и конец периода (или ни того, ни другого)."]
    }


# Upload, preview, save ------------------------------------------------------------------------


def test_it_previews_the_tree_with_the_dates_then_saves_it(client, world, django_assert_max_num_queries):
    client.force_login(world.coordinator)
    response = _upload(client, demo_documents.nazarovo_order_docx(), owner=_municipal(world))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_job", args=[job.pk])
    assert (job.kind, job.organization, job.options) == (
        "roadmap",
        None,
        {"title": "", "municipality": world.municipality.pk},
    )
    assert job.status == ImportJob.Status.CHECKED
    assert job.can_save
    with django_assert_max_num_queries(8):  # the preview comes from the job's result: no query per item
        page = _page(client, job)
    assert "Прочитано 24 пункта: ошибок нет." in page
    assert "Дорожная карта внедрения целевой модели наставничества для образовательных организаций" in page
    assert '2021–2024 <span class="text-body-secondary">(из названия документа)</span>' in page
    assert '<td class="text-nowrap ps-3">1.1.</td>' in page
    assert "Июль – август 2020 г." in page and "<li>01.07.2020 – 31.08.2020</li>" in page
    assert '<span class="badge rounded-pill text-bg-light border">Руководители ОО</span>' in page
    assert "Сохранить дорожную карту: 24 пункта" in page
    assert Roadmap.objects.count() == 0  # the preview saves nothing

    response = client.post(reverse("import_save", args=[job.pk]))
    assert response["Location"] == reverse("import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    roadmap = Roadmap.objects.get()
    assert (roadmap.municipality, roadmap.organization, roadmap.items.count()) == (world.municipality, None, 24)
    assert job.result["preview"]["roadmap_id"] == roadmap.pk
    page = _page(client, job)
    assert "Загружено 24 пункта. Дорожная карта сохранена как проект." in page
    assert reverse("import_save", args=[job.pk]) not in page


def test_it_shows_an_unrecognised_deadline_in_yellow(client, world):
    client.force_login(world.coordinator)
    _upload(client, docs_builder.ustyuzhna_docx(), owner=_municipal(world))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED  # a warning does not stop the save
    page = _page(client, job)
    assert '<span class="badge text-bg-warning">срок не распознан</span>' in page
    assert "Срок не распознан: «В соответствии со сроками реализации программ наставничества»." in page
    assert '<span class="badge text-bg-warning">1 срок не распознан</span>' in page


def test_it_imports_a_schools_roadmap_for_its_curator(client, world):
    client.force_login(world.curator_a)
    _upload(client, demo_documents.school_roadmap_docx(), owner=_school(world.school_a))
    job = ImportJob.objects.get()
    assert job.organization == world.school_a
    page = _page(client, job)
    assert "Сроки в строке 3 не сопоставлены с подпунктами" in page
    client.post(reverse("import_save", args=[job.pk]))
    roadmap = Roadmap.objects.get()
    assert (roadmap.organization, roadmap.items.count()) == (world.school_a, 33)


def test_it_asks_for_the_period_the_document_does_not_name_then_saves(client, world):
    client.force_login(world.coordinator)
    content = docs_builder.ustyuzhna_docx(title="План мероприятий (дорожная карта) по наставничеству")
    _upload(client, content, owner=_municipal(world))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED
    assert not job.can_save
    page = _page(client, job)
    assert "В названии документа нет периода дорожной карты" in page
    assert "Укажите период дорожной карты" in page
    assert reverse("import_options", args=[job.pk]) in page
    assert reverse("import_save", args=[job.pk]) not in page
    assert client.post(reverse("import_save", args=[job.pk])).status_code == 302
    assert Roadmap.objects.count() == 0

    response = client.post(
        reverse("import_options", args=[job.pk]), {"title": "", "starts_on": "2020-09-01", "ends_on": "2021-08-31"}
    )
    assert response["Location"] == reverse("import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.options["starts_on"] == "2020-09-01"
    assert job.status == ImportJob.Status.CHECKED and job.can_save
    assert '2020/2021 учебный год <span class="text-body-secondary">(задан при загрузке)</span>' in _page(client, job)
    client.post(reverse("import_save", args=[job.pk]))
    roadmap = Roadmap.objects.get()
    assert (str(roadmap.starts_on), str(roadmap.ends_on)) == ("2020-09-01", "2021-08-31")
    assert roadmap.title == "План мероприятий (дорожная карта) по наставничеству"


def test_it_refuses_options_without_the_period(client, world):
    client.force_login(world.coordinator)
    _upload(client, docs_builder.ustyuzhna_docx(title="План мероприятий"), owner=_municipal(world))
    job = ImportJob.objects.get()
    response = client.post(
        reverse("import_options", args=[job.pk]), {"title": "", "starts_on": "", "ends_on": ""}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Обязательное поле.", "Обязательное поле."]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and not job.can_save


def test_it_shows_the_errors_by_row_in_red_and_saves_nothing(client, world):
    rows = [*demo_documents.ROWS_000[:3], ("Итого", "по разделу", "", "", ""), *demo_documents.ROWS_000[3:]]
    rows[1] = ("1.1.", "", "Июль – август 2020 г.", "Управление образования", "")
    client.force_login(world.coordinator)
    before = AuditEntry.objects.count()
    _upload(client, demo_documents.nazarovo_order_docx(rows=rows), owner=_municipal(world))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    assert job.result["errors"] == [
        {
            "row": 6,
            "column": "№ п/п",
            "message": "«Итого» — не номер пункта. Пишите номер, как «1.», «1.1.» или «2.1.1.»; строка без номера "
            "продолжает пункт над ней.",
        },
        {"row": 4, "column": "Мероприятия", "message": "У пункта 1.1. нет названия: впишите, что нужно сделать."},
    ]
    page = _page(client, job)
    assert "Найдены ошибки: 2 ошибки в 2 строках таблицы. Ничего не сохранено." in page
    assert '<tr class="table-danger"><td class="text-end">6</td><td>№ п/п</td>' in page
    assert reverse("import_save", args=[job.pk]) not in page
    assert '<a href="/import/?kind=roadmap">Загрузка дорожной карты</a>' in page
    client.post(reverse("import_save", args=[job.pk]))
    assert (Roadmap.objects.count(), RoadmapItem.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == before
    # The document's table with a first column naming what to fix in each row.
    report = client.get(reverse("import_errors", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Ошибки",
        "Строка",
        "№ п/п",
        "Мероприятия",
        "Сроки исполнения",
        "Ответственные: муниципальные",
        "Ответственные: ОО",
    ]
    assert rows[2][:4] == ["Мероприятия: У пункта 1.1. нет названия: впишите, что нужно сделать.", 4, "1.1.", None]
    assert rows[4][:3] == [
        "№ п/п: «Итого» — не номер пункта. Пишите номер, как «1.», «1.1.» или «2.1.1.»; строка без номера продолжает пункт над ней.",
        6,
        "Итого",
    ]


def test_it_saves_nothing_when_the_save_is_refused_half_way(world, monkeypatch):
    """All or nothing: an item refused after the roadmap and earlier items were written rolls all back."""
    from roadmaps import services

    original = services.ItemWindow.objects.bulk_create

    def refuse(*args, **kwargs):
        raise services.ValidationError("Сохранение прервано.")

    monkeypatch.setattr(services.ItemWindow.objects, "bulk_create", refuse)
    result = run_import(
        RoadmapImporter(user=world.coordinator),
        name="000.docx",
        content=demo_documents.nazarovo_order_docx(),
        dry_run=False,
    )
    monkeypatch.setattr(services.ItemWindow.objects, "bulk_create", original)
    assert (result.saved, result.save_refused) == (False, True)
    assert [e.message for e in result.errors] == ["Сохранение прервано."]
    assert (Roadmap.objects.count(), RoadmapItem.objects.count()) == (0, 0)


# Whose job ------------------------------------------------------------------------------------


@pytest.fixture
def coordinators_job(client, world):
    client.force_login(world.coordinator)
    _upload(client, demo_documents.nazarovo_order_docx(), owner=_municipal(world))
    client.logout()
    return ImportJob.objects.get()


@pytest.mark.parametrize("actor", ["curator_a", "coordinator_elsewhere", "director_a"])
def test_it_hides_a_job_from_everyone_but_its_author(client, world, coordinators_job, actor):
    client.force_login(getattr(world, actor))
    job = coordinators_job
    assert client.get(reverse("import_job", args=[job.pk])).status_code == 404
    writer = actor != "director_a"
    expected = 404 if writer else 403
    assert client.post(reverse("import_save", args=[job.pk])).status_code == expected
    options = {"title": "", "starts_on": "2021-01-01", "ends_on": "2021-12-31"}
    assert client.post(reverse("import_options", args=[job.pk]), options).status_code == expected
    assert Roadmap.objects.count() == 0


def test_it_refuses_a_job_for_a_school_the_author_no_longer_reaches(world):
    from core.importing import FileRejected

    with pytest.raises(FileRejected) as refused:
        RoadmapImporter.create(user=world.curator_a, organization=world.school_b)
    assert refused.value.message == f"Загружать данные в «{world.school_b}» вам нельзя: выберите свою организацию."
    with pytest.raises(FileRejected) as refused:
        RoadmapImporter.create(user=world.coordinator_elsewhere, options={"municipality": world.municipality.pk})
    assert refused.value.message == (
        "Загружать муниципальную дорожную карту «город Назарово» вам нельзя: это делает координатор этого "
        "муниципалитета."
    )


# Files that must not hurt -----------------------------------------------------------------------


def _check(world, name, content):
    return run_import(RoadmapImporter(user=world.coordinator), name=name, content=content, dry_run=True)


def test_it_refuses_an_old_word_document(world):
    result = _check(world, "карта.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    assert result.file_error == (
        "Файл «карта.doc» — в старом формате Word 97–2003 (.doc) или защищён паролем. Откройте его и сохраните как "
        "«Документ Word (.docx)» или «Книга Excel (.xlsx)», без пароля."
    )


def test_it_refuses_a_pdf_and_other_files(world):
    assert _check(world, "карта.pdf", b"%PDF-1.4\n").file_error.startswith(
        "Файл «карта.pdf» — PDF: таблицу из него не прочитать."
    )
    assert _check(world, "карта.png", b"\x89PNG\r\n\x1a\n....").file_error == (
        "Файл «карта.png» не похож на дорожную карту: загрузите документ Word (.docx), таблицу Excel (.xlsx) или .csv."
    )


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + b"\x00" * 100,  # a zip's start and nothing after
        hostile.people_xlsx()[:-200],  # cut short
    ],
)
def test_it_refuses_a_damaged_document(world, content):
    result = _check(world, "карта.docx", content)
    assert result.file_error.startswith("Файл «карта.docx» не открывается как документ Word")


def test_it_refuses_a_docx_that_unpacks_beyond_the_limits(world, settings):
    settings.IMPORT_MAX_PART_BYTES = 1 << 20
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (3 << 20) + b"</w:document>")
    content = buffer.getvalue()
    assert len(content) < 20_000
    result = _check(world, "бомба.docx", content)
    assert result.file_error == (
        "Файл «бомба.docx» не открывается как документ Word: он повреждён, распаковывается в слишком большой объём "
        "или это другой формат. Откройте его в Word и сохраните заново как «Документ Word (.docx)»."
    )


def test_it_refuses_a_docx_whose_xml_is_beyond_what_a_document_holds(world, monkeypatch):
    from roadmaps import documents

    monkeypatch.setattr(documents, "DOCX_MAX_XML_BYTES", 10_000)
    result = _check(world, "большой.docx", demo_documents.nazarovo_order_docx())
    assert result.file_error.startswith(
        "Файл «большой.docx» не открывается как документ Word: он повреждён, распаковывается"
    )


def test_it_expands_no_entity_of_a_document(world):
    """A billion laughs in word/document.xml: the XML parser expands no entity, nothing hangs."""
    good = zipfile.ZipFile(io.BytesIO(demo_documents.school_roadmap_docx()))
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;'
        '&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        "<w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            data = laughs.encode() if info.filename == "word/document.xml" else good.read(info.filename)
            archive.writestr(info.filename, data)
    result = _check(world, "смех.docx", buffer.getvalue())
    assert result.file_error.startswith("В документе «смех.docx» не найдена таблица дорожной карты")


def test_it_refuses_a_table_too_big_to_be_a_roadmap(world, monkeypatch):
    from roadmaps import documents

    monkeypatch.setattr(documents, "MAX_TABLE_CELLS", 50)
    result = _check(world, "огромная.docx", demo_documents.nazarovo_order_docx())
    assert result.file_error == (
        "Таблица в документе «огромная.docx» слишком большая (больше 50 ячеек): это не дорожная карта. Оставьте в "
        "файле только таблицу дорожной карты."
    )


def test_it_refuses_a_workbook_zip_bomb_as_every_import_does(world, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1 << 20
    settings.IMPORT_MAX_PART_BYTES = 1 << 20
    result = _check(world, "бомба.xlsx", hostile.zip_bomb_xlsx(3 << 20))
    assert "распаковывается в слишком большой объём" in result.file_error


def test_it_reads_the_values_formulas_saved_and_runs_none(world):
    content = docs_builder.workbook(
        [
            ["Дорожная карта на 2024/2025 учебный год"],
            ["№", "Мероприятия", "Сроки"],
            ["1.", '=HYPERLINK("http://evil.example","Назначить куратора")', "Сентябрь 2024 г."],
            ["2.", "Сформировать базу наставников", "=TODAY()"],
        ]
    )
    result = _check(world, "формулы.xlsx", content)
    assert result.file_error == ""
    items = result.preview["items"]
    # openpyxl saved no values for the formulas: the cells are empty, nothing is evaluated.
    assert [(i["number"], i["title"], i["deadline_text"]) for i in items] == [
        ("1", "", "Сентябрь 2024 г."),
        ("2", "Сформировать базу наставников", ""),
    ]
    assert [(e.row, e.column) for e in result.errors] == [(3, "Мероприятия")]


def test_it_names_a_control_character_by_row_and_column(world):
    content = docs_builder.workbook(
        [
            ["Дорожная карта на 2024/2025 учебный год"],
            ["№", "Мероприятия", "Сроки"],
            ["1.", "Куратор_x0001_", "Сентябрь 2024 г."],
        ]
    )
    result = _check(world, "символ.xlsx", content)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Мероприятия")]
    assert result.errors[0].message.startswith("В ячейке невидимый служебный символ (код 1)")


def test_it_takes_a_stage_cell_longer_than_a_registrys_cell(world, settings):
    settings.IMPORT_MAX_CELL_CHARS = 2000
    long_text = "1. Этап подготовки.\n" + "\n".join(
        f"1.{n}. " + "Очень длинное мероприятие. " * 6 for n in range(1, 20)
    )
    assert 2000 < len(long_text) < RoadmapImporter.max_cell_chars
    content = docs_builder.workbook(
        [
            ["Дорожная карта на 2024/2025 учебный год"],
            ["№", "Наименование этапа", "Мероприятия", "Сроки"],
            ["1.", "Подготовка", long_text, "В течение 2024-2025 учебного года"],
        ]
    )
    result = _check(world, "длинная.xlsx", content)
    assert result.errors == []
    assert len(result.preview["items"]) == 21


def test_it_downloads_a_template_it_reads_back(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("import_template", args=["roadmap"]))
    assert response.status_code == 200
    result = run_import(
        RoadmapImporter(user=world.coordinator, period=(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))),
        name="Шаблон — Дорожная карта.xlsx",
        content=response.content,
        dry_run=True,
    )
    assert result.errors == []
    assert [(i["number"], i["level"]) for i in result.preview["items"]] == [("1", 1), ("1.1", 2), ("1.2", 2)]


def test_it_reads_a_long_table_in_one_pass(world):
    """Orphan numbers and a long run of continued rows: each row costs the same, whatever came before."""
    rows = ["№;Мероприятия;Сроки"]
    rows += [f"{n // 1000 + 1}.{n % 1000}.1;Мероприятие {n};Сентябрь 2024 г." for n in range(8000)]
    rows += ["9.;Длинное мероприятие;Октябрь 2024 г."] + [";продолжение строки;" for _ in range(8000)]
    importer = RoadmapImporter(user=world.coordinator, period=(datetime.date(2024, 9, 1), datetime.date(2025, 8, 31)))
    started = time.monotonic()
    result = run_import(importer, name="длинная.csv", content="\r\n".join(rows).encode(), dry_run=True)
    assert time.monotonic() - started < 30
    assert (result.file_error, result.errors) == ("", [])
    assert len(result.preview["items"]) == 8001
    assert result.preview["items"][-1]["title"].count("продолжение строки") == 8000
