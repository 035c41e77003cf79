"""Names, positions and pupils in the cases orders print them in (core/declension.py, issue 10):
«Назначить Шестакову Татьяну Васильевну, методиста», «Заместителю директора Шестаковой Татьяне
Васильевне обеспечить», «наставником Петрова Ивана Сергеевича», «обучающегося 9 «А» класса».

The expected forms of the names are written by hand in tests/core/declension_cases.py."""

import pytest

from core.declension import (
    NBSP,
    Case,
    decline_name,
    decline_position,
    initials,
    initials_after,
    initials_before,
    name_sex,
    pupil_description,
)
from tests.core.declension_cases import CASE_NAMES, HOLDOUT, NAMES

# The set, one test per name and case ----------------------------------------------------


def _params(names):
    return [
        pytest.param(name, case_name, id=f"{name.nominative}-{case_name}") for name in names for case_name in CASE_NAMES
    ]


@pytest.mark.parametrize(("name", "case_name"), _params(NAMES + HOLDOUT))
def test_it_declines_the_name_as_written_by_hand(name, case_name):
    result = decline_name(name.last_name, name.first_name, name.middle_name, Case[case_name.upper()], sex=name.sex)
    assert result.text == name.form(case_name)
    assert result.confident, result.reason
    assert result.case is Case[case_name.upper()]


@pytest.mark.parametrize(
    "name", [name for name in NAMES + HOLDOUT if name.middle_name], ids=lambda name: name.nominative
)
def test_it_knows_the_sex_from_the_name_alone(name):
    assert name_sex(name.last_name, name.first_name, name.middle_name) == name.sex


def test_it_returns_the_parts_of_the_name():
    result = decline_name("Шестакова", "Татьяна", "Васильевна", Case.ACCUSATIVE)
    assert (result.last_name, result.first_name, result.middle_name) == ("Шестакову", "Татьяну", "Васильевну")
    assert result.sex == "F"
    assert str(result) == "Шестакову Татьяну Васильевну"


def test_it_prints_the_issues_examples():
    assert decline_name("Селезнева", "Елена", "Викторовна", Case.ACCUSATIVE).text == "Селезневу Елену Викторовну"
    assert decline_name("Шестакова", "Татьяна", "Васильевна", Case.DATIVE).text == "Шестаковой Татьяне Васильевне"
    assert decline_name("Петров", "Иван", "Сергеевич", Case.GENITIVE).text == "Петрова Ивана Сергеевича"
    assert decline_name("Иванов", "Иван", "Иванович", Case.INSTRUMENTAL).text == "Ивановым Иваном Ивановичем"


def test_it_keeps_the_nominative_as_written():
    result = decline_name(" Шестакова ", "Татьяна", "Васильевна", Case.NOMINATIVE)
    assert result.text == "Шестакова Татьяна Васильевна"
    assert result.confident


def test_it_keeps_yo_as_written():
    assert decline_name("Семёнов", "Семён", "Семёнович", Case.GENITIVE).text == "Семёнова Семёна Семёновича"
    assert decline_name("Семенов", "Семен", "Семенович", Case.GENITIVE).text == "Семенова Семена Семеновича"
    assert decline_name("Воробьёв", "Пётр", "Ильич", Case.DATIVE).text == "Воробьёву Петру Ильичу"


def test_it_keeps_capitals():
    assert decline_name("ИВАНОВ", "ИВАН", "ИВАНОВИЧ", Case.DATIVE).text == "ИВАНОВУ ИВАНУ ИВАНОВИЧУ"


def test_it_leaves_a_patronymic_with_oglu_as_it_is():
    result = decline_name("Мамедов", "Эльдар", "Рауф оглы", Case.DATIVE)
    assert result.text == "Мамедову Эльдару Рауф оглы"
    assert result.sex == "M"


# The sex ---------------------------------------------------------------------------------


def test_it_takes_the_sex_from_the_patronymic_before_the_first_name():
    # «Саша» is both; the patronymic decides whether the surname in a consonant declines.
    assert decline_name("Шевчук", "Саша", "Петровна", Case.DATIVE).text == "Шевчук Саше Петровне"
    assert decline_name("Шевчук", "Саша", "Петрович", Case.DATIVE).text == "Шевчуку Саше Петровичу"
    assert name_sex("Шевчук", "Женя", "Ивановна") == "F"
    assert name_sex("Шевчук", "Валя", "Иванович") == "M"


def test_it_takes_the_sex_from_the_first_name_when_there_is_no_patronymic():
    assert name_sex("Шевчук", "Анна", "") == "F"
    assert name_sex("Шевчук", "Пётр", "") == "M"
    assert decline_name("Шевчук", "Анна", "", Case.GENITIVE).text == "Шевчук Анны"
    assert decline_name("Шевчук", "Пётр", "", Case.GENITIVE).text == "Шевчука Петра"


def test_it_does_not_guess_the_sex_from_an_ambiguous_first_name():
    assert name_sex("Шевчук", "Саша", "") == ""
    assert name_sex("Батог", "Женя", "") == ""
    assert name_sex("Черных", "Валя", "") == ""


def test_it_takes_the_sex_from_a_russian_surname_last():
    assert name_sex("Иванова", "Саша", "") == "F"
    assert decline_name("Иванова", "Саша", "", Case.INSTRUMENTAL).text == "Ивановой Сашей"


def test_it_lets_the_sex_hint_override_the_name():
    assert name_sex("Шевчук", "Саша", "", sex="F") == "F"
    assert decline_name("Шевчук", "Саша", "", Case.DATIVE, sex="F").text == "Шевчук Саше"
    assert decline_name("Шевчук", "Саша", "", Case.DATIVE, sex="M").text == "Шевчуку Саше"
    assert name_sex("Шевчук", "Саша", "Петрович", sex="F") == "F"


def test_it_reads_the_sex_as_the_registry_stores_it():
    # registry.choices.Sex: "m" and "f".
    assert decline_name("Шевчук", "Саша", "", Case.DATIVE, sex="f").text == "Шевчук Саше"
    assert decline_name("Шевчук", "Саша", "", Case.DATIVE, sex="m").text == "Шевчуку Саше"
    assert pupil_description("7В", Case.DATIVE, sex="f").text == f"обучающейся 7{NBSP}«В» класса"
    assert name_sex("Шевчук", "Саша", "", sex="Ж") == "F"
    assert name_sex("Шевчук", "Саша", "", sex="?") == ""


def test_it_declines_without_the_sex_when_the_name_does_not_depend_on_it():
    result = decline_name("Гурченко", "Саша", "", Case.INSTRUMENTAL)
    assert result.confident
    assert result.text == "Гурченко Сашей"


# Not confident: the nominative and a reason ---------------------------------------------


def _unsure(last, first, middle="", case=Case.DATIVE, **hints):
    result = decline_name(last, first, middle, case, **hints)
    assert not result.confident
    assert result.case is Case.NOMINATIVE
    assert result.text == " ".join(part for part in (last, first, middle) if part)
    assert result.reason.startswith(("Не удалось", "Фамилия", "Имя"))
    assert "вручную" in result.reason
    return result


def test_it_does_not_decline_a_surname_in_a_consonant_without_the_sex():
    result = _unsure("Шмидт-Карро", "Мишель")
    assert "«Шмидт-Карро»" in result.reason
    assert "пол не указан" in result.reason
    _unsure("Шевчук", "Саша")


def test_it_does_not_decline_an_unknown_foreign_first_name_in_a_consonant_without_a_patronymic():
    result = _unsure("Смирнов", "Зуфархон", "")
    assert "«Зуфархон»" in result.reason


def test_it_declines_an_unknown_first_name_in_a_consonant_with_a_patronymic():
    result = decline_name("Смирнов", "Зуфархон", "Ильич", Case.DATIVE)
    assert result.text == "Смирнову Зуфархону Ильичу"


def test_it_does_not_decline_a_surname_in_a_stressed_a_it_cannot_know():
    result = _unsure("Дюма", "Александр")
    assert "«Дюма»" in result.reason


def test_it_does_not_print_a_form_two_sets_of_rules_disagree_on():
    result = _unsure("Бонч-Бруевич", "Владимир", "Дмитриевич")
    assert "правила расходятся" in result.reason
    _unsure("Кравец", "Николай", "Петрович")


def test_it_does_not_decline_a_surname_of_the_other_sex():
    result = _unsure("Иванов", "Анна", "Петровна")
    assert "похожа на мужскую" in result.reason
    _unsure("Иванова", "Пётр", "Петрович")
    _unsure("Толстая", "Лев", "Николаевич")


def test_it_does_not_decline_a_patronymic_it_does_not_know():
    result = _unsure("Иванов", "Иван", "Джонсон")
    assert "отчества «Джонсон»" in result.reason


def test_it_does_not_decline_a_womans_name_in_a_soft_sign_it_does_not_know():
    _unsure("Сафина", "Гульсибель", "Ринатовна")


def test_it_does_not_decline_a_name_that_is_not_a_russian_word():
    _unsure("Иванов2", "Иван", "Иванович")
    _unsure("Smith", "John", "", sex="m")
    _unsure("О'Нил", "Мэри", "", sex="f")
    _unsure("Иванов", "Иван", "Иванович-")


# Positions --------------------------------------------------------------------------------

POSITIONS = [
    ("учитель", "учителя", "учителю", "учителя", "учителем"),
    ("учитель математики", "учителя математики", "учителю математики", "учителя математики", "учителем математики"),
    (
        "учитель начальных классов",
        "учителя начальных классов",
        "учителю начальных классов",
        "учителя начальных классов",
        "учителем начальных классов",
    ),
    ("методист", "методиста", "методисту", "методиста", "методистом"),
    ("педагог-психолог", "педагога-психолога", "педагогу-психологу", "педагога-психолога", "педагогом-психологом"),
    (
        "социальный педагог",
        "социального педагога",
        "социальному педагогу",
        "социального педагога",
        "социальным педагогом",
    ),
    (
        "заместитель директора по УВР",
        "заместителя директора по УВР",
        "заместителю директора по УВР",
        "заместителя директора по УВР",
        "заместителем директора по УВР",
    ),
    (
        "заместитель директора по воспитательной работе",
        "заместителя директора по воспитательной работе",
        "заместителю директора по воспитательной работе",
        "заместителя директора по воспитательной работе",
        "заместителем директора по воспитательной работе",
    ),
    ("директор", "директора", "директору", "директора", "директором"),
    (
        "советник директора по воспитанию",
        "советника директора по воспитанию",
        "советнику директора по воспитанию",
        "советника директора по воспитанию",
        "советником директора по воспитанию",
    ),
    (
        "педагог дополнительного образования",
        "педагога дополнительного образования",
        "педагогу дополнительного образования",
        "педагога дополнительного образования",
        "педагогом дополнительного образования",
    ),
    ("старший вожатый", "старшего вожатого", "старшему вожатому", "старшего вожатого", "старшим вожатым"),
    ("старшая вожатая", "старшей вожатой", "старшей вожатой", "старшую вожатую", "старшей вожатой"),
    (
        "начальник управления образования",
        "начальника управления образования",
        "начальнику управления образования",
        "начальника управления образования",
        "начальником управления образования",
    ),
    (
        "главный специалист",
        "главного специалиста",
        "главному специалисту",
        "главного специалиста",
        "главным специалистом",
    ),
    (
        "ведущий специалист",
        "ведущего специалиста",
        "ведущему специалисту",
        "ведущего специалиста",
        "ведущим специалистом",
    ),
    ("учитель-логопед", "учителя-логопеда", "учителю-логопеду", "учителя-логопеда", "учителем-логопедом"),
    (
        "педагог-организатор",
        "педагога-организатора",
        "педагогу-организатору",
        "педагога-организатора",
        "педагогом-организатором",
    ),
    (
        "классный руководитель",
        "классного руководителя",
        "классному руководителю",
        "классного руководителя",
        "классным руководителем",
    ),
    (
        "заведующий библиотекой",
        "заведующего библиотекой",
        "заведующему библиотекой",
        "заведующего библиотекой",
        "заведующим библиотекой",
    ),
    ("медицинская сестра", "медицинской сестры", "медицинской сестре", "медицинскую сестру", "медицинской сестрой"),
    ("тьютор", "тьютора", "тьютору", "тьютора", "тьютором"),
    (
        "руководитель центра «Точка роста»",
        "руководителя центра «Точка роста»",
        "руководителю центра «Точка роста»",
        "руководителя центра «Точка роста»",
        "руководителем центра «Точка роста»",
    ),
    (
        "преподаватель-организатор ОБЗР",
        "преподавателя-организатора ОБЗР",
        "преподавателю-организатору ОБЗР",
        "преподавателя-организатора ОБЗР",
        "преподавателем-организатором ОБЗР",
    ),
    ("Директор", "Директора", "Директору", "Директора", "Директором"),
]


@pytest.mark.parametrize(
    ("position", "case_name", "expected"),
    [
        pytest.param(row[0], case_name, form, id=f"{row[0]}-{case_name}")
        for row in POSITIONS
        for case_name, form in zip(CASE_NAMES, row[1:], strict=True)
    ],
)
def test_it_declines_the_head_of_a_position(position, case_name, expected):
    result = decline_position(position, Case[case_name.upper()])
    assert result.text == expected
    assert result.confident


def test_it_keeps_a_position_in_the_nominative_as_written():
    assert decline_position(" учитель  математики ", Case.NOMINATIVE).text == "учитель математики"


def test_it_does_not_decline_a_position_it_does_not_know():
    result = decline_position("эдьюкейтор", Case.DATIVE)
    assert not result.confident
    assert result.text == "эдьюкейтор"
    assert result.case is Case.NOMINATIVE
    assert result.reason == "Не удалось определить склонение должности «эдьюкейтор»: проверьте падеж вручную."


def test_it_declines_each_position_of_a_list():
    result = decline_position("учитель, классный руководитель", Case.DATIVE)
    assert result.text == "учителю, классному руководителю"
    assert not decline_position("учитель, эдьюкейтор", Case.DATIVE).confident


@pytest.mark.parametrize("position", ["и. о. директора", "и.о. директора", "врио начальника управления образования"])
def test_it_keeps_an_acting_position_as_written(position):
    result = decline_position(position, Case.DATIVE)
    assert result.text == position
    assert result.confident


def test_it_does_not_decline_an_abbreviation_for_a_position():
    assert not decline_position("ГИА", Case.GENITIVE).confident


# Pupils -----------------------------------------------------------------------------------


@pytest.mark.parametrize("class_name", ["9А", "9 А", "9-А", "9а", "9 «А»", '9"А"', "9А класс"])
def test_it_reads_the_class_every_way_it_is_written(class_name):
    assert pupil_description(class_name, Case.GENITIVE).text == f"обучающегося 9{NBSP}«А» класса"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (Case.NOMINATIVE, "обучающийся"),
        (Case.GENITIVE, "обучающегося"),
        (Case.DATIVE, "обучающемуся"),
        (Case.ACCUSATIVE, "обучающегося"),
        (Case.INSTRUMENTAL, "обучающимся"),
    ],
)
def test_it_declines_the_pupil_as_an_adjective(case, expected):
    assert pupil_description("11Б", case).text == f"{expected} 11{NBSP}«Б» класса"


def test_it_declines_a_girl_as_obuchayushchayasya():
    assert pupil_description("7В", Case.ACCUSATIVE, sex="F").text == f"обучающуюся 7{NBSP}«В» класса"
    assert pupil_description("7В", Case.DATIVE, sex="F").text == f"обучающейся 7{NBSP}«В» класса"


def test_it_prints_a_class_without_a_letter():
    assert pupil_description("10", Case.DATIVE).text == "обучающемуся 10 класса"


def test_it_does_not_guess_a_class_it_cannot_read():
    result = pupil_description("ТМ-21", Case.GENITIVE)
    assert not result.confident
    assert "«ТМ-21»" in result.reason


# Initials ---------------------------------------------------------------------------------


def test_it_puts_the_initials_before_the_surname_with_no_break_spaces():
    assert initials_before("Гаврилова", "Светлана", "Владимировна") == f"С.{NBSP}В.{NBSP}Гаврилова"


def test_it_puts_the_initials_after_the_surname():
    assert initials_after("Гаврилова", "Светлана", "Владимировна") == f"Гаврилова С.{NBSP}В."


def test_it_prints_initials_without_a_patronymic_and_of_a_double_name():
    assert initials_before("Дюбуа", "Мари", "") == f"М.{NBSP}Дюбуа"
    assert initials("Анна-Мария", "") == "А.-М."
    assert initials_after("Гаврилова", "", "") == "Гаврилова"
