"""The demo municipality's pairs (issue 7 «§7 Demo»): pairs and groups of the four forms of seed 003
in every school, with their orders, plans, meetings, reports, recognition and the bank of practices.

Built on the registry demo (registry.demo) and THROUGH THE SERVICES (mentorship.services), as a
curator and a director would, so that every rule of the Положение holds: consents (§3.5), at most
three mentees of a mentor at a time (§3.4), the forms' participants, one live pair of a form per
mentee. The history is replayed in the order it happened: last year's pairs are approved by
last year's order on its date and completed by the calendar (`advance_pairs`); this year's are
approved by the order of the start of the academic year; then the recent orders and drafts.

Deterministic for a seed and a `today`: people are read in id order and chosen by a seeded
`random.Random`; every date is relative to `today`, so that the demo always shows live pairs.
It scales with the registry's `--scale` (the more mentees in the bases, the more pairs).
curator1's school (the first) gets a pair of every kind for a tour («TOUR»); in curator1's school
the curator and the director act under their own logins, elsewhere the system does.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from core.choices import Role
from core.models import RoleAssignment
from mentorship import rules, services
from mentorship.models import (
    ApprovalOrder,
    EndReason,
    ExtensionReason,
    Meeting,
    MeetingKind,
    MenteeReport,
    MentorReport,
    MonthlyReport,
    Pair,
    PairStatus,
    Practice,
    PracticeFile,
    Recognition,
    RecognitionKind,
    RecognitionLevel,
    ReplacementReason,
)
from registry.choices import FormCode, OrganizationKind
from registry.models import MentorshipForm, Municipality, Organization, Person, current_academic_year_start

#: The kinds of a pair's story: what became of it by `today`.
COMPLETED = "completed"  # last year's, with both completion reports (the mentor's approved)
OVERDUE = "overdue"  # ended two or three weeks ago, its completion reports not handed in
ACTIVE = "active"  # approved by the order of the start of the year, at work
GROUP = "group"  # active, with 2–3 mentees: one joined after the start
REPLACED = "replaced"  # active, its mentor replaced (§3.7)
EXTENDED = "extended"  # active, its term extended (§3.8)
TERMINATED = "terminated"  # ended early (§3.9)
APPROVED = "approved"  # approved by a recent order, starts in a few days
REQUESTED = "requested"  # a draft sent to the director for approval
DRAFT = "draft"  # a draft not sent yet (often: a consent still missing)

#: Stories whose pair is approved, and so needs the consents (§3.5) and a mentor's free place.
NEEDS_CONSENT = {COMPLETED, OVERDUE, ACTIVE, GROUP, REPLACED, EXTENDED, TERMINATED, APPROVED, REQUESTED}
#: Stories of this academic year that hold a mentor's place (counted by `places`).
THIS_YEAR = {OVERDUE, ACTIVE, GROUP, REPLACED, EXTENDED, TERMINATED, APPROVED, REQUESTED, DRAFT}
#: Stories whose pair works from a start in the past.
STARTED = {COMPLETED, OVERDUE, ACTIVE, GROUP, REPLACED, EXTENDED, TERMINATED}

#: The stories of each form in a school, in turn, for its mentees; a school puts about
#: PLACED_SHARE of its mentees into pairs, the rest wait in the base for a mentor.
DECK = [ACTIVE, COMPLETED, ACTIVE, GROUP, REQUESTED, COMPLETED, ACTIVE, APPROVED, ACTIVE, COMPLETED, OVERDUE]
DECK += [ACTIVE, DRAFT, TERMINATED, COMPLETED, ACTIVE, REQUESTED, EXTENDED, ACTIVE, COMPLETED, REPLACED]
PLACED_SHARE = 0.6
#: curator1's school: every kind of pair in the first turns of each form.
TOUR = {
    FormCode.TEACHER_TEACHER: [COMPLETED, ACTIVE, REPLACED, EXTENDED, REQUESTED],
    FormCode.STUDENT_STUDENT: [GROUP, ACTIVE, COMPLETED, TERMINATED, REQUESTED, DRAFT, ACTIVE, APPROVED, COMPLETED],
    FormCode.UNDERGRADUATE_STUDENT: [ACTIVE, OVERDUE, COMPLETED, APPROVED, REQUESTED],
    FormCode.EMPLOYER_STUDENT: [ACTIVE, COMPLETED, OVERDUE, APPROVED, DRAFT],
}
FORMS = (FormCode.TEACHER_TEACHER, FormCode.STUDENT_STUDENT, FormCode.UNDERGRADUATE_STUDENT, FormCode.EMPLOYER_STUDENT)

# Texts --------------------------------------------------------------------------------------------

GOALS = {
    FormCode.TEACHER_TEACHER: [
        "Адаптация молодого педагога в коллективе и профессии, освоение методики преподавания предмета.",
        "Развитие профессиональных компетенций молодого специалиста: планирование урока, оценивание, работа с классом.",
    ],
    FormCode.STUDENT_STUDENT: [
        "Повышение учебной мотивации и успеваемости наставляемого, помощь в организации самостоятельной работы.",
        "Раскрытие потенциала наставляемого через совместную проектную деятельность.",
        "Адаптация в классе и школьном коллективе, развитие коммуникативных навыков.",
    ],
    FormCode.UNDERGRADUATE_STUDENT: [
        "Профессиональная ориентация: знакомство со специальностями техникума и условиями поступления.",
        "Совместный учебный проект, развитие интереса к техническим и аграрным профессиям.",
    ],
    FormCode.EMPLOYER_STUDENT: [
        "Профориентация: знакомство с профессиями предприятия и требованиями к ним.",
        "Проектная работа по задаче предприятия, профессиональные пробы.",
    ],
}
WORKING_TOPICS = {
    FormCode.TEACHER_TEACHER: [
        "Посещение урока наставника и его разбор",
        "Анализ урока молодого педагога",
        "Рабочая программа и электронный журнал",
        "Подготовка к родительскому собранию",
        "Приёмы формирующего оценивания",
        "Дисциплина на уроке, работа с разноуровневым классом",
        "Подготовка открытого урока",
        "Классное руководство: план воспитательной работы",
    ],
    FormCode.STUDENT_STUDENT: [
        "Разбор трудных задач по математике",
        "Подготовка к контрольной работе",
        "Работа над индивидуальным проектом",
        "Подготовка выступления на школьной конференции",
        "План самостоятельной подготовки домашних заданий",
        "Разбор ошибок в диктанте",
        "Подготовка к олимпиаде",
    ],
    FormCode.UNDERGRADUATE_STUDENT: [
        "Экскурсия в мастерские техникума",
        "Знакомство со специальностью и практикой студентов",
        "Совместный учебный проект",
        "Практическое занятие в учебной лаборатории",
        "Условия поступления и обучения в техникуме",
    ],
    FormCode.EMPLOYER_STUDENT: [
        "Экскурсия на предприятие",
        "Профессиональная проба на рабочем месте",
        "Разбор задачи проекта от предприятия",
        "Встреча с молодыми специалистами предприятия",
        "Подготовка защиты проекта",
    ],
}
MEETING_TOPICS = {
    MeetingKind.ACQUAINTANCE: "Знакомство, ожидания от наставничества, правила общения",
    MeetingKind.TRIAL: "Пробная встреча: первые шаги в работе",
    MeetingKind.PLANNING: "Цели на период наставничества, составление индивидуального плана",
    MeetingKind.FINAL: "Итоговая встреча: результаты, рефлексия, подготовка отчётов",
}
MEETING_NOTES = [
    "Обсудили задачи на ближайшие недели, наставник дал рекомендации.",
    "Разобрали вопросы наставляемого, договорились о следующем шаге.",
    "Выполнили практическое задание, наставник прокомментировал результат.",
    "Подвели итог прошедшего этапа, скорректировали план.",
]
FEEDBACK = [
    "Было полезно: разобрались в теме, появились идеи, что делать дальше.",
    "Понравилось, хочу продолжить в том же формате.",
    "Стало понятнее, как действовать; нужно больше практики.",
    "Получил(а) ответы на свои вопросы, наставник объяснил доступно.",
    "Полезные советы, уже попробовал(а) применить их.",
    "Было сложно, но интересно; хотелось бы встречаться чаще.",
]
MONTH_PROGRESS = [
    "план выполняется по графику",
    "наставляемый стал увереннее, выполнены задания плана",
    "есть продвижение, одно мероприятие плана перенесено",
    "наставляемый активно участвует, запланированные задачи решены",
]
MENTOR_RESULTS = {
    FormCode.TEACHER_TEACHER: "Молодой педагог провёл открытый урок, оформил рабочую программу без замечаний, "
    "выступил на методическом объединении.",
    FormCode.STUDENT_STUDENT: "Отметки наставляемого по предмету повысились, проект представлен на школьной "
    "конференции.",
    FormCode.UNDERGRADUATE_STUDENT: "Наставляемый познакомился со специальностями техникума, выполнен совместный "
    "учебный проект.",
    FormCode.EMPLOYER_STUDENT: "Наставляемый прошёл профессиональные пробы на предприятии, проект защищён перед "
    "наставником.",
}
MENTEE_TEXTS = [
    "Наставничество помогло мне разобраться в трудных вопросах и стать увереннее.",
    "Встречи были полезными и интересными, наставник всегда находил время.",
    "Узнал(а) много нового, хочу продолжить заниматься в этом направлении.",
]
REPLACEMENTS = {
    FormCode.TEACHER_TEACHER: (ReplacementReason.TRANSFER, "Наставник назначен заместителем директора по УВР."),
    FormCode.STUDENT_STUDENT: (ReplacementReason.REQUEST, "По просьбе наставника: подготовка к ЕГЭ."),
    FormCode.UNDERGRADUATE_STUDENT: (ReplacementReason.OTHER, "Наставник уехал на производственную практику."),
    FormCode.EMPLOYER_STUDENT: (ReplacementReason.TRANSFER, "Наставник переведён на другой участок предприятия."),
}
TERMINATIONS = [
    (EndReason.LEFT_ORGANIZATION, "Наставляемый переведён в другую школу по заявлению родителей."),
    (EndReason.MENTEE_NON_PERFORMANCE, "Наставляемый пропустил пять встреч подряд без уважительной причины."),
    (EndReason.REQUEST, "По заявлению наставляемого и его родителей."),
]
PRACTICES = [
    (
        FormCode.TEACHER_TEACHER,
        "«Школа молодого педагога»: посещение уроков наставника и открытый урок",
        "Молодой педагог и наставник в течение года посещают уроки друг друга и разбирают их по единой "
        "схеме; итог — открытый урок молодого педагога на методическом объединении. Практика помогает "
        "молодому специалисту быстрее освоить методику и войти в коллектив.",
    ),
    (
        FormCode.EMPLOYER_STUDENT,
        "Профессиональные пробы на предприятиях города",
        "Старшеклассники под руководством наставников-работодателей знакомятся с профессиями предприятия "
        "и выполняют проект по реальной задаче, который защищают перед наставником. Практика помогает "
        "выбрать профиль обучения и будущую профессию.",
    ),
]


# The calendar of the demo -----------------------------------------------------------------------


#: A pair at work whose mentee consented after September is approved by an order this many days ago.
LATE_ORDER_DAYS = 35


class Calendar:
    """The dates of the demo, relative to `today`: the order of the start of this academic year
    (1 September, when at least STARTED_DAYS have passed since and it is not summer yet; else a
    date two and a half months back, so that live pairs have a history and a term under a year),
    last year's order a year before it, and a recent order of pairs to start soon."""

    STARTED_DAYS = 50

    def __init__(self, today: datetime.date):
        self.today = today
        september = datetime.date(current_academic_year_start(today), 9, 1)
        if self.STARTED_DAYS <= (today - september).days <= 270:
            self.order_date = september
        else:
            self.order_date = today - datetime.timedelta(days=75)
        self.last_year_order_date = _year_before(self.order_date)
        #: The order of the pairs that start in the coming weeks: signed a few days ago.
        self.recent_order_date = today - datetime.timedelta(days=3)

    def days(self, day: datetime.date, offset: int) -> datetime.date:
        return day + datetime.timedelta(days=offset)


def _year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# A pair's story ------------------------------------------------------------------------------------


@dataclass
class Story:
    kind: str
    school: Organization
    form: str
    mentees: list[Person]
    mentor: Person | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    created_on: datetime.date | None = None
    requested_on: datetime.date | None = None
    order_number: str = ""
    order_date: datetime.date | None = None
    #: A mentee who joins the group after its start, and when.
    joining: Person | None = None
    joins_on: datetime.date | None = None
    new_mentor: Person | None = None
    pair: Pair | None = None
    #: Approved by a later order of the year, not the September one (`PairsBuilder.late_dates`).
    late: bool = False

    @property
    def phase(self) -> int:
        """The order in which stories happen: last year's, this year's start, the recent ones."""
        if self.kind == COMPLETED:
            return 0
        if self.kind in (APPROVED, REQUESTED, DRAFT):
            return 2
        return 1


class PairsBuilder:
    """Plans the stories of the municipality's pairs, then plays them through the services."""

    def __init__(self, *, municipality: Municipality, seed: int, today: datetime.date):
        self.municipality = municipality
        self.today = today
        self.calendar = Calendar(today)
        self.rng = random.Random(seed * 7919 + 17)
        self.forms = {form.code: form for form in MentorshipForm.objects.all()}
        self.stories: list[Story] = []
        self.skipped: list[str] = []
        #: Mentees a mentor holds, last year's and this year's (§3.4: three at a time).
        self.places: dict[tuple[int, int], int] = Counter()
        #: A school's order numbers: last year's, this year's, the recent one.
        self.order_numbers: dict[int, dict[int, str]] = {}
        #: Schools with a draft that waits for a consent (one is enough to show it).
        self.waiting_drafts: set[int] = set()

    # people ------------------------------------------------------------------------------------

    def load_people(self) -> None:
        people = list(
            Person.objects.filter(organization__municipality=self.municipality)
            .filter(Q(mentor_record__isnull=False) | Q(mentee_record__isnull=False))
            .select_related("organization", "mentor_record", "mentee_record")
            .prefetch_related("consents", "mentor_record__forms", "mentee_record__forms", "mentee_record__requests")
            .order_by("pk")
        )
        self.consented = {p.pk for p in people if not p.consent_state_on(self.today).missing_kinds}
        withdrawn = {p.pk for p in people if p.consent_state_on(self.today).withdrawn}
        self.mentors: dict[str, list[Person]] = defaultdict(list)
        self.mentees: dict[tuple[int, str], list[Person]] = defaultdict(list)
        for person in people:
            if person.pk in withdrawn:
                continue  # a withdrawn consent takes the person out of every list (docs/product.md)
            record = getattr(person, "mentor_record", None)
            if record is not None:
                for form in record.forms.all():
                    self.mentors[form.code].append(person)
            record = getattr(person, "mentee_record", None)
            if record is not None:
                for form in record.forms.all():
                    self.mentees[(person.organization_id, form.code)].append(person)
        self.schools = list(
            Organization.objects.filter(municipality=self.municipality, kind=OrganizationKind.SCHOOL).order_by("pk")
        )

    def actors(self) -> None:
        """curator1 and director1 act in their school; the system acts elsewhere."""
        User = get_user_model()
        self.curators: dict[int, object] = {}
        self.directors: dict[int, object] = {}
        for assignment in RoleAssignment.objects.filter(
            role__in=[Role.CURATOR, Role.DIRECTOR],
            organization__municipality=self.municipality,
            user__username__in=["curator1", "director1"],
        ).select_related("user"):
            target = self.curators if assignment.role == Role.CURATOR else self.directors
            target[assignment.organization_id] = User.objects.get(pk=assignment.user_id)

    # planning ---------------------------------------------------------------------------------

    def plan(self) -> None:
        for index, school in enumerate(self.schools):
            leftovers = {}
            for form in FORMS:
                candidates = list(self.mentees.get((school.pk, form), []))
                self.rng.shuffle(candidates)
                deck = list(TOUR[form]) if index == 0 else []
                leftovers[form] = self.plan_form(school, form, candidates, deck)
            if index == 0:
                self.complete_the_tour(school, leftovers)

    def complete_the_tour(self, school: Organization, leftovers: dict[str, list[Person]]) -> None:
        """A kind of pair the tour's deck could not place in its form (no one fitted it there) is
        tried in the other forms with the mentees left."""
        have = {story.kind for story in self.stories if story.school.pk == school.pk}
        for kind in dict.fromkeys(kind for deck in TOUR.values() for kind in deck):
            if kind in have:
                continue
            for form in FORMS:
                story = self.plan_story(kind, school, form, leftovers[form])
                if story is not None:
                    for mentee in [*story.mentees, *([story.joining] if story.joining else [])]:
                        leftovers[form].remove(mentee)
                    self.stories.append(story)
                    break

    def plan_form(self, school: Organization, form: str, candidates: list[Person], deck: list[str]) -> list[Person]:
        """Stories of one form in a school, from its deck; returns the mentees left in the base."""
        wanted = max(len(deck), round(len(candidates) * PLACED_SHARE))
        placed = 0
        turn = 0
        tries = 0
        while placed < wanted and candidates and tries < 3 * len(DECK) + len(deck):
            tries += 1
            kind = deck[turn] if turn < len(deck) else DECK[(turn - len(deck)) % len(DECK)]
            turn += 1
            story = self.plan_story(kind, school, form, candidates)
            if story is None:
                continue
            for mentee in [*story.mentees, *([story.joining] if story.joining else [])]:
                candidates.remove(mentee)
                placed += 1
            self.stories.append(story)
        # A mentee still without a consent waits in a draft: the curator asks for it (§3.5).
        waiting = [m for m in candidates if m.pk not in self.consented]
        if waiting and school.pk not in self.waiting_drafts:
            story = self.plan_story(DRAFT, school, form, waiting[:1])
            if story is not None:
                self.stories.append(story)
                self.waiting_drafts.add(school.pk)
                candidates.remove(waiting[0])
        return candidates

    def dates(self, kind: str) -> dict:
        """Start, end, creation, request and order dates of a story of `kind`."""
        rng, cal, today = self.rng, self.calendar, self.today
        if kind == COMPLETED:
            order = cal.last_year_order_date
            start = cal.days(order, rng.randint(1, 14))
            end = services.add_months(start, rng.choice([8, 9]))
        elif kind == OVERDUE:
            order = cal.order_date
            start = cal.days(order, rng.randint(1, 5))
            end = cal.days(today, -rng.randint(12, 20))
        elif kind in (ACTIVE, GROUP, REPLACED, EXTENDED, TERMINATED):
            order = cal.order_date
            start = cal.days(order, rng.randint(1, 14))
            end = max(services.add_months(start, 9), cal.days(today, rng.randint(30, 90)))
        elif kind == APPROVED:
            order = cal.recent_order_date
            start = cal.days(today, rng.randint(5, 25))
            end = services.add_months(start, rng.choice([6, 8, 9]))
        else:  # a draft, sent or not
            order = None
            start = cal.days(today, rng.randint(10, 40))
            end = services.add_months(start, rng.choice([6, 9]))
        if kind == REQUESTED:
            requested = cal.days(today, -rng.randint(1, 4))
            created = cal.days(requested, -rng.randint(1, 10))
        elif kind == DRAFT:
            requested = None
            created = cal.days(today, -rng.randint(0, 12))
        else:
            requested = cal.days(order, -rng.randint(1, 4))
            created = cal.days(requested, -rng.randint(1, 10))
        return {"start": start, "end": end, "created_on": created, "requested_on": requested, "order_date": order}

    def late_dates(self, kind: str, dates: dict) -> dict | None:
        """The dates of a pair at work approved by an order of five weeks ago (not the September
        one), keeping three weeks of history; None for the kinds that have no such story."""
        if kind not in (ACTIVE, GROUP, REPLACED, EXTENDED):
            return None
        cal, today = self.calendar, self.today
        order = cal.days(today, -LATE_ORDER_DAYS)
        start = cal.days(order, 4)
        requested = cal.days(order, -2)
        return {
            "start": start,
            "end": max(dates["end"], services.add_months(start, 6)),
            "created_on": cal.days(requested, -3),
            "requested_on": requested,
            "order_date": order,
            "late": True,
        }

    def plan_story(self, kind: str, school: Organization, form: str, candidates: list[Person]) -> Story | None:
        """A story of `kind` for the first candidates that fit it, with a mentor who fits them; None
        when none do."""
        size = (3 if school.pk in self.curators else self.rng.choice([2, 3])) if kind == GROUP else 1
        needs_consent = kind in NEEDS_CONSENT
        for first in candidates:
            dates = self.dates(kind)
            on = max(dates["start"], dates["order_date"] or dates["created_on"])
            if needs_consent and not self.consents_ok(first, on):
                # A mentee whose consents came after the September order joins a pair approved by a
                # later order of the year: the demo's pairs at work must not depend on the day it
                # is loaded (on some days no young teacher of curator1's school had consented by
                # September, and the school showed no «учитель – учитель» pair at work).
                dates = self.late_dates(kind, dates)
                if dates is None:
                    continue
                on = dates["start"]
                if not self.consents_ok(first, on):
                    continue
            if kind in STARTED and first.teaching_since and first.teaching_since >= dates["start"]:
                continue  # a young teacher's pair starts once they teach
            if kind in STARTED and dates["start"] > self.calendar.days(self.today, -21):
                continue  # a pair at work has three weeks of history at least
            mentees = [first]
            if size > 1:
                others = [
                    m
                    for m in candidates
                    if m is not first and self.consents_ok(m, on) and abs(m.birth_date - first.birth_date) < _YEAR * 2
                ]
                mentees += others[: size - 1]
                if len(mentees) < 2:
                    continue
            mentor = self.choose_mentor(kind, school, form, mentees, on)
            if mentor is None and len(mentees) == 3:
                mentees = mentees[:2]  # a group of two, when no mentor has three places free
                mentor = self.choose_mentor(kind, school, form, mentees, on)
            if mentor is None:
                continue
            story = Story(kind=kind, school=school, form=form, mentees=mentees, mentor=mentor, **dates)
            if kind == GROUP and len(mentees) == 3:
                story.mentees, story.joining = mentees[:2], mentees[2]
                story.joins_on = self.calendar.days(story.start, self.rng.randint(20, 35))
                story.joins_on = min(story.joins_on, self.calendar.days(self.today, -3))
            if kind == REPLACED:
                story.new_mentor = self.choose_mentor(kind, school, form, mentees, on, exclude=mentor)
                if story.new_mentor is None:
                    self.release(mentor, kind, len(mentees))
                    continue
            self.number(story)
            return story
        return None

    def consents_ok(self, person: Person, on: datetime.date) -> bool:
        """§3.5: the consents the person's age requires, on the day the rules are checked (a
        parent's for a minor, their own once adult) and today."""
        return person.pk in self.consented and not person.consent_state_on(on).missing_kinds

    def choose_mentor(
        self, kind: str, school: Organization, form: str, mentees: list[Person], on, exclude=None
    ) -> Person | None:
        """The least loaded mentor of the form who fits the mentees (the rules' participant checks)
        and has their places free (§3.4), with their consents when the pair is to be approved."""
        everyone = self.mentors.get(form, [])
        pool = everyone
        if form in (FormCode.TEACHER_TEACHER, FormCode.STUDENT_STUDENT):
            pool = [p for p in everyone if p.organization_id == school.pk]
        mentor = self.least_loaded(kind, school, form, mentees, on, pool, exclude)
        if mentor is None and form == FormCode.TEACHER_TEACHER and school.pk not in self.curators:
            # A school without a free teacher mentor of its own takes one from another school
            # (a curator chooses only their own people, so not in curator1's school).
            mentor = self.least_loaded(kind, school, form, mentees, on, everyone, exclude)
        return mentor

    def least_loaded(self, kind, school, form, mentees, on, pool, exclude) -> Person | None:
        phase = 0 if kind == COMPLETED else 1
        needed = len(mentees)
        options = []
        for mentor in pool:
            if mentor is exclude or mentor in mentees:
                continue
            if not self.consents_ok(mentor, on):
                continue
            capacity = rules.mentor_capacity(mentor)
            if self.places[(phase, mentor.pk)] + needed > capacity:
                continue
            if form == FormCode.STUDENT_STUDENT and any(
                mentor.birth_date > m.birth_date - _YEAR * 2 for m in mentees
            ):  # the mentor is a senior, two years older at least
                continue
            if rules.participant_refusals(
                form=self.forms[form], organization=school, mentor=mentor, mentees=mentees, on=on
            ):
                continue
            options.append(mentor)
        if not options:
            return None
        self.rng.shuffle(options)
        mentor = min(options, key=lambda m: self.places[(phase, m.pk)])
        self.places[(phase, mentor.pk)] += needed
        return mentor

    def release(self, mentor: Person, kind: str, count: int) -> None:
        self.places[(0 if kind == COMPLETED else 1, mentor.pk)] -= count

    def number(self, story: Story) -> None:
        """«№ NN-од»: one order of each school for last year's start, one for this year's, one recent."""
        if story.order_date is None:
            return
        which = 3 if story.late else {COMPLETED: 0, APPROVED: 2}.get(story.kind, 1)
        numbers = self.order_numbers.setdefault(story.school.pk, {})
        if which not in numbers:
            base = {0: 60, 1: 60, 2: 150, 3: 110}[which]
            numbers[which] = f"{base + self.rng.randint(0, 80)}-од"
        story.order_number = numbers[which]

    # playing ----------------------------------------------------------------------------------

    def play(self) -> None:
        self.registered: list[Story] = []
        for story in sorted(self.stories, key=lambda s: s.phase):
            try:
                with transaction.atomic():
                    self.play_story(story)
            except ValidationError as error:  # pragma: no cover - the planning checks what the rules do
                self.skipped.append(f"{story.kind} {story.school}: {'; '.join(error.messages)}")
        self.issue_registered()

    def issue_registered(self) -> None:
        """curator1's school's recent order on pairs, as the portal issues it (issue 10 §5): curator1
        prepares it from the drafts sent for approval, director1 issues it, the register keeps its
        PDF and the pairs show its number. The school's other drafts wait for the next order."""
        if not self.registered:
            return
        from core import issuing
        from mentorship.orders import PairOrder

        first = self.registered[0]
        school, date = first.school, first.order_date
        curator, director = self.curators.get(school.pk), self.directors[school.pk]
        number = school.format_order_number(int(first.order_number.split("-")[0]), date.year)
        with transaction.atomic():
            document = issuing.document_prepare(
                kind=PairOrder.for_pairs(school, [story.pair.pk for story in self.registered]),
                user=curator or director,
                municipality=self.municipality,
                organization=school,
            )
            issuing.document_issue(document=document, number=number, date=date, user=director, today=date)
        services.advance_pairs(today=self.today)
        for story in self.registered:
            story.pair.refresh_from_db()
            story.order_number = number
            services.plan_start(pair=story.pair, user=curator)

    def play_story(self, story: Story) -> None:
        rng, today = self.rng, self.today
        curator = self.curators.get(story.school.pk)
        director = self.directors.get(story.school.pk)
        form = self.forms[story.form]
        topic = self.topic(story)
        pair = Pair(
            organization=story.school,
            form=form,
            mentor=story.mentor,
            start_on=story.start,
            end_on=story.end,
            topic=topic,
            goal=rng.choice(GOALS[story.form]),
        )
        services.pair_save(pair=pair, mentees=story.mentees, user=curator, today=story.created_on)
        story.pair = pair
        if story.kind == DRAFT:
            return
        services.pairs_request_approval(pairs=[pair], user=curator, today=story.requested_on)
        if story.kind == REQUESTED:
            return
        if story.kind == APPROVED and story.school.pk == self.schools[0].pk and director is not None:
            self.registered.append(story)  # approved below by an order issued through the register
            return
        services.pairs_approve(
            pairs=[pair], number=story.order_number, date=story.order_date, user=director, today=story.order_date
        )
        # The calendar: the pair begins on its start date, last year's ends after its end.
        services.advance_pairs(today=today)
        pair.refresh_from_db()
        if story.kind == APPROVED:
            services.plan_start(pair=pair, user=curator)
            return
        until = min(today, pair.end_on)
        if story.kind == GROUP and story.joining is not None:
            services.pair_add_mentee(pair=pair, mentee=story.joining, on=story.joins_on, user=curator)
        if story.kind == REPLACED:
            reason, comment = REPLACEMENTS[story.form]
            on = self.calendar.days(pair.start_on, rng.randint(25, max(26, (today - pair.start_on).days - 10)))
            services.pair_replace_mentor(
                pair=pair, mentor=story.new_mentor, on=min(on, today), reason=reason, comment=comment, user=curator
            )
        if story.kind == TERMINATED:
            until = self.calendar.days(today, -rng.randint(5, 15))
        self.work(story, pair, until, curator, director)
        if story.kind == TERMINATED:
            reason, comment = rng.choice(TERMINATIONS)
            services.pair_terminate(pair=pair, on=until, reason=reason, comment=comment, user=curator)
        if story.kind == EXTENDED:
            services.pair_extend(
                pair=pair,
                new_end=self.calendar.days(pair.end_on, rng.choice([21, 30, 45])),
                reason=ExtensionReason.ILLNESS,
                comment="Наставляемый был на больничном три недели.",
                user=curator,
            )
        if story.kind == COMPLETED:
            self.completion_reports(story, pair, curator, director)

    def topic(self, story: Story) -> str:
        record = getattr(story.mentees[0], "mentee_record", None)
        requests = [str(topic) for topic in record.requests.all()] if record else []
        return requests[0] if requests else "Профориентация"

    def work(self, story: Story, pair: Pair, until: datetime.date, curator, director) -> None:
        """The plan (§3.10–3.11, approved by the director), the meetings of seed 001's kinds and the
        mentor's monthly reports (§5.2) up to `until`, with a few months missing."""
        rng, days = self.rng, self.calendar.days
        start = pair.start_on
        plan = services.plan_start(pair=pair, user=curator)
        for item in plan.items.select_related("plan__pair__form"):
            if item.deadline <= days(until, -3) and rng.random() < 0.9:
                item.done_on = max(start, min(days(item.deadline, -rng.randint(0, 6)), until))
                services.plan_item_save(item=item, user=curator)
        acknowledged = min(days(start, rng.randint(5, 12)), until)
        services.plan_acknowledge(plan=plan, on=acknowledged, user=curator)
        services.plan_approve(plan=plan, user=director, on=min(days(acknowledged, rng.randint(1, 5)), until))

        meetings = [
            (MeetingKind.ACQUAINTANCE, days(start, rng.randint(1, 4))),
            (MeetingKind.TRIAL, days(start, rng.randint(7, 10))),
            (MeetingKind.PLANNING, days(start, rng.randint(12, 16))),
        ]
        ends = story.kind in (COMPLETED, OVERDUE)
        last = days(pair.end_on, -rng.randint(4, 8)) if ends else until
        held = days(start, 16 + rng.randint(10, 20))
        while held < last:
            meetings.append((MeetingKind.WORKING, held))
            # Every two or three weeks; a whole year of a completed pair, about monthly.
            held = days(held, rng.randint(25, 35) if ends else rng.randint(14, 24))
        if ends:
            meetings.append((MeetingKind.FINAL, last))
        topics = list(WORKING_TOPICS[story.form])
        rng.shuffle(topics)
        for index, (kind, held_on) in enumerate(meetings):
            if held_on > until:
                break
            working = kind == MeetingKind.WORKING
            services.meeting_save(
                meeting=Meeting(
                    pair=pair,
                    kind=kind,
                    held_on=held_on,
                    topic=topics[index % len(topics)] if working else MEETING_TOPICS[kind],
                    notes=rng.choice(MEETING_NOTES),
                    feedback=rng.choice(FEEDBACK) if working else "",
                ),
                user=curator,
            )

        # A month is reported once it is over; an ended pair's last month too.
        months = []
        month = start.replace(day=1)
        while month <= until.replace(day=1):
            following = services.add_months(month, 1)
            if following <= until or ends:
                months.append(month)
            month = following
        # A month the mentor did not report (§5.2): the list of pairs and the home page show it.
        if len(months) >= 2 and rng.random() < (0.5 if len(months) >= 3 else 0.3):
            months.pop(rng.randrange(1, len(months)))
        for month in months:
            submitted = days(services.add_months(month, 1), rng.randint(0, 4))
            services.monthly_report_save(
                report=MonthlyReport(
                    pair=pair,
                    month=month,
                    submitted_on=min(submitted, self.today),
                    text=f"Проведены встречи по плану; {rng.choice(MONTH_PROGRESS)}.",
                ),
                user=curator,
            )

    def completion_reports(self, story: Story, pair: Pair, curator, director) -> None:
        """§3.12–3.13: the mentor's report (approved by the director, §4.1) and each mentee's, with the
        rating of the mentor, within 10 days after the end."""
        rng, days = self.rng, self.calendar.days
        submitted = days(pair.end_on, rng.randint(2, 9))
        report = services.mentor_report_save(
            report=MentorReport(
                pair=pair,
                submitted_on=submitted,
                plan_fulfilment="Индивидуальный план выполнен: все мероприятия проведены в срок.",
                results=MENTOR_RESULTS[story.form],
            ),
            user=curator,
        )
        services.mentor_report_approve(report=report, user=director, on=days(submitted, rng.randint(1, 5)))
        for mentee in story.mentees:
            ratings = [rng.choice([4, 5, 5]) for _ in range(4)]
            services.mentee_report_save(
                report=MenteeReport(
                    pair=pair,
                    mentee=mentee,
                    submitted_on=days(pair.end_on, rng.randint(1, 9)),
                    text=rng.choice(MENTEE_TEXTS),
                    rating_competence=ratings[0],
                    rating_availability=ratings[1],
                    rating_usefulness=ratings[2],
                    rating_overall=ratings[3],
                ),
                user=curator,
            )

    # recognition and the bank of practices ---------------------------------------------------------

    def recognize(self) -> None:
        """Рewards of last year's mentors (§3.15): a благодарность of the school for some, in
        curator1's school also a грамота and a nomination «Лучший педагог-наставник»."""
        rng = self.rng
        completed = [s for s in self.stories if s.kind == COMPLETED and s.pair is not None]
        for index, school in enumerate(self.schools):
            ours = [s for s in completed if s.school.pk == school.pk]
            curator = self.curators.get(school.pk)
            for story in ours[: 2 if index == 0 else 1]:
                self.reward(story, RecognitionKind.GRATITUDE, RecognitionLevel.ORGANIZATION, "", curator)
            if index == 0:
                teachers = [s for s in ours if s.form == FormCode.TEACHER_TEACHER] or ours
                if teachers:
                    self.reward(teachers[0], RecognitionKind.CERTIFICATE, RecognitionLevel.MUNICIPALITY, "", curator)
                    self.reward(
                        teachers[0],
                        RecognitionKind.NOMINATION,
                        RecognitionLevel.MUNICIPALITY,
                        "Конкурс «Лучший педагог-наставник»",
                        curator,
                        awarded_on=self.calendar.days(self.today, -rng.randint(5, 30)),
                    )

    def reward(self, story: Story, kind, level, title, curator, awarded_on=None) -> None:
        pair = story.pair
        awarded_on = awarded_on or self.calendar.days(pair.end_on, self.rng.randint(10, 25))
        order = self.rng.randint(100, 180)
        grounds = {
            RecognitionKind.GRATITUDE: f"Приказ от {awarded_on:%d.%m.%Y} № {order}-од: за результативную работу "
            "наставника.",
            RecognitionKind.CERTIFICATE: f"Приказ управления образования от {awarded_on:%d.%m.%Y} № {order}: за "
            "вклад в развитие наставничества.",
            RecognitionKind.NOMINATION: "Решение педагогического совета: выдвинуть на муниципальный этап конкурса.",
        }[kind]
        user = curator if story.mentor.organization_id == story.school.pk else None
        services.recognition_save(
            recognition=Recognition(
                person=story.mentor,
                pair=pair,
                kind=kind,
                level=level,
                title=title,
                awarded_on=awarded_on,
                grounds=grounds,
            ),
            user=user,
        )

    def practices(self) -> None:
        """Two practices of the bank (seed 000 §4), each from last year's pairs of its form."""
        for form, title, description in PRACTICES:
            stories = [s for s in self.stories if s.kind == COMPLETED and s.form == form and s.pair is not None]
            # A small demo may have no completed pair of the form: the practice of pairs at work.
            stories = stories or [s for s in self.stories if s.kind in STARTED and s.form == form and s.pair]
            if not stories:
                continue
            school = stories[0].school
            pairs = [s.pair for s in stories if s.school.pk == school.pk][:3]
            services.practice_save(
                practice=Practice(
                    municipality=self.municipality,
                    organization=school,
                    title=title,
                    description=description,
                    form=self.forms[form],
                ),
                pairs=pairs,
                user=None,
            )

    def build(self) -> dict:
        self.load_people()
        self.actors()
        self.plan()
        self.play()
        self.recognize()
        self.practices()
        return pair_counts(self.municipality)


_YEAR = datetime.timedelta(days=365)

#: The summary's pair lines: (count key, status or None for all).
STATUS_KEYS = {
    "pairs_draft": PairStatus.DRAFT,
    "pairs_approved": PairStatus.APPROVED,
    "pairs_active": PairStatus.ACTIVE,
    "pairs_completed": PairStatus.COMPLETED,
    "pairs_terminated": PairStatus.TERMINATED,
}


def pair_counts(municipality: Municipality) -> dict[str, int]:
    """The figures of the municipality's pairs for the summary of `load_demo`."""
    pairs = Pair.objects.filter(organization__municipality=municipality)
    by_status = dict(pairs.values_list("status").annotate(n=Count("pk")))
    counts = {"pairs": sum(by_status.values())}
    counts.update({key: by_status.get(status, 0) for key, status in STATUS_KEYS.items()})
    counts["groups"] = pairs.annotate(n=Count("members", filter=Q(members__role="mentee"))).filter(n__gt=1).count()
    counts["approval_orders"] = ApprovalOrder.objects.filter(organization__municipality=municipality).count()
    counts["meetings"] = Meeting.objects.filter(pair__in=pairs).count()
    counts["monthly_reports"] = MonthlyReport.objects.filter(pair__in=pairs).count()
    counts["completion_reports"] = (
        MentorReport.objects.filter(pair__in=pairs).count() + MenteeReport.objects.filter(pair__in=pairs).count()
    )
    counts["recognitions"] = Recognition.objects.filter(person__organization__municipality=municipality).count()
    counts["practices"] = Practice.objects.filter(municipality=municipality).count()
    return counts


def demo_pairs_exist(municipality: Municipality) -> bool:
    return Pair.objects.filter(organization__municipality=municipality).exists()


def delete_demo_pairs(municipality: Municipality) -> int:
    """Delete the municipality's pairs with everything of theirs (members, events, plans, meetings,
    reports), its orders, recognitions and practices: what holds its people and organizations
    (PROTECT), so that the registry's demo can be deleted after. Returns the number of pairs."""
    from core.services import delete_files_on_commit

    files = PracticeFile.objects.filter(practice__municipality=municipality)
    delete_files_on_commit(file.file for file in files)
    Practice.objects.filter(municipality=municipality).delete()
    Recognition.objects.filter(person__organization__municipality=municipality).delete()
    pairs = Pair.objects.filter(organization__municipality=municipality)
    deleted = pairs.count()
    pairs.delete()
    ApprovalOrder.objects.filter(organization__municipality=municipality).delete()
    return deleted


def load_demo_pairs(*, municipality: Municipality, seed: int, today: datetime.date) -> tuple[dict, list[str]]:
    """Build the pairs of the demo municipality (its registry loaded). Returns (counts, notes)."""
    builder = PairsBuilder(municipality=municipality, seed=seed, today=today)
    counts = builder.build()
    notes = [f"Пара не создана: {line}" for line in builder.skipped]
    return counts, notes
