"""`manage.py parse_deadline "TEXT" --period START:END --json`: the deadline of a roadmap item as
administrators' scripts read it, `{"text": …, "kind": …, "windows": [["YYYY-MM-DD", "YYYY-MM-DD"], …]}`
and nothing else; without --json, one line a window for a person."""

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from roadmaps.management.commands.parse_deadline import Command

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("parse_deadline", *args, stdout=out)
    return out.getvalue()


def test_it_prints_exactly_text_kind_and_windows_as_json():
    out = run("Май-октябрь 2020 г.", "--period", "2021-01-01:2024-12-31", "--json")
    assert out == '{"text": "Май-октябрь 2020 г.", "kind": "dates", "windows": [["2020-05-01", "2020-10-31"]]}\n'
    assert list(json.loads(out)) == ["text", "kind", "windows"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.",
            {
                "text": "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.",
                "kind": "dates",
                "windows": [
                    ["2021-09-01", "2021-11-30"],
                    ["2022-09-01", "2022-11-30"],
                    ["2023-09-01", "2023-11-30"],
                    ["2024-09-01", "2024-11-30"],
                ],
            },
            id="yearly",
        ),
        pytest.param(
            "постоянно",
            {"text": "постоянно", "kind": "continuous", "windows": [["2021-01-01", "2024-12-31"]]},
            id="continuous",
        ),
        pytest.param(
            "по мере необходимости",
            {"text": "по мере необходимости", "kind": "on_need", "windows": []},
            id="on-need",
        ),
        pytest.param(
            "В соответствии со сроками реализации программ наставничества",
            {
                "text": "В соответствии со сроками реализации программ наставничества",
                "kind": "unrecognised",
                "windows": [],
            },
            id="unrecognised",
        ),
    ],
)
def test_it_prints_every_kind_in_the_same_json_shape(text, expected):
    assert json.loads(run(text, "--period", "2021-01-01:2024-12-31", "--json")) == expected


def test_it_prints_a_line_a_window_for_a_person():
    assert run("Май-октябрь 2020 г.", "--period", "2021-01-01:2024-12-31") == "01.05.2020 – 31.10.2020\n"
    assert run("02.11.2020 18.12.2020 МАОУ «СОШ № 7»", "--period", "2021-01-01:2024-12-31") == (
        "02.11.2020\n18.12.2020\n"
    )
    assert run("по согласованию", "--period", "2021-01-01:2024-12-31") == "срок не распознан\n"
    assert run("при необходимости", "--period", "2021-01-01:2024-12-31") == "по мере необходимости\n"


def test_it_reads_the_period_as_parse_period_does():
    assert run("1 полугодие", "--period", "2024/2025 учебный год") == "01.09.2024 – 31.12.2024\n"
    assert run("Ежегодно", "--period", "2021-2022", "--json") == (
        '{"text": "Ежегодно", "kind": "dates", "windows": [["2021-01-01", "2021-12-31"], ["2022-01-01", "2022-12-31"]]}\n'
    )


@pytest.mark.parametrize("period", ["2021-01-01", "2024-12-31:2021-01-01", "2021-02-30:2021-12-31", "завтра", ""])
def test_it_refuses_a_period_it_cannot_read_naming_the_option_and_its_form(period):
    with pytest.raises(CommandError) as refused:
        run("Май 2022", "--period", period, "--json")
    message = str(refused.value)
    assert "--period" in message
    assert "ГГГГ-ММ-ДД:ГГГГ-ММ-ДД" in message
    assert f"«{period}»" in message


def test_it_takes_the_current_calendar_year_without_a_period():
    with time_machine.travel(date(2023, 6, 15), tick=False):
        assert json.loads(run("постоянно", "--json"))["windows"] == [["2023-01-01", "2023-12-31"]]
        assert run("2 полугодие") == "01.07.2023 – 31.12.2023\n"
    assert "текущий календарный год" in Command.help


def test_it_answers_a_script_through_manage_py():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONIOENCODING": "utf-8"}
    finished = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "parse_deadline",
            "24.02.2021 года в 10.00 МАОУ «СОШ № 7»",
            "--period",
            "2021-01-01:2024-12-31",
            "--json",
        ],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert json.loads(finished.stdout) == {
        "text": "24.02.2021 года в 10.00 МАОУ «СОШ № 7»",
        "kind": "dates",
        "windows": [["2021-02-24", "2021-02-24"]],
    }
