"""The coverage form of seed 003 and the municipality's consolidated report as PDF (issue 10 §1,
monitoring.kinds), read back from the PDF against the computation (tests/monitoring/coverage_data.py);
the pages that hand them out — the coverage page, the campaign, a school's answer: scoped, journalled."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.choices import AuditAction
from core.documents import kind
from core.models import AuditEntry, PrintJob
from core.testing.documents import pdf_pages, pdf_text
from monitoring.coverage import FIGURES, FORMS, compute_coverage
from monitoring.exporters import FormSheet
from monitoring.kinds import ConsolidatedReport, CoverageFormPdf
from registry.models import Organization
from tests.monitoring.coverage_data import END, ON, SS, START, make_coverage_case
from tests.monitoring.data import make_campaigns

pytestmark = pytest.mark.django_db

TITLE = (
    "Информация о численности обучающихся, педагогических работников (молодых специалистов), охваченных "
    "программой наставничества в рамках реализации целевой модели наставничества"
)
ROWS = [
    "Число учащихся в возрасте от 10 до 18 лет, вошедших в программу наставничества в роли наставляемого",
    "Число учащихся в возрасте от 15 до 18 лет, вошедших в программу наставничества в роли наставника",
    "Число учителей-молодых специалистов (с опытом работы от 0 до 3 лет), вошедших в программу наставничества "
    "в роли наставляемого",
    "Количество предприятий (организаций), вошедших в программу наставничества, предоставив своих наставников "
    "(при наличии)",
]


@pytest.fixture
def case(world):
    case = make_coverage_case(world)
    municipality = world.municipality
    municipality.authority_name = "Управление образования администрации г. Назарово"
    municipality.address = "662200, г. Назарово, ул. Карла Маркса, 40"
    municipality.phone = "8 (39155) 5-70-01"
    municipality.head_position = "Начальник управления образования"
    municipality.head_name = "Кузюкова Ирина Александровна"
    municipality.save()
    Organization.objects.filter(pk=case.school_a.pk).update(director_name="Гаврилова Светлана Владимировна")
    case.school_a.refresh_from_db()
    return case


def figures_in_order(text: str, after: str) -> list[int]:
    """The numbers the table prints after `after` (a row's label), in reading order."""
    tail = text.split(after, 1)[1]
    return [int(n) for n in re.findall(r"\b\d+\b", tail)]


def test_it_registers_the_coverage_papers_as_printed_on_demand():
    assert kind("coverage_form") is CoverageFormPdf and not CoverageFormPdf.registered
    assert kind("coverage_report") is ConsolidatedReport and not ConsolidatedReport.registered


def test_it_prints_a_schools_form_as_the_seed_lays_it_out(world, case):
    coverage = compute_coverage([case.school_a.pk], start=START, end=END, on=ON)
    figures = coverage.figures(case.school_a.pk)
    shown = {figure: dict(forms) for figure, forms in figures.items()}
    shown["mentees_10_18"][SS] = 7  # the school corrected one figure
    sheet = FormSheet(case.school_a, shown, figures, "Иванова Анна Петровна", "8-913-000")
    content = CoverageFormPdf(sheet, municipality=world.municipality, title_note="от 13.08.2021").pdf().content
    text = pdf_text(content)
    assert len(pdf_pages(content)) == 1
    assert text.startswith("ПРИЛОЖЕНИЕ к письму управления образования администрации г. Назарово от 13.08.2021")
    assert TITLE in text
    assert f"Образовательное учреждение: {case.school_a.full_name}" in text
    assert "Наименование показателя" in text and "Форма наставничества" in text
    assert "Ученик – ученик Учитель – учитель Студент – ученик Работодатель – ученик" in text
    for label in ROWS:
        assert label in text
    for figure, label in zip(FIGURES, ROWS, strict=True):
        expected = [shown[figure][form] for form in FORMS]
        assert figures_in_order(text, label)[:4] == expected, label
    assert "Ответственный за реализацию программы в ОУ: ФИО: Иванова Анна Петровна тел.: 8-913-000" in text
    computed = figures["mentees_10_18"][SS]
    assert f"наставляемые 10–18 лет, «Ученик – ученик» — рассчитано: {computed}, исправлено школой" in text
    assert "С. В. Гаврилова" in text


def test_it_prints_the_consolidated_report_with_the_distinct_total(world, case):
    schools = [case.school_a, case.school_b]
    coverage = compute_coverage([s.pk for s in schools], start=START, end=END, on=ON)
    sheets = [FormSheet(s, coverage.figures(s.pk), coverage.figures(s.pk)) for s in schools]
    document = ConsolidatedReport(sheets, coverage.total, municipality=world.municipality, title_note="(2025/2026)")
    text = pdf_text(document.pdf().content)
    assert text.startswith("УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ Г. НАЗАРОВО 662200, г. Назарово, ул. Карла Маркса, 40")
    assert "(город Назарово)" in text
    for number, school in enumerate(schools, start=1):
        expected = [coverage.figures(school.pk)[figure][form] for figure in FIGURES for form in FORMS]
        assert figures_in_order(text, f"{number} {school.short_name}")[:16] == expected
    total = [coverage.total[figure][form] for figure in FIGURES for form in FORMS]
    assert figures_in_order(text, "Итого по муниципалитету (без повторов)")[:16] == total
    assert "предприятие, работающее с тремя школами, считается один раз" in text
    assert "Начальник управления образования ________________ И. А. Кузюкова" in text


# The pages ----------------------------------------------------------------------------------------


def coverage_pdf(client, user, **params):
    client.force_login(user)
    return client.get(reverse("monitoring:coverage_pdf"), params)


@pytest.mark.parametrize(
    ("actor", "status"),
    [("curator_a", 200), ("director_a", 200), ("curator_b", 404), ("coordinator", 200), ("observer", 200),
     ("coordinator_elsewhere", 404)],
)  # fmt: skip
def test_it_hands_out_school_as_form_within_the_scope(client, world, case, actor, status):
    response = coverage_pdf(client, getattr(world, actor), organization=case.school_a.pk)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert f"Образовательное учреждение: {case.school_a.full_name}" in pdf_text(response.content)


@pytest.mark.parametrize(
    ("actor", "status"), [("coordinator", 200), ("observer", 200), ("curator_a", 404), ("coordinator_elsewhere", 404)]
)
def test_it_hands_out_the_consolidated_report_to_the_municipalitys_people(client, world, case, actor, status):
    response = coverage_pdf(client, getattr(world, actor), municipality=world.municipality.pk)
    assert response.status_code == status
    if status == 200:
        assert "Итого по муниципалитету (без повторов)" in pdf_text(response.content)


def test_it_journals_the_download_and_offers_it_on_the_coverage_page(client, world, case):
    response = coverage_pdf(client, world.curator_a, organization=case.school_a.pk)
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == world.curator_a
    assert entry.data["format"] == "pdf" and entry.data["filters"]["document"] == "coverage_form"
    page = client.get(reverse("monitoring:coverage")).content.decode()
    assert reverse("monitoring:coverage_pdf") + "?organization=" in page


def campaign_paper(client, world, actor: str, route: str, pk_of):
    """The campaigns of tests/monitoring/data.py, and `route` for one of them, asked by `actor`."""
    data = make_campaigns(world)
    client.force_login(getattr(world, actor))
    return data, client.get(reverse(route, args=[pk_of(data)]))


@pytest.mark.parametrize(
    ("actor", "status"),
    [("coordinator", 200), ("observer", 200), ("curator_a", 403), ("director_a", 403), ("curator_b", 403),
     ("coordinator_elsewhere", 404)],
)  # fmt: skip
def test_it_prints_the_campaigns_report_with_the_schools_corrections(client, world, actor, status):
    data, response = campaign_paper(client, world, actor, "monitoring:campaign_pdf", lambda data: data.open.pk)
    assert response.status_code == status
    if status == 200:
        text = pdf_text(response.content)
        assert data.open.title in text
        assert f"1 {world.school_a.short_name} 5*" in text  # corrected to 5 by school A
        assert AuditEntry.objects.filter(action=AuditAction.EXPORT, data__filters__campaign=data.open.pk).exists()


@pytest.mark.parametrize(
    ("actor", "status"),
    [("curator_a", 200), ("director_a", 200), ("curator_b", 404), ("coordinator", 200), ("observer", 200),
     ("coordinator_elsewhere", 404)],
)  # fmt: skip
def test_it_prints_a_schools_answer_with_its_corrections_and_responsible(client, world, actor, status):
    _data, response = campaign_paper(client, world, actor, "monitoring:submission_pdf", lambda d: d.submission_a.pk)
    assert response.status_code == status
    if status == 200:
        text = pdf_text(response.content)
        assert figures_in_order(text, ROWS[0])[0] == 5
        assert "исправлено школой" in text
        assert "ФИО: Иванова Мария Петровна тел.: 8 (86142) 4-12-34" in text


def test_the_campaign_and_answer_pages_offer_the_pdfs(client, world):
    data = make_campaigns(world)
    client.force_login(world.coordinator)
    assert (
        reverse("monitoring:campaign_pdf", args=[data.open.pk])
        in client.get(data.open.get_absolute_url()).content.decode()
    )
    client.force_login(world.curator_a)
    page = client.get(data.submission_a.get_absolute_url()).content.decode()
    assert reverse("monitoring:submission_pdf", args=[data.submission_a.pk]) in page


def test_the_consolidated_reports_queries_do_not_grow_with_the_schools(client, world, case):
    from tests.monitoring.test_coverage_views import add_schools_with_pairs, queries_for

    client.force_login(world.coordinator)
    address = f"{reverse('monitoring:coverage_pdf')}?municipality={world.municipality.pk}"
    few = queries_for(client, address)
    add_schools_with_pairs(world, 6)
    assert queries_for(client, address) == few


def test_a_report_too_large_for_the_request_is_laid_out_by_the_worker_and_downloaded(client, world, case, monkeypatch):
    """Issue 10 §4: «in the worker with a progress bar for large ones (… the region's report)». The
    test's tasks run at once (ImmediateBackend): the job's page already shows the download."""
    monkeypatch.setattr(ConsolidatedReport, "worker_items", 1)  # two schools: more than the request prints
    response = coverage_pdf(client, world.coordinator, municipality=world.municipality.pk)
    job = PrintJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.user, job.kind, job.status, job.progress, job.rows) == (
        world.coordinator,
        "coverage_report",
        "done",
        100,
        2,
    )
    assert job.html == "" and job.pages == 1 and job.filters["municipality"] == world.municipality.pk
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()  # nothing downloaded yet

    page = client.get(response["Location"]).content.decode()
    assert "формируется в фоне" in page and "Документ готов: PDF, 1 страница" in page
    assert f'href="{reverse("monitoring:coverage")}?municipality={world.municipality.pk}' in page
    download = client.get(reverse("print_job_file", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(download.streaming_content) if download.streaming else download.content)
    assert "Итого по муниципалитету (без повторов)" in text and case.school_b.short_name in text
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == world.coordinator and entry.data["filters"]["document"] == "coverage_report"

    for stranger in (world.observer, world.curator_a, world.coordinator_elsewhere):
        client.force_login(stranger)  # the job is its orderer's alone
        assert client.get(job.get_absolute_url()).status_code == 404
        assert client.get(reverse("print_job_file", args=[job.pk])).status_code == 404
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_it_renders_the_coverage_papers_from_the_command_line(world, case, tmp_path):
    form, report = tmp_path / "form.pdf", tmp_path / "report.pdf"
    call_command("render_document", "coverage_form", organization=case.school_a.pk, out=str(form))
    assert f"Образовательное учреждение: {case.school_a.full_name}" in pdf_text(form.read_bytes())
    call_command("render_document", "coverage_report", municipality=world.municipality.pk, out=str(report))
    text = pdf_text(report.read_bytes())
    assert "Итого по муниципалитету (без повторов)" in text and case.school_b.short_name in text
    with pytest.raises(CommandError, match="укажите --municipality ID"):
        call_command("render_document", "coverage_report", organization=case.school_a.pk, out=str(report))
