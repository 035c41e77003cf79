"""`manage.py coverage`: the options, the JSON shape the issue quotes, the Russian errors, the
table and the workbook."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from monitoring.coverage import FIGURES, FORMS
from tests.monitoring.coverage_data import ES, SS, full, make_coverage_case

pytestmark = pytest.mark.django_db
PERIOD = ["--from", "2025-09-01", "--to", "2026-08-31", "--on", "2025-09-01"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("coverage", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def case(world):
    return make_coverage_case(world)


def test_json_of_a_municipality(case, world):
    data = json.loads(run("--municipality", str(world.municipality.pk), *PERIOD, "--json"))
    assert set(data) == {"organizations", "total"}
    by_id = {entry["id"]: entry for entry in data["organizations"]}
    # The partner enterprise runs no pairs of its own: the schools only.
    assert set(by_id) == {case.school_a.pk, case.school_b.pk}
    assert by_id[case.school_a.pk]["name"] == case.school_a.short_name
    assert by_id[case.school_a.pk]["figures"] == full(case.expected_a)
    assert by_id[case.school_b.pk]["figures"] == full(case.expected_b)
    assert data["total"] == full(case.expected_total)
    assert list(data["total"]) == list(FIGURES)
    assert list(data["total"]["mentees_10_18"]) == list(FORMS)
    assert data["total"]["enterprises"][ES] == 1


def test_json_of_one_organization(case):
    data = json.loads(run("--organization", str(case.school_a.pk), *PERIOD, "--json"))
    assert [entry["id"] for entry in data["organizations"]] == [case.school_a.pk]
    assert data["total"] == full(case.expected_a)


def test_table_in_russian(case):
    text = run("--organization", str(case.school_a.pk), *PERIOD)
    assert "Охват наставничеством за период 01.09.2025 – 31.08.2026, возраст и стаж на 01.09.2025" in text
    assert "Ученик – ученик" in text and "Работодатель – ученик" in text
    line = next(line for line in text.splitlines() if line.startswith("Наставляемые 10–18 лет"))
    assert line.split()[3:] == [str(full(case.expected_a)["mentees_10_18"][code]) for code in FORMS]


def test_out_writes_the_workbook(case, world, tmp_path):
    path = tmp_path / "охват.xlsx"
    run("--municipality", str(world.municipality.pk), *PERIOD, "--out", str(path))
    book = load_workbook(path)
    assert book.sheetnames[0] == "Свод"
    assert book[case.school_a.short_name]["B11"].value == full(case.expected_a)["mentees_10_18"][SS]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (PERIOD, "Укажите одно из двух: --organization ID"),
        (["--organization", "1", "--municipality", "1", *PERIOD], "Укажите одно из двух"),
        (
            ["--organization", "1", "--from", "01.09.2025", "--to", "2026-08-31", "--on", "2025-09-01"],
            "--from: «01.09.2025» — не дата. Укажите дату в формате ГГГГ-ММ-ДД",
        ),
        (
            ["--organization", "1", "--from", "2026-09-01", "--to", "2026-08-31", "--on", "2025-09-01"],
            "конец периода 31.08.2026 раньше начала 01.09.2026",
        ),
        (["--organization", "999999", *PERIOD], "--organization: организации с id 999999 нет."),
        (["--municipality", "999999", *PERIOD], "--municipality: муниципалитета с id 999999 нет."),
    ],
)
def test_errors_say_what_to_fix(db, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args)


def test_out_must_be_xlsx(case, tmp_path):
    with pytest.raises(CommandError, match=r"расширением \.xlsx"):
        run("--organization", str(case.school_a.pk), *PERIOD, "--out", str(tmp_path / "a.csv"))
