"""Показатели эффективности: the municipality's yearly targets and the actuals computed from the
pairs, plan against fact (seed 003: «приказом управления образования от 12.08.2021 года № 413
утвержден план мероприятий (дорожная карта) … и планируемые результаты (показатели
эффективности) реализации целевой модели наставничества … на период с 2021 г. по 2024 г.
(приложение 2)»; seed 000 §5.1 «Мониторинг показателей эффективности целевой модели наставничества
в образовательных организациях — 2022-2024 гг.»).

How an actual is computed (shown on the page as `ACTUAL_DEFINITION`):

- the period is the academic year: 1 September Y to 31 August Y+1, ages and experience on
  1 September Y; who counts is the coverage form's rule (`monitoring.coverage`: approved pairs of
  the four forms of seed 003, memberships overlapping the period);
- a share's numerator is the distinct persons across the four forms (a pupil who is a mentee in
  «ученик – ученик» and in «студент – ученик» counts once), its denominator the school's
  contingent of that academic year (registry.Contingent, year_start = Y). No contingent (or a
  contingent of 0 in that column) gives «нет данных», never 0 %;
- the indicators are those of the municipality's schools (общеобразовательные организации, whose
  contingent is entered); the municipality's share is the distinct persons of all its schools over
  the sum of their contingents, and is «нет данных» as soon as one school lacks the contingent of
  that year: a share over part of the schools set against a target for them all would mislead
  (the page names how many schools lack it);
- enterprises are a count of distinct partner organizations whose people mentored; in the
  municipality's row an enterprise working with two schools counts once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, IntegerField, Max, Min, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.exporting import Rendered, log_export, render_rows
from core.scoping import get_scope
from core.services import delete_audited, save_audited
from mentorship.models import APPROVED_STATUSES, Pair
from monitoring.choices import PERCENT_INDICATORS, Figure, Indicator
from monitoring.coverage import FORMS, academic_year, any_figure, figure_conditions, memberships
from monitoring.models import IndicatorTarget
from registry.choices import OrganizationKind
from registry.models import Contingent, Municipality, Organization, academic_year_label, current_academic_year_start

#: Which figure of seed 003's form counts each indicator, and which column of the contingent is
#: its denominator (None: a count).
SOURCES: dict[str, tuple[str, str | None]] = {
    Indicator.MENTEE_SHARE: (Figure.MENTEES_10_18, "students_10_18"),
    Indicator.MENTOR_SHARE: (Figure.MENTORS_15_18, "students_15_18"),
    Indicator.YOUNG_TEACHER_SHARE: (Figure.YOUNG_TEACHERS, "young_teachers"),
    Indicator.ENTERPRISES: (Figure.ENTERPRISES, None),
}
INDICATORS = tuple(Indicator)
FIRST_YEAR, LAST_YEAR = 2000, 2100
ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)


class State:
    """How an indicator stands in a year against its target."""

    REACHED = "reached"
    SHORT = "short"
    NO_PLAN = "no_plan"
    NO_DATA = "no_data"

    LABELS = {REACHED: "достигнут", SHORT: "не достигнут", NO_PLAN: "нет плана", NO_DATA: "нет данных"}


ACTUAL_DEFINITION = (
    "Факт учебного года считается по парам и группам четырёх форм наставничества (как в форме охвата): "
    "с 1 сентября по 31 августа, возраст и стаж — на 1 сентября. В долях каждый человек считается один "
    "раз, даже если он участвует в нескольких формах; знаменатель — контингент школы на этот учебный год. "
    "Если контингент не внесён, показано «нет данных», а не 0 %. Доля по муниципалитету — по всем его "
    "школам; если хотя бы у одной школы нет контингента за год, доля муниципалитета не считается."
)


def is_percent(indicator: str) -> bool:
    return indicator in PERCENT_INDICATORS


def share(numerator: int, denominator: int | None) -> Decimal | None:
    """The share in per cent with one decimal; None («нет данных») without a denominator."""
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def format_value(value: Decimal | int | None, indicator: str) -> str:
    """«12,5 %», «3», «нет данных»: as the page and the export write a value."""
    if value is None:
        return State.LABELS[State.NO_DATA]
    if is_percent(indicator):
        return f"{Decimal(value).quantize(ONE_DECIMAL)}".replace(".", ",") + " %"
    number = Decimal(value)
    text = f"{number.normalize():f}" if number != number.to_integral() else str(int(number))
    return text.replace(".", ",")


# --- Actuals -----------------------------------------------------------------------------------


def indicator_schools(municipality_ids: Iterable[int]):
    """The schools whose indicators are computed: the municipalities' общеобразовательные
    организации (they enter the contingent the shares are of)."""
    return Organization.objects.filter(municipality_id__in=list(municipality_ids), kind=OrganizationKind.SCHOOL)


def distinct_people(organization_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, str], dict[int, set]]:
    """{(year, figure): {school id: the distinct persons (enterprises) counted}} across the four
    forms, for every year at once.

    Built on the coverage form's own rules (`coverage.memberships`, `coverage.figure_conditions`):
    one pass over the memberships per year, each row saying which figures it counts for (a flag
    per figure), the years joined into a single UNION ALL, so the cost is one query whatever the
    number of schools and years. (A query per year and figure read the memberships four times:
    the region's snapshot spent most of its time there, bench/dashboard_bench.py.)"""
    organization_ids, years = list(organization_ids), sorted(set(years))
    found: dict[tuple[int, str], dict[int, set]] = {
        (year, figure): defaultdict(set) for year in years for figure in Figure
    }
    if not organization_ids or not years:
        return found
    figures = list(Figure)
    flags = [f"counts_{index}" for index in range(len(figures))]
    parts = []
    for year in years:
        start, end, on = academic_year(year)
        conditions = figure_conditions(on)
        parts.append(
            memberships(organization_ids, start=start, end=end)
            .filter(any_figure(on))
            .order_by()
            .annotate(
                year_start=Value(year, output_field=IntegerField()),
                school=F("pair__organization_id"),
                enterprise=F("person__organization_id"),
                **{
                    flag: ExpressionWrapper(conditions[figure], output_field=BooleanField())
                    for flag, figure in zip(flags, figures, strict=True)
                },
            )
            .values_list("year_start", "school", "person_id", "enterprise", *flags)
        )
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for year, school, person, enterprise, *counts in query:
        for figure, counted in zip(figures, counts, strict=True):
            if counted:
                found[(year, figure)][school].add(enterprise if figure == Figure.ENTERPRISES else person)
    return found


# --- Plan against fact ---------------------------------------------------------------------------


@dataclass
class Cell:
    """One indicator in one year for the municipality or a school."""

    indicator: str
    year: int
    target: Decimal | None
    actual: Decimal | int | None
    numerator: int = 0
    denominator: int | None = None
    #: Why there is no actual («нет контингента у 2 школ из 5»), when there is none.
    note: str = ""

    @property
    def percent(self) -> bool:
        return is_percent(self.indicator)

    @property
    def state(self) -> str:
        if self.actual is None:
            return State.NO_DATA
        if self.target is None:
            return State.NO_PLAN
        return State.REACHED if Decimal(self.actual) >= self.target else State.SHORT

    @property
    def state_label(self) -> str:
        return State.LABELS[self.state]

    @property
    def shortfall(self) -> Decimal | None:
        """Target − actual when the target is not reached."""
        if self.state != State.SHORT:
            return None
        return self.target - Decimal(self.actual)

    @property
    def target_text(self) -> str:
        return format_value(self.target, self.indicator) if self.target is not None else "—"

    @property
    def actual_text(self) -> str:
        return format_value(self.actual, self.indicator)

    @property
    def shortfall_text(self) -> str:
        return format_value(self.shortfall, self.indicator) if self.shortfall is not None else ""


@dataclass
class Line:
    """An indicator across the years, for the municipality or one school."""

    indicator: str
    cells: list[Cell]

    @property
    def label(self) -> str:
        return Indicator(self.indicator).label


@dataclass
class Block:
    """The indicators of the municipality (`organization` None) or of one of its schools."""

    municipality: Municipality
    organization: Organization | None
    lines: list[Line]
    #: Schools of the municipality without a contingent, per year (the municipality's block).
    missing_contingent: dict[int, list[Organization]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.organization) if self.organization else f"{self.municipality.name} (муниципалитет)"


@dataclass
class PlanFact:
    years: list[int]
    blocks: list[Block]

    def rows(self) -> list[dict]:
        """Flat rows (a block × indicator × year) for the dashboard's chart."""
        return [
            {
                "municipality": block.municipality,
                "organization": block.organization,
                "indicator": cell.indicator,
                "year": cell.year,
                "target": cell.target,
                "actual": cell.actual,
                "shortfall": cell.shortfall,
                "state": cell.state,
            }
            for block in self.blocks
            for line in block.lines
            for cell in line.cells
        ]


def plan_fact_years(municipality_ids: Iterable[int], targets: Iterable[IndicatorTarget], school_ids) -> list[int]:
    """The years a page shows: those with a target, and those the schools' approved pairs span up
    to the current academic year."""
    years = {target.year_start for target in targets}
    span = (
        Pair.objects.filter(organization_id__in=list(school_ids), status__in=APPROVED_STATUSES, form__code__in=FORMS)
        .annotate(finish=Coalesce("ended_on", "end_on"))
        .aggregate(first=Min("start_on"), last=Max("finish"))
    )
    if span["first"] is not None:
        current = current_academic_year_start()
        first = current_academic_year_start(span["first"])
        last = min(current_academic_year_start(span["last"]), current)
        years.update(range(first, last + 1))
    return sorted(years)


def visible_municipalities(user):
    """The municipalities whose indicators `user` reads: their own for a school's people too (the
    municipality's row is an aggregate)."""
    scope = get_scope(user)
    if scope.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=scope.read_municipality_ids | scope.member_municipality_ids)


def plan_fact(user, *, years: Iterable[int] | None = None, organization: Organization | None = None) -> PlanFact:
    """Plan against fact of every indicator per year: the municipality's blocks first, then one per
    school the user reads (`organization`: that school only). The dashboard's chart «показатели:
    план и факт» calls it too (`PlanFact.rows`).

    Six queries whatever the number of schools and years: the municipalities, their schools, the
    targets, the span of the pairs (when `years` is not given), the contingents, and the people
    counted (one UNION for every year, `distinct_people`)."""
    scope = get_scope(user)
    municipalities = list(visible_municipalities(user).order_by("name"))
    if organization is not None:
        municipalities = [m for m in municipalities if m.pk == organization.municipality_id]
    municipality_ids = [m.pk for m in municipalities]
    schools = list(indicator_schools(municipality_ids).order_by("short_name", "pk"))
    school_ids = [school.pk for school in schools]
    targets = list(IndicatorTarget.objects.filter(municipality_id__in=municipality_ids))
    years = sorted(set(years)) if years is not None else plan_fact_years(municipality_ids, targets, school_ids)
    targets_by_key = {
        (target.municipality_id, target.organization_id, target.indicator, target.year_start): target.target
        for target in targets
    }
    contingents = {
        (row.organization_id, row.year_start): row
        for row in Contingent.objects.filter(organization_id__in=school_ids, year_start__in=years)
    }
    people = distinct_people(school_ids, years)

    def visible(school: Organization) -> bool:
        if organization is not None and school.pk != organization.pk:
            return False
        return (
            scope.is_superuser
            or school.municipality_id in scope.read_municipality_ids
            or school.pk in scope.read_organization_ids
        )

    blocks: list[Block] = []
    school_blocks: list[Block] = []
    for municipality in municipalities:
        own = [school for school in schools if school.municipality_id == municipality.pk]
        missing = {year: [school for school in own if (school.pk, year) not in contingents] for year in years}
        lines = []
        for indicator in INDICATORS:
            figure, column = SOURCES[indicator]
            cells = []
            for year in years:
                counted = people[(year, figure)]
                numerator = len(set().union(*(counted.get(school.pk, set()) for school in own)))
                target = targets_by_key.get((municipality.pk, None, indicator, year))
                if column is None:
                    cells.append(Cell(indicator, year, target, numerator, numerator))
                    continue
                if not own:
                    cells.append(Cell(indicator, year, target, None, numerator, note="В муниципалитете нет школ."))
                elif missing[year]:
                    note = f"Нет контингента за этот год у школ: {len(missing[year])} из {len(own)}."
                    cells.append(Cell(indicator, year, target, None, numerator, note=note))
                else:
                    denominator = sum(getattr(contingents[(school.pk, year)], column) for school in own)
                    note = "" if denominator else "В контингенте школ указано 0: долю не посчитать."
                    cells.append(
                        Cell(indicator, year, target, share(numerator, denominator), numerator, denominator, note)
                    )
            lines.append(Line(indicator, cells))
        blocks.append(Block(municipality, None, lines, missing_contingent=missing))
        for school in own:
            if not visible(school):
                continue
            lines = []
            for indicator in INDICATORS:
                figure, column = SOURCES[indicator]
                cells = []
                for year in years:
                    numerator = len(people[(year, figure)].get(school.pk, ()))
                    target = targets_by_key.get((municipality.pk, school.pk, indicator, year))
                    if column is None:
                        cells.append(Cell(indicator, year, target, numerator, numerator))
                        continue
                    contingent = contingents.get((school.pk, year))
                    if contingent is None:
                        cells.append(Cell(indicator, year, target, None, numerator, note="Контингент не внесён."))
                        continue
                    denominator = getattr(contingent, column)
                    note = "" if denominator else "В контингенте указано 0: долю не посчитать."
                    cells.append(
                        Cell(indicator, year, target, share(numerator, denominator), numerator, denominator, note)
                    )
                lines.append(Line(indicator, cells))
            school_blocks.append(Block(municipality, school, lines))
    return PlanFact(years=years, blocks=blocks + school_blocks)


class PlanFactExporter:
    """Plan against fact as an .xlsx file: one row per municipality or school, indicator and year,
    what `plan_fact` gave the user. Aggregates, no person named: journalled as an export of
    non-personal data."""

    title = "Показатели эффективности"
    header = [
        "Муниципалитет или школа",
        "Показатель",
        "Учебный год",
        "План",
        "Факт",
        "Отставание",
        "Состояние",
        "Примечание",
    ]

    def __init__(self, data: PlanFact, *, user):
        self.data = data
        self.user = user

    @staticmethod
    def _number(value, indicator: str):
        if value is None:
            return ""
        return float(value) if is_percent(indicator) else int(value)

    def rows(self):
        for block in self.data.blocks:
            for line in block.lines:
                for cell in line.cells:
                    yield [
                        block.name,
                        line.label + (", %" if cell.percent else ""),
                        academic_year_label(cell.year),
                        self._number(cell.target, cell.indicator),
                        self._number(cell.actual, cell.indicator) if cell.actual is not None else "нет данных",
                        self._number(cell.shortfall, cell.indicator),
                        cell.state_label,
                        cell.note,
                    ]

    def export(self) -> Rendered:
        rendered = render_rows(title=self.title, header=self.header, rows=self.rows(), fmt="xlsx")
        log_export(
            user=self.user,
            title=self.title,
            rows=rendered.rows,
            fmt="xlsx",
            filters={"years": [self.data.years[0], self.data.years[-1]] if self.data.years else []},
            personal=False,
        )
        return rendered


# --- Targets (services) ------------------------------------------------------------------------


def _ensure_coordinator(user, target: IndicatorTarget) -> None:
    """Targets are the municipality's (приказ управления образования № 413, приложение 2): only its
    coordinator sets them, for the municipality and for each school alike."""
    if user is None:  # the demo loader and commands act as the system
        return
    scope = get_scope(user)
    if scope.is_superuser or target.municipality_id in scope.write_municipality_ids:
        return
    raise PermissionDenied("Плановые значения показателей задаёт муниципальный координатор.")


def can_set_targets(user, municipality: Municipality) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or municipality.pk in scope.write_municipality_ids


def target_errors(indicator: str, year: int | None, value: Decimal | None) -> dict[str, str]:
    """The rules of one target value, in Russian, naming the fix: {"year_start" | "target": message}."""
    errors = {}
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year_start"] = (
            f"Учебный год должен быть между {FIRST_YEAR} и {LAST_YEAR}: укажите год начала, например 2024."
        )
    if value is None:
        pass
    elif value < 0:
        errors["target"] = "План не может быть отрицательным: укажите 0 или больше."
    elif is_percent(indicator) and value > HUNDRED:
        errors["target"] = "Доля не может быть больше 100 %: укажите процент от 0 до 100."
    elif not is_percent(indicator) and value != value.to_integral():
        errors["target"] = "Число предприятий — целое: укажите его без дробной части."
    return errors


def target_save(*, target: IndicatorTarget, user) -> IndicatorTarget:
    """Set a yearly target for the municipality or one of its schools (coordinator only, audited)."""
    _ensure_coordinator(user, target)
    errors = target_errors(target.indicator, target.year_start, target.target)
    if target.organization_id is not None and target.organization.municipality_id != target.municipality_id:
        errors["organization"] = "Эта школа не из муниципалитета, для которого задаётся план."
    if errors:
        raise ValidationError(errors)
    parent = target.organization or target.municipality
    return save_audited(instance=target, user=user, parent=parent, ensure=_ensure_coordinator)


def target_delete(*, target: IndicatorTarget, user) -> None:
    _ensure_coordinator(user, target)
    delete_audited(instance=target, user=user, parent=target.organization or target.municipality)


def cell_name(indicator: str, year: int) -> str:
    """The grid's field (and error key) of an indicator's target in a year."""
    return f"t_{indicator}_{year}"


def parse_value(raw) -> Decimal | None:
    """A typed target: «12,5», «12.5», «» (no target). Raises ValueError on anything else."""
    if raw is None:
        return None
    if isinstance(raw, Decimal | int):
        return Decimal(raw)
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".").rstrip("%")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    return value


@transaction.atomic
def targets_save_grid(
    *,
    municipality: Municipality,
    organization: Organization | None = None,
    values: Mapping[tuple[str, int], object],
    user,
) -> int:
    """Save a grid of targets (indicator × year) for the municipality or one school at once, all or
    nothing: every cell is checked first and the errors come back per cell (`cell_name`); an empty
    cell removes the target. Returns how many targets changed."""
    probe = IndicatorTarget(municipality=municipality, organization=organization)
    _ensure_coordinator(user, probe)
    if organization is not None and organization.municipality_id != municipality.pk:
        raise ValidationError("Эта школа не из муниципалитета, для которого задаётся план.")
    errors: dict[str, list[str]] = {}
    parsed: dict[tuple[str, int], Decimal | None] = {}
    for (indicator, year), raw in values.items():
        name = cell_name(indicator, year)
        if indicator not in Indicator.values:
            errors[name] = ["Такого показателя нет."]
            continue
        try:
            value = parse_value(raw)
        except ValueError:
            errors[name] = [f"«{raw}» — не число: укажите число, например 12,5."]
            continue
        cell_errors = target_errors(indicator, year, value)
        if cell_errors:
            errors[name] = list(cell_errors.values())
        parsed[(indicator, year)] = value
    if errors:
        raise ValidationError(errors)
    stored = {
        (target.indicator, target.year_start): target
        for target in IndicatorTarget.objects.filter(municipality=municipality, organization=organization)
    }
    changed = 0
    for (indicator, year), value in parsed.items():
        target = stored.get((indicator, year))
        if value is None:
            if target is not None:
                target_delete(target=target, user=user)
                changed += 1
            continue
        if target is not None and target.target == value:
            continue
        target = target or IndicatorTarget(
            municipality=municipality, organization=organization, indicator=indicator, year_start=year
        )
        target.target = value
        target_save(target=target, user=user)
        changed += 1
    return changed


# --- Demo ----------------------------------------------------------------------------------------


def load_demo_targets(municipality: Municipality, *, today: datetime.date | None = None) -> int:
    """The demo municipality's targets for 2021–2024 (приложение 2 of order № 413 covers «период с
    2021 г. по 2024 г.») and every year up to the current academic one: shares growing by 10 points
    a year (10 %, 20 %, …, at most 100 %), enterprises 1, 2, 3… Idempotent: a target already set is
    left as it is. Returns how many were created."""
    current = current_academic_year_start(today or timezone.localdate())
    have = set(
        IndicatorTarget.objects.filter(municipality=municipality, organization=None).values_list(
            "indicator", "year_start"
        )
    )
    rows = []
    for step, year in enumerate(range(2021, max(current, 2024) + 1), start=1):
        for indicator in INDICATORS:
            if (indicator, year) in have:
                continue
            value = Decimal(step) if indicator == Indicator.ENTERPRISES else Decimal(min(10 * step, 100))
            rows.append(IndicatorTarget(municipality=municipality, indicator=indicator, year_start=year, target=value))
    IndicatorTarget.objects.bulk_create(rows)
    return len(rows)
