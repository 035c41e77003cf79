"""Numbers next to nouns: the Russian plural and thousands grouped by a no-break space (ISSUE6 §5)."""

import pytest
from django.template import Context, Template

from core.russian import NBSP, count_noun, format_number, plural_form

PEOPLE = "человек,человека,человек"
PAIRS = ("пара", "пары", "пар")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "пар"),
        (1, "пара"),
        (2, "пары"),
        (4, "пары"),
        (5, "пар"),
        (11, "пар"),
        (12, "пар"),
        (14, "пар"),
        (21, "пара"),
        (22, "пары"),
        (25, "пар"),
        (101, "пара"),
        (111, "пар"),
        (112, "пар"),
        (1000, "пар"),
        (1001, "пара"),
        (3322, "пары"),
        (-3, "пары"),
    ],
)
def test_it_chooses_the_russian_plural_form(number, expected):
    assert plural_form(number, PAIRS) == expected
    assert plural_form(number, ",".join(PAIRS)) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "1 человек"),
        (2, "2 человека"),
        (5, "5 человек"),
        (11, "11 человек"),
        (12, "12 человек"),
        (14, "14 человек"),
        (21, "21 человек"),
        (22, "22 человека"),
        (25, "25 человек"),
        (101, "101 человек"),
        (111, "111 человек"),
        (463, "463 человека"),
        (1000, "1 000 человек"),
        (3322, "3 322 человека"),
        (1234567, "1 234 567 человек"),
    ],
)
def test_it_writes_a_count_with_its_noun_and_thousands_apart(number, expected):
    # Thousands are grouped by a no-break space; the noun follows after a plain space.
    number_text, noun = expected.rsplit(" ", 1)
    assert count_noun(number, PEOPLE) == f"{number_text.replace(' ', NBSP)} {noun}"


def test_it_groups_thousands_by_a_no_break_space():
    assert format_number(999) == "999"
    assert format_number(3322) == f"3{NBSP}322"
    assert format_number(-12000) == f"-12{NBSP}000"


def test_it_refuses_forms_that_are_not_three():
    with pytest.raises(ValueError, match="Three plural forms"):
        plural_form(3, "пара,пары")


def test_it_keeps_words_after_the_noun():
    assert count_noun(1, "запись в базе,записи в базе,записей в базе") == "1 запись в базе"


def render(source: str, **context) -> str:
    return Template("{% load portal %}" + source).render(Context(context))


def test_it_offers_the_same_helper_to_templates():
    assert render('{{ n|ru_plural:"человек,человека,человек" }}', n=3322) == f"3{NBSP}322 человека"
    assert render('{{ n|ru_plural:"ошибка,ошибки,ошибок" }}', n=None) == "0 ошибок"
    assert render('{{ n|plural_word:"человек,человека,человек" }}', n=463) == "человека"
    assert render("{{ n|ru_number }}", n=3322) == f"3{NBSP}322"
