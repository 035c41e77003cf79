"""The coverage form of seed 003, computed from the pairs.

«Информация о численности обучающихся, педагогических работников (молодых специалистов),
охваченных программой наставничества» (seed 003, приложение к письму от 13.08.2021
№ 118.18-1416/21-23): for each of the four forms — ученик – ученик, учитель – учитель,
студент – ученик, работодатель – ученик — four figures. Precisely (docs/product.md «Monitoring»):

- who counts: distinct persons (organizations for the fourth row) in the organization's pairs of
  that form whose status is approved, active, completed or terminated (a draft never counts), and
  whose membership overlaps the period: a replaced mentor and a mentee who left a group count for
  the time they were in;
- ages and experience are in full years on the reference date, both ends inclusive (10 ≤ age ≤ 18);
- «учащиеся» are learners: обучающиеся and, where they mentor or are mentored, студенты.

The figures are never stored: a school's correction is kept beside them (FigureCorrection).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from mentorship.models import APPROVED_STATUSES, PairMember
from monitoring.choices import Figure
from registry.choices import COVERAGE_FORMS, BaseRole, OrganizationKind, PersonCategory
from registry.models import Organization, Person, years_ago

#: Seed 003, row 1: «в возрасте от 10 до 18 лет … в роли наставляемого».
MENTEE_AGES = (10, 18)
#: Seed 003, row 2: «в возрасте от 15 до 18 лет … в роли наставника».
MENTOR_AGES = (15, 18)
#: Seed 003, row 3: «с опытом работы от 0 до 3 лет».
YOUNG_TEACHER_YEARS = (0, 3)
#: Learners: обучающиеся and студенты (DESIGN: «where they mentor or are mentored, студенты»).
LEARNERS = (PersonCategory.STUDENT, PersonCategory.UNDERGRADUATE)
FORMS = tuple(code.value for code in COVERAGE_FORMS)
FIGURES = tuple(figure.value for figure in Figure)

#: The definitions a page shows beside the form, in Russian (issue 9 §2).
DEFINITIONS = {
    Figure.MENTEES_10_18: (
        "Разные обучающиеся и студенты, которым на дату расчёта исполнилось от 10 до 18 полных лет "
        "включительно, состоявшие наставляемыми в парах (группах) этой формы в течение периода."
    ),
    Figure.MENTORS_15_18: (
        "Разные обучающиеся и студенты 15–18 полных лет на дату расчёта включительно, состоявшие "
        "наставниками в парах (группах) этой формы в течение периода."
    ),
    Figure.YOUNG_TEACHERS: (
        "Разные педагоги, у которых на дату расчёта от 0 до 3 полных лет педагогического стажа "
        "включительно, состоявшие наставляемыми в парах этой формы в течение периода."
    ),
    Figure.ENTERPRISES: (
        "Разные предприятия и организации-партнёры, чьи работники были наставниками в парах этой "
        "формы в течение периода. В итоге по муниципалитету предприятие, работающее с несколькими "
        "школами, считается один раз."
    ),
}
#: What counts at all (the first two points of the module's docstring), in Russian.
COMMON_DEFINITION = (
    "Учитываются пары и группы в статусах «утверждена», «действует», «завершена» и «прекращена "
    "досрочно» (черновики не учитываются), если участник состоял в паре хотя бы один день периода: "
    "заменённый наставник и выбывший наставляемый учитываются за время участия. Каждый человек "
    "(предприятие) считается один раз в графе, сколько бы пар у него ни было. Возраст и стаж — "
    "в полных годах на дату расчёта."
)


def academic_year(year_start: int) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(start, end, reference date) of an academic year: 1 September to 31 August, ages and
    experience on 1 September (the date the contingent is counted on)."""
    first = datetime.date(year_start, 9, 1)
    return first, datetime.date(year_start + 1, 8, 31), first


def empty_figures() -> dict[str, dict[str, int]]:
    return {figure: dict.fromkeys(FORMS, 0) for figure in FIGURES}


@dataclass
class Coverage:
    """The figures of each organization asked and, in `total`, of them all (distinct across the
    organizations: a person or an enterprise in two schools counts once)."""

    start: datetime.date
    end: datetime.date
    on: datetime.date
    by_organization: dict[int, dict[str, dict[str, int]]] = field(default_factory=dict)
    total: dict[str, dict[str, int]] = field(default_factory=empty_figures)

    def figures(self, organization_id: int) -> dict[str, dict[str, int]]:
        return self.by_organization.get(organization_id) or empty_figures()


def _born_between(ages: tuple[int, int], on: datetime.date) -> Q:
    """Birth dates of the people `ages[0]`..`ages[1]` full years old on `on`, both inclusive."""
    youngest, oldest = ages
    return Q(person__birth_date__lte=years_ago(youngest, on), person__birth_date__gt=years_ago(oldest + 1, on))


def figure_conditions(on: datetime.date) -> dict[str, Q]:
    """Which memberships each figure counts (on PairMember, the pair's form aside)."""
    least, most = YOUNG_TEACHER_YEARS
    return {
        Figure.MENTEES_10_18: Q(role=BaseRole.MENTEE, person__category__in=LEARNERS) & _born_between(MENTEE_AGES, on),
        Figure.MENTORS_15_18: Q(role=BaseRole.MENTOR, person__category__in=LEARNERS) & _born_between(MENTOR_AGES, on),
        Figure.YOUNG_TEACHERS: Q(
            role=BaseRole.MENTEE,
            person__category=PersonCategory.TEACHER,
            person__teaching_since__lte=years_ago(least, on),
            person__teaching_since__gt=years_ago(most + 1, on),
        ),
        Figure.ENTERPRISES: Q(role=BaseRole.MENTOR, person__organization__kind=OrganizationKind.PARTNER),
    }


def pair_end() -> Coalesce:
    """A pair's effective end: when it actually ended (`ended_on`), else its planned end (`end_on`)."""
    return Coalesce(F("pair__ended_on"), F("pair__end_on"))


def memberships(organization_ids: Iterable[int], *, start: datetime.date, end: datetime.date):
    """The memberships that may count: in the organizations' approved pairs of the four forms,
    where the person's time in the pair, the pair's own time and the period have a day in common
    («a replaced mentor and a mentee who left a group count for the time they were in»). The
    intervals [joined_on, left_on], [start_on, ended_on or end_on] and [start, end] intersect when
    every one of their starts is on or before every one of their ends."""
    left_late_enough = Q(left_on__isnull=True) | (Q(left_on__gte=start) & Q(left_on__gte=F("pair__start_on")))
    return (
        PairMember.objects.filter(
            pair__organization_id__in=list(organization_ids),
            pair__status__in=APPROVED_STATUSES,
            pair__form__code__in=FORMS,
            joined_on__lte=end,
            pair__start_on__lte=end,
        )
        .filter(left_late_enough)
        .alias(pair_end=pair_end())
        .filter(pair_end__gte=start)
        .filter(pair_end__gte=F("joined_on"))
        .filter(pair_end__gte=F("pair__start_on"))
    )


def counted_field(figure: str) -> str:
    """What a figure counts: persons, or for the enterprises' row their organizations."""
    return "person__organization_id" if figure == Figure.ENTERPRISES else "person_id"


def _aggregates(on: datetime.date) -> dict[str, Count]:
    return {
        figure: Count(counted_field(figure), distinct=True, filter=condition)
        for figure, condition in figure_conditions(on).items()
    }


def any_figure(on: datetime.date) -> Q:
    """The memberships that count for at least one figure."""
    conditions = list(figure_conditions(on).values())
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


#: The GROUP BY Django writes for `.values(organization, form).annotate(…)` on PostgreSQL.
_GROUP_BY = " GROUP BY 1, 2"
#: From this many organizations the query gets `WORK_MEM` for its sort: the region's 150,000
#: counted memberships sorted by form and organization spill to disk in PostgreSQL's default 4 MB
#: (bench/coverage_bench.py). A municipality's few thousand fit; for them the setting is not
#: worth its two round trips.
WORK_MEM_FROM_ORGANIZATIONS = 200
WORK_MEM = "64MB"


def _with_totals(by_school, *, more_memory: bool = False) -> list[dict] | None:
    """On PostgreSQL, the figures of each organization and the distinct total in one query:
    GROUP BY GROUPING SETS ((organization, form), (form)) — one pass over the memberships instead
    of two (the region's coverage in half the time). The total's rows have no organization. None
    elsewhere (SQLite has no grouping sets) or if Django's SQL is not the shape expected.
    `more_memory`: run it with `work_mem` = WORK_MEM (the region's sort in memory)."""
    from django.db import connections, transaction

    connection = connections[by_school.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = by_school.query.get_compiler(using=by_school.db).as_sql()
    if not sql.endswith(_GROUP_BY) or sql.count(_GROUP_BY) != 1:
        return None
    sql = sql[: -len(_GROUP_BY)] + " GROUP BY GROUPING SETS ((1, 2), (2))"
    # SET LOCAL holds in a transaction only (a savepoint if one is open already).
    in_transaction = transaction.atomic(using=by_school.db) if more_memory else contextlib.nullcontext()
    with in_transaction, connection.cursor() as cursor:
        if more_memory:
            # SET LOCAL, and back after the query: an outer transaction (a request) goes on with
            # the server's own setting.
            cursor.execute("SELECT current_setting('work_mem'), set_config('work_mem', %s, true)", [WORK_MEM])
            previous = cursor.fetchone()[0]
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        if more_memory:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [previous])
        return rows


def compute_coverage(
    organization_ids: Iterable[int], *, start: datetime.date, end: datetime.date, on: datetime.date
) -> Coverage:
    """The coverage form of each organization for the period `start`..`end`, ages and experience
    on `on`, whatever the number of organizations in one aggregate query on PostgreSQL (two
    elsewhere): COUNT(DISTINCT …) FILTER (WHERE …) per figure, grouped by organization and form,
    and by form alone for the total (distinct across the organizations: an enterprise working
    with three schools counts once)."""
    organization_ids = list(organization_ids)
    coverage = Coverage(start=start, end=end, on=on)
    for organization_id in organization_ids:
        coverage.by_organization[organization_id] = empty_figures()
    if not organization_ids:
        return coverage
    base = memberships(organization_ids, start=start, end=end).filter(any_figure(on))
    by_school = base.values("pair__organization_id", "pair__form__code").annotate(**_aggregates(on)).order_by()
    rows = _with_totals(by_school, more_memory=len(organization_ids) >= WORK_MEM_FROM_ORGANIZATIONS)
    if rows is None:  # not PostgreSQL: the total by a second query
        rows = list(by_school)
        total_rows = base.values("pair__form__code").annotate(**_aggregates(on)).order_by()
        rows += [{**row, "pair__organization_id": None} for row in total_rows]
    for row in rows:
        organization_id = row["pair__organization_id"]
        figures = coverage.total if organization_id is None else coverage.by_organization[organization_id]
        for figure in FIGURES:
            figures[figure][row["pair__form__code"]] = row[figure]
    return coverage


@dataclass
class CoveredPerson:
    """A person behind a figure, with the memberships that made them count (pair, dates)."""

    person: Person
    memberships: list[PairMember] = field(default_factory=list)


@dataclass
class CoveredOrganization:
    """A partner enterprise behind the fourth row, with its employees who mentored."""

    organization: Organization
    mentors: list[Person] = field(default_factory=list)
    memberships: list[PairMember] = field(default_factory=list)


def counted_memberships(organization_ids: int | Iterable[int], figure: str, form: str, *, start, end, on):
    """The memberships behind one figure of one form (of one organization or several)."""
    if isinstance(organization_ids, int):
        organization_ids = [organization_ids]
    return (
        memberships(organization_ids, start=start, end=end)
        .filter(figure_conditions(on)[figure], pair__form__code=form)
        .select_related("pair", "person", "person__organization")
        .order_by("person__last_name", "person__first_name", "person__middle_name", "person_id", "joined_on", "pk")
    )


def coverage_people(
    organization_ids: int | Iterable[int],
    figure: str,
    form: str,
    *,
    start: datetime.date,
    end: datetime.date,
    on: datetime.date,
) -> list[CoveredPerson] | list[CoveredOrganization]:
    """The persons (for the enterprises' row, the partner organizations) behind a figure: as many
    as the figure counts, in one query; each with the memberships that made them count."""
    if figure not in FIGURES or form not in FORMS:
        raise ValueError(f"unknown figure or form: {figure!r}, {form!r}")
    rows = counted_memberships(organization_ids, figure, form, start=start, end=end, on=on)
    if figure == Figure.ENTERPRISES:
        organizations: dict[int, CoveredOrganization] = {}
        for member in rows:
            entry = organizations.setdefault(
                member.person.organization_id, CoveredOrganization(member.person.organization)
            )
            if member.person not in entry.mentors:
                entry.mentors.append(member.person)
            entry.memberships.append(member)
        return sorted(organizations.values(), key=lambda e: (e.organization.short_name.casefold(), e.organization.pk))
    people: dict[int, CoveredPerson] = {}
    for member in rows:
        people.setdefault(member.person_id, CoveredPerson(member.person)).memberships.append(member)
    return list(people.values())


def coverage_organizations(*, municipality_ids: Iterable[int] | None = None, organization_ids=None):
    """The organizations whose pairs the form counts: every organization of the municipalities
    but the partner enterprises (they provide mentors to the schools' pairs, seed 003 row 4)."""
    organizations = Organization.objects.exclude(kind=OrganizationKind.PARTNER)
    if municipality_ids is not None:
        organizations = organizations.filter(municipality_id__in=list(municipality_ids))
    if organization_ids is not None:
        organizations = organizations.filter(pk__in=list(organization_ids))
    return organizations.select_related("municipality").order_by("short_name", "pk")
