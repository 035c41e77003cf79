"""The coverage workbook (monitoring/exporters.py) against seed 003's layout, cell by cell, and its
«Свод» against the computation (tests/monitoring/coverage_data.py)."""

import io

import pytest
from openpyxl import load_workbook

from monitoring.coverage import FIGURES, FORMS, compute_coverage
from monitoring.exporters import FormSheet, coverage_workbook
from tests.monitoring.coverage_data import END, ES, ON, SS, START, make_coverage_case

pytestmark = pytest.mark.django_db

#: Seed 003's form, as the letter lays it out: (cell, text).
SEED_TEXTS = [
    ("A4", "Информация"),
    (
        "A5",
        "о численности обучающихся, педагогических работников (молодых специалистов), охваченных программой "
        "наставничества в рамках реализации целевой модели наставничества",
    ),
    ("A9", "Наименование показателя"),
    ("B9", "Форма наставничества"),
    ("B10", "Ученик – ученик"),
    ("C10", "Учитель – учитель"),
    ("D10", "Студент – ученик"),
    ("E10", "Работодатель – ученик"),
    (
        "A11",
        "Число учащихся в возрасте от 10 до 18 лет, вошедших в программу наставничества в роли наставляемого",
    ),
    ("A12", "Число учащихся в возрасте от 15 до 18 лет, вошедших в программу наставничества в роли наставника"),
    (
        "A13",
        "Число учителей-молодых специалистов (с опытом работы от 0 до 3 лет), вошедших в программу "
        "наставничества в роли наставляемого",
    ),
    (
        "A14",
        "Количество предприятий (организаций), вошедших в программу наставничества, предоставив своих "
        "наставников (при наличии)",
    ),
]
SEED_MERGED = {"A1:E1", "A2:E2", "A4:E4", "A5:E5", "A7:E7", "A9:A10", "B9:E9", "A15:E15"}


@pytest.fixture
def exported(world):
    case = make_coverage_case(world)
    world.municipality.authority_name = "Управление образования администрации г. Назарово"
    world.municipality.address = "662200, г. Назарово, ул. Карла Маркса, 40"
    world.municipality.phone = "8 (39155) 5-70-01"
    schools = [case.school_a, case.school_b]
    coverage = compute_coverage([s.pk for s in schools], start=START, end=END, on=ON)
    corrected = coverage.figures(case.school_a.pk)
    corrected = {figure: dict(forms) for figure, forms in corrected.items()}
    corrected["mentees_10_18"][SS] = 7  # the school corrected one figure
    sheets = [
        FormSheet(case.school_a, corrected, coverage.figures(case.school_a.pk), "Иванова Анна Петровна", "8-913-000"),
        FormSheet(case.school_b, coverage.figures(case.school_b.pk), coverage.figures(case.school_b.pk)),
    ]
    content = coverage_workbook(
        municipality=world.municipality, sheets=sheets, total=coverage.total, title_note="от 13.08.2021"
    )
    return case, coverage, load_workbook(io.BytesIO(content))


def test_one_sheet_per_school_after_the_consolidated_one(exported):
    case, _, book = exported
    assert book.sheetnames == ["Свод", case.school_a.short_name, case.school_b.short_name]


def test_school_sheet_is_the_seed_layout_cell_by_cell(exported):
    case, coverage, book = exported
    sheet = book[case.school_b.short_name]
    for cell, text in SEED_TEXTS:
        assert sheet[cell].value == text, cell
    assert sheet["A1"].value == "ПРИЛОЖЕНИЕ к письму управления образования администрации г. Назарово от 13.08.2021"
    assert sheet["A2"].value == "662200, г. Назарово, ул. Карла Маркса, 40, тел. 8 (39155) 5-70-01"
    assert sheet["A7"].value == f"Образовательное учреждение: {case.school_b.full_name}"
    assert sheet["A15"].value == "Ответственный за реализацию программы в ОУ: ФИО: _____ тел.: _____"
    assert {str(r) for r in sheet.merged_cells.ranges} == SEED_MERGED
    figures = coverage.figures(case.school_b.pk)
    for row, figure in enumerate(FIGURES, start=11):
        for column, form in enumerate(FORMS, start=2):
            assert sheet.cell(row, column).value == figures[figure][form]
    assert sheet.max_row == 15
    assert sheet.max_column == 5


def test_school_sheet_is_print_ready(exported):
    case, _, book = exported
    sheet = book[case.school_a.short_name]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$9:$10"
    assert sheet["B9"].alignment.wrap_text
    assert sheet["C12"].border.left.style == "thin"
    assert (
        sheet["A15"].value == "Ответственный за реализацию программы в ОУ: ФИО: Иванова Анна Петровна тел.: 8-913-000"
    )


def test_corrected_figure_shows_both(exported):
    case, coverage, book = exported
    cell = book[case.school_a.short_name]["B11"]
    assert cell.value == 7
    computed = coverage.figures(case.school_a.pk)["mentees_10_18"][SS]
    assert cell.comment.text.startswith(f"рассчитано: {computed}, исправлено школой")
    assert book[case.school_a.short_name]["C11"].comment is None


def test_consolidated_sheet_holds_the_computation_and_the_distinct_total(exported):
    case, coverage, book = exported
    sheet = book["Свод"]
    assert sheet["A6"].value == "№ п/п"
    assert sheet["B6"].value == "Образовательное учреждение"
    assert {"A6:A7", "B6:B7", "C6:F6", "G6:J6", "K6:N6", "O6:R6"} <= {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["C7"].value == "Ученик – ученик"
    assert sheet["F7"].value == "Работодатель – ученик"
    rows = {sheet.cell(row, 2).value: row for row in range(8, 11)}
    for school in (case.school_b,):
        row = rows[school.short_name]
        column = 3
        for figure in FIGURES:
            for form in FORMS:
                assert sheet.cell(row, column).value == coverage.figures(school.pk)[figure][form]
                column += 1
    total_row = rows["Итого по муниципалитету (без повторов)"]
    enterprises_es = 3 + 3 * 4 + 3  # the fourth figure, the fourth form
    assert sheet.cell(total_row, enterprises_es).value == coverage.total["enterprises"][ES] == 1
    a_row, b_row = rows[case.school_a.short_name], rows[case.school_b.short_name]
    assert sheet.cell(a_row, enterprises_es).value + sheet.cell(b_row, enterprises_es).value == 2
    assert "считается один раз" in sheet.cell(total_row + 2, 1).value
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$6:$7"


def test_consolidated_only(world):
    case = make_coverage_case(world)
    coverage = compute_coverage([case.school_a.pk], start=START, end=END, on=ON)
    sheet = FormSheet(case.school_a, coverage.figures(case.school_a.pk), coverage.figures(case.school_a.pk))
    content = coverage_workbook(municipality=world.municipality, sheets=[sheet], total=coverage.total, per_school=False)
    assert load_workbook(io.BytesIO(content)).sheetnames == ["Свод"]


def test_a_school_name_like_a_formula_stays_text(world):
    from core.testing.factories import OrganizationFactory
    from monitoring.coverage import empty_figures

    school = OrganizationFactory(municipality=world.municipality, short_name="=HYPERLINK(1)")
    content = coverage_workbook(
        municipality=world.municipality,
        sheets=[FormSheet(school, empty_figures(), empty_figures())],
        total=empty_figures(),
    )
    sheet = load_workbook(io.BytesIO(content))["Свод"]
    assert sheet["B8"].value == "=HYPERLINK(1)"
    assert sheet["B8"].data_type == "s"
