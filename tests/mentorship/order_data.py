"""A school ready for its order on pairs: requisites, a curator with a patronymic and a position,
two drafts (teachers; a pupils' group) whose names exercise the declension."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core import issuing
from core.models import IssuedDocument
from core.services import profile_save
from mentorship.orders import PairOrder
from registry.choices import FormCode
from tests.mentorship.helpers import draft, pupil, teacher_mentor, young_teacher


def school_requisites(school) -> None:
    school.full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»"
    school.director_name = "Гаврилова Светлана Владимировна"
    school.director_position = "Директор"
    school.place = "г. Назарово"
    school.order_number_pattern = "{n}-ОД"
    school.save()


@pytest.fixture
def order_world(world):
    school = world.school_a
    school_requisites(school)
    profile_save(
        holder=world.curator_a, user=world.curator_a, last_name="Селезнева", first_name="Елена",
        middle_name="Викторовна", position="заместитель директора по УВР",
    )  # fmt: skip
    start = timezone.localdate()
    end = start + datetime.timedelta(days=270)
    mentor = teacher_mentor(
        school, last_name="Шестакова", first_name="Татьяна", middle_name="Васильевна", sex="f",
        position="учитель математики",
    )  # fmt: skip
    mentee = young_teacher(
        school, last_name="Петров", first_name="Иван", middle_name="Сергеевич", sex="m", position="учитель истории"
    )
    teachers = draft(organization=school, mentor=mentor, mentees=[mentee], start=start, end=end)
    pupil_mentor = pupil(
        school, age=16, role="mentor", last_name="Соловей", first_name="Лев", middle_name="Павлович", sex="m",
        class_name="10А",
    )  # fmt: skip
    pupils = [
        pupil(school, age=12, last_name="Толстая", first_name="Анна", middle_name="Игоревна", sex="f", class_name="6Б"),
        pupil(school, age=12, last_name="Цой", first_name="Виктор", middle_name="Робертович", sex="m", class_name="6Б"),
    ]
    group = draft(
        organization=school, mentor=pupil_mentor, mentees=pupils, code=FormCode.STUDENT_STUDENT, start=start, end=end
    )
    return world, [teachers, group], start, end


def prepare(world, pairs) -> IssuedDocument:
    kind = PairOrder.for_pairs(world.school_a, [pair.pk for pair in pairs])
    return issuing.document_prepare(
        kind=kind, user=world.curator_a, municipality=world.municipality, organization=world.school_a
    )
