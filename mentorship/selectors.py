"""Reads of mentorship: the scoped lists of pairs and the conditions the pages count by.

Each condition of «what needs doing» is defined once here and used by the pair list's filters, its
export, the home page's figures and the pair's card, so that a figure always equals the list it
links to (tests/registry/test_figures.py, tests/mentorship/test_pair_figures.py):

- `attention_condition`: a live pair (approved or active) one of whose present members has
  withdrawn a consent or lacks one their age requires (Положение §3.5: mentoring only with the
  written consent of both sides) — registry.selectors' two conditions over `PairMember`;
- `reports_overdue_condition`: an ended pair whose completion reports (§3.12–3.13: «в течение 10
  дней по завершении») are not all in ten days after its end;
- `months_missing_condition`: an active pair with a month, from its first to the last one, without
  the mentor's monthly report (§5.2 «не реже 1 раза в месяц»); `missing_months` is its Python twin,
  which names the months on the card;
- `TO_SEND` and `AWAITING`: drafts not yet sent to the director, and those waiting for the order.
"""

from __future__ import annotations

import datetime

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, TruncMonth
from django.db.models.lookups import LessThan
from django.utils import timezone

from core.db import flag
from mentorship.models import (
    ENDED_STATUSES,
    LIVE_STATUSES,
    REPORT_DAYS,
    MenteeReport,
    MentorReport,
    MonthlyReport,
    Pair,
    PairMember,
    PairStatus,
)
from mentorship.services import add_months
from registry.choices import BaseRole
from registry.models import Person
from registry.selectors import consent_withdrawn_condition, lacks_consent_condition

#: Drafts the curator has not sent to the director yet (§3.6), and those waiting for the order.
TO_SEND = Q(status=PairStatus.DRAFT, approval_requested_on__isnull=True)
AWAITING = Q(status=PairStatus.DRAFT, approval_requested_on__isnull=False)


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def attention_persons(on: datetime.date | None = None) -> QuerySet:
    """People whose consent stands withdrawn or who lack one their age requires (registry.selectors)."""
    return Person.objects.filter(Q(consent_withdrawn_condition()) | lacks_consent_condition(_today(on)))


def attention_condition(on: datetime.date | None = None) -> Q:
    """«Требует внимания»: a live pair with a present member whose consents are not in order."""
    members = PairMember.objects.filter(
        pair=OuterRef("pk"), left_on__isnull=True, person__in=attention_persons(on).values("pk")
    )
    return Q(status__in=LIVE_STATUSES) & Q(Exists(members))


def reports_overdue_condition(on: datetime.date | None = None) -> Q:
    """An ended pair (completed or terminated) whose reports were due (`Pair.reports_due_on`: ten days
    after its end) before `on`, and which lacks the mentor's report or the report of a mentee who
    was in the pair at its end."""
    due_before = _today(on) - datetime.timedelta(days=REPORT_DAYS)
    ended_long_ago = Q(ended_on__lt=due_before) | Q(ended_on__isnull=True, end_on__lt=due_before)
    mentees_without_report = (
        PairMember.objects.filter(pair=OuterRef("pk"), role=BaseRole.MENTEE)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=OuterRef("ended_on")))
        .exclude(Exists(MenteeReport.objects.filter(pair=OuterRef("pair"), mentee=OuterRef("person"))))
    )
    missing = ~Q(Exists(MentorReport.objects.filter(pair=OuterRef("pk")))) | Q(Exists(mentees_without_report))
    return Q(status__in=ENDED_STATUSES) & ended_long_ago & missing


def _month_number(year, month):
    return year * 12 + month


def months_missing_condition(on: datetime.date | None = None) -> Q:
    """An active pair that lacks a monthly report for a full month of its term: the months from its
    start month up to the last month, counted against the reports filed for them."""
    today = _today(on)
    this_month = today.replace(day=1)
    expected = Value(_month_number(today.year, today.month), output_field=IntegerField()) - (
        ExtractYear("start_on") * 12 + ExtractMonth("start_on")
    )
    filed = Coalesce(
        Subquery(
            MonthlyReport.objects.filter(
                pair=OuterRef("pk"),
                month__gte=TruncMonth(ExpressionWrapper(OuterRef("start_on"), output_field=DateField())),
                month__lt=this_month,
            )
            .order_by()
            .values("pair")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    return Q(status=PairStatus.ACTIVE) & Q(LessThan(filed, expected))


def overdue_condition(on: datetime.date | None = None) -> Q:
    """Reports late of either kind: the completion reports or a month's report."""
    return reports_overdue_condition(on) | months_missing_condition(on)


def missing_months(pair: Pair, reported: set[datetime.date], on: datetime.date | None = None) -> list[datetime.date]:
    """The months (their first days) of an active pair, from its start month to the last month, with
    no monthly report in `reported` — `months_missing_condition` in Python, for the card."""
    if pair.status != PairStatus.ACTIVE:
        return []
    this_month = _today(on).replace(day=1)
    month, missing = pair.start_on.replace(day=1), []
    while month < this_month:
        if month not in reported:
            missing.append(month)
        month = add_months(month, 1)
    return missing


def annotate_marks(queryset: QuerySet, *, on: datetime.date | None = None) -> QuerySet:
    """Add `needs_attention`, `reports_overdue` and `months_missing` (the list's marks)."""
    return queryset.annotate(
        needs_attention=flag(attention_condition(on)),
        reports_overdue=flag(reports_overdue_condition(on)),
        months_missing=flag(months_missing_condition(on)),
    )


def member_prefetch() -> Prefetch:
    """A pair's members with their people, mentors first, each role in the order they joined."""
    return Prefetch(
        "members",
        queryset=PairMember.objects.select_related("person").order_by("role", "joined_on", "pk"),
    )


def pair_list(user, *, on: datetime.date | None = None) -> QuerySet:
    """The pairs `user` may see, with what the list shows: the organization, the form, the mentor, the
    members (prefetched, one query for the page) and the marks (in the page's own query)."""
    queryset = (
        Pair.objects.for_user(user)
        .select_related("organization", "form", "mentor")
        .prefetch_related(member_prefetch())
        .order_by("-start_on", "-pk")
    )
    return annotate_marks(queryset, on=on)


def pair_summary(user, *, organizations=None, on: datetime.date | None = None) -> dict[str, int]:
    """The figures of a home page: drafts to send and awaiting approval, pairs that need attention,
    overdue completion reports, months without a monthly report — each what the pair list filtered
    by its condition counts (the conditions are whole expressions, as registry_summary's)."""
    pairs = Pair.objects.for_user(user)
    if organizations is not None:
        pairs = pairs.filter(organization__in=organizations)
    return pairs.aggregate(
        total=Count("pk"),
        live=Count("pk", filter=Q(status__in=LIVE_STATUSES)),
        to_send=Count("pk", filter=TO_SEND),
        awaiting=Count("pk", filter=AWAITING),
        attention=Count("pk", filter=attention_condition(on)),
        reports_overdue=Count("pk", filter=reports_overdue_condition(on)),
        months_missing=Count("pk", filter=months_missing_condition(on)),
    )


def pair_table(user) -> list[dict]:
    """Pairs by organization, form and status, for the coordinator's home page: one row per
    organization and form with a count per status (each links to the pair list so filtered)."""
    rows = (
        Pair.objects.for_user(user)
        .order_by()
        .values("organization", "organization__short_name", "form", "form__name", "form__order")
        .annotate(**{status: Count("pk", filter=Q(status=status)) for status in PairStatus.values}, total=Count("pk"))
    )
    from core.russian import natural_key, typeset

    table = [
        {
            "organization_id": row["organization"],
            "organization": typeset(row["organization__short_name"]),
            "form_id": row["form"],
            "form": row["form__name"],
            "counts": [(status, str(label), row[status]) for status, label in PairStatus.choices],
            "total": row["total"],
            "_key": (natural_key(row["organization__short_name"]), row["form__order"], row["form__name"]),
        }
        for row in rows
    ]
    table.sort(key=lambda row: row["_key"])
    for row in table:
        del row["_key"]
    return table


def mentor_base(user) -> QuerySet:
    """The base of mentors a user may choose from (rules.mentor_visible_condition: their own and the
    municipality's partners'), without those who withdrew consent, with `load` (their mentees in
    live pairs now, as rules.mentor_loads counts them), `capacity` (§3.4 or the director's lower
    limit, as MentorRecord.capacity) and `free`."""
    from django.db.models import Case, F, When

    from core.scoping import get_scope
    from mentorship.rules import mentor_visible_condition
    from registry.choices import MENTOR_MAX_MENTEES
    from registry.models import MentorRecord
    from registry.selectors import withdrawn_persons

    visible = Person.objects.filter(mentor_visible_condition(get_scope(user)))
    load = Coalesce(
        Subquery(
            PairMember.objects.filter(
                role=BaseRole.MENTEE,
                left_on__isnull=True,
                pair__status__in=LIVE_STATUSES,
                pair__mentor=OuterRef("person"),
            )
            .order_by()
            .values("pair__mentor")
            .annotate(n=Count("person", distinct=True))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    capacity = Case(
        When(max_mentees__isnull=False, max_mentees__lt=MENTOR_MAX_MENTEES, then=F("max_mentees")),
        default=Value(MENTOR_MAX_MENTEES),
        output_field=IntegerField(),
    )
    return (
        MentorRecord.objects.filter(person__in=visible.values("pk"))
        .exclude(person__in=withdrawn_persons().values("pk"))
        .select_related("person__organization")
        .prefetch_related("forms")
        .annotate(load=load, capacity_now=capacity)
        .annotate(free=F("capacity_now") - F("load"))
        .order_by("person__last_name", "person__first_name", "person__middle_name", "pk")
    )


def person_memberships(user, person: Person) -> list[PairMember]:
    """A person's periods in the pairs `user` may see, the newest pair first (the person's card)."""
    return list(
        PairMember.objects.for_user(user)
        .filter(person=person)
        .select_related("pair__form", "pair__mentor", "pair__organization")
        .order_by("-pair__start_on", "-pair_id", "joined_on")
    )
