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
from registry.choices import ADULT_AGE, BaseRole, OrganizationKind
from registry.models import (
    Consent,
    MenteeRecord,
    MentorRecord,
    MentorshipForm,
    Organization,
    Person,
    full_years,
    years_ago,
)
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


class _Candidate:
    """A mentor of the pool as bare values: no model instance until they are among the suggestions."""

    __slots__ = (
        "age_max",
        "age_min",
        "birth",
        "capacity",
        "category",
        "consents_ok",
        "load",
        "names",
        "organization",
        "pk",
        "static",
        "subjects",
        "subjects_text",
        "topics",
        "trained",
    )  # fmt: skip

    def __init__(self, **values):
        for name, value in values.items():
            setattr(self, name, value)

    @property
    def free(self) -> int:
        return self.capacity - self.load

    def person(self) -> Person:
        last, first, middle = self.names
        person = Person(
            pk=self.pk, last_name=last, first_name=first, middle_name=middle, birth_date=self.birth,
            category=self.category, organization_id=self.organization.pk, subjects=self.subjects_text,
        )  # fmt: skip
        person.organization = self.organization
        return person


class _Pool:
    """The mentors of one form a user may choose (their own and the municipality's partners'),
    read once with `values_list` — who they are, their topics, subjects, places and consents."""

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
                "subjects", "mentor_record__is_trained", "mentor_record__max_mentees",
                "mentor_record__mentee_age_min", "mentor_record__mentee_age_max",
            ).order_by("pk")
        )  # fmt: skip
        organizations = {
            o.pk: o
            for o in Organization.objects.filter(pk__in={row[6] for row in rows}).only(
                "pk", "short_name", "kind", "municipality_id"
            )
        }
        topics: dict[int, set[int]] = defaultdict(set)
        through = MentorRecord.topics.through
        for person_id, topic_id in through.objects.filter(mentorrecord__person__in=people).values_list(
            "mentorrecord__person_id", "requesttopic_id"
        ):
            topics[person_id].add(topic_id)
        loads = rules.mentor_loads(people)
        consents: dict[int, set[str]] = defaultdict(set)
        for person_id, kind in Consent.objects.filter(person__in=people, withdrawn_on__isnull=True).values_list(
            "person_id", "kind"
        ):
            consents[person_id].add(kind)
        adult = years_ago(ADULT_AGE, on)
        adult_kinds = Person(birth_date=adult).required_consent_kinds(on)
        minor_kinds = Person(birth_date=on).required_consent_kinds(on)
        self.candidates: list[_Candidate] = []
        for pk, last, first, middle, birth, category, org_id, subjects, trained, limit, age_min, age_max in rows:
            needed = adult_kinds if birth <= adult else minor_kinds
            self.candidates.append(
                _Candidate(
                    pk=pk, names=(last, first, middle), birth=birth, category=category,
                    organization=organizations[org_id], subjects_text=subjects, topics=frozenset(topics.get(pk, ())),
                    subjects=subject_words(subjects), age_min=age_min, age_max=age_max, trained=trained,
                    capacity=min(limit or rules.MENTOR_MAX_MENTEES, rules.MENTOR_MAX_MENTEES),
                    load=loads.get(pk, 0), consents_ok=needed <= consents.get(pk, set()), static=0.0,
                )
            )  # fmt: skip
        self.by_person = {c.pk: c for c in self.candidates}
        self._allowed: dict[int, list[_Candidate]] = {}

    def allowed_for(self, organization: Organization) -> list[_Candidate]:
        """The candidates the form's rules (`rules.mentor_refusals`) allow for a pair of
        `organization`, whatever the mentee, best static score first. The rules depend on the
        mentor's category, age and organization only, so they are asked once per such kind."""
        if organization.pk not in self._allowed:
            verdicts: dict[tuple, bool] = {}
            allowed = []
            for c in self.candidates:
                key = (c.category, full_years(c.birth, self.on), c.organization.pk)
                if key not in verdicts:
                    verdicts[key] = not rules.mentor_refusals(
                        form=self.form, organization=organization, mentor=c.person(), has_form=True, on=self.on
                    )
                if verdicts[key]:
                    c.static = _static_score(c, organization)
                    allowed.append(c)
            allowed.sort(key=lambda c: -c.static)
            self._allowed[organization.pk] = allowed
        return self._allowed[organization.pk]


def _static_score(c: _Candidate, organization: Organization) -> float:
    """The part of the score that does not depend on the mentee (the places at the start): the
    bound that lets the proposal stop scanning once no one further down can win."""
    score = W_FREE * c.free + (W_TRAINED if c.trained else 0.0) - (0.0 if c.consents_ok else W_CONSENT)
    return score + (W_SAME_ORG if c.organization.pk == organization.pk else 0.0)


@dataclass
class _Mentee:
    person: Person
    topics: dict[int, str]
    subjects: frozenset[str]
    age: int

    @property
    def best_dynamic(self) -> float:
        """The most the mentee-dependent reasons can add: every request topic, a subject, the age."""
        return W_TOPIC * len(self.topics) + (W_SUBJECT if self.subjects else 0.0) + W_AGE


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


def _score(c: _Candidate, mentee: _Mentee, form: MentorshipForm, *, explain: bool = False):
    """The score of one mentor for one mentee (None when a rule forbids the pair); with `explain`, the
    Suggestion with its reasons in words. One function for both, so the words say what was counted."""
    person = mentee.person
    if not rules.pairing_allowed(form.code, c.pk, c.birth, person.pk, person.birth_date):
        return None
    reasons: list[str] = []
    against: list[str] = []
    shared = [mentee.topics[t] for t in c.topics if t in mentee.topics]
    score = W_TOPIC * len(shared)
    subjects = c.subjects & mentee.subjects
    if subjects:
        score += W_SUBJECT
    same_org = c.organization.pk == person.organization_id
    if same_org:
        score += W_SAME_ORG
    free = c.free
    score += W_FREE * free
    if c.trained:
        score += W_TRAINED
    age_fits = None
    if c.age_min is not None or c.age_max is not None:
        age_fits = (c.age_min or 0) <= mentee.age <= (c.age_max or 200)
        score += W_AGE if age_fits else -W_AGE
    if not c.consents_ok:
        score -= W_CONSENT
    if not explain:
        return score
    reasons += [f"совпадает запрос: {name.lower()}" for name in sorted(shared)]
    if subjects:
        reasons.append("предмет: " + ", ".join(sorted(subjects)))
    if same_org:
        reasons.append("та же школа" if c.organization.kind == OrganizationKind.SCHOOL else "та же организация")
    elif c.organization.kind in rules.PARTNER_KINDS:
        reasons.append(f"организация-партнёр: {c.organization}")
    else:
        against.append(f"другая школа: {c.organization}")
    reasons.append(f"свободно {free} {plural_form(free, PLACES)} из {c.capacity}")
    if c.trained:
        reasons.append("обучен")
    else:
        against.append("не обучен")
    if age_fits is True:
        reasons.append("возраст наставляемых подходит")
    elif age_fits is False:
        against.append(f"наставник просит наставляемых {c.age_min or '…'}–{c.age_max or '…'} лет")
    if not c.consents_ok:
        against.append("нет всех согласий: утвердить пару пока нельзя")
    return Suggestion(mentor=c.person(), score=score, reasons=reasons, against=against, free=free, capacity=c.capacity)


def _order(score: float, c: _Candidate) -> tuple:
    return (-score, -c.free, c.names, c.pk)


def _rank(pool: _Pool, mentee: _Mentee, limit: int | None) -> list[Suggestion]:
    """All free allowed candidates scored, the best `limit` explained."""
    scored = []
    for c in pool.allowed_for(mentee.person.organization):
        if c.free > 0:
            score = _score(c, mentee, pool.form)
            if score is not None:
                scored.append((_order(score, c), c))
    scored.sort(key=lambda item: item[0])
    chosen = scored[:limit] if limit else scored
    return [_score(c, mentee, pool.form, explain=True) for _, c in chosen]


def _best(pool: _Pool, mentee: _Mentee) -> _Candidate | None:
    """The first of `_rank`, without scoring everyone: candidates come best static score first,
    and a static score (places only fall as the proposal gives them) plus the most the mentee can
    add is a bound; once it is below the best found, no one further down can win."""
    best_key, best = None, None
    ceiling = mentee.best_dynamic
    for c in pool.allowed_for(mentee.person.organization):
        if best_key is not None and c.static + ceiling < -best_key[0]:
            break
        if c.free <= 0:
            continue
        score = _score(c, mentee, pool.form)
        if score is not None:
            key = _order(score, c)
            if best_key is None or key < best_key:
                best_key, best = key, c
    return best


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
            chosen = _best(pools[form_id], mentee)
            suggestion = _score(chosen, mentee, this_form, explain=True) if chosen is not None else None
            if chosen is not None:
                _take_place(pools, chosen.pk)
            proposals.append(Proposal(mentee=mentee.person, form=this_form, suggestion=suggestion))
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
