"""The import of pairs and groups (mentorship.importers.PairImporter): one row a mentee, groups by
number, drafts by `pair_save`'s rules and pairs approved by order by `pairs_approve`'s (Положение
§3.4–3.6), every refusal by row and column, all or nothing, a second import that changes nothing,
the scope, the template and the command.

«Глава школы» (`head`) is curator and director of school A: only a director approves (§3.6), so
only they import rows with an order; the curator imports drafts."""

from __future__ import annotations

import datetime
import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.importing import Plan, read_table, run_import
from core.models import AuditEntry, ImportJob, RoleAssignment
from core.russian import typeset
from core.testing.factories import (
    MenteeRecordFactory,
    MentorRecordFactory,
    PersonFactory,
    TeacherFactory,
    user_with_role,
)
from mentorship import services
from mentorship.importers import PairImporter
from mentorship.models import ApprovalOrder, EventKind, Pair, PairEvent, PairMember, PairStatus
from registry.choices import FormCode, PersonCategory
from registry.models import MentorshipForm, RoleModel, years_ago
from tests.mentorship.helpers import (
    approved,
    draft,
    employer_mentor,
    form,
    give_consents,
    pupil,
    teacher_mentor,
    young_teacher,
)

TODAY = timezone.localdate()
START = TODAY + datetime.timedelta(days=7)
END = START + datetime.timedelta(days=270)
HEADER = [
    *("ФИО наставника", "Дата рождения наставника", "Организация наставника", "ФИО наставляемого"),
    *("Дата рождения наставляемого", "Форма наставничества", "Ролевая модель", "Дата начала", "Дата окончания"),
    *("Номер группы", "Номер приказа", "Дата приказа"),
]
SCHOOL_A = typeset("МБОУ «СОШ № 1»")
STUDENTS = "Ученик – ученик"
TEACHERS = "Учитель – учитель"


def _d(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def row(mentor, mentee, *, form=STUDENTS, start=START, end=END, group="", number="", date=None, org="", model=""):
    """The cells of a row, people by their names and birth dates as the registry holds them."""
    return [
        mentor.full_name, _d(mentor.birth_date), org, mentee.full_name, _d(mentee.birth_date), form, model,
        _d(start), _d(end), group, number, _d(date),
    ]  # fmt: skip


def _csv(*rows, header=HEADER, encoding="utf-8") -> bytes:
    lines = [";".join(header), *(";".join(cells) for cells in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _import(user, content, *, organization, dry_run=False, name="Пары.csv"):
    return run_import(PairImporter(user=user, organization=organization), name=name, content=content, dry_run=dry_run)


def _errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def _stored():
    return {
        "pairs": Pair.objects.count(),
        "members": PairMember.objects.count(),
        "events": PairEvent.objects.count(),
        "orders": ApprovalOrder.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def head(world):
    """Curator and director of school A."""
    user = user_with_role(Role.CURATOR, world.school_a)
    RoleAssignment.objects.create(user=user, role=Role.DIRECTOR, organization=world.school_a)
    return user


@pytest.fixture
def people(world):
    a = world.school_a
    return {
        "petrov": teacher_mentor(
            a, last_name="Петров", first_name="Илья", middle_name="Сергеевич", birth_date=datetime.date(1990, 11, 2)
        ),
        "orlova": young_teacher(a, last_name="Орлова", first_name="Анна", middle_name="Павловна"),
        "sokolova": pupil(a, age=16, role="mentor", last_name="Соколова", first_name="Мария", middle_name="Андреевна"),
        "kim": pupil(a, age=13, last_name="Ким", first_name="Виктор", middle_name=""),
        "belov": pupil(a, age=13, last_name="Белов", first_name="Даниил", middle_name=""),
    }


# Good files ----------------------------------------------------------------------------------------


def test_it_saves_drafts_and_a_group_through_the_services(world, people):
    p = people
    content = _csv(
        row(p["petrov"], p["orlova"], form="учитель-учитель", model="опытный педагог – молодой специалист"),
        row(p["sokolova"], p["kim"], group="1"),
        row(p["sokolova"], p["belov"], form="УЧЕНИК — УЧЕНИК", group="1"),
        encoding="cp1251",
    )
    result = _import(world.curator_a, content, organization=world.school_a)
    assert result.errors == []
    assert result.source["encoding"] == "cp1251"
    assert result.summary == {"rows": 3, "new": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert result.saved is True
    teachers, group = Pair.objects.order_by("pk")
    assert (teachers.form.code, teachers.role_model.name, teachers.mentor, teachers.status) == (
        FormCode.TEACHER_TEACHER,
        "опытный педагог – молодой специалист",
        p["petrov"],
        PairStatus.DRAFT,
    )
    assert (teachers.organization, teachers.start_on, teachers.end_on, teachers.order) == (
        world.school_a,
        START,
        END,
        None,
    )
    assert (group.form.code, group.mentor, group.status) == (FormCode.STUDENT_STUDENT, p["sokolova"], PairStatus.DRAFT)
    assert sorted(group.members.values_list("role", "person__last_name", "joined_on")) == [
        ("mentee", "Белов", START),
        ("mentee", "Ким", START),
        ("mentor", "Соколова", START),
    ]
    # pair_save's path: the draft's event and the journal lines of the curator.
    assert sorted(PairEvent.objects.values_list("pair_id", "kind")) == [
        (teachers.pk, EventKind.CREATED),
        (group.pk, EventKind.CREATED),
    ]
    assert AuditEntry.objects.filter(action="create", actor=world.curator_a, object_id=str(group.pk)).exists()


def test_it_approves_rows_with_an_order_and_sets_the_status_by_their_dates(world, people, head):
    p = people
    order = {"number": "15-од", "date": TODAY}
    content = _csv(
        row(p["petrov"], p["orlova"], form=TEACHERS, **order),
        row(p["sokolova"], p["kim"], start=TODAY - datetime.timedelta(days=30), **order),
        row(p["sokolova"], p["belov"], start=TODAY - datetime.timedelta(days=400), end=TODAY - datetime.timedelta(days=30), **order),
    )  # fmt: skip
    result = _import(head, content, organization=world.school_a)
    assert result.errors == []
    assert result.saved is True
    statuses = {pair.members.get(role="mentee").person.last_name: pair for pair in Pair.objects.all()}
    assert {name: pair.status for name, pair in statuses.items()} == {
        "Орлова": PairStatus.APPROVED,
        "Ким": PairStatus.ACTIVE,
        "Белов": PairStatus.COMPLETED,
    }
    order = ApprovalOrder.objects.get()
    assert (order.organization, order.number, order.date, order.created_by) == (world.school_a, "15-од", TODAY, head)
    assert set(Pair.objects.values_list("order", flat=True)) == {order.pk}
    assert statuses["Белов"].ended_on == statuses["Белов"].end_on
    # pairs_approve's path (_approve_one): the events of an approval, dated as it dates them.
    assert list(statuses["Белов"].events.order_by("pk").values_list("kind", "on")) == [
        (EventKind.CREATED, TODAY),
        (EventKind.APPROVED, TODAY),
        (EventKind.ACTIVATED, statuses["Белов"].start_on),
        (EventKind.COMPLETED, statuses["Белов"].end_on),
    ]
    assert list(statuses["Орлова"].events.order_by("pk").values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.APPROVED,
    ]


def test_it_reads_an_xlsx_with_excel_dates(world, people, head):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    p = people
    sheet.append(
        [
            p["sokolova"].full_name, p["sokolova"].birth_date, None, p["kim"].full_name,
            datetime.datetime.combine(p["kim"].birth_date, datetime.time()), "Ученик – ученик",
            "успевающий – неуспевающий", START, END, 7, "15-од", TODAY,
        ]
    )  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    result = _import(head, buffer.getvalue(), organization=world.school_a, name="Пары.xlsx")
    assert result.errors == []
    assert Pair.objects.get().status == PairStatus.APPROVED


def test_it_takes_a_mentor_from_a_partner_enterprise_of_the_municipality(world):
    mentor = employer_mentor(world.municipality)
    mentee = pupil(world.school_a, age=15, forms=(FormCode.EMPLOYER_STUDENT,))
    content = _csv(row(mentor, mentee, form="Работодатель – ученик", org="АО «Завод»"))
    result = _import(world.curator_a, content, organization=world.school_a)
    assert result.errors == []
    assert Pair.objects.get().mentor == mentor


def test_it_changes_nothing_when_the_same_file_is_imported_again(world, people, head):
    p = people
    content = _csv(
        row(p["petrov"], p["orlova"], form=TEACHERS),
        row(p["sokolova"], p["kim"], group="1", number="15-од", date=TODAY),
        row(p["sokolova"], p["belov"], group="1", number="15-од", date=TODAY),
    )
    assert _import(head, content, organization=world.school_a).saved is True
    before = _stored()
    again = _import(head, content, organization=world.school_a)
    assert again.errors == []
    assert again.summary == {"rows": 3, "new": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert _stored() == before
    # The curator's file without the order names the same pairs: unchanged too.
    unordered = _csv(row(p["sokolova"], p["kim"], group="1"), row(p["sokolova"], p["belov"], group="1"))
    assert _import(world.curator_a, unordered, organization=world.school_a).summary["unchanged"] == 2
    assert _stored() == before


def test_it_still_names_a_pair_whose_mentor_was_replaced(world, people, head):
    p = people
    pair = approved(organization=world.school_a, mentor=p["sokolova"], mentees=[p["kim"]], code=FormCode.STUDENT_STUDENT, start=TODAY - datetime.timedelta(days=10))  # fmt: skip
    other = pupil(world.school_a, age=17, role="mentor", last_name="Зорина", first_name="Ольга", middle_name="")
    services.pair_replace_mentor(pair=pair, mentor=other, on=TODAY, reason="request", comment="просьба", user=None)
    content = _csv(row(p["sokolova"], p["kim"], start=pair.start_on, end=pair.end_on))
    result = _import(world.curator_a, content, organization=world.school_a)
    assert result.summary == {"rows": 1, "new": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    assert Pair.objects.count() == 1


def test_it_checks_a_dry_run_the_same_way_and_saves_nothing(world, people, head):
    p = people
    content = _csv(row(p["sokolova"], p["kim"], number="15-од", date=TODAY))
    result = _import(head, content, organization=world.school_a, dry_run=True)
    assert result.errors == []
    assert result.summary == {"rows": 1, "new": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    assert result.saved is False
    assert _stored() == {"pairs": 0, "members": 0, "events": 0, "orders": 0, "audit": 0}


def test_it_saves_nothing_when_one_row_is_refused(world, people):
    p = people
    content = _csv(row(p["sokolova"], p["kim"]), row(p["petrov"], p["belov"], form=TEACHERS))
    result = _import(world.curator_a, content, organization=world.school_a)
    assert [e.row for e in result.errors] == [3, 3, 3]
    assert result.summary == {"rows": 2, "new": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert result.saved is False
    assert _stored()["pairs"] == 0


def test_it_lets_a_draft_go_without_consents(world):
    """A draft holds no place and needs no consent yet (pair_save); its approval needs them (§3.5)."""
    mentor = pupil(world.school_a, age=16, role="mentor", consents=False)
    mentee = pupil(world.school_a, age=13, consents=False)
    result = _import(world.curator_a, _csv(row(mentor, mentee)), organization=world.school_a)
    assert result.errors == []
    assert result.saved is True


# Every rule refusal as a row error -----------------------------------------------------------------


def test_it_refuses_an_approval_without_the_consents(world, head):
    mentor = pupil(world.school_a, age=16, role="mentor")
    mentee = pupil(world.school_a, age=13, consents=False, last_name="Ким", first_name="Виктор", middle_name="")
    result = _import(head, _csv(row(mentor, mentee, number="15-од", date=TODAY)), organization=world.school_a)
    assert _errors(result) == [
        (
            2,
            "ФИО наставляемого",
            "Нет согласия: Ким В. — письменное согласие на участие в наставничестве; согласие родителя (законного "
            "представителя). Внесите согласие в карточке человека (п. 3.5 Положения: наставничество только с "
            "письменного согласия).",
        )
    ]
    assert result.saved is False


def test_it_refuses_a_fourth_mentee_counting_the_pairs_in_the_portal_and_in_the_file(world, people, head):
    p = people
    for name in ("Белова", "Чернова"):
        approved(organization=world.school_a, mentor=p["petrov"], mentees=[young_teacher(world.school_a, last_name=name)])  # fmt: skip
    third, fourth = young_teacher(world.school_a, last_name="Зеленова"), young_teacher(world.school_a, last_name="Серова")  # fmt: skip
    order = {"form": TEACHERS, "number": "16-од", "date": TODAY}
    result = _import(head, _csv(row(p["petrov"], third, **order), row(p["petrov"], fourth, **order)), organization=world.school_a)  # fmt: skip
    assert _errors(result) == [
        (
            3,
            "ФИО наставника",
            "Наставник Петров И. С. уже ведёт 3 наставляемых, а наставляемых у одного наставника не больше 3 "
            "одновременно (п. 3.4 Положения); свободно мест: 0, нужно: 1. Выберите другого наставника или завершите "
            "одну из его пар. Считая пары этого файла: строки 2.",
        )
    ]
    assert _stored()["pairs"] == 2


def test_it_refuses_a_fourth_mentee_within_the_file_and_a_group_of_four(world, people, head):
    p = people
    mentees = [p["kim"], p["belov"], *(pupil(world.school_a, age=12, last_name=n) for n in ("Носов", "Котов"))]
    order = {"number": "15-од", "date": TODAY}
    result = _import(head, _csv(*(row(p["sokolova"], m, **order) for m in mentees)), organization=world.school_a)
    assert [(e.row, e.column) for e in result.errors] == [(5, "ФИО наставника")]
    assert result.errors[0].message.endswith("свободно мест: 0, нужно: 1. Выберите другого наставника или завершите одну из его пар. Считая пары этого файла: строки 2, 3, 4.")  # fmt: skip
    group = _csv(*(row(p["sokolova"], m, group="1", **order) for m in mentees))
    result = _import(head, group, organization=world.school_a)
    assert [(e.row, e.column) for e in result.errors] == [(n, "ФИО наставника") for n in (2, 3, 4, 5)]
    assert "свободно мест: 3, нужно: 4." in result.errors[0].message
    # Drafts hold no place (§3.4 counts pairs at work): the curator may prepare them all.
    assert _import(world.curator_a, _csv(*(row(p["sokolova"], m) for m in mentees)), organization=world.school_a).saved


def test_it_counts_only_the_files_pairs_that_are_live_by_their_dates(world, people, head):
    """Orders are applied in the order of their dates, as pairs_import_save runs them: last
    year's pairs are completed and hold no place in this year's."""
    p = people
    mentees = [p["kim"], p["belov"], *(pupil(world.school_a, age=12, last_name=n) for n in ("Носов", "Котов"))]
    last_year = {"start": TODAY - datetime.timedelta(days=400), "end": TODAY - datetime.timedelta(days=40)}
    old = [row(p["sokolova"], m, number="3-од", date=TODAY - datetime.timedelta(days=401), **last_year) for m in mentees[:3]]  # fmt: skip
    new = [row(p["sokolova"], m, number="15-од", date=TODAY) for m in mentees[1:]]
    result = _import(head, _csv(*new, *old), organization=world.school_a)
    assert result.errors == []
    assert result.saved is True
    assert (
        sorted(Pair.objects.values_list("status", flat=True)) == [PairStatus.APPROVED] * 3 + [PairStatus.COMPLETED] * 3
    )


def test_it_refuses_a_form_the_mentee_is_not_of(world, people):
    result = _import(world.curator_a, _csv(row(people["petrov"], people["kim"], form=TEACHERS)), organization=world.school_a)  # fmt: skip
    assert (2, "ФИО наставляемого", "Форма «Учитель – учитель»: наставляемым в ней может быть только педагог, а Ким Виктор — обучающийся.") in _errors(result)  # fmt: skip
    assert {column for _, column, _ in _errors(result)} == {"ФИО наставляемого"}


def test_it_refuses_a_thirteen_year_old_mentor_of_student_student(world):
    young = PersonFactory(
        organization=world.school_a, last_name="Юнов", first_name="Пётр", middle_name="",
        birth_date=years_ago(13, TODAY) - datetime.timedelta(days=30),
    )  # fmt: skip
    MentorRecordFactory(person=young).forms.set([form(FormCode.STUDENT_STUDENT)])
    mentee = pupil(world.school_a, age=11)
    result = _import(world.curator_a, _csv(row(young, mentee)), organization=world.school_a)
    assert _errors(result) == [
        (
            2,
            "ФИО наставника",
            "Форма «Ученик – ученик»: наставником в ней может быть обучающийся старшей ступени, от 15 лет, а "
            "Юнов Пётр — 13 лет.",
        )
    ]


def test_it_refuses_a_pupil_of_the_school_as_the_mentor_of_an_employer_form(world, people):
    mentee = pupil(world.school_a, age=15, forms=(FormCode.EMPLOYER_STUDENT,))
    result = _import(world.curator_a, _csv(row(people["petrov"], mentee, form="Работодатель – ученик")), organization=world.school_a)  # fmt: skip
    assert (
        2,
        "ФИО наставника",
        f"Форма «Работодатель – ученик»: наставник — представитель предприятия-партнёра, а Петров И. С. из «{SCHOOL_A}». "
        "Выберите наставника из базы предприятий-партнёров.",
    ) in _errors(result)


def test_it_refuses_a_mentor_it_cannot_find(world, people):
    stranger = PersonFactory.build(last_name="Никто", first_name="Никак", middle_name="", birth_date=datetime.date(1980, 1, 1))  # fmt: skip
    result = _import(world.curator_a, _csv(row(stranger, people["kim"])), organization=world.school_a)
    assert _errors(result) == [
        (
            2,
            "ФИО наставника",
            f"Наставник Никто Никак, 01.01.1980, не найден среди доступных вам людей «{SCHOOL_A}». Сначала загрузите "
            "людей и базу наставников — или проверьте ФИО, дату рождения и «Организацию наставника».",
        )
    ]


def test_it_refuses_a_mentee_it_cannot_find_and_one_of_another_school(world, people):
    lebedev = pupil(world.school_b, age=13, last_name="Лебедев", first_name="Павел", middle_name="")
    result = _import(world.coordinator, _csv(row(people["sokolova"], lebedev)), organization=world.school_a)
    assert _errors(result) == [
        (
            2,
            "ФИО наставляемого",
            f"Наставляемый Лебедев Павел, {_d(lebedev.birth_date)}, не найден среди людей «{SCHOOL_A}». Сначала "
            "загрузите людей и базу наставляемых — или проверьте ФИО и дату рождения.",
        )
    ]


def test_it_finds_no_mentor_in_a_school_the_curator_cannot_see(world, people):
    other = pupil(world.school_b, age=16, role="mentor", last_name="Лебедева", first_name="Анна", middle_name="")
    result = _import(world.curator_a, _csv(row(other, people["kim"], org="МБОУ «СОШ № 2»")), organization=world.school_a)  # fmt: skip
    assert _errors(result) == [
        (
            2,
            "ФИО наставника",
            f"Наставник Лебедева Анна, {_d(other.birth_date)}, не найден среди доступных вам людей "
            f"«{typeset('МБОУ «СОШ № 2»')}». Сначала загрузите людей и базу наставников — или проверьте ФИО, дату "
            "рождения и «Организацию наставника».",
        )
    ]


def test_it_refuses_a_mentors_organization_of_another_municipality_or_unknown(world, people):
    p = people
    content = _csv(row(p["sokolova"], p["kim"], org="МБОУ «Устюженская СОШ»"), row(p["sokolova"], p["belov"], org="Лицей № 99"))  # fmt: skip
    result = _import(world.curator_a, content, organization=world.school_a)
    assert _errors(result) == [
        (
            2,
            "Организация наставника",
            "Организация «МБОУ «Устюженская СОШ»» — не из муниципалитета «город Назарово»: наставник пары должен "
            "быть из организаций муниципалитета.",
        ),
        (
            3,
            "Организация наставника",
            "Организация «Лицей № 99» не найдена. Напишите её краткое наименование, как в портале.",
        ),
    ]


def test_it_refuses_a_group_whose_rows_disagree(world, people):
    p = people
    content = _csv(
        row(p["sokolova"], p["kim"], group="1"),
        row(p["petrov"], p["belov"], group="1"),
        row(p["sokolova"], p["orlova"], group="2", form=TEACHERS),
        row(p["sokolova"], p["belov"], group="2", end=END + datetime.timedelta(days=1)),
    )
    result = _import(world.curator_a, content, organization=world.school_a)
    assert _errors(result) == [
        (
            3,
            "ФИО наставника",
            "В группе «1» наставник — Соколова Мария Андреевна (строка 2), а здесь — Петров Илья Сергеевич: у группы "
            "один наставник. Исправьте строку или номер группы.",
        ),
        (
            5,
            "Форма наставничества",
            "В группе «2» форма — «Учитель – учитель» (строка 4), а здесь — «Ученик – ученик»: у группы одна форма. "
            "Исправьте строку или номер группы.",
        ),
    ]
    assert result.saved is False


def test_it_refuses_an_order_number_without_a_date_and_an_order_of_tomorrow(world, people, head):
    p = people
    tomorrow = TODAY + datetime.timedelta(days=1)
    content = _csv(row(p["sokolova"], p["kim"], number="15-од"), row(p["sokolova"], p["belov"], number="15-од", date=tomorrow))  # fmt: skip
    result = _import(head, content, organization=world.school_a)
    assert _errors(result) == [
        (
            2,
            "Дата приказа",
            "Укажите дату приказа. Или оставьте пустыми и номер, и дату приказа: пара загрузится черновиком.",
        ),
        (3, "Дата приказа", "Дата приказа не может быть в будущем: приказ уже подписан."),
    ]
    without_number = _csv(row(p["sokolova"], p["kim"], date=TODAY))
    assert _errors(_import(head, without_number, organization=world.school_a)) == [
        (
            2,
            "Номер приказа",
            "Укажите номер приказа, которым утверждаются пары (п. 3.6 Положения). Или оставьте пустыми и номер, и дату "
            "приказа: пара загрузится черновиком.",
        )
    ]


def test_it_refuses_an_order_to_anyone_but_the_director(world, people):
    """§3.6: pairs are approved by the director's order; the curator and the coordinator import drafts."""
    content = _csv(row(people["sokolova"], people["kim"], number="15-од", date=TODAY))
    for user in (world.curator_a, world.coordinator):
        assert _errors(_import(user, content, organization=world.school_a)) == [
            (
                2,
                "Номер приказа",
                f"Утверждает руководитель организации (п. 3.6 Положения): у вас нет роли руководителя «{SCHOOL_A}». "
                "Оставьте «Номер приказа» и «Дата приказа» пустыми: пары загрузятся черновиками, а руководитель "
                "утвердит их приказом в портале.",
            )
        ]
    assert _stored()["pairs"] == 0


def test_it_refuses_a_second_live_pair_of_a_form_in_the_portal_or_in_the_file(world, people, head):
    p = people
    live = approved(organization=world.school_a, mentor=p["sokolova"], mentees=[p["kim"]], code=FormCode.STUDENT_STUDENT)  # fmt: skip
    other = pupil(world.school_a, age=17, role="mentor", last_name="Зорина", first_name="Ольга", middle_name="")
    order = {"number": "16-од", "date": TODAY}
    content = _csv(
        row(other, p["kim"], start=START + datetime.timedelta(days=1), **order),
        row(other, p["belov"], **order),
        row(p["sokolova"], p["belov"], **order),
    )
    result = _import(head, content, organization=world.school_a)
    assert _errors(result) == [
        (
            2,
            "ФИО наставляемого",
            f"Ким В. уже в действующей паре № {live.pk} формы «Ученик – ученик»: у наставляемого одна пара каждой "
            "формы. Завершите ту пару или выберите другого наставляемого.",
        ),
        (
            4,
            "ФИО наставляемого",
            "Белов Д. уже в паре формы «Ученик – ученик» из строки 3 этого файла с тем же приказом: у наставляемого "
            "одна пара каждой формы. Оставьте одну из строк.",
        ),
    ]


def test_it_refuses_a_role_model_of_another_form_and_an_end_before_the_start(world, people):
    p = people
    content = _csv(
        row(p["petrov"], p["orlova"], form=TEACHERS, model="успевающий – неуспевающий"),
        row(p["sokolova"], p["kim"], end=START),
        row(p["sokolova"], p["belov"], model="самый главный"),
    )
    result = _import(world.curator_a, content, organization=world.school_a)
    models = ", ".join(RoleModel.objects.filter(form__code=FormCode.TEACHER_TEACHER).values_list("name", flat=True))
    students = ", ".join(RoleModel.objects.filter(form__code=FormCode.STUDENT_STUDENT).values_list("name", flat=True))
    assert _errors(result) == [
        (
            2,
            "Ролевая модель",
            f"Ролевая модель «успевающий – неуспевающий» не из формы «Учитель – учитель». Для этой формы: {models}.",
        ),
        (3, "Дата окончания", "Дата окончания должна быть позже даты начала."),
        (4, "Ролевая модель", f"Неизвестная ролевая модель «самый главный». Для этой формы: {students}."),
    ]


def test_it_names_unknown_forms_missing_cells_and_impossible_dates(world, people):
    p = people
    forms = "; ".join(MentorshipForm.objects.values_list("name", flat=True))
    cells = row(p["sokolova"], p["kim"], form="Родитель – ученик")
    cells[1], cells[7] = "", "31.02.2026"
    result = _import(world.curator_a, _csv(cells), organization=world.school_a)
    assert _errors(result) == [
        (2, "Дата рождения наставника", "Не указана дата рождения наставника: по ней наставник находится в реестре."),
        (2, "Дата начала", "Такой даты нет: «31.02.2026». Проверьте число и месяц."),
        (2, "Форма наставничества", f"Неизвестная форма наставничества «Родитель – ученик». Допустимо: {forms}."),
    ]


def test_it_refuses_a_row_written_twice_and_a_new_mentee_of_a_group_entered_already(world, people):
    p = people
    group = draft(organization=world.school_a, mentor=p["sokolova"], mentees=[p["kim"]], code=FormCode.STUDENT_STUDENT, start=START, end=END)  # fmt: skip
    content = _csv(
        row(p["sokolova"], p["kim"], group="1"),
        row(p["sokolova"], p["belov"], group="1"),
        row(p["petrov"], p["orlova"], form=TEACHERS),
        row(p["petrov"], p["orlova"], form="Учитель-учитель"),
    )
    result = _import(world.curator_a, content, organization=world.school_a)
    assert _errors(result) == [
        (
            3,
            "Номер группы",
            f"Группа «1» уже внесена в портал (пара № {group.pk}): добавить в неё наставляемого можно в карточке пары.",
        ),
        (5, "", "Повторяет строку 4: одна и та же пара записана дважды. Удалите одну из строк."),
    ]


# Scope ------------------------------------------------------------------------------------------------


def test_it_asks_a_coordinator_for_the_organization_and_imports_drafts_into_it(world, people):
    content = _csv(row(people["sokolova"], people["kim"]))
    result = _import(world.coordinator, content, organization=None)
    assert result.file_error == (
        "Выберите организацию, в которую загружаются пары: людей из файла портал ищет в ней по ФИО и дате рождения."
    )
    assert _import(world.coordinator, content, organization=world.school_a).saved is True
    assert Pair.objects.get().organization == world.school_a


def test_it_takes_the_curators_only_school_when_none_is_chosen(world, people):
    assert _import(world.curator_a, _csv(row(people["sokolova"], people["kim"])), organization=None).saved is True


# Speed: the check reads what the rules need once ----------------------------------------------------


def test_it_checks_any_number_of_rows_in_the_same_number_of_queries(world, head, django_assert_num_queries):
    mentors = [pupil(world.school_a, age=16, role="mentor", last_name=f"Наставник{i}") for i in range(10)]
    mentees = [pupil(world.school_a, age=12, last_name=f"Наставляемый{i}") for i in range(30)]
    rows = [row(mentors[i % 10], mentee, number="15-од", date=TODAY) for i, mentee in enumerate(mentees)]

    def check(importer, content):
        return run_import(importer, name="p.csv", content=content, dry_run=True)

    # Organizations, people by name, pairs by identity; people with records, forms and consents (4);
    # the mentors' loads and the mentees' live pairs.
    importer = PairImporter(user=head, organization=world.school_a)
    with django_assert_num_queries(9):
        assert check(importer, _csv(rows[0])).errors == []
    importer = PairImporter(user=head, organization=world.school_a)
    with django_assert_num_queries(9):
        result = check(importer, _csv(*rows))
    assert (result.errors, result.summary["new"]) == ([], 30)


# The save service ----------------------------------------------------------------------------------------


def test_the_save_refuses_a_pair_entered_while_the_file_was_checked(world, people):
    p = people
    importer = PairImporter(user=world.curator_a, organization=world.school_a)
    checked = run_import(importer, name="p.csv", content=_csv(row(p["sokolova"], p["kim"])), dry_run=True)
    assert checked.errors == []
    draft(organization=world.school_a, mentor=p["sokolova"], mentees=[p["kim"]], code=FormCode.STUDENT_STUDENT, start=START, end=END)  # fmt: skip
    pair = Pair(organization=world.school_a, form=form(FormCode.STUDENT_STUDENT), mentor=p["sokolova"], start_on=START, end_on=END)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.pairs_import_save(pairs=[(pair, [p["kim"]], None)], user=world.curator_a)
    assert refused.value.messages == [
        f"Пока файл проверялся, эти пары внёс кто-то другой (возможно, этот же файл загружается ещё раз): Ким В. "
        f"(наставник Соколова М. А., с {_d(START)}). Ничего не сохранено: загрузите файл заново — проверка покажет, "
        "что уже есть в портале."
    ]
    assert Pair.objects.count() == 1


def test_the_save_applies_pairs_approve_under_its_locks(world, people, head):
    """A refusal only the save sees (a consent withdrawn after the check) rolls back every pair."""
    p = people
    importer = PairImporter(user=head, organization=world.school_a)
    content = _csv(row(p["petrov"], p["orlova"], form=TEACHERS), row(p["sokolova"], p["kim"], number="15-од", date=TODAY))  # fmt: skip
    table = read_table("p.csv", content)
    mapping, _ = importer.find_header(table)
    plan = Plan()
    importer.check(importer.rows(table, mapping), plan, lambda done: None)
    assert plan.errors == []
    p["kim"].consents.update(withdrawn_on=TODAY)
    with pytest.raises(ValidationError) as refused:
        importer.save(plan)
    assert refused.value.messages[0].startswith("Пара № ")
    assert "Нет согласия: Ким В." in refused.value.messages[0]
    assert _stored()["pairs"] == 0  # the draft saved before the approval rolled back with it


# The template ----------------------------------------------------------------------------------------------

TEMPLATE_HEADER = [
    *("ФИО наставника *", "Дата рождения наставника *", "Организация наставника", "ФИО наставляемого *"),
    *("Дата рождения наставляемого *", "Форма наставничества *", "Ролевая модель", "Дата начала *"),
    *("Дата окончания *", "Номер группы", "Номер приказа", "Дата приказа"),
]


def _sheets(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book.worksheets}


def test_it_downloads_a_template_with_the_forms_and_role_models_of_the_database(client, world):
    client.force_login(world.curator_a)
    response = client.get(reverse("import_template", args=["pairs"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheets = _sheets(response.content)
    assert list(sheets) == ["Пары и группы", "Пояснения"]
    assert sheets["Пары и группы"][0] == TEMPLATE_HEADER
    assert len(sheets["Пары и группы"]) == 4  # the header and three example rows: a pair and a group of two
    explained = {row[0]: row for row in sheets["Пояснения"][1:] if row[0]}
    assert {h.removesuffix(" *") for h in TEMPLATE_HEADER} <= set(explained)
    assert explained["Форма наставничества"][3] == "; ".join(MentorshipForm.objects.values_list("name", flat=True))
    assert explained["Ролевая модель"][3].startswith(
        "Ученик – ученик: успевающий – неуспевающий, лидер – пассивный, равный – равному, адаптированный – "
        "неадаптированный; Учитель – учитель: опытный педагог – молодой специалист,"
    )
    assert explained["ФИО наставника"][1] == "да"
    assert "«Наставник»" in explained["ФИО наставника"][4]
    notes = [row[0] for row in sheets["Пояснения"] if row[0] and row[1] is None]
    assert any(note.startswith("Пара, которая уже есть в портале") for note in notes)


@pytest.fixture
def template_people(world):
    """The people the template's examples name, ready for their pairs."""
    a = world.school_a
    petrov = teacher_mentor(a, last_name="Петров", first_name="Илья", middle_name="Сергеевич", birth_date=datetime.date(1990, 11, 2))  # fmt: skip
    orlova = TeacherFactory(
        organization=a, last_name="Орлова", first_name="Анна", middle_name="Павловна",
        birth_date=datetime.date(1999, 9, 1), teaching_since=datetime.date(TODAY.year - 1, 9, 1),
    )  # fmt: skip
    MenteeRecordFactory(person=orlova).forms.set([form(FormCode.TEACHER_TEACHER)])
    sokolova = PersonFactory(organization=a, last_name="Соколова", first_name="Мария", middle_name="Андреевна", birth_date=datetime.date(2011, 3, 14))  # fmt: skip
    MentorRecordFactory(person=sokolova).forms.set([form(FormCode.STUDENT_STUDENT)])
    for last, first, born in (("Ким", "Виктор", datetime.date(2013, 5, 1)), ("Белов", "Даниил", datetime.date(2013, 1, 31))):  # fmt: skip
        person = PersonFactory(organization=a, last_name=last, first_name=first, middle_name="", birth_date=born, category=PersonCategory.STUDENT)  # fmt: skip
        MenteeRecordFactory(person=person).forms.set([form(FormCode.STUDENT_STUDENT)])
        give_consents(person)
    give_consents(sokolova)
    return petrov


def test_it_imports_its_template_as_downloaded_and_again_without_changes(client, world, head, template_people):
    client.force_login(head)
    content = client.get(reverse("import_template", args=["pairs"])).content
    result = _import(head, content, organization=world.school_a, name="шаблон.xlsx")
    assert result.errors == []
    assert result.summary == {"rows": 3, "new": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert result.saved is True
    teachers, group = Pair.objects.order_by("pk")
    assert teachers.status == PairStatus.DRAFT
    assert group.status == services.status_by_dates(group.start_on, group.end_on, TODAY)
    assert (group.order.number, group.members.filter(role="mentee").count()) == ("15-од", 2)
    again = _import(head, content, organization=world.school_a, name="шаблон.xlsx")
    assert again.summary == {"rows": 3, "new": 0, "updated": 0, "unchanged": 3, "rejected": 0}


# The page ------------------------------------------------------------------------------------------------


def test_it_shows_the_errors_of_an_upload_reports_them_and_saves_the_fixed_file(client, world, people):
    p = people
    client.force_login(world.curator_a)
    bad = _csv(row(p["sokolova"], p["kim"]), row(p["petrov"], p["belov"], form=TEACHERS, group="1"))

    def upload(content):
        file = SimpleUploadedFile("Пары.csv", content, "text/csv")
        client.post(reverse("import_start"), {"kind": "pairs", "organization": world.school_a.pk, "file": file})
        return ImportJob.objects.latest("pk")

    job = upload(bad)
    assert job.status == ImportJob.Status.REJECTED
    assert {(e["row"], e["column"]) for e in job.result["errors"]} == {(3, "ФИО наставляемого")}
    report = openpyxl.load_workbook(io.BytesIO(client.get(reverse("import_errors", args=[job.pk])).content)).active
    rows = [[cell.value for cell in line] for line in report.iter_rows()]
    assert rows[0][:3] == ["Ошибки", "Строка", "ФИО наставника"]
    assert rows[1][0] is None
    assert rows[2][0].startswith("ФИО наставляемого: ")
    job = upload(_csv(row(p["sokolova"], p["kim"]), row(p["sokolova"], p["belov"])))
    assert job.status == ImportJob.Status.CHECKED
    client.post(reverse("import_save", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Pair.objects.count() == 2


# The command -------------------------------------------------------------------------------------------------


def test_the_command_imports_pairs_with_their_order_and_prints_json(world, people, tmp_path):
    """The administrator's command acts as the system, which approves (as staff do)."""
    p = people
    path = tmp_path / "Пары.csv"
    path.write_bytes(_csv(row(p["sokolova"], p["kim"], number="15-од", date=TODAY), encoding="cp1251"))
    out = io.StringIO()
    call_command("import_data", "pairs", str(path), "--organization", str(world.school_a.pk), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "Строк: 1; новых: 1, обновится: 0, без изменений: 0, с ошибками: 0.",
        "Проверено, ничего не сохранено (--dry-run).",
    ]
    assert Pair.objects.count() == 0
    out = io.StringIO()
    call_command("import_data", "pairs", str(path), "--organization", str(world.school_a.pk), "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "kind": "pairs",
        "saved": True,
        "dry_run": False,
        "summary": {"rows": 1, "new": 1, "updated": 0, "unchanged": 0, "rejected": 0},
        "errors": [],
        "error_count": 0,
        "ignored_columns": [],
        "file_error": "",
        "source": {"name": "Пары.csv", "format": "csv", "encoding": "cp1251", "delimiter": ";"},
        "save_refused": False,
    }
    pair = Pair.objects.get()
    assert (pair.status, pair.order.number, pair.order.created_by) == (PairStatus.APPROVED, "15-од", None)


def test_the_command_prints_json_of_the_errors_and_fails(world, people, tmp_path):
    path = tmp_path / "Пары.csv"
    path.write_bytes(_csv(row(people["sokolova"], people["kim"], number="15-од")))
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_data", "pairs", str(path), "--organization", str(world.school_a.pk), "--json", stdout=out)
    assert failed.value.returncode == 1
    data = json.loads(out.getvalue())
    assert (data["saved"], data["error_count"]) == (False, 1)
    assert data["errors"][0]["column"] == "Дата приказа"
    assert Pair.objects.count() == 0
