"""Matching that explains itself: ranked free mentors with reasons for and against; a proposal for a
whole base that respects §3.4's places; nothing paired until the curator accepts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.testing.factories import PersonFactory
from mentorship import matching
from mentorship.models import Pair, PairStatus
from registry.choices import FormCode
from registry.models import Consent, RequestTopic
from tests.mentorship.helpers import approved, employer_mentor, form, pupil, teacher_mentor, young_teacher

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def topics(db):
    method, _ = RequestTopic.objects.get_or_create(name="Методика преподавания")
    upbringing, _ = RequestTopic.objects.get_or_create(name="Воспитательная работа")
    return method, upbringing


def test_it_ranks_mentors_and_says_why(world, topics):
    method, upbringing = topics
    mentee = young_teacher(world.school_a, subjects="математика")
    mentee.mentee_record.requests.set([method])
    best = teacher_mentor(world.school_a, subjects="Математика, информатика")
    best.mentor_record.topics.set([method])
    best.mentor_record.is_trained = True
    best.mentor_record.save()
    plain = teacher_mentor(world.school_a, subjects="история")
    plain.mentor_record.topics.set([upbringing])

    suggestions = matching.suggest_mentors(mentee=mentee, form=form(), user=world.curator_a)

    assert [s.mentor.pk for s in suggestions] == [best.pk, plain.pk]
    first = suggestions[0]
    assert first.reasons == [
        "совпадает запрос: методика преподавания",
        "предмет: математика",
        "та же школа",
        "свободно 3 места из 3",
        "обучен",
    ]
    assert first.against == []
    assert suggestions[1].against == ["не обучен"]
    assert (first.free, first.capacity) == (3, 3)


def test_full_mentors_and_those_the_rules_refuse_are_not_suggested(world):
    mentee = pupil(world.school_a, age=12)
    full = pupil(world.school_a, age=16, role="mentor")
    approved(
        organization=world.school_a, mentor=full, mentees=[pupil(world.school_a, age=11) for _ in range(3)],
        code=FormCode.STUDENT_STUDENT,
    )  # fmt: skip
    too_young = pupil(world.school_a, age=14, role="mentor")
    younger_than_mentee = pupil(world.school_a, age=16, role="mentor")
    mentee_older = pupil(world.school_a, age=17)
    free = pupil(world.school_a, age=16, role="mentor")

    ranked = matching.suggest_mentors(mentee=mentee, form=form(FormCode.STUDENT_STUDENT), user=world.curator_a)
    ids = {s.mentor.pk for s in ranked}
    assert free.pk in ids and younger_than_mentee.pk in ids
    assert full.pk not in ids and too_young.pk not in ids
    # The 16-year-old cannot mentor a 17-year-old: «ученик – ученик» takes an older pupil.
    for_older = matching.suggest_mentors(mentee=mentee_older, form=form(FormCode.STUDENT_STUDENT), user=world.curator_a)
    assert all(s.mentor.birth_date < mentee_older.birth_date for s in for_older)


def test_a_curator_sees_partner_mentors_but_not_another_schools_nor_another_municipalitys(world):
    mentee = pupil(world.school_a, age=15, forms=(FormCode.EMPLOYER_STUDENT,))
    partner = employer_mentor(world.municipality)
    ranked = matching.suggest_mentors(mentee=mentee, form=form(FormCode.EMPLOYER_STUDENT), user=world.curator_a)
    assert [s.mentor.pk for s in ranked] == [partner.pk]
    assert ranked[0].reasons[0] == "организация-партнёр: АО «Завод»"

    young = young_teacher(world.school_a)
    teacher_mentor(world.school_b)
    teacher_mentor(world.school_elsewhere)
    assert matching.suggest_mentors(mentee=young, form=form(), user=world.curator_a) == []


def test_a_missing_consent_or_an_unwanted_age_speaks_against(world):
    mentee = young_teacher(world.school_a)
    mentor = teacher_mentor(world.school_a, consents=False)
    mentor.mentor_record.mentee_age_min, mentor.mentor_record.mentee_age_max = 30, 40
    mentor.mentor_record.save()
    [suggestion] = matching.suggest_mentors(mentee=mentee, form=form(), user=world.curator_a)
    assert "нет всех согласий: утвердить пару пока нельзя" in suggestion.against
    assert "наставник просит наставляемых 30–40 лет" in suggestion.against


def test_a_mentor_who_withdrew_consent_is_not_suggested(world):
    mentee = young_teacher(world.school_a)
    mentor = teacher_mentor(world.school_a)
    Consent.objects.filter(person=mentor).update(withdrawn_on=TODAY)
    assert matching.suggest_mentors(mentee=mentee, form=form(), user=world.curator_a) == []


def test_the_proposal_gives_each_mentee_the_best_free_mentor_within_three(world):
    mentor = teacher_mentor(world.school_a)
    mentees = [young_teacher(world.school_a) for _ in range(5)]
    proposals = matching.propose_pairs(organization=world.school_a, user=world.curator_a)
    assert len(proposals) == 5
    given = [p for p in proposals if p.suggestion is not None]
    assert len(given) == 3 and all(p.suggestion.mentor.pk == mentor.pk for p in given)
    assert [p.suggestion.free for p in given] == [3, 2, 1]
    assert Pair.objects.count() == 0  # nothing is paired until the curator accepts

    choices = [(p.mentee.pk, p.form.pk, p.suggestion.mentor.pk) for p in given]
    pairs = matching.accept_proposals(
        organization=world.school_a, choices=choices, start_on=TODAY, end_on=None, user=world.curator_a
    )
    assert {p.status for p in pairs} == {PairStatus.DRAFT} and len(pairs) == 3
    assert {m.pk for m in mentees} >= {p.members.get(role="mentee").person_id for p in pairs}
    # Mentees with a draft are not proposed again.
    again = matching.propose_pairs(organization=world.school_a, user=world.curator_a)
    assert len(again) == 2


def test_accepting_is_all_or_nothing(world):
    mentee = young_teacher(world.school_a)
    stranger = PersonFactory(organization=world.school_a, birth_date=datetime.date(1990, 1, 1))
    mentor = teacher_mentor(world.school_a)
    with pytest.raises(ValidationError) as error:
        matching.accept_proposals(
            organization=world.school_a,
            choices=[(mentee.pk, form().pk, mentor.pk), (stranger.pk, form().pk, mentor.pk)],
            start_on=TODAY,
            end_on=None,
            user=world.curator_a,
        )
    assert stranger.short_name in " ".join(error.value.messages)
    assert Pair.objects.count() == 0


def test_the_proposals_shortcut_finds_the_same_best_as_the_full_ranking(world, topics):
    """`_best` stops scanning at a bound; on varied mentors it must pick what `_rank` puts first."""
    import random

    rng = random.Random(7)
    subjects = ["математика", "физика", "история", "химия"]
    for _n in range(30):
        mentor = teacher_mentor(
            rng.choice([world.school_a, world.school_a, world.school_b]), subjects=rng.choice(subjects),
            consents=rng.random() < 0.8,
        )  # fmt: skip
        mentor.mentor_record.topics.set(rng.sample(topics, rng.randint(0, 2)))
        mentor.mentor_record.is_trained = rng.random() < 0.5
        mentor.mentor_record.save()
    mentees = [young_teacher(world.school_a, subjects=rng.choice(subjects)) for _ in range(8)]
    for mentee in mentees:
        mentee.mentee_record.requests.set(rng.sample(topics, rng.randint(0, 2)))
    pool = matching._Pool(form=form(), municipality_id=world.municipality.pk, user=None, on=TODAY)
    for item in matching._mentees(matching.Person.objects.filter(pk__in=[m.pk for m in mentees]).order_by("pk"), TODAY):
        ranked = matching._rank(pool, item, limit=1)
        best = matching._best(pool, item)
        assert ranked[0].mentor.pk == best.pk
        matching._take_place({1: pool}, best.pk)
