"""Every number next to a noun agrees with it (ISSUE6 §5: «1 колледжей», «4 людей», «463 человек»)."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.russian import NBSP, plural_form
from core.testing.factories import PersonFactory, TeacherFactory

# The noun each summary line of load_demo counts, in its three forms: the test's own list, so a
# wrong form in the command cannot also be the expected one.
SUMMARY_NOUNS = {
    "школ": ("школа", "школы", "школ"),
    "колледж": ("колледж", "колледжа", "колледжей"),
    "предприят": ("предприятие-партнёр", "предприятия-партнёра", "предприятий-партнёров"),
    "обучающ": ("обучающийся", "обучающихся", "обучающихся"),
    "педагог": ("педагог", "педагога", "педагогов"),
    "студент": ("студент", "студента", "студентов"),
    "представител": ("представитель работодателя", "представителя работодателя", "представителей работодателей"),
    "запис": ("запись", "записи", "записей"),
    "соглас": ("согласие", "согласия", "согласий"),
    "строк": ("строка", "строки", "строк"),
    "человек": ("человек", "человека", "человек"),
    "пар": ("пара наставничества", "пары наставничества", "пар наставничества"),
    "черновик": ("черновик", "черновика", "черновиков"),
    "утверждён": ("утверждённая", "утверждённые", "утверждённых"),
    "действующ": ("действующая", "действующие", "действующих"),
    "завершён": ("завершённая", "завершённые", "завершённых"),
    "прекращён": ("прекращённая", "прекращённые", "прекращённых"),
    "групп": ("группа", "группы", "групп"),
    "приказ": ("приказ", "приказа", "приказов"),
    "встреч": ("встреча", "встречи", "встреч"),
    "ежемесячн": ("ежемесячный отчёт", "ежемесячных отчёта", "ежемесячных отчётов"),
    "итогов": ("итоговый отчёт", "итоговых отчёта", "итоговых отчётов"),
    "поощрени": ("поощрение", "поощрения", "поощрений"),
    "практик": ("практика", "практики", "практик"),
    "дорожн": ("дорожная карта", "дорожные карты", "дорожных карт"),
    "пункт": ("пункт", "пункта", "пунктов"),
    "отмет": ("отметка об исполнении пункта", "отметки об исполнении пунктов", "отметок об исполнении пунктов"),
    "сбор": ("сбор информации", "сбора информации", "сборов информации"),
    "ответ": ("ответ школы принят", "ответа школ принято", "ответов школ принято"),
    "документ": ("документ пакета представлен", "документа пакета представлено", "документов пакета представлено"),
}


@pytest.mark.django_db
def test_it_puts_every_count_of_the_demo_summary_in_its_form():
    out = StringIO()
    call_command("load_demo", "--scale", "0.1", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if re.match(r"^\s+\d", line)]
    assert len(lines) == 34  # the registry's 14, the pairs' 13, the roadmaps' 4, the campaigns' 3
    assert "людей" not in out.getvalue()
    checked = 0
    for line in lines:
        number_text, text = re.match(r"^\s+([\d\xa0]+)\s+(.*)$", line).groups()
        number = int(number_text.replace(NBSP, ""))
        if text.startswith("из них"):
            continue  # «из них со стажем 0–3 года»: no noun follows the number
        stem = next(stem for stem in SUMMARY_NOUNS if text.startswith(stem))
        expected = plural_form(number, SUMMARY_NOUNS[stem])
        assert text.startswith(expected), (line, expected)
        checked += 1
    assert checked >= 32
    # At a tenth of the size there is one college: «1 колледж», never «1 колледжей».
    assert re.search(r"\b1\s+колледж \(СПО\)", out.getvalue())


@pytest.mark.django_db
def test_it_says_a_persons_age_and_experience_in_the_right_form(client, world):
    today = timezone.localdate()
    student = PersonFactory(organization=world.school_a, birth_date=today.replace(year=today.year - 21))
    teacher = TeacherFactory(
        organization=world.school_a,
        birth_date=datetime.date(1980, 5, 17),
        teaching_since=today.replace(year=today.year - 2) - datetime.timedelta(days=1),
    )
    client.force_login(world.curator_a)
    html = client.get(student.get_absolute_url()).content.decode()
    assert "(21 год)" in html
    assert "21 лет" not in html
    html = client.get(teacher.get_absolute_url()).content.decode()
    assert "(2 полных года)" in html
    assert "полн. лет" not in html


@pytest.mark.django_db
def test_it_labels_the_figures_of_an_organization_in_their_form(client, world):
    for _ in range(3):
        PersonFactory(organization=world.school_a)
    client.force_login(world.curator_a)
    html = client.get(world.school_a.get_absolute_url()).content.decode()
    figure = re.search(r'<div class="stat">([^<]*)</div><div class="stat-label">([^<]*)</div>', html)
    assert figure.groups() == ("3", "человека")
