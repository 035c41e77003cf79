"""Reads of the registry: annotated, scoped querysets the views, exports and dashboards share."""

from __future__ import annotations

import datetime

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from core.db import flag
from registry.choices import ADULT_AGE, ConsentKind
from registry.models import Consent, MenteeRecord, MentorRecord, Organization, Person, years_ago


def _active_consent(kind: str):
    return Consent.objects.filter(person=OuterRef("pk"), kind=kind, withdrawn_on__isnull=True)


def consent_withdrawn_condition() -> Exists:
    """A person whose consent stands withdrawn: a withdrawn consent of some kind and no active one
    of that kind given since. docs/product.md: withdrawal takes the person out of every list and export."""
    active_same_kind = Consent.objects.filter(
        person=OuterRef(OuterRef("pk")), kind=OuterRef("kind"), withdrawn_on__isnull=True
    )
    return Exists(
        Consent.objects.filter(person=OuterRef("pk"), withdrawn_on__isnull=False).exclude(Exists(active_same_kind))
    )


def minor_condition(on: datetime.date) -> Q:
    return Q(birth_date__gt=years_ago(ADULT_AGE, on))


def needs_consents_condition() -> Q:
    """The people who need the consents of mentorship: those who take part in it, that is who are
    in the base of mentors or of mentees. Pairs are formed from the bases, so the people of a pair
    are among them. Someone who is only in the registry needs no consent yet."""
    return Q(mentor_record__isnull=False) | Q(mentee_record__isnull=False)


def lacks_consent_condition(on: datetime.date) -> Q:
    """A person lacks a consent of `Person.required_consent_kinds`: the mentoring consent for
    everyone (Положение §3.5), the personal-data consent of an adult or a parent's for a minor.

    Written with its own subqueries rather than over other annotations: Django leaves
    annotations that refer to annotations out of an aggregate's subquery."""
    minor = minor_condition(on)
    return (
        Q(~Exists(_active_consent(ConsentKind.MENTORING)))
        | (minor & Q(~Exists(_active_consent(ConsentKind.PARENT))))
        | (~minor & Q(~Exists(_active_consent(ConsentKind.PERSONAL_DATA))))
    )


def consents_missing_condition(on: datetime.date) -> Q:
    """«Без нужных согласий»: the one definition behind the home page's tile, the «Что сделать
    дальше» line, the people list's filter and its export — a person who needs consents
    (`needs_consents_condition`) and lacks one of those their age requires."""
    return needs_consents_condition() & lacks_consent_condition(on)


def annotate_consent_state(queryset: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    """Add has_pd, has_mentoring, has_parent, consent_withdrawn, lacks_consents (a consent of
    `Person.required_consent_kinds` is missing), needs_consents (in a base) and consents_missing
    (both: what the lists and the home page count)."""
    on = on or timezone.localdate()
    return queryset.annotate(
        has_pd=Exists(_active_consent(ConsentKind.PERSONAL_DATA)),
        has_mentoring=Exists(_active_consent(ConsentKind.MENTORING)),
        has_parent=Exists(_active_consent(ConsentKind.PARENT)),
        consent_withdrawn=consent_withdrawn_condition(),
        lacks_consents=flag(lacks_consent_condition(on)),
        needs_consents=flag(needs_consents_condition()),
        consents_missing=flag(consents_missing_condition(on)),
    )


def withdrawn_person_ids() -> QuerySet:
    """The ids of the persons whose consent stands withdrawn (`consent_withdrawn_condition`), read
    from the consents alone: `pk__in` this is one subquery PostgreSQL hashes once, where the
    condition is a correlated EXISTS run for every person, and again for every figure it filters."""
    active_same_kind = Consent.objects.filter(
        person=OuterRef("person"), kind=OuterRef("kind"), withdrawn_on__isnull=True
    )
    return Consent.objects.filter(withdrawn_on__isnull=False).exclude(Exists(active_same_kind)).values("person_id")


def visible_organization_ids(user) -> list[int]:
    """The ids of the organizations `user` sees (`Organization.objects.for_user`), as a list. A
    figure over a municipality's people filtered by these ids is read through the index on the
    people's organization; filtered by the join to the organizations (what `for_user` writes),
    PostgreSQL misjudges the join and reads the whole region's people (bench/dashboard_bench.py:
    140 ms against 5 ms for 30 schools). One short query on the organizations' index."""
    return list(Organization.objects.for_user(user).order_by("pk").values_list("pk", flat=True))


def withdrawn_persons() -> QuerySet:
    """Persons whose consent stands withdrawn (to exclude them, or to show only them)."""
    return Person.objects.filter(consent_withdrawn_condition())


def person_list(*, user) -> QuerySet:
    """Persons the user may see, with what their consent state is read from (`Person.consent_state`:
    their consents prefetched, their bases joined); lists hide the withdrawn by default
    (registry.filters.WithdrawnFilterSet). The SQL annotations of the state
    (`annotate_consent_state`) are added only where a filter or a sort needs them: building
    them costs a list more than rendering it (bench/profile_pages.py)."""
    return (
        Person.objects.for_user(user)
        .select_related("organization", "mentor_record", "mentee_record")
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.order_by("kind", "-signed_on")))
    )


def mentor_record_list(*, user) -> QuerySet:
    return (
        MentorRecord.objects.for_user(user)
        .select_related("person__organization", "level")
        .prefetch_related("forms", "topics")
    )


def mentee_record_list(*, user) -> QuerySet:
    return (
        MenteeRecord.objects.for_user(user).select_related("person__organization").prefetch_related("forms", "requests")
    )


def consent_list(*, user) -> QuerySet:
    return Consent.objects.for_user(user).select_related("person__organization")


def organization_list(*, user) -> QuerySet:
    """Organizations with the counts a coordinator looks at: people, mentors and mentees as the
    people list and the two bases' lists filtered by the organization show them — people whose
    consent stands withdrawn left out, as every list leaves them out.

    One join of the people with their two base records (one row a person) counted three ways;
    the withdrawn are a short list read first. The query this replaces (a subquery a count, each
    with the withdrawal's nested EXISTS) cost more to build in Python than to run."""
    withdrawn = list(withdrawn_persons().values_list("pk", flat=True))
    present = Q(persons__isnull=False) & ~Q(persons__pk__in=withdrawn)
    return (
        Organization.objects.for_user(user)
        .select_related("municipality")
        .annotate(
            persons_count=Count("persons", filter=present),
            mentors_count=Count("persons__mentor_record", filter=present),
            mentees_count=Count("persons__mentee_record", filter=present),
        )
        .order_by(*Organization._meta.ordering)  # Meta.ordering is not applied to GROUP BY queries
    )


def registry_summary(*, user, organizations: QuerySet | None = None, on: datetime.date | None = None) -> dict[str, int]:
    """The figures of a home page: people, mentors, mentees, consents missing or withdrawn.

    Each figure counts what the list its tile links to shows (withdrawn people are left out as
    the lists leave them out; «consents missing» is `consents_missing_condition`).
    The filters are whole expressions, not references to annotations: Django 5.2 prunes such
    annotations from an aggregate's subquery, and SQLite then reads the bare name as a string.
    The people are those of `visible_organization_ids` (the same as `for_user`'s, through the
    index) and the withdrawn one hashed subquery (`withdrawn_person_ids`).
    """
    on = on or timezone.localdate()
    persons = Person.objects.for_user(user).filter(organization_id__in=visible_organization_ids(user))
    if organizations is not None:
        persons = persons.filter(organization__in=organizations)
    withdrawn = Q(pk__in=withdrawn_person_ids())
    present = ~withdrawn
    return persons.aggregate(
        persons=Count("pk", filter=present),
        students=Count("pk", filter=present & Q(category="student")),
        teachers=Count("pk", filter=present & Q(category="teacher")),
        mentors=Count("pk", filter=present & Q(mentor_record__isnull=False)),
        mentees=Count("pk", filter=present & Q(mentee_record__isnull=False)),
        consents_missing=Count("pk", filter=present & consents_missing_condition(on)),
        withdrawn=Count("pk", filter=withdrawn),
    )
