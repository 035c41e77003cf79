"""Reads of the registry: annotated, scoped querysets the views, exports and dashboards share."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from registry.choices import ADULT_AGE, ConsentKind
from registry.models import Consent, MenteeRecord, MentorRecord, Organization, Person, years_ago


def _active_consent(kind: str):
    return Consent.objects.filter(person=OuterRef("pk"), kind=kind, withdrawn_on__isnull=True)


def consent_withdrawn_condition() -> Exists:
    """A person whose consent stands withdrawn: a withdrawn consent of some kind and no active one
    of that kind given since. DESIGN.md: withdrawal takes the person out of every list and export."""
    active_same_kind = Consent.objects.filter(
        person=OuterRef(OuterRef("pk")), kind=OuterRef("kind"), withdrawn_on__isnull=True
    )
    return Exists(
        Consent.objects.filter(person=OuterRef("pk"), withdrawn_on__isnull=False).exclude(Exists(active_same_kind))
    )


def minor_condition(on: datetime.date) -> Q:
    return Q(birth_date__gt=years_ago(ADULT_AGE, on))


def consents_missing_condition(on: datetime.date) -> Q:
    """A person lacks a consent they need: the mentoring consent for everyone (Положение §3.5),
    the personal-data consent of an adult or a parent's for a minor (`Person.required_consent_kinds`).

    Written with its own subqueries rather than over other annotations: Django leaves
    annotations that refer to annotations out of an aggregate's subquery."""
    minor = minor_condition(on)
    return (
        Q(~Exists(_active_consent(ConsentKind.MENTORING)))
        | (minor & Q(~Exists(_active_consent(ConsentKind.PARENT))))
        | (~minor & Q(~Exists(_active_consent(ConsentKind.PERSONAL_DATA))))
    )


def annotate_consent_state(queryset: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    """Add has_pd, has_mentoring, has_parent, consent_withdrawn and consents_missing."""
    on = on or timezone.localdate()
    return queryset.annotate(
        has_pd=Exists(_active_consent(ConsentKind.PERSONAL_DATA)),
        has_mentoring=Exists(_active_consent(ConsentKind.MENTORING)),
        has_parent=Exists(_active_consent(ConsentKind.PARENT)),
        consent_withdrawn=consent_withdrawn_condition(),
        consents_missing=Case(
            When(consents_missing_condition(on), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


def withdrawn_persons() -> QuerySet:
    """Persons whose consent stands withdrawn (to exclude them, or to show only them)."""
    return Person.objects.filter(consent_withdrawn_condition())


def person_list(*, user) -> QuerySet:
    """Persons the user may see, with their consent state; lists hide the withdrawn by default
    (see registry.filters.WithdrawnFilterSet)."""
    return (
        Person.objects.for_user(user)
        .select_related("organization", "mentor_record", "mentee_record")
        .with_consent_state()
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
    """Organizations with the counts a coordinator looks at."""
    return (
        Organization.objects.for_user(user)
        .select_related("municipality")
        .annotate(
            persons_count=Count("persons", distinct=True),
            mentors_count=Count("persons__mentor_record", distinct=True),
            mentees_count=Count("persons__mentee_record", distinct=True),
        )
        .order_by("short_name")  # Meta.ordering is not applied to GROUP BY queries
    )


def registry_summary(*, user, organizations: QuerySet | None = None, on: datetime.date | None = None) -> dict[str, int]:
    """The figures of a home page: people, mentors, mentees, consents missing or withdrawn.

    «Consents missing» counts people in a base (mentors or mentees) without the consents they need.
    The filters are whole expressions, not references to annotations: Django 5.2 prunes such
    annotations from an aggregate's subquery, and SQLite then reads the bare name as a string.
    """
    on = on or timezone.localdate()
    persons = Person.objects.for_user(user)
    if organizations is not None:
        persons = persons.filter(organization__in=organizations)
    present = Q(~consent_withdrawn_condition())
    in_base = Q(mentor_record__isnull=False) | Q(mentee_record__isnull=False)
    return persons.aggregate(
        persons=Count("pk", filter=present),
        students=Count("pk", filter=present & Q(category="student")),
        teachers=Count("pk", filter=present & Q(category="teacher")),
        mentors=Count("pk", filter=present & Q(mentor_record__isnull=False)),
        mentees=Count("pk", filter=present & Q(mentee_record__isnull=False)),
        consents_missing=Count("pk", filter=present & in_base & consents_missing_condition(on)),
        withdrawn=Count("pk", filter=Q(consent_withdrawn_condition())),
    )
