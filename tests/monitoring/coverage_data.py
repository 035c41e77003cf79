"""Hand-built pairs for the coverage form of seed 003: each case of issue 9's «Done means» is a
person or a pair whose birthday, experience, membership or status sits exactly on a boundary.

The period is the academic year 2025/2026 (1 September 2025 – 31 August 2026), the reference date
1 September 2025. `expected` says, figure by figure and form by form, what school A, school B and
the municipality's total must show, and why.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from core.testing.factories import OrganizationFactory, PersonFactory, TeacherFactory
from mentorship.models import ApprovalOrder, Pair, PairMember, PairStatus
from registry.choices import BaseRole, FormCode, OrganizationKind, PersonCategory
from registry.models import MentorshipForm, Organization, Person, years_ago

START = datetime.date(2025, 9, 1)
END = datetime.date(2026, 8, 31)
ON = START
D = datetime.date
PAIR_START, PAIR_END = D(2025, 9, 1), D(2026, 5, 31)

SS = FormCode.STUDENT_STUDENT.value
TT = FormCode.TEACHER_TEACHER.value
US = FormCode.UNDERGRADUATE_STUDENT.value
ES = FormCode.EMPLOYER_STUDENT.value


def student(organization, name: str, *, age_on: int, day_offset: int = 0, category=PersonCategory.STUDENT) -> Person:
    """A learner who turns `age_on` on ON shifted by `day_offset` days (+1: the birthday is the
    day after ON, so on ON they are a year younger)."""
    birth = years_ago(age_on, ON) + datetime.timedelta(days=day_offset)
    return PersonFactory(organization=organization, last_name=name, birth_date=birth, category=category)


def teacher(organization, name: str, *, years_on: int | None, day_offset: int = 0) -> Person:
    since = None if years_on is None else years_ago(years_on, ON) + datetime.timedelta(days=day_offset)
    return TeacherFactory(organization=organization, last_name=name, teaching_since=since)


def employer(partner: Organization, name: str) -> Person:
    return PersonFactory(
        organization=partner,
        last_name=name,
        category=PersonCategory.EMPLOYER,
        birth_date=D(1985, 3, 3),
        class_name="",
    )


def make_pair(
    organization,
    form: str,
    members: list[tuple[Person, str, datetime.date, datetime.date | None]],
    *,
    status: str = PairStatus.ACTIVE,
    start: datetime.date = PAIR_START,
    end: datetime.date = PAIR_END,
    ended_on: datetime.date | None = None,
) -> Pair:
    """A pair with its memberships as given: (person, role, joined_on, left_on)."""
    order = None
    if status != PairStatus.DRAFT:
        order, _ = ApprovalOrder.objects.get_or_create(organization=organization, number="12-о", date=start)
    mentor = next(person for person, role, *_ in members if role == BaseRole.MENTOR)
    pair = Pair.objects.create(
        organization=organization,
        form=MentorshipForm.objects.get(code=form),
        mentor=mentor,
        start_on=start,
        end_on=end,
        ended_on=ended_on,
        status=status,
        order=order,
    )
    for person, role, joined, left in members:
        PairMember.objects.create(pair=pair, person=person, role=role, joined_on=joined, left_on=left)
    return pair


MENTOR, MENTEE = BaseRole.MENTOR, BaseRole.MENTEE


@dataclass
class CoverageCase:
    school_a: Organization
    school_b: Organization
    partner: Organization
    #: {figure: {form: n}} where not zero, for school A, school B and the total.
    expected_a: dict = field(default_factory=dict)
    expected_b: dict = field(default_factory=dict)
    expected_total: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)  # {(school, figure, form): the last names counted}


def make_coverage_case(world) -> CoverageCase:
    a, b = world.school_a, world.school_b
    partner = OrganizationFactory(
        municipality=world.municipality, kind=OrganizationKind.PARTNER, short_name="ООО «Завод»"
    )
    # --- Ученик – ученик in school A: ages on the boundaries ------------------------------------
    mentor_15 = student(a, "Наставник15", age_on=15)  # 15 today: counts
    mentor_14 = student(a, "Наставник14", age_on=15, day_offset=1)  # turns 15 tomorrow: 14
    mentor_19 = student(a, "Наставник19", age_on=19)  # 19 today: out
    mentee_10 = student(a, "Ученик10", age_on=10)  # 10 today: counts
    mentee_9 = student(a, "Ученик9", age_on=10, day_offset=1)  # 9: out
    mentee_18 = student(a, "Ученик18", age_on=19, day_offset=1)  # turns 19 tomorrow: 18, counts
    mentee_19 = student(a, "Ученик19", age_on=19)  # 19 today: out
    mentee_left = student(a, "Выбывший", age_on=12)  # left the group in the period: counts
    mentee_left_before = student(a, "ВыбылДо", age_on=12)  # left before the period: out
    make_pair(
        a,
        SS,
        [
            (mentor_15, MENTOR, D(2025, 1, 10), None),
            (mentor_14, MENTOR, D(2025, 1, 10), None),
            (mentor_19, MENTOR, D(2025, 1, 10), None),
            (mentee_10, MENTEE, D(2025, 1, 10), None),
            (mentee_9, MENTEE, D(2025, 1, 10), None),
            (mentee_18, MENTEE, D(2025, 1, 10), None),
            (mentee_19, MENTEE, D(2025, 1, 10), None),
            (mentee_left, MENTEE, D(2025, 1, 10), D(2025, 10, 15)),
            (mentee_left_before, MENTEE, D(2025, 1, 10), D(2025, 8, 31)),
        ],
        start=D(2025, 1, 10),
    )
    # A replaced mentor: the first mentored until November, the second since; both count.
    replaced = student(a, "Заменённый", age_on=16)
    replacing = student(a, "Заменивший", age_on=17)
    make_pair(
        a,
        SS,
        [
            (replaced, MENTOR, D(2025, 9, 1), D(2025, 11, 1)),
            (replacing, MENTOR, D(2025, 11, 2), None),
            (mentee_10, MENTEE, D(2025, 9, 1), None),  # the same mentee in a second pair: once
        ],
    )
    # A draft never counts; a pair that ended (actually) before the period neither, though its
    # planned end is inside it; a pair that starts after the period neither.
    in_draft = student(a, "Черновик", age_on=13)
    ended_early = student(a, "Досрочно", age_on=13)
    too_late = student(a, "Позже", age_on=13)
    mentor_any = student(a, "НаставникВне", age_on=16)
    make_pair(
        a,
        SS,
        [(mentor_any, MENTOR, D(2025, 9, 1), None), (in_draft, MENTEE, D(2025, 9, 1), None)],
        status=PairStatus.DRAFT,
    )
    make_pair(
        a,
        SS,
        [(mentor_any, MENTOR, D(2025, 3, 1), None), (ended_early, MENTEE, D(2025, 3, 1), None)],
        status=PairStatus.TERMINATED,
        start=D(2025, 3, 1),
        end=D(2025, 12, 31),
        ended_on=D(2025, 6, 30),
    )
    make_pair(
        a,
        SS,
        [(mentor_any, MENTOR, D(2026, 9, 1), None), (too_late, MENTEE, D(2026, 9, 1), None)],
        status=PairStatus.APPROVED,
        start=D(2026, 9, 1),
        end=D(2027, 5, 31),
    )
    # A completed pair inside the period counts (completed is one of the statuses that count).
    completed_mentee = student(a, "Завершивший", age_on=11)
    make_pair(
        a,
        SS,
        [(replacing, MENTOR, D(2025, 9, 1), None), (completed_mentee, MENTEE, D(2025, 9, 1), None)],
        status=PairStatus.COMPLETED,
        end=D(2026, 3, 1),
        ended_on=D(2026, 2, 1),
    )

    # A membership that begins after its pair actually ended (the pair terminated in October):
    # the person's time and the pair's time never meet, so it does not count.
    after_end = student(a, "ПослеКонца", age_on=12)
    make_pair(
        a,
        SS,
        [(replacing, MENTOR, D(2025, 9, 1), None), (after_end, MENTEE, D(2025, 11, 1), None)],
        status=PairStatus.TERMINATED,
        ended_on=D(2025, 10, 1),
    )

    # --- Учитель – учитель in school A: experience on the boundaries ----------------------------
    t_mentor = teacher(a, "Опытная", years_on=20)
    young_3 = teacher(a, "Стаж3", years_on=3)  # exactly 3 full years today: counts
    young_4 = teacher(a, "Стаж4", years_on=4)  # 4 today: out
    young_4_tomorrow = teacher(a, "Стаж4Завтра", years_on=4, day_offset=1)  # 3 until tomorrow: counts
    young_0 = teacher(a, "Стаж0", years_on=0)  # began today: counts
    not_yet = teacher(a, "НеНачал", years_on=0, day_offset=1)  # begins tomorrow: out
    unknown = teacher(a, "БезСтажа", years_on=None)  # no date: out
    make_pair(
        a,
        TT,
        [(t_mentor, MENTOR, D(2025, 9, 1), None)]
        + [(p, MENTEE, D(2025, 9, 1), None) for p in (young_3, young_4, young_4_tomorrow, young_0, not_yet, unknown)],
    )

    # --- Студент – ученик in school A: an 18-year-old undergraduate mentor counts, a 19-year-old not
    u18 = student(a, "Студент18", age_on=18, category=PersonCategory.UNDERGRADUATE)
    u19 = student(a, "Студент19", age_on=19, category=PersonCategory.UNDERGRADUATE)
    us_mentee = student(a, "УченикСтудента", age_on=14)
    make_pair(a, US, [(u18, MENTOR, D(2025, 9, 1), None), (us_mentee, MENTEE, D(2025, 9, 1), None)])
    make_pair(a, US, [(u19, MENTOR, D(2025, 9, 1), None), (us_mentee, MENTEE, D(2025, 9, 1), None)])

    # --- Работодатель – ученик: one enterprise in two schools; a shared mentee ------------------
    e1, e2 = employer(partner, "Инженер"), employer(partner, "Технолог")
    shared = student(a, "ОбщийУченик", age_on=16)
    b_mentee = student(b, "УченикБ", age_on=15)
    make_pair(a, ES, [(e1, MENTOR, D(2025, 9, 1), None), (shared, MENTEE, D(2025, 9, 1), None)])
    make_pair(
        b,
        ES,
        [
            (e2, MENTOR, D(2025, 9, 1), None),
            (b_mentee, MENTEE, D(2025, 9, 1), None),
            (shared, MENTEE, D(2025, 9, 1), None),
        ],
    )

    expected_a = {
        "mentees_10_18": {SS: 3, US: 1, ES: 1},  # Ученик10, Ученик18, Выбывший (+Завершивший below)
        "mentors_15_18": {SS: 3, US: 1},  # Наставник15, Заменённый, Заменивший; Студент18
        "young_teachers": {TT: 3},  # Стаж3, Стаж4Завтра, Стаж0
        "enterprises": {ES: 1},
    }
    expected_a["mentees_10_18"][SS] += 1  # Завершивший
    expected_b = {"mentees_10_18": {ES: 2}, "enterprises": {ES: 1}}
    expected_total = {
        "mentees_10_18": {SS: 4, US: 1, ES: 2},  # ОбщийУченик once, УченикБ
        "mentors_15_18": {SS: 3, US: 1},
        "young_teachers": {TT: 3},
        "enterprises": {ES: 1},  # one enterprise in two schools: once
    }
    names = {
        (a.pk, "mentees_10_18", SS): {"Ученик10", "Ученик18", "Выбывший", "Завершивший"},
        (a.pk, "mentors_15_18", SS): {"Наставник15", "Заменённый", "Заменивший"},
        (a.pk, "young_teachers", TT): {"Стаж3", "Стаж4Завтра", "Стаж0"},
        (a.pk, "mentors_15_18", US): {"Студент18"},
        (b.pk, "mentees_10_18", ES): {"УченикБ", "ОбщийУченик"},
    }
    return CoverageCase(a, b, partner, expected_a, expected_b, expected_total, names)


def full(expected: dict) -> dict:
    """Expected figures with every zero filled in: {figure: {form: n}} for all 4 × 4."""
    from monitoring.coverage import empty_figures

    figures = empty_figures()
    for figure, forms in expected.items():
        figures[figure].update(forms)
    return figures
