"""Indicators' test data: hand-built pairs in the academic year 2023/2024 with contingents, targets
of the municipality and of school A; and the hook that gives the `world` of the page tests its
targets (tests/core/page_data.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.testing.factories import ContingentFactory, OrganizationFactory, PersonFactory, TeacherFactory
from mentorship.models import ApprovalOrder, Pair, PairMember, PairStatus
from monitoring.choices import Indicator
from monitoring.models import IndicatorTarget
from registry.choices import BaseRole, FormCode, OrganizationKind, PersonCategory
from registry.models import MentorshipForm, current_academic_year_start

YEAR = 2023
START = datetime.date(YEAR, 9, 15)
END = datetime.date(YEAR + 1, 5, 31)


def pupil(school, age: int, **fields):
    """A pupil `age` full years old on 1 September 2023."""
    return PersonFactory(organization=school, birth_date=datetime.date(YEAR - age, 3, 1), **fields)


def order_of(school) -> ApprovalOrder:
    """The director's order approving the school's pairs (Положение §3.6)."""
    found = ApprovalOrder.objects.filter(organization=school).first()
    return found or ApprovalOrder.objects.create(organization=school, number="12-о", date=START)


def make_pair(school, form: str, mentor, mentees, *, start=START, end=END, status=PairStatus.ACTIVE) -> Pair:
    pair = Pair.objects.create(
        organization=school,
        form=MentorshipForm.objects.get(code=form),
        mentor=mentor,
        start_on=start,
        end_on=end,
        status=status,
        order=None if status == PairStatus.DRAFT else order_of(school),
    )
    PairMember.objects.create(pair=pair, person=mentor, role=BaseRole.MENTOR, joined_on=start)
    for mentee in mentees:
        PairMember.objects.create(pair=pair, person=mentee, role=BaseRole.MENTEE, joined_on=start)
    return pair


def partner(municipality):
    return OrganizationFactory(municipality=municipality, kind=OrganizationKind.PARTNER, short_name="ООО «Завод»")


def coverage_world(world):
    """School A: pupil P is a mentee in «ученик – ученик» (mentor M, 16) and «студент – ученик»
    (an undergraduate of 20), pupil Q a mentee of an enterprise's engineer, a young teacher mentored;
    contingent 40 / 10 / 4. School B: pupil R a mentee, no contingent for 2023."""
    a, b = world.school_a, world.school_b
    p, q, r, m = pupil(a, 12), pupil(a, 13), pupil(b, 11), pupil(a, 16)
    student = PersonFactory(organization=a, category=PersonCategory.UNDERGRADUATE, birth_date=datetime.date(2003, 1, 1))
    engineer = TeacherFactory(organization=partner(world.municipality), category=PersonCategory.EMPLOYER)
    young = TeacherFactory(organization=a, teaching_since=datetime.date(2022, 9, 1))
    make_pair(a, FormCode.STUDENT_STUDENT, m, [p])
    make_pair(a, FormCode.UNDERGRADUATE_STUDENT, student, [p])
    make_pair(a, FormCode.EMPLOYER_STUDENT, engineer, [q])
    make_pair(a, FormCode.TEACHER_TEACHER, TeacherFactory(organization=a), [young])
    make_pair(b, FormCode.STUDENT_STUDENT, pupil(b, 17), [r])
    make_pair(a, FormCode.STUDENT_STUDENT, pupil(a, 15), [pupil(a, 14)], status=PairStatus.DRAFT)  # never counts
    ContingentFactory(organization=a, year_start=YEAR, students_10_18=40, students_15_18=10, young_teachers=4)
    return {"p": p, "q": q, "r": r, "m": m}


def fill_indicators(world) -> None:
    """Targets for the pages of every role: the municipality's and school A's, this year and last,
    and a contingent of school A for last year (this year's is page_data's)."""
    year = current_academic_year_start()
    for offset, share in ((1, "20"), (0, "30")):
        for indicator in Indicator:
            value = Decimal(2 - offset) if indicator == Indicator.ENTERPRISES else Decimal(share)
            IndicatorTarget.objects.create(
                municipality=world.municipality, indicator=indicator, year_start=year - offset, target=value
            )
    IndicatorTarget.objects.create(
        municipality=world.municipality,
        organization=world.school_a,
        indicator=Indicator.YOUNG_TEACHER_SHARE,
        year_start=year,
        target=Decimal("50"),
    )
    ContingentFactory(organization=world.school_a, year_start=year - 1)
