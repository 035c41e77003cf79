"""The pages of the import: templates, upload, the preview with every error, the error report,
the save, and who may see each step (house style (docs/style.md) habit 9: 403/404/200).

Tasks run in-process in tests (ImmediateBackend), so the job is checked or saved by the time
the upload or the save redirects."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, ImportJob
from registry.models import Person

CORPUS = Path(__file__).parent / "import_corpus"
BAD = (CORPUS / "future_birth.csv").read_bytes()  # row 3: a birth date in the future
FIXED = BAD.replace(b"01.01.2999", b"01.01.1979")
BAD_MESSAGE = "Дата рождения не может быть в будущем."


def _upload(client, world, content=BAD, name="people.csv", kind="persons", organization=None):
    organization = organization or world.school_a
    return client.post(
        reverse("import_start"),
        {"kind": kind, "organization": organization.pk, "file": SimpleUploadedFile(name, content, "text/csv")},
    )


def _sheets(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book.worksheets}


@pytest.fixture
def failed_job(client, world):
    client.force_login(world.curator_a)
    response = _upload(client, world)
    job = ImportJob.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("import_job", args=[job.pk])
    return job


@pytest.fixture
def checked_job(client, world):
    client.force_login(world.curator_a)
    _upload(client, world, FIXED, name="fixed.csv")
    return ImportJob.objects.latest("pk")


# Templates -------------------------------------------------------------------------------

TEMPLATE_HEADERS = {
    "persons": (
        "Люди",
        [
            *("ФИО *", "Дата рождения *", "Пол", "Категория *", "Класс", "Должность", "Предметы"),
            *("Начало педагогической деятельности", "Телефон", "E-mail", "Организация", "Примечание"),
        ],
    ),
    "mentors": (
        "База наставников",
        [
            *("ФИО *", "Дата рождения", "Пол", "Категория", "Класс", "Должность", "Предметы"),
            *("Начало педагогической деятельности", "Телефон", "E-mail", "Организация", "Примечание"),
            *("Форма наставничества", "Может помочь с темами", "Компетенции", "Интересы", "Возраст наставляемых"),
            *("Уровень наставника", "Обучен", "Дата обучения", "Дата включения в базу"),
        ],
    ),
    "mentees": (
        "База наставляемых",
        [
            *("ФИО *", "Дата рождения", "Пол", "Категория", "Класс", "Должность", "Предметы"),
            *("Начало педагогической деятельности", "Телефон", "E-mail", "Организация", "Примечание"),
            *("Форма наставничества", "Запрос", "Запрос подробнее", "Портрет", "Дата включения в базу"),
        ],
    ),
}


@pytest.mark.parametrize("kind", sorted(TEMPLATE_HEADERS))
def test_it_downloads_a_template_with_russian_headers_and_explanations(client, world, kind):
    client.force_login(world.curator_a)
    response = client.get(reverse("import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    title, header = TEMPLATE_HEADERS[kind]
    sheets = _sheets(response.content)
    assert list(sheets) == [title, "Пояснения"]
    assert sheets[title][0] == header
    assert len(sheets[title]) == 3  # the header and two example rows
    explanations = sheets["Пояснения"]
    assert explanations[0] == [
        "Столбец",
        "Обязательный",
        "Что писать",
        "Допустимые значения",
        "Принимаются также заголовки",
    ]
    explained = [row[0] for row in explanations[1:]]
    # Every column of the template is explained, and so are the columns used in its place.
    assert {h.removesuffix(" *") for h in header} <= set(explained)
    assert {"Фамилия", "Имя", "Отчество", "Контактные данные"} <= set(explained)


def test_it_explains_the_allowed_values_and_the_headers_of_base_forms(client, world):
    client.force_login(world.curator_a)
    rows = _sheets(client.get(reverse("import_template", args=["mentors"])).content)["Пояснения"]
    by_column = {row[0]: row for row in rows[1:] if row[0]}
    assert "«ФИО наставника»" in by_column["ФИО"][4]
    assert "«Место работы/учёбы»" in by_column["Организация"][4]
    assert by_column["Форма наставничества"][3].startswith("Ученик – ученик; Учитель – учитель")
    assert by_column["Уровень наставника"][3] == "Наставник-специалист, Старший наставник, Ведущий наставник"


@pytest.mark.parametrize("kind", sorted(TEMPLATE_HEADERS))
def test_it_imports_a_template_as_downloaded_and_again_without_changes(client, world, kind):
    """The example rows of a template are valid rows: upload, save, upload again → nothing new."""
    client.force_login(world.curator_a)
    content = client.get(reverse("import_template", args=[kind])).content
    _upload(client, world, content, name="шаблон.xlsx", kind=kind)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED
    assert job.result["summary"] == {"rows": 2, "new": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    client.post(reverse("import_save", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    _upload(client, world, content, name="шаблон.xlsx", kind=kind)
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert again.result["summary"] == {"rows": 2, "new": 0, "updated": 0, "unchanged": 2, "rejected": 0}


def test_it_answers_an_unknown_template_with_404(client, world):
    client.force_login(world.curator_a)
    assert client.get(reverse("import_template", args=["pairs-of-socks"])).status_code == 404


# Upload, preview, error report -----------------------------------------------------------


def test_it_shows_every_error_by_row_and_saves_nothing(client, world, failed_job):
    assert failed_job.status == ImportJob.Status.REJECTED
    assert failed_job.result["error_count"] == 1
    assert failed_job.result["errors"] == [{"row": 3, "column": "Дата рождения", "message": BAD_MESSAGE}]
    assert not failed_job.can_save
    page = client.get(reverse("import_job", args=[failed_job.pk])).content.decode()
    assert "Найдены ошибки: 1 ошибка в 1 строке. Ничего не сохранено." in page
    assert '<td class="text-end">3</td><td>Дата рождения</td><td>Дата рождения не может быть в будущем.</td>' in page
    assert reverse("import_errors", args=[failed_job.pk]) in page
    assert reverse("import_save", args=[failed_job.pk]) not in page
    assert Person.objects.count() == 0


def test_it_downloads_the_file_with_a_column_of_errors(client, world, failed_job):
    response = client.get(reverse("import_errors", args=[failed_job.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = _sheets(response.content)["Ошибки"]
    assert rows[0] == [
        "Ошибки",
        "Строка",
        *("ФИО", "Дата рождения", "Пол", "Категория", "Класс", "Должность", "Предметы", "Телефон", "E-mail"),
    ]
    assert rows[1][:3] == [None, 2, "Соколова Мария Андреевна"]
    assert rows[2][:4] == [f"Дата рождения: {BAD_MESSAGE}", 3, "Будущев Пётр Иванович", "01.01.2999"]
    assert len(rows) == 3


def test_it_has_no_error_report_for_a_file_without_errors(client, world, checked_job):
    assert client.get(reverse("import_errors", args=[checked_job.pk])).status_code == 404


def test_it_previews_a_fixed_file_then_saves_it_and_keeps_the_result(client, world, failed_job):
    response = _upload(client, world, FIXED)
    job = ImportJob.objects.exclude(pk=failed_job.pk).get()
    assert response["Location"] == reverse("import_job", args=[job.pk])
    assert job.status == ImportJob.Status.CHECKED
    assert job.can_save
    page = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "Проверка прошла без ошибок" in page
    assert "Сохранить: 2 записи" in page
    assert Person.objects.count() == 0  # the preview saves nothing

    response = client.post(reverse("import_save", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result["saved"] is True
    for _ in range(2):  # a reload shows the same result
        page = client.get(reverse("import_job", args=[job.pk])).content.decode()
        assert "Загружено. Добавлено: 2, обновлено: 0, без изменений: 0." in page
        assert reverse("registry:person_list") in page
        assert reverse("import_save", args=[job.pk]) not in page

    people = client.get(reverse("registry:person_list")).content.decode()
    assert "Соколова Мария Андреевна" in people
    assert "Будущев Пётр Иванович" in people
    assert AuditEntry.objects.filter(action="create", actor=world.curator_a).count() == 2


def test_it_saves_a_job_only_once(client, world, checked_job):
    client.post(reverse("import_save", args=[checked_job.pk]))
    response = client.post(reverse("import_save", args=[checked_job.pk]), follow=True)
    assert "Этот файл уже сохраняется или сохранён." in response.content.decode()
    assert Person.objects.count() == 2


def test_it_refuses_to_save_a_job_with_errors(client, world, failed_job):
    response = client.post(reverse("import_save", args=[failed_job.pk]), follow=True)
    assert "Этот файл нельзя сохранить: в нём есть ошибки." in response.content.decode()
    failed_job.refresh_from_db()
    assert failed_job.status == ImportJob.Status.REJECTED
    assert Person.objects.count() == 0


def test_it_shows_a_file_refused_whole(client, world):
    client.force_login(world.curator_a)
    _upload(client, world, (CORPUS / "lies.xlsx").read_bytes(), name="lies.xlsx")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    page = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "Файл «lies.xlsx» назван .xlsx, но это не книга Excel (внутри текст)." in page
    assert client.get(reverse("import_errors", args=[job.pk])).status_code == 404
    assert client.post(reverse("import_save", args=[job.pk])).status_code == 302
    assert Person.objects.count() == 0


def test_it_refuses_an_over_size_upload_in_the_form(client, world, settings):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(world.curator_a)
    response = _upload(client, world, FIXED)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        f"Файл весит {len(FIXED)}\xa0байт, а можно не больше 100\xa0байт. Разделите его на несколько файлов."
    ]
    assert ImportJob.objects.count() == 0


def test_it_shows_the_first_errors_and_reports_them_all(client, world):
    """The job keeps the first 500 errors; the page says so and the report has every one."""
    rows = "".join(f"Иванов{n} Иван;31.02.2010;обучающийся\r\n" for n in range(502))
    client.force_login(world.curator_a)
    _upload(client, world, ("ФИО;Дата рождения;Категория\r\n" + rows).encode(), name="many.csv")
    job = ImportJob.objects.get()
    assert job.result["error_count"] == 502
    assert len(job.result["errors"]) == 500
    page = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "первые 500 из 502; все — в файле с ошибками" in page
    report = _sheets(client.get(reverse("import_errors", args=[job.pk])).content)["Ошибки"]
    assert len(report) == 503
    assert report[-1] == [
        "Дата рождения: Такой даты нет: «31.02.2010». Проверьте число и месяц.",
        503,
        "Иванов501 Иван",
        "31.02.2010",
        "обучающийся",
    ]
    assert all(row[0] for row in report[1:])


def test_it_finishes_the_check_of_a_file_with_a_bad_e_mail(client, world):
    client.force_login(world.curator_a)
    _upload(client, world, (CORPUS / "field_validators.csv").read_bytes(), name="field_validators.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    assert job.result["error_count"] == 2


def test_it_returns_only_the_status_fragment_to_htmx(client, world, failed_job):
    url = reverse("import_job", args=[failed_job.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="import-status"')
    assert "<html" not in fragment
    assert "Ничего не сохранено" in fragment
    assert "hx-get" not in fragment  # finished: no more polling
    ImportJob.objects.filter(pk=failed_job.pk).update(
        status=ImportJob.Status.CHECKING, rows_done=1, rows_expected=2, started_at=timezone.now()
    )
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'hx-get="{url}"' in fragment
    assert '<progress class="w-100" value="50" max="100"' in fragment
    assert "<html" in client.get(url).content.decode()


# Who may do what ---------------------------------------------------------------------------


def test_it_answers_another_curator_with_404_for_every_step(client, world, failed_job, checked_job):
    client.force_login(world.curator_b)
    assert client.get(reverse("import_job", args=[failed_job.pk])).status_code == 404
    assert client.get(reverse("import_job", args=[failed_job.pk]), headers={"HX-Request": "true"}).status_code == 404
    assert client.get(reverse("import_errors", args=[failed_job.pk])).status_code == 404
    assert client.post(reverse("import_save", args=[checked_job.pk])).status_code == 404
    checked_job.refresh_from_db()
    assert checked_job.status == ImportJob.Status.CHECKED
    assert Person.objects.count() == 0
    # Nor are the jobs listed on their upload page.
    assert "people.csv" not in client.get(reverse("import_start")).content.decode()


def test_it_forbids_a_director_to_upload_or_save(client, world, checked_job):
    client.force_login(world.director_a)
    assert client.get(reverse("import_start")).status_code == 403
    assert _upload(client, world, FIXED).status_code == 403
    assert client.post(reverse("import_save", args=[checked_job.pk])).status_code == 403
    assert client.get(reverse("import_job", args=[checked_job.pk])).status_code == 404
    assert list(ImportJob.objects.all()) == [checked_job]
    assert Person.objects.count() == 0


def test_it_forbids_an_observer_to_upload(client, world):
    client.force_login(world.observer)
    assert client.get(reverse("import_start")).status_code == 403
    assert _upload(client, world, FIXED).status_code == 403
    assert ImportJob.objects.count() == 0


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, world, checked_job):
    client.logout()
    for response in (
        client.get(reverse("import_start")),
        client.get(reverse("import_job", args=[checked_job.pk])),
        client.post(reverse("import_save", args=[checked_job.pk])),
        client.get(reverse("import_template", args=["persons"])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Person.objects.count() == 0


def test_it_lists_the_curators_recent_uploads(client, world, failed_job):
    page = client.get(reverse("import_start")).content.decode()
    assert "Ваши последние загрузки" in page
    assert reverse("import_job", args=[failed_job.pk]) in page


def test_it_keeps_the_errors_in_their_column_when_a_row_is_longer_than_the_header(world):
    from core.importing import error_report, run_import
    from registry.importers import PersonImporter

    content = "ФИО;Дата рождения;Категория\nСоколова Мария;14.03.2011;ученик;лишнее\nПетров Илья;31.02.2010;ученик\n"
    importer = PersonImporter(user=world.curator_a, organization=world.school_a)
    result = run_import(importer, name="a.csv", content=content.encode(), dry_run=True)
    rows = _sheets(error_report(importer, result, "a.csv", content.encode()))["Ошибки"]
    assert [row[:2] for row in rows] == [["Ошибки", "Строка"], [None, 2], [f"Дата рождения: {_impossible()}", 3]]


def _impossible():
    return "Такой даты нет: «31.02.2010». Проверьте число и месяц."
