"""The school's order on pairs (mentorship.orders.PairOrder) through the register (core.issuing):
prepared by the curator, issued by the director with a number and a date, its issue approving the
pairs with that order (Положение §3.6, seed 002 item 8); its text as printed, names declined in
every slot (issue 10 §3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import issuing
from core.models import IssuedDocument
from core.testing.documents import pdf_text
from mentorship.models import Pair, PairStatus
from mentorship.orders import PairOrder
from tests.mentorship.helpers import draft, teacher_mentor, young_teacher
from tests.mentorship.order_data import prepare

pytestmark = pytest.mark.django_db


def test_it_prints_each_pair_with_names_in_their_cases(order_world):
    world, pairs, start, end = order_world
    document = prepare(world, pairs)
    today = timezone.localdate()

    issued = issuing.document_issue(document=document, number="15-ОД", date=today, user=world.director_a)

    text = pdf_text(issued.file.read())
    period = f"на период с {start:%d.%m.%Y} по {end:%d.%m.%Y}"
    assert "МУНИЦИПАЛЬНОЕ БЮДЖЕТНОЕ ОБЩЕОБРАЗОВАТЕЛЬНОЕ УЧРЕЖДЕНИЕ «СРЕДНЯЯ ШКОЛА № 1»" in text
    assert "ПРИКАЗ" in text and "№ 15-ОД" in text and "г. Назарово" in text
    assert f"«{today:%d}»" in text and f"{today.year} г." in text
    assert "О закреплении наставнических пар (групп)" in text
    assert "ПРИКАЗЫВАЮ:" in text
    assert (
        "Назначить Шестакову Татьяну Васильевну, учителя математики, наставником Петрова Ивана Сергеевича, "
        f"учителя истории, {period}." in text
    )
    assert (
        "Назначить Соловья Льва Павловича, обучающегося 10 «А» класса, наставником Толстой Анны Игоревны, "
        f"обучающейся 6 «Б» класса, и Цоя Виктора Робертовича, обучающегося 6 «Б» класса, {period}." in text
    )
    assert "Селезневой Елене Викторовне, заместителю директора по УВР, обеспечить" in text
    assert (
        "Контроль за исполнением настоящего приказа возложить на Селезневу Елену Викторовну, "
        "заместителя директора по УВР." in text
    )
    assert "Директор С. В. Гаврилова" in text
    assert "С приказом ознакомлены:" in text and "Е. В. Селезнева" in text and "Т. В. Шестакова" in text
    assert f"Приложение к приказу {world.school_a.short_name} от {today:%d.%m.%Y} № 15-ОД" in text
    assert "Список наставнических пар (групп) и согласий их участников" in text


def test_it_approves_the_pairs_with_its_number(order_world):
    world, pairs, _start, _end = order_world
    document = prepare(world, pairs)
    today = timezone.localdate()

    issuing.document_issue(document=document, number="15-ОД", date=today, user=world.director_a)

    document.refresh_from_db()
    assert document.status == IssuedDocument.Status.ISSUED
    assert (document.number, document.date, document.year, document.sequence) == ("15-ОД", today, today.year, 15)
    assert document.issued_by == world.director_a and document.pages >= 2 and len(document.sha256) == 64
    for pair in Pair.objects.filter(pk__in=[p.pk for p in pairs]):
        assert pair.status in (PairStatus.APPROVED, PairStatus.ACTIVE)
        assert (pair.order.number, pair.order.date, pair.order.document_id) == ("15-ОД", today, document.pk)
    assert issuing.next_number(document, today.year) == "16-ОД"


def test_it_refuses_the_curator_and_keeps_the_draft(order_world):
    world, pairs, _start, _end = order_world
    document = prepare(world, pairs)

    with pytest.raises(PermissionDenied):
        issuing.document_issue(document=document, number="15-ОД", date=timezone.localdate(), user=world.curator_a)

    document.refresh_from_db()
    assert document.is_draft and not document.file
    assert not Pair.objects.filter(pk__in=[p.pk for p in pairs]).exclude(status=PairStatus.DRAFT).exists()


def test_it_issues_nothing_when_a_pair_breaks_a_rule(order_world):
    world, pairs, _start, _end = order_world
    document = prepare(world, pairs)
    mentor = pairs[0].mentor
    mentor.consents.all().delete()  # §3.5: no consent, no appointment

    with pytest.raises(ValidationError) as refused:
        issuing.document_issue(document=document, number="15-ОД", date=timezone.localdate(), user=world.director_a)

    assert "соглас" in " ".join(refused.value.messages)
    document.refresh_from_db()
    assert document.is_draft and not document.file and not document.number
    assert not Pair.objects.filter(pk__in=[p.pk for p in pairs]).exclude(status=PairStatus.DRAFT).exists()


def test_it_refuses_a_number_taken_that_year(order_world):
    world, pairs, _start, _end = order_world
    today = timezone.localdate()
    first = prepare(world, pairs[:1])
    issuing.document_issue(document=first, number="15-ОД", date=today, user=world.director_a)
    second = prepare(world, pairs[1:])

    with pytest.raises(ValidationError) as refused:
        issuing.document_issue(document=second, number="15-ОД", date=today, user=world.director_a)

    assert refused.value.message_dict["number"] == [
        f"Номер «15-ОД» в {today.year} году уже занят: {IssuedDocument.objects.get(pk=first.pk)}. "
        "Следующий свободный — «16-ОД»."
    ]


def test_it_flags_a_name_it_cannot_decline(order_world):
    world, pairs, _start, _end = order_world
    person = pairs[0].members.get(role="mentee").person
    # «Смирнов Зуфархон»: a first name neither dictionary knows, so the sex and the case are a guess.
    person.last_name, person.first_name, person.middle_name, person.sex = "Смирнов", "Зуфархон", "", ""
    person.save()
    kind = PairOrder.for_pairs(world.school_a, [pairs[0].pk])

    warnings = kind.warnings()

    assert any(warning.startswith(f"Пара № {pairs[0].pk}: ") for warning in warnings), warnings
    assert "наставником Смирнов Зуфархон, учителя истории," in kind.pair_item(kind.pairs[0])


def test_it_cancels_and_keeps_the_document(order_world):
    world, pairs, _start, _end = order_world
    document = issuing.document_issue(
        document=prepare(world, pairs), number="15-ОД", date=timezone.localdate(), user=world.director_a
    )
    content = document.file.read()

    with pytest.raises(ValidationError):
        issuing.document_cancel(document=document, reason=" ", user=world.director_a)
    cancelled = issuing.document_cancel(document=document, reason="Ошибка в сроках", user=world.director_a)

    assert cancelled.status == IssuedDocument.Status.CANCELLED and cancelled.cancel_reason == "Ошибка в сроках"
    cancelled.file.open()
    assert cancelled.file.read() == content
    with pytest.raises(ValidationError):
        issuing.document_discard(document=cancelled, user=world.director_a)


def test_it_refuses_another_schools_pair_in_the_order(order_world):
    world, pairs, _start, _end = order_world
    other = draft(
        organization=world.school_b,
        mentor=teacher_mentor(world.school_b),
        mentees=[young_teacher(world.school_b)],
    )

    with pytest.raises(ValidationError) as refused:
        PairOrder.for_pairs(world.school_a, [pairs[0].pk, other.pk])

    assert f"пары другой организации: № {other.pk}" in " ".join(refused.value.messages)
