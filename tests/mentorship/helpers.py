"""Building blocks of the mentorship tests: participants ready for a pair (in their base with the
form, with the consents their age requires) and pairs made through the services, as a curator
and a director would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from core.testing.factories import (
    ConsentFactory,
    MenteeRecordFactory,
    MentorRecordFactory,
    OrganizationFactory,
    PersonFactory,
    TeacherFactory,
)
from mentorship import services
from mentorship.models import Pair
from registry.choices import ConsentKind, FormCode, OrganizationKind, PersonCategory
from registry.models import MentorshipForm, Person


def form(code: str = FormCode.TEACHER_TEACHER) -> MentorshipForm:
    return MentorshipForm.objects.get(code=code)


def give_consents(person: Person, *, signed_on: datetime.date | None = None) -> None:
    signed_on = signed_on or timezone.localdate() - datetime.timedelta(days=60)
    for kind in person.required_consent_kinds():
        extra = {"representative_name": "Родитель Ольга Ивановна"} if kind == ConsentKind.PARENT else {}
        ConsentFactory(person=person, kind=kind, signed_on=signed_on, **extra)


def teacher_mentor(organization, *, forms=(FormCode.TEACHER_TEACHER,), consents=True, **fields) -> Person:
    person = TeacherFactory(organization=organization, **fields)
    record = MentorRecordFactory(person=person)
    record.forms.set(MentorshipForm.objects.filter(code__in=forms))
    if consents:
        give_consents(person)
    return person


def young_teacher(organization, *, consents=True, **fields) -> Person:
    today = timezone.localdate()
    person = TeacherFactory(
        organization=organization, birth_date=datetime.date(today.year - 24, 3, 1),
        teaching_since=datetime.date(today.year - 1, 9, 1), **fields,
    )  # fmt: skip
    record = MenteeRecordFactory(person=person)
    record.forms.set([form(FormCode.TEACHER_TEACHER)])
    if consents:
        give_consents(person)
    return person


def pupil(organization, *, age=13, role="mentee", forms=(FormCode.STUDENT_STUDENT,), consents=True, **fields) -> Person:
    today = timezone.localdate()
    person = PersonFactory(
        organization=organization, category=PersonCategory.STUDENT,
        birth_date=datetime.date(today.year - age - 1, 12, 1), **fields,
    )  # fmt: skip
    factory = MentorRecordFactory if role == "mentor" else MenteeRecordFactory
    record = factory(person=person)
    record.forms.set(MentorshipForm.objects.filter(code__in=forms))
    if consents:
        give_consents(person)
    return person


def employer_mentor(municipality, *, consents=True) -> Person:
    partner = OrganizationFactory(municipality=municipality, kind=OrganizationKind.PARTNER, short_name="АО «Завод»")
    person = PersonFactory(
        organization=partner, category=PersonCategory.EMPLOYER, class_name="", birth_date=datetime.date(1985, 1, 1)
    )
    record = MentorRecordFactory(person=person)
    record.forms.set([form(FormCode.EMPLOYER_STUDENT)])
    if consents:
        give_consents(person)
    return person


def draft(*, organization, mentor, mentees, user=None, code=FormCode.TEACHER_TEACHER, start=None, end=None) -> Pair:
    start = start or timezone.localdate()
    pair = Pair(organization=organization, form=form(code), mentor=mentor, start_on=start, end_on=end)
    return services.pair_save(pair=pair, mentees=list(mentees), user=user)


def approved(*, number="15-од", date=None, user=None, **kwargs) -> Pair:
    pair = draft(user=None, **kwargs)
    services.pairs_approve(pairs=[pair], number=number, date=date or timezone.localdate(), user=user)
    pair.refresh_from_db()
    return pair
