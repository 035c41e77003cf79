"""The deadline of a roadmap item read from its text (roadmaps.deadlines): every phrase of the source
roadmaps with the schedule it must give, the other forms the issue names, what must stay
unrecognised, and any text at all read without an exception.

The periods are the source roadmaps': seed 000, the Назарово roadmap (2021–2024, whose items also
have dates in 2020, read as written); seed 001, Устюжна (the 2020/2021 school year); seed 002, ЦО
№ 21 (2024/2025); seed 004, the Саянск распоряжение (2023)."""

import json
import random
from datetime import date

import pytest

from roadmaps.deadlines import KINDS, MAX_LENGTH, Schedule, parse_deadline, parse_period

NAZAROVO = (date(2021, 1, 1), date(2024, 12, 31))  # seed 000
USTYUZHNA = (date(2020, 9, 1), date(2021, 8, 31))  # seed 001
CO_21 = (date(2024, 9, 1), date(2025, 8, 31))  # seed 002
SAYANSK = (date(2023, 1, 1), date(2023, 12, 31))  # seed 004


def day(text: str) -> date:
    """«01.05.2020» as a date."""
    day_, month, year = (int(part) for part in text.split("."))
    return date(year, month, day_)


def window(text: str) -> tuple[date, date]:
    """«01.05.2020–31.10.2020», or «02.11.2020» for one day."""
    start, _, end = text.partition("–")
    return day(start), day(end or start)


def dates(*windows: str, recurrence: str = "", note: str = "", is_deadline: bool = False) -> dict:
    return {
        "kind": "dates",
        "windows": tuple(window(each) for each in windows),
        "recurrence": recurrence,
        "note": note,
        "is_deadline": is_deadline,
    }


def deadline(text: str, note: str = "") -> dict:
    return dates(text, note=note, is_deadline=True)


def continuous(period: tuple[date, date]) -> dict:
    return {"kind": "continuous", "windows": (period,)}


ON_NEED = {"kind": "on_need", "windows": ()}
UNRECOGNISED = {"kind": "unrecognised", "windows": ()}


def check(text: str, period: tuple[date, date], expected: dict) -> None:
    assert parse_deadline(text, period=period) == Schedule(text=text.strip(), **expected)


# Every phrase of the source roadmaps ------------------------------------------------------------

SOURCE_PHRASES = [
    # seed 000, the Назарово roadmap, 2021–2024
    pytest.param("Май-октябрь 2020 г.", NAZAROVO, dates("01.05.2020–31.10.2020"), id="000-may-october-2020"),
    pytest.param("Июль – август 2020 г.", NAZAROVO, dates("01.07.2020–31.08.2020"), id="000-july-august-2020"),
    pytest.param("Август 2020 г.", NAZAROVO, dates("01.08.2020–31.08.2020"), id="000-august-2020"),
    pytest.param("2020-2021 учебный год", NAZAROVO, dates("01.09.2020–31.08.2021"), id="000-school-year-2020-2021"),
    pytest.param(
        "Ежегодно",
        NAZAROVO,
        dates(
            "01.01.2021–31.12.2021",
            "01.01.2022–31.12.2022",
            "01.01.2023–31.12.2023",
            "01.01.2024–31.12.2024",
            recurrence="yearly",
        ),
        id="000-yearly",
    ),
    pytest.param(
        "02.11.2020 18.12.2020 МАОУ «СОШ № 7»",
        NAZAROVO,
        dates("02.11.2020", "18.12.2020", note="МАОУ «СОШ № 7»"),
        id="000-two-days-at-a-school",
    ),
    pytest.param("февраль-июнь 2021", NAZAROVO, dates("01.02.2021–30.06.2021"), id="000-february-june-2021"),
    pytest.param(
        "Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.",
        NAZAROVO,
        dates(
            "01.09.2021–30.11.2021",
            "01.09.2022–30.11.2022",
            "01.09.2023–30.11.2023",
            "01.09.2024–30.11.2024",
            recurrence="yearly",
        ),
        id="000-september-november-yearly-2021-2024",
    ),
    pytest.param("Январь, 2021", NAZAROVO, dates("01.01.2021–31.01.2021"), id="000-january-comma-2021"),
    pytest.param(
        "Октябрь 2021-ноябрь 2024 гг.", NAZAROVO, dates("01.10.2021–30.11.2024"), id="000-october-2021-november-2024"
    ),
    pytest.param("2023-2024 гг.", NAZAROVO, dates("01.01.2023–31.12.2024"), id="000-years-2023-2024"),
    pytest.param(
        "24.02.2021 года в 10.00 МАОУ «СОШ № 7»",
        NAZAROVO,
        dates("24.02.2021", note="в 10.00 МАОУ «СОШ № 7»"),
        id="000-day-time-and-school",
    ),
    pytest.param("2022-2024 гг.", NAZAROVO, dates("01.01.2022–31.12.2024"), id="000-years-2022-2024"),
    pytest.param("2023 – 2024 гг.", NAZAROVO, dates("01.01.2023–31.12.2024"), id="000-years-2023-2024-spaced"),
    pytest.param(
        "Май, ежегодно с 2022 года",
        NAZAROVO,
        dates("01.05.2022–31.05.2022", "01.05.2023–31.05.2023", "01.05.2024–31.05.2024", recurrence="yearly"),
        id="000-may-yearly-from-2022",
    ),
    pytest.param("2023 г.", NAZAROVO, dates("01.01.2023–31.12.2023"), id="000-year-2023"),
    pytest.param("2024 г.", NAZAROVO, dates("01.01.2024–31.12.2024"), id="000-year-2024"),
    # seed 001, Устюжна, the 2020/2021 school year
    pytest.param("Сентябрь 2020 г.", USTYUZHNA, dates("01.09.2020–30.09.2020"), id="001-september-2020"),
    pytest.param(
        "Сентябрь-октябрь 2020 г.", USTYUZHNA, dates("01.09.2020–31.10.2020"), id="001-september-october-2020"
    ),
    pytest.param("До 1 июня 2021 г.", USTYUZHNA, deadline("01.09.2020–01.06.2021"), id="001-by-1-june-2021"),
    pytest.param(
        "Сентябрь – октябрь 2020 г.",
        USTYUZHNA,
        dates("01.09.2020–31.10.2020"),
        id="001-september-october-2020-spaced",
    ),
    pytest.param("До 30 октября 2020 г.", USTYUZHNA, deadline("01.09.2020–30.10.2020"), id="001-by-30-october-2020"),
    pytest.param(
        "В соответствии со сроками реализации программ наставничества",
        USTYUZHNA,
        UNRECOGNISED,
        id="001-as-the-programmes-say",
    ),
    pytest.param("До 1 декабря 2020 года", USTYUZHNA, deadline("01.09.2020–01.12.2020"), id="001-by-1-december-2020"),
    # seed 002, ЦО № 21, the 2024/2025 school year
    pytest.param("Август - сентябрь 2024", CO_21, dates("01.08.2024–30.09.2024"), id="002-august-september-spaced"),
    pytest.param("Август-сентябрь 2024", CO_21, dates("01.08.2024–30.09.2024"), id="002-august-september"),
    pytest.param("Сентябрь 2024", CO_21, dates("01.09.2024–30.09.2024"), id="002-september-2024"),
    pytest.param(
        "В течение 2024-2025 учебного года", CO_21, dates("01.09.2024–31.08.2025"), id="002-during-the-school-year"
    ),
    # seed 004, the Саянск распоряжение, 2023
    pytest.param("срок постоянно", SAYANSK, continuous(SAYANSK), id="004-always"),
    pytest.param("срок до 1 марта 2023 года", SAYANSK, deadline("01.01.2023–01.03.2023"), id="004-by-1-march"),
    pytest.param(
        "в срок до 1 марта 2023 года", SAYANSK, deadline("01.01.2023–01.03.2023"), id="004-in-time-by-1-march"
    ),
    pytest.param("срок в течение 2023 года", SAYANSK, dates("01.01.2023–31.12.2023"), id="004-during-2023"),
    pytest.param("срок март 2023 года", SAYANSK, dates("01.03.2023–31.03.2023"), id="004-march-2023"),
    pytest.param(
        "в срок до 6 марта 2023 года", SAYANSK, deadline("01.01.2023–06.03.2023"), id="004-in-time-by-6-march"
    ),
]


@pytest.mark.parametrize(("text", "period", "expected"), SOURCE_PHRASES)
def test_it_reads_every_deadline_of_the_source_roadmaps(text, period, expected):
    check(text, period, expected)


# The other forms of the issue --------------------------------------------------------------------

OTHER_FORMS = [
    # a month
    pytest.param("март 2023 года", SAYANSK, dates("01.03.2023–31.03.2023"), id="month-march-2023"),
    pytest.param("в сентябре 2020 г.", USTYUZHNA, dates("01.09.2020–30.09.2020"), id="month-in-september"),
    pytest.param("Январе 2022", NAZAROVO, dates("01.01.2022–31.01.2022"), id="month-prepositional"),
    pytest.param("мая 2022", NAZAROVO, dates("01.05.2022–31.05.2022"), id="month-genitive-may"),
    pytest.param("феврале 2024", NAZAROVO, dates("01.02.2024–29.02.2024"), id="month-february-of-a-leap-year"),
    pytest.param(
        "сентябрь, октябрь 2021", NAZAROVO, dates("01.09.2021–30.09.2021", "01.10.2021–31.10.2021"), id="month-list"
    ),
    # a range of months, within a year or across years
    pytest.param("декабрь 2020 – январь 2021", NAZAROVO, dates("01.12.2020–31.01.2021"), id="months-across-new-year"),
    pytest.param(
        "Сентябрь – май 2024-2025 учебного года",
        CO_21,
        dates("01.09.2024–31.05.2025"),
        id="months-of-a-school-year",
    ),
    pytest.param("сентябрь-май", CO_21, dates("01.09.2024–31.05.2025"), id="months-across-a-school-year-period"),
    # a school year
    pytest.param("2024/2025 уч. год", CO_21, dates("01.09.2024–31.08.2025"), id="school-year-slash-abbreviated"),
    pytest.param("2024/2025", CO_21, dates("01.09.2024–31.08.2025"), id="school-year-slash-alone"),
    pytest.param("2020 – 2021 учебный год", NAZAROVO, dates("01.09.2020–31.08.2021"), id="school-year-en-dash"),
    # calendar years
    pytest.param("в течение 2023 года", NAZAROVO, dates("01.01.2023–31.12.2023"), id="year-during"),
    pytest.param("в 2022 году", NAZAROVO, dates("01.01.2022–31.12.2022"), id="year-in"),
    pytest.param("2023", NAZAROVO, dates("01.01.2023–31.12.2023"), id="year-bare"),
    pytest.param("2021-2022 годы", NAZAROVO, dates("01.01.2021–31.12.2022"), id="years-godi"),
    pytest.param("2023 г.; 2024 г.", NAZAROVO, dates("01.01.2023–31.12.2023", "01.01.2024–31.12.2024"), id="years-two"),
    # days
    pytest.param("15 сентября 2021 г.", NAZAROVO, dates("15.09.2021"), id="day-in-words"),
    pytest.param("02.11.2020, 18.12.2020", NAZAROVO, dates("02.11.2020", "18.12.2020"), id="days-comma"),
    pytest.param("02.11.2020 и 18.12.2020", NAZAROVO, dates("02.11.2020", "18.12.2020"), id="days-and"),
    pytest.param("с 01.09.2021 по 30.09.2021", NAZAROVO, dates("01.09.2021–30.09.2021"), id="days-from-to"),
    pytest.param("01.09.2021 – 30.09.2021", NAZAROVO, dates("01.09.2021–30.09.2021"), id="days-dash"),
    pytest.param("29.02.2024", NAZAROVO, dates("29.02.2024"), id="day-leap"),
    # deadlines
    pytest.param("до 10.09.2021", NAZAROVO, deadline("01.01.2021–10.09.2021"), id="by-numeric-day"),
    pytest.param("не позднее 24 августа 2021 года", NAZAROVO, deadline("01.01.2021–24.08.2021"), id="no-later-than"),
    pytest.param("до конца 2021 года", NAZAROVO, deadline("01.01.2021–31.12.2021"), id="by-end-of-2021"),
    pytest.param("до конца учебного года", USTYUZHNA, deadline("01.09.2020–31.08.2021"), id="by-end-of-school-year"),
    pytest.param("до конца года", SAYANSK, deadline("01.01.2023–31.12.2023"), id="by-end-of-the-one-year"),
    pytest.param("до конца сентября 2021 года", NAZAROVO, deadline("01.01.2021–30.09.2021"), id="by-end-of-month"),
    pytest.param("До 1 декабря 2020 года", NAZAROVO, deadline("01.12.2020"), id="by-a-day-before-the-period"),
    pytest.param("не позднее 24 августа 2021 года", SAYANSK, deadline("24.08.2021"), id="by-a-day-before-2023"),
    pytest.param(
        "до 10.09.2021 в МАОУ «СОШ № 7»",
        NAZAROVO,
        deadline("01.01.2021–10.09.2021", note="в МАОУ «СОШ № 7»"),
        id="by-a-day-with-a-place",
    ),
    # the whole period, or no dates
    pytest.param("постоянно", NAZAROVO, continuous(NAZAROVO), id="always"),
    pytest.param("Постоянно.", USTYUZHNA, continuous(USTYUZHNA), id="always-with-a-period"),
    pytest.param("в течение всего периода", NAZAROVO, continuous(NAZAROVO), id="during-the-whole-period"),
    pytest.param("в течение года", SAYANSK, continuous(SAYANSK), id="during-the-year"),
    pytest.param("Весь период", CO_21, continuous(CO_21), id="the-whole-period"),
    pytest.param("В течение учебного года", CO_21, continuous(CO_21), id="during-the-school-year-period"),
    pytest.param("по мере необходимости", NAZAROVO, ON_NEED, id="on-need"),
    pytest.param("При необходимости", CO_21, ON_NEED, id="if-needed"),
    # quarters
    pytest.param("I квартал 2022 г.", NAZAROVO, dates("01.01.2022–31.03.2022"), id="quarter-roman"),
    pytest.param("1 квартал 2022", NAZAROVO, dates("01.01.2022–31.03.2022"), id="quarter-arabic"),
    pytest.param("IV квартал 2021 года", NAZAROVO, dates("01.10.2021–31.12.2021"), id="quarter-fourth"),
    pytest.param("1-й квартал 2023 г.", SAYANSK, dates("01.01.2023–31.03.2023"), id="quarter-ordinal"),
    pytest.param("в III квартале", SAYANSK, dates("01.07.2023–30.09.2023"), id="quarter-of-the-one-year"),
    pytest.param(
        "ежеквартально",
        SAYANSK,
        dates(
            "01.01.2023–31.03.2023",
            "01.04.2023–30.06.2023",
            "01.07.2023–30.09.2023",
            "01.10.2023–31.12.2023",
            recurrence="quarterly",
        ),
        id="quarterly",
    ),
    pytest.param(
        "Ежеквартально",
        USTYUZHNA,
        dates(
            "01.09.2020–30.09.2020",
            "01.10.2020–31.12.2020",
            "01.01.2021–31.03.2021",
            "01.04.2021–30.06.2021",
            "01.07.2021–31.08.2021",
            recurrence="quarterly",
        ),
        id="quarterly-clipped-to-a-school-year",
    ),
    pytest.param(
        "ежемесячно",
        SAYANSK,
        dates(
            "01.01.2023–31.01.2023",
            "01.02.2023–28.02.2023",
            "01.03.2023–31.03.2023",
            "01.04.2023–30.04.2023",
            "01.05.2023–31.05.2023",
            "01.06.2023–30.06.2023",
            "01.07.2023–31.07.2023",
            "01.08.2023–31.08.2023",
            "01.09.2023–30.09.2023",
            "01.10.2023–31.10.2023",
            "01.11.2023–30.11.2023",
            "01.12.2023–31.12.2023",
            recurrence="monthly",
        ),
        id="monthly",
    ),
    # half-years
    pytest.param("1 полугодие 2022 г.", NAZAROVO, dates("01.01.2022–30.06.2022"), id="half-first"),
    pytest.param("I полугодие 2022", NAZAROVO, dates("01.01.2022–30.06.2022"), id="half-first-roman"),
    pytest.param("2 полугодие 2021 года", NAZAROVO, dates("01.07.2021–31.12.2021"), id="half-second"),
    pytest.param("1 полугодие", USTYUZHNA, dates("01.09.2020–31.12.2020"), id="half-first-of-a-school-year"),
    pytest.param("2 полугодие", USTYUZHNA, dates("01.01.2021–31.08.2021"), id="half-second-of-a-school-year"),
    pytest.param("1-е полугодие", SAYANSK, dates("01.01.2023–30.06.2023"), id="half-first-of-the-one-year"),
    pytest.param("2 полугодие", SAYANSK, dates("01.07.2023–31.12.2023"), id="half-second-of-the-one-year"),
    pytest.param(
        "1 полугодие 2024-2025 учебного года", NAZAROVO, dates("01.09.2024–31.12.2024"), id="half-of-a-school-year"
    ),
    # months without a year: their one occurrence in the period
    pytest.param(
        "декабрь, май", USTYUZHNA, dates("01.12.2020–31.12.2020", "01.05.2021–31.05.2021"), id="months-no-year"
    ),
    pytest.param("сентябрь", CO_21, dates("01.09.2024–30.09.2024"), id="month-no-year"),
    pytest.param("в октябре", SAYANSK, dates("01.10.2023–31.10.2023"), id="month-no-year-in"),
    # every year
    pytest.param(
        "ежегодно в мае",
        NAZAROVO,
        dates(
            "01.05.2021–31.05.2021",
            "01.05.2022–31.05.2022",
            "01.05.2023–31.05.2023",
            "01.05.2024–31.05.2024",
            recurrence="yearly",
        ),
        id="yearly-in-may",
    ),
    pytest.param("май ежегодно", CO_21, dates("01.05.2025–31.05.2025", recurrence="yearly"), id="may-yearly"),
    pytest.param(
        "Ежегодно",
        USTYUZHNA,
        dates("01.09.2020–31.12.2020", "01.01.2021–31.08.2021", recurrence="yearly"),
        id="yearly-clipped-to-a-school-year",
    ),
    pytest.param(
        "ежегодно, 2022-2023 гг.",
        NAZAROVO,
        dates("01.01.2022–31.12.2022", "01.01.2023–31.12.2023", recurrence="yearly"),
        id="yearly-years-as-written",
    ),
    pytest.param(
        "Ежегодно в мае с 2022 по 2023 год",
        NAZAROVO,
        dates("01.05.2022–31.05.2022", "01.05.2023–31.05.2023", recurrence="yearly"),
        id="yearly-from-to",
    ),
    pytest.param(
        "декабрь-январь ежегодно",
        NAZAROVO,
        dates(
            "01.12.2021–31.01.2022",
            "01.12.2022–31.01.2023",
            "01.12.2023–31.01.2024",
            recurrence="yearly",
        ),
        id="yearly-across-new-year-only-inside-the-period",
    ),
    # several paragraphs of one cell
    pytest.param(
        "Сентябрь 2022 г.\nМай 2022 г.",
        NAZAROVO,
        dates("01.05.2022–31.05.2022", "01.09.2022–30.09.2022"),
        id="paragraphs-sorted",
    ),
    pytest.param(
        "02.11.2020 МАОУ «СОШ № 7»;\n18.12.2020 МАОУ «СОШ № 8»",
        NAZAROVO,
        dates("02.11.2020", "18.12.2020", note="МАОУ «СОШ № 7»; МАОУ «СОШ № 8»"),
        id="paragraphs-with-notes",
    ),
    pytest.param(
        "до 1 марта 2023 года;\nдо 1 июня 2023 года",
        SAYANSK,
        dates("01.01.2023–01.03.2023", "01.01.2023–01.06.2023", is_deadline=True),
        id="paragraphs-of-deadlines",
    ),
    pytest.param("постоянно\n\nпостоянно", SAYANSK, continuous(SAYANSK), id="paragraphs-always"),
    # tolerance: dashes, year words, case, punctuation, «ё», markdown, leading words
    pytest.param("МАЙ—ОКТЯБРЬ 2020Г.", NAZAROVO, dates("01.05.2020–31.10.2020"), id="upper-case-em-dash"),
    pytest.param("май–октябрь 2020", NAZAROVO, dates("01.05.2020–31.10.2020"), id="en-dash-no-year-word"),
    pytest.param("Май - октябрь 2020 года,", NAZAROVO, dates("01.05.2020–31.10.2020"), id="trailing-comma"),
    pytest.param("Май-октябрь 2020 г", NAZAROVO, dates("01.05.2020–31.10.2020"), id="g-without-period"),
    pytest.param("2023—2024 гг", NAZAROVO, dates("01.01.2023–31.12.2024"), id="years-em-dash"),
    pytest.param(
        "сентябрь-ноябрь ежегодно 2021-2022 год",
        NAZAROVO,
        dates("01.09.2021–30.11.2021", "01.09.2022–30.11.2022", recurrence="yearly"),
        id="yearly-lower-case",
    ),
    pytest.param("в течёние 2023 года", NAZAROVO, dates("01.01.2023–31.12.2023"), id="yo"),
    pytest.param("**Сентябрь 2024**", CO_21, dates("01.09.2024–30.09.2024"), id="markdown-bold"),
    pytest.param("  **До 1 июня 2021 г.**  ", USTYUZHNA, deadline("01.09.2020–01.06.2021"), id="markdown-deadline"),
    pytest.param("Сроки: 2023 г.", NAZAROVO, dates("01.01.2023–31.12.2023"), id="leading-sroki"),
    pytest.param(
        "Срок исполнения: март 2023 г.", SAYANSK, dates("01.03.2023–31.03.2023"), id="leading-srok-ispolneniya"
    ),
    pytest.param("Сентябрь\u00a02024\u00a0г.", CO_21, dates("01.09.2024–30.09.2024"), id="no-break-spaces"),
]


@pytest.mark.parametrize(("text", "period", "expected"), OTHER_FORMS)
def test_it_reads_the_other_forms_of_the_issue(text, period, expected):
    check(text, period, expected)


# What is never guessed ---------------------------------------------------------------------------

NOT_UNDERSTOOD = [
    pytest.param("по согласованию", NAZAROVO, id="by-agreement"),
    pytest.param("", NAZAROVO, id="empty"),
    pytest.param("   \n ; ", NAZAROVO, id="blank"),
    pytest.param("ываыва 12 фыв", NAZAROVO, id="gibberish"),
    pytest.param("31.02.2021", NAZAROVO, id="thirty-first-of-february"),
    pytest.param("00.13.2020", NAZAROVO, id="day-zero-month-thirteen"),
    pytest.param("29.02.2023", SAYANSK, id="not-a-leap-year"),
    pytest.param("до 31.02.2021", NAZAROVO, id="by-an-impossible-day"),
    pytest.param("30 февраля 2021 г.", NAZAROVO, id="impossible-day-in-words"),
    pytest.param("Май-октябрь 99999 г.", NAZAROVO, id="five-digit-year"),
    pytest.param("1850 г.", NAZAROVO, id="year-before-1900"),
    pytest.param("Май 2101", NAZAROVO, id="year-after-2100"),
    pytest.param("01.01.21", NAZAROVO, id="two-digit-year"),
    pytest.param("2024-2021 гг.", NAZAROVO, id="years-backwards"),
    pytest.param("ноябрь 2024 – октябрь 2021", NAZAROVO, id="months-backwards"),
    pytest.param("30.09.2021 – 01.09.2021", NAZAROVO, id="days-backwards"),
    pytest.param("ноябрь-февраль 2021", NAZAROVO, id="months-across-a-calendar-year"),
    pytest.param("2021-2023 учебный год", NAZAROVO, id="school-year-of-two-years"),
    pytest.param("2024 учебный год", CO_21, id="school-year-of-one-year"),
    pytest.param("сентябрь", NAZAROVO, id="month-four-times-in-the-period"),
    pytest.param("декабрь, май", NAZAROVO, id="months-several-times-in-the-period"),
    pytest.param("сентябрь 2021-2024 гг.", NAZAROVO, id="month-in-several-years"),
    pytest.param("декабрь-январь", SAYANSK, id="months-leaving-the-period"),
    pytest.param("1 полугодие", NAZAROVO, id="half-in-a-period-of-years"),
    pytest.param("III квартал", NAZAROVO, id="quarter-in-a-period-of-years"),
    pytest.param("5 квартал 2022", NAZAROVO, id="fifth-quarter"),
    pytest.param("3 полугодие 2022", NAZAROVO, id="third-half"),
    pytest.param("до сентября 2021", NAZAROVO, id="by-a-month-without-a-day"),
    pytest.param("до конца учебного года", NAZAROVO, id="by-end-of-school-year-in-calendar-years"),
    pytest.param("до конца года", NAZAROVO, id="by-end-of-year-in-several-years"),
    pytest.param("в течение учебного года", SAYANSK, id="school-year-in-a-calendar-period"),
    pytest.param("Май, ежегодно с 2026 года", NAZAROVO, id="yearly-from-after-the-period"),
    pytest.param("Август-сентябрь ежегодно", CO_21, id="yearly-never-inside-a-school-year"),
    pytest.param("с 01.09.2021", NAZAROVO, id="from-a-day-without-end"),
    pytest.param("Май 2022\nпо согласованию", NAZAROVO, id="one-paragraph-not-understood"),
    pytest.param("постоянно; май 2022", NAZAROVO, id="always-and-dates-mixed"),
    pytest.param("до 1 марта 2023 года, далее ежегодно", SAYANSK, id="deadline-then-more-dates"),
    pytest.param("02.11.2020 май 2021", NAZAROVO, id="a-day-then-a-month-left-unread"),
    pytest.param("1 мая", NAZAROVO, id="day-without-year"),
    pytest.param("ежегодно до 1 марта", NAZAROVO, id="yearly-deadline"),
]


@pytest.mark.parametrize(("text", "period"), NOT_UNDERSTOOD)
def test_it_keeps_as_unrecognised_what_it_cannot_be_sure_of(text, period):
    check(text, period, UNRECOGNISED)


def test_it_keeps_the_text_as_written_only_stripped():
    schedule = parse_deadline("  **Май-октябрь 2020 г.**\n", period=NAZAROVO)
    assert schedule.text == "**Май-октябрь 2020 г.**"
    unrecognised = parse_deadline(" По согласованию  ", period=NAZAROVO)
    assert unrecognised.text == "По согласованию"


def test_it_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="period"):
        parse_deadline("2023 г.", period=(date(2024, 1, 1), date(2023, 1, 1)))


# The schedule ------------------------------------------------------------------------------------


def test_it_gives_the_schedule_as_a_dict_of_exactly_text_kind_and_windows():
    schedule = parse_deadline("02.11.2020 18.12.2020 МАОУ «СОШ № 7»", period=NAZAROVO)
    assert schedule.as_dict() == {
        "text": "02.11.2020 18.12.2020 МАОУ «СОШ № 7»",
        "kind": "dates",
        "windows": [["2020-11-02", "2020-11-02"], ["2020-12-18", "2020-12-18"]],
    }
    assert json.loads(json.dumps(schedule.as_dict(), ensure_ascii=False)) == schedule.as_dict()
    assert parse_deadline("по согласованию", period=NAZAROVO).as_dict() == {
        "text": "по согласованию",
        "kind": "unrecognised",
        "windows": [],
    }


def test_it_tells_the_last_end_and_the_next_end():
    schedule = parse_deadline("Сентябрь-ноябрь Ежегодно 2021 – 2024 гг.", period=NAZAROVO)
    assert schedule.recognised
    assert schedule.last_end == date(2024, 11, 30)
    assert schedule.next_end(date(2021, 1, 10)) == date(2021, 11, 30)
    assert schedule.next_end(date(2022, 11, 30)) == date(2022, 11, 30)
    assert schedule.next_end(date(2022, 12, 1)) == date(2023, 11, 30)
    assert schedule.next_end(date(2024, 12, 1)) is None
    nothing = parse_deadline("по мере необходимости", period=NAZAROVO)
    assert nothing.recognised
    assert nothing.last_end is None
    assert nothing.next_end(date(2021, 1, 1)) is None
    assert not parse_deadline("по согласованию", period=NAZAROVO).recognised


def test_it_offers_the_kinds_as_choices_for_a_model_field():
    assert KINDS == (
        ("dates", "даты"),
        ("continuous", "постоянно"),
        ("on_need", "по мере необходимости"),
        ("unrecognised", "срок не распознан"),
    )
    assert {parse_deadline(text, period=SAYANSK).kind for text in ("2023", "постоянно", "при необходимости", "?")} == {
        code for code, _ in KINDS
    }


# The period of a roadmap -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Дорожная карта внедрения целевой модели наставничества на период реализации 2021-2024 гг.",
            (date(2021, 1, 1), date(2024, 12, 31)),
            id="title-years",
        ),
        pytest.param("на 2024/2025 учебный год", CO_21, id="title-school-year-slash"),
        pytest.param("на 2024-2025 учебный год", CO_21, id="title-school-year-dash"),
        pytest.param("2020-2021 учебный год", USTYUZHNA, id="school-year"),
        pytest.param("2024/2025 уч. год", CO_21, id="school-year-abbreviated"),
        pytest.param("2021-2024", NAZAROVO, id="years"),
        pytest.param("2021 – 2024 гг.", NAZAROVO, id="years-en-dash"),
        pytest.param("2021-01-01:2024-12-31", NAZAROVO, id="command-line"),
        pytest.param(" 2024-09-01 : 2025-08-31 ", CO_21, id="command-line-spaced"),
        pytest.param("01.09.2020-31.08.2021", USTYUZHNA, id="dotted-days"),
        pytest.param("Распоряжение от 15.02.2023 № 112 о наставничестве на 2023 год", SAYANSK, id="title-one-year"),
        pytest.param("2023", SAYANSK, id="one-year"),
        pytest.param("", None, id="empty"),
        pytest.param("Дорожная карта", None, id="no-years"),
        pytest.param("2021-02-30:2024-12-31", None, id="command-line-impossible-day"),
        pytest.param("2024-12-31:2021-01-01", None, id="command-line-backwards"),
        pytest.param("2024-2021", None, id="years-backwards"),
        pytest.param("2021-2023 учебный год", None, id="school-year-of-two-years"),
        pytest.param("1850-1851", None, id="years-before-1900"),
    ],
)
def test_it_reads_the_period_of_a_roadmap(text, expected):
    assert parse_period(text) == expected


# Any text at all ---------------------------------------------------------------------------------

#: Pieces of real deadlines, so that random texts reach every form of the parser, not just its first check.
PIECES = [
    "май", "Мая", "сентябрь", "октябре", "декабрь", "-", "–", "—", "/", ",", ".", ";", "\n", " ", "2020", "2021",
    "2024", "2025", "99999", "1899", "0", "1", "15", "31", "г.", "гг.", "года", "ежегодно", "Ежеквартально",
    "ежемесячно", "с", "по", "до", "не позднее", "конца", "в течение", "учебного года", "уч. год", "I", "IV",
    "квартал", "полугодие", "постоянно", "по мере необходимости", "31.02.2021", "00.13.2020", "01.09.2021",
    "10.00", "МАОУ «СОШ № 7»", "**", "срок", "в", "и", "ё", "\u00a0", "\u200b", "١٢", "𝟚𝟘𝟚𝟙", "İ", "ß",
]  # fmt: skip


def random_texts(seed: int, count: int):
    rng = random.Random(seed)
    for _ in range(count):
        if rng.random() < 0.5:
            yield "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(0, 40)))
        else:
            yield " ".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 12)))


def assert_well_formed(schedule: Schedule, text: str) -> None:
    assert schedule.text == text.strip()
    assert schedule.kind in {code for code, _ in KINDS}
    assert list(schedule.windows) == sorted(schedule.windows)
    for start, end in schedule.windows:
        assert start <= end
        assert start.year >= 1900 and end.year <= 2100
    if schedule.kind in ("unrecognised", "on_need"):
        assert schedule.windows == ()
    else:
        assert schedule.windows
    json.dumps(schedule.as_dict(), ensure_ascii=False)


@pytest.mark.parametrize("period", [NAZAROVO, USTYUZHNA, CO_21, SAYANSK], ids=["000", "001", "002", "004"])
def test_it_never_raises_on_any_text(period):
    for text in random_texts(seed=20240901, count=3000):
        assert_well_formed(parse_deadline(text, period=period), text)
        parse_period(text)


def test_it_reads_no_text_longer_than_a_deadline_cell():
    long_text = "Май 2022; " * (MAX_LENGTH // 10 + 1)
    assert_well_formed(schedule := parse_deadline(long_text, period=NAZAROVO), long_text)
    assert schedule.kind == "unrecognised"
    huge = "".join(chr(random.Random(7).randrange(0x20, 0x3000)) for _ in range(200_000))
    assert parse_deadline(huge, period=NAZAROVO).kind == "unrecognised"
    assert parse_period(huge) is None
    just_fits = ("Май 2022; " * (MAX_LENGTH // 10))[: MAX_LENGTH - 1]
    assert parse_deadline(just_fits, period=NAZAROVO).windows == (window("01.05.2022–31.05.2022"),)


def test_it_reads_a_text_that_is_not_a_string_as_unrecognised():
    assert parse_deadline(None, period=NAZAROVO) == Schedule(text="", kind="unrecognised", windows=())
    assert parse_period(None) is None
