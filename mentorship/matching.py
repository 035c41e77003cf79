"""Matching that explains itself (docs/product.md «Matching»): for a mentee, the free mentors who may
work with them, ranked, each with the reasons in words — what speaks for and what against. The
curator decides; nothing is paired here except when the curator accepts a proposal, and then
through `services.pair_save` like any draft.

Only the mentors the rules allow are offered (`rules.mentor_refusals`, `rules.pairing_refusals`:
the form's categories and ages, a partner enterprise's mentor for «работодатель – …», an older
pupil for «ученик – ученик») and only those with a free place (§3.4). A missing consent does not
hide a mentor — a draft may wait for it — but speaks against them.

Speed (bench/matching_bench.py): the candidates are read with a few `values()` queries — never a
model instance per mentor — and scored in plain Python; the proposal for a whole base reads them
once and assigns greedily, keeping count of the places it gives.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from core.russian import plural_form
from core.scoping import get_scope
from mentorship import rules, services
from mentorship.models import LIVE_STATUSES, Pair, PairMember, PairStatus
from registry.choices import BaseRole, OrganizationKind
from registry.models import Consent, MenteeRecord, MentorRecord, MentorshipForm, Organization, Person
from registry.selectors import withdrawn_persons

#: The weights of the reasons: a matching request counts most, then the subject and the school.
W_TOPIC, W_SUBJECT, W_SAME_ORG, W_TRAINED, W_AGE, W_FREE, W_CONSENT = 3.0, 2.0, 1.5, 1.0, 1.0, 0.5, 2.0

_WORDS = re.compile(r"[а-яёa-z]+", re.IGNORECASE)
PLACES = "место,места,мест"


def subject_words(text: str) -> frozenset[str]:
    """«Математика, информатика» → {«математика», «информатика»}: subjects compared by word, «ё» as «е»."""
    return frozenset(word.lower().replace("ё", "е") for word in _WORDS.findall(text or "") if len(word) > 3)


@dataclass
class Suggestion:
    """A mentor suggested for a mentee, with the reasons for and against, and the places left."""

    mentor: Person
    score: float
    reasons: list[str] = field(default_factory=list)
    against: list[str] = field(default_factory=list)
    free: int = 0
    capacity: int = 0


@dataclass
class Proposal:
    """A mentee of the base and the mentor proposed for one of their forms (None: no free mentor)."""

    mentee: Person
    form: MentorshipForm
    suggestion: Suggestion | None


@dataclass
class _Candidate:
    person: Person
    topics: frozenset[int]
    subjects: frozenset[str]
    age_min: int | None
    age_max: int | None
    trained: bool
    capacity: int
    load: int
    consents_ok: bool

    @property
    def free(self) -> int:
        return self.capacity - self.load


class _Pool:
    """The mentors of one form a user may choose (their own and the municipality's partners'),
    read once: who they are, their topics, subjects, places and consents."""

    def __init__(self, *, form: MentorshipForm, municipality_id: int, user, on: datetime.date):
        self.form = form
        self.on = on
        scope = get_scope(user) if user is not None else None
        people = Person.objects.filter(mentor_record__forms=form, organization__municipality_id=municipality_id)
        if scope is not None:
            people = people.filter(rules.mentor_visible_condition(scope))
        people = people.exclude(pk__in=withdrawn_persons().values("pk"))
        rows = list(
            people.values_list(
                "pk", "last_name", "first_name", "middle_name", "birth_date", "category", "organization_id",
                "subjects", "mentor_record__pk", "mentor_record__is_trained", "mentor_record__max_mentees",
                "mentor_record__mentee_age_min", "mentor_record__mentee_age_max",
            ).order_by("pk")
        )  # fmt: skip
        organizations = {
            o.pk: o
            for o in Organization.objects.filter(pk__in={row[6] for row in rows}).only(
                "pk", "short_name", "kind", "municipality_id"
            )
        }
        record_person = {row[8]: row[0] for row in rows}
        topics: dict[int, set[int]] = defaultdict(set)
        through = MentorRecord.topics.through
        for record_id, topic_id in through.objects.filter(mentorrecord_id__in=list(record_person)).values_list(
            "mentorrecord_id", "requesttopic_id"
        ):
            topics[record_person[record_id]].add(topic_id)
        loads = rules.mentor_loads([row[0] for row in rows])
        consents = _consent_kinds([row[0] for row in rows])
        self.candidates: list[_Candidate] = []
        for (
            pk,
            last,
            first,
            middle,
            birth,
            category,
            org_id,
            subjects,
            _record,
            trained,
            limit,
            age_min,
            age_max,
        ) in rows:
            person = Person(
                pk=pk, last_name=last, first_name=first, middle_name=middle, birth_date=birth, category=category,
                organization_id=org_id, subjects=subjects,
            )  # fmt: skip
            person.organization = organizations[org_id]
            needed = person.required_consent_kinds(on)
            self.candidates.append(
                _Candidate(
                    person=person,
                    topics=frozenset(topics.get(pk, ())),
                    subjects=subject_words(subjects),
                    age_min=age_min,
                    age_max=age_max,
                    trained=trained,
                    capacity=min(limit or rules.MENTOR_MAX_MENTEES, rules.MENTOR_MAX_MENTEES),
                    load=loads.get(pk, 0),
                    consents_ok=needed <= consents.get(pk, set()),
                )
            )
        self._allowed: dict[int, list[_Candidate]] = {}
        self.by_person = {c.person.pk: c for c in self.candidates}

    def allowed_for(self, organization: Organization) -> list[_Candidate]:
        """The candidates the form's rules allow for a pair of `organization` (whatever the mentee)."""
        if organization.pk not in self._allowed:
            self._allowed[organization.pk] = [
                c
                for c in self.candidates
                if not rules.mentor_refusals(
                    form=self.form, organization=organization, mentor=c.person, has_form=True, on=self.on
                )
            ]
        return self._allowed[organization.pk]


def _consent_kinds(person_ids: list[int]) -> dict[int, set[str]]:
    kinds: dict[int, set[str]] = defaultdict(set)
    for person_id, kind in Consent.objects.filter(person_id__in=person_ids, withdrawn_on__isnull=True).values_list(
        "person_id", "kind"
    ):
        kinds[person_id].add(kind)
    return kinds


@dataclass
class _Mentee:
    person: Person
    topics: dict[int, str]
    subjects: frozenset[str]
    age: int


def _mentees(queryset, on: datetime.date) -> list[_Mentee]:
    """Mentees with their request topics (one query for the topics)."""
    people = list(queryset.select_related("organization", "mentee_record"))
    records = {p.mentee_record.pk: p.pk for p in people}
    topics: dict[int, dict[int, str]] = defaultdict(dict)
    through = MenteeRecord.requests.through
    for record_id, topic_id, name in through.objects.filter(menteerecord_id__in=list(records)).values_list(
        "menteerecord_id", "requesttopic_id", "requesttopic__name"
    ):
        topics[records[record_id]][topic_id] = name
    return [
        _Mentee(person=p, topics=topics.get(p.pk, {}), subjects=subject_words(p.subjects), age=p.age(on))
        for p in people
    ]


def _score(candidate: _Candidate, mentee: _Mentee, form: MentorshipForm) -> Suggestion | None:
    """Score one mentor for one mentee, in words; None when a rule forbids the pair."""
    mentor = candidate.person
    if mentor.pk == mentee.person.pk or rules.pairing_refusals(form=form, mentor=mentor, mentee=mentee.person):
        return None
    score, reasons, against = 0.0, [], []
    shared = [mentee.topics[t] for t in candidate.topics if t in mentee.topics]
    for name in sorted(shared):
        reasons.append(f"совпадает запрос: {name.lower()}")
    score += W_TOPIC * len(shared)
    subjects = sorted(candidate.subjects & mentee.subjects)
    if subjects:
        reasons.append("предмет: " + ", ".join(subjects))
        score += W_SUBJECT
    if mentor.organization_id == mentee.person.organization_id:
        reasons.append("та же школа" if mentor.organization.kind == OrganizationKind.SCHOOL else "та же организация")
        score += W_SAME_ORG
    elif mentor.organization.kind in rules.PARTNER_KINDS:
        reasons.append(f"организация-партнёр: {mentor.organization}")
    else:
        against.append(f"другая школа: {mentor.organization}")
    free = candidate.free
    reasons.append(f"свободно {free} {plural_form(free, PLACES)} из {candidate.capacity}")
    score += W_FREE * free
    if candidate.trained:
        reasons.append("обучен")
        score += W_TRAINED
    else:
        against.append("не обучен")
    if candidate.age_min is not None or candidate.age_max is not None:
        low, high = candidate.age_min or 0, candidate.age_max or 200
        if low <= mentee.age <= high:
            reasons.append("возраст наставляемых подходит")
            score += W_AGE
        else:
            span = f"{candidate.age_min or '…'}–{candidate.age_max or '…'}"
            against.append(f"наставник просит наставляемых {span} лет")
            score -= W_AGE
    if not candidate.consents_ok:
        against.append("нет всех согласий: утвердить пару пока нельзя")
        score -= W_CONSENT
    return Suggestion(
        mentor=mentor, score=score, reasons=reasons, against=against, free=free, capacity=candidate.capacity
    )


def _rank(pool: _Pool, mentee: _Mentee, limit: int | None) -> list[Suggestion]:
    suggestions = []
    for candidate in pool.allowed_for(mentee.person.organization):
        if candidate.free <= 0:
            continue
        suggestion = _score(candidate, mentee, pool.form)
        if suggestion is not None:
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, -s.free, s.mentor.last_name, s.mentor.first_name, s.mentor.pk))
    return suggestions[:limit] if limit else suggestions


def suggest_mentors(
    *, mentee: Person, form: MentorshipForm, user, limit: int = 20, on: datetime.date | None = None
) -> list[Suggestion]:
    """The free mentors who may work with `mentee` in `form`, best first, each with its reasons.
    A mentee who may not be the mentee of the form gets no suggestions (the form tells why)."""
    on = on or timezone.localdate()
    organization = mentee.organization
    [item] = _mentees(Person.objects.filter(pk=mentee.pk), on)
    has_form = item.person.mentee_record.forms.filter(pk=form.pk).exists()
    if rules.mentee_refusals(form=form, organization=organization, mentee=item.person, has_form=has_form, on=on):
        return []
    pool = _Pool(form=form, municipality_id=organization.municipality_id, user=user, on=on)
    return _rank(pool, item, limit)


def _busy_mentees(organization: Organization) -> set[tuple[int, int]]:
    """(mentee, form) already in a draft or a live pair: they are not proposed again."""
    return set(
        PairMember.objects.filter(
            pair__organization=organization,
            role=BaseRole.MENTEE,
            left_on__isnull=True,
            pair__status__in=(PairStatus.DRAFT, *LIVE_STATUSES),
        ).values_list("person_id", "pair__form_id")
    )


def propose_pairs(
    *, organization: Organization, user, form: MentorshipForm | None = None, on: datetime.date | None = None
) -> list[Proposal]:
    """A proposed set of drafts for the organization's whole base of mentees: each mentee (in each of
    their forms, or in `form`) the best free mentor, places counted as they are given (§3.4).
    Mentees already in a draft or a live pair of the form are left out; one with no free mentor is
    proposed with none, so the curator sees who is left."""
    on = on or timezone.localdate()
    busy = _busy_mentees(organization)
    people = Person.objects.filter(organization=organization, mentee_record__isnull=False).exclude(
        pk__in=withdrawn_persons().values("pk")
    )
    mentees = _mentees(people.order_by("last_name", "first_name", "middle_name", "pk"), on)
    record_forms: dict[int, list[int]] = defaultdict(list)
    through = MenteeRecord.forms.through
    for person_id, form_id in through.objects.filter(menteerecord__person__organization=organization).values_list(
        "menteerecord__person_id", "mentorshipform_id"
    ):
        record_forms[person_id].append(form_id)
    forms = {f.pk: f for f in MentorshipForm.objects.all()}
    pools: dict[int, _Pool] = {}
    proposals: list[Proposal] = []
    for mentee in mentees:
        for form_id in sorted(record_forms.get(mentee.person.pk, ()), key=lambda pk: forms[pk].order):
            if (form is not None and form_id != form.pk) or (mentee.person.pk, form_id) in busy:
                continue
            this_form = forms[form_id]
            if rules.mentee_refusals(
                form=this_form, organization=organization, mentee=mentee.person, has_form=True, on=on
            ):
                continue
            if form_id not in pools:
                pools[form_id] = _Pool(form=this_form, municipality_id=organization.municipality_id, user=user, on=on)
            ranked = _rank(pools[form_id], mentee, limit=1)
            best = ranked[0] if ranked else None
            if best is not None:
                _take_place(pools, best.mentor.pk)
            proposals.append(Proposal(mentee=mentee.person, form=this_form, suggestion=best))
    return proposals


def _take_place(pools: dict[int, _Pool], mentor_id: int) -> None:
    """A place given in the proposal is taken in every form's pool: §3.4 counts across all pairs."""
    for pool in pools.values():
        candidate = pool.by_person.get(mentor_id)
        if candidate is not None:
            candidate.load += 1


@transaction.atomic
def accept_proposals(
    *,
    organization: Organization,
    choices: list[tuple[int, int, int]],
    start_on: datetime.date,
    end_on: datetime.date | None,
    user,
) -> list[Pair]:
    """Create the drafts the curator kept from a proposal — (mentee id, form id, mentor id) each —
    through `services.pair_save`, all or nothing; every refusal names the mentee."""
    from django.core.exceptions import ValidationError

    mentees = {p.pk: p for p in Person.objects.filter(organization=organization, pk__in=[c[0] for c in choices])}
    forms = {f.pk: f for f in MentorshipForm.objects.all()}
    pairs, errors = [], []
    for mentee_id, form_id, mentor_id in choices:
        mentee = mentees.get(mentee_id)
        if mentee is None or form_id not in forms:
            errors.append("Наставляемый не найден в вашей организации: обновите страницу предложения.")
            continue
        pair = Pair(
            organization=organization, form=forms[form_id], mentor_id=mentor_id, start_on=start_on, end_on=end_on
        )
        try:
            with transaction.atomic():
                pairs.append(services.pair_save(pair=pair, mentees=[mentee], user=user))
        except ValidationError as error:
            errors.append(f"{mentee.short_name}: " + " ".join(error.messages))
    if errors:
        raise ValidationError(errors)
    return pairs
