"""The dashboard of the home page: charts drawn by the vendored Chart.js, each with its numbers in
a table under it (readable without the picture, printable) and a link to the list behind it.

What a coordinator sees (issue 9 §5): coverage by form, this academic year against the last;
pairs by status and form; roadmap execution by school (and, as their parts land, the campaigns'
states and the indicators plan against fact). An observer of several municipalities sees the same
figures per municipality and in total (the region view); a school's curator and director see
their school's.

A chart is data, not markup: `Chart.config_json` is what `static/js/charts.js` gives Chart.js,
read from a data attribute (the Content-Security-Policy allows no inline script)."""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from core.scoping import get_scope
from mentorship.models import LIVE_STATUSES, Pair, PairStatus
from monitoring.choices import Indicator
from monitoring.coverage import FIGURES, Coverage, academic_year, compute_coverage, coverage_organizations
from monitoring.indicators import plan_fact
from registry.choices import COVERAGE_FORMS
from registry.models import (
    MentorshipForm,
    Municipality,
    Organization,
    academic_year_label,
    current_academic_year_start,
)
from roadmaps import selectors as roadmap_selectors
from roadmaps.choices import RoadmapStatus
from roadmaps.models import Roadmap

#: The forms of the coverage chart, in seed 003's order.
FORMS_ORDER = tuple(form.value for form in COVERAGE_FORMS)
#: Colours of the series, in order: Bootstrap's palette, told apart by their lightness too.
PALETTE = ("#0d6efd", "#adb5bd", "#198754", "#ffc107", "#dc3545", "#6f42c1", "#20c997", "#fd7e14")
STATUS_COLOURS = {
    PairStatus.DRAFT: "#adb5bd",
    PairStatus.APPROVED: "#0dcaf0",
    PairStatus.ACTIVE: "#0d6efd",
    PairStatus.COMPLETED: "#198754",
    PairStatus.TERMINATED: "#dc3545",
}


@dataclass
class Series:
    label: str
    values: list[int | float | None]
    colour: str


@dataclass
class Chart:
    """A chart and the table of its numbers: a row per label, a column per series."""

    key: str
    title: str
    labels: list[str]
    series: list[Series]
    link: str
    link_text: str
    kind: str = "bar"
    stacked: bool = False
    horizontal: bool = False
    note: str = ""
    #: Per label, where its row of the table links (the list behind that bar).
    row_links: list[str] = field(default_factory=list)
    #: The heading of the table's first column (what the labels are).
    label_header: str = "Форма"
    #: What a row's link opens, in its accessible name («МБОУ «СОШ № 1» — дорожные карты»): the
    #: same school's name elsewhere on the page leads to another place.
    row_link_hint: str = ""

    @property
    def config_json(self) -> str:
        axis = {"stacked": self.stacked, "beginAtZero": True}
        # Every label of a category axis is shown (Chart.js would skip every other school).
        labels_axis = {**axis, "ticks": {"autoSkip": False}}
        config = {
            "type": self.kind,
            "data": {
                "labels": self.labels,
                "datasets": [
                    {"label": s.label, "data": s.values, "backgroundColor": s.colour, "borderColor": s.colour}
                    for s in self.series
                ],
            },
            "options": {
                "indexAxis": "y" if self.horizontal else "x",
                "scales": {"x": axis, "y": labels_axis} if self.horizontal else {"x": labels_axis, "y": axis},
            },
        }
        return json.dumps(config, ensure_ascii=False)

    @property
    def rows(self) -> list[tuple[str, str, list[tuple[str, int | float | None]]]]:
        """(label, its link, [(series label, value)…]) per label: the table under the chart, whose
        cells carry their series' name for the phone's card layout (data-label)."""
        links = self.row_links or [""] * len(self.labels)
        return [(label, links[i], [(s.label, s.values[i]) for s in self.series]) for i, label in enumerate(self.labels)]

    @property
    def box_class(self) -> str:
        """A horizontal chart of many bars gets a taller box (CSS classes: no style attribute)."""
        if not self.horizontal or len(self.labels) <= 8:
            return "chart-box"
        return "chart-box chart-box-tall" if len(self.labels) <= 20 else "chart-box chart-box-taller"

    @property
    def empty(self) -> bool:
        return not any(value for s in self.series for value in s.values)


def participating_organizations(user, municipality_ids=None) -> list[int]:
    """The organizations whose pairs the user's dashboard counts: those of the coverage form
    (`coverage_organizations`: every one but the partners, which hold no pairs) that the user sees."""
    visible = Organization.objects.for_user(user).values("pk")
    organizations = coverage_organizations(municipality_ids=municipality_ids).filter(pk__in=visible)
    return list(organizations.values_list("pk", flat=True))


def year_coverage(organization_ids: list[int], year_start: int) -> Coverage:
    start, end, on = academic_year(year_start)
    return compute_coverage(organization_ids, start=start, end=end, on=on)


def coverage_totals(coverage: Coverage) -> dict[str, int]:
    """People covered in each of the four forms: the figures of seed 003's three rows of people
    added up (distinct within each row across the organizations)."""
    people = [figure for figure in FIGURES if figure != "enterprises"]
    return {form.value: sum(coverage.total[figure][form.value] for figure in people) for form in COVERAGE_FORMS}


def coverage_chart(organization_ids: list[int], year_start: int, this_year: Coverage | None = None) -> Chart:
    """Coverage by form, this academic year against the last (`this_year`: already computed)."""
    this_year = this_year or year_coverage(organization_ids, year_start)
    this, last = coverage_totals(this_year), coverage_totals(year_coverage(organization_ids, year_start - 1))
    return Chart(
        key="coverage",
        title="Охват наставничеством по формам",
        labels=[form.label for form in COVERAGE_FORMS],
        series=[
            Series(
                f"{academic_year_label(year_start - 1)} уч. год", [last[f.value] for f in COVERAGE_FORMS], PALETTE[1]
            ),
            Series(f"{academic_year_label(year_start)} уч. год", [this[f.value] for f in COVERAGE_FORMS], PALETTE[0]),
        ],
        link=reverse("monitoring:coverage"),
        link_text="Охват наставничеством",
        note="Участники пар (наставляемые 10–18 лет, наставники 15–18 лет, молодые педагоги) по форме "
        "охвата; возраст и стаж — на 1 сентября учебного года.",
    )


def pairs_chart(user, organization_ids: list[int]) -> Chart:
    """Pairs by form (rows) and status (stacked), one query."""
    counts = {
        (row["form__code"], row["status"]): row["n"]
        for row in Pair.objects.for_user(user)
        .filter(organization_id__in=organization_ids)
        .order_by()
        .values("form__code", "status")
        .annotate(n=Count("pk"))
    }
    forms = [f for f in MentorshipForm.objects.order_by("order") if any(k[0] == f.code for k in counts)]
    base = reverse("mentorship:pair_list")
    return Chart(
        key="pairs",
        title="Пары по формам и статусам",
        labels=[f.name for f in forms],
        series=[
            Series(str(label), [counts.get((f.code, status), 0) for f in forms], STATUS_COLOURS[status])
            for status, label in PairStatus.choices
        ],
        link=base,
        link_text="Все пары",
        stacked=True,
        horizontal=True,
        row_links=[f"{base}?{urlencode({'form': f.pk})}" for f in forms],
        row_link_hint="пары",
    )


def roadmap_chart(user, organization_ids: list[int], today: datetime.date) -> Chart:
    """Execution of the approved roadmaps (municipal ones and the schools' own) by school: what is
    done, overdue, and the rest, counted as the roadmap pages count it."""
    scope = get_scope(user)
    roadmaps = list(Roadmap.objects.for_user(user).filter(status=RoadmapStatus.APPROVED))
    shares = roadmap_selectors.organization_shares(roadmaps, organization_ids=set(organization_ids), today=today)
    schools = list(Organization.objects.filter(pk__in=[pk for pk in shares if pk is not None]).order_by("short_name"))
    done = [shares[o.pk].done for o in schools]
    overdue = [shares[o.pk].overdue for o in schools]
    rest = [shares[o.pk].asked - shares[o.pk].done - shares[o.pk].overdue for o in schools]
    due = reverse("roadmaps:due_list")
    return Chart(
        key="roadmaps",
        title="Исполнение дорожных карт по школам",
        labels=[o.short_name for o in schools],
        series=[
            Series("Выполнено", done, "#198754"),
            Series("Просрочено", overdue, "#dc3545"),
            Series("В работе или не начато, срок не прошёл", rest, "#adb5bd"),
        ],
        link=reverse("roadmaps:roadmap_list") if scope.is_municipal else due,
        link_text="Дорожные карты" if scope.is_municipal else "Что сделать по дорожным картам",
        stacked=True,
        horizontal=True,
        note="Пункты утверждённых дорожных карт, адресованные школе; «не требуется» не учитывается.",
        row_links=[f"{due}?{urlencode({'organization': o.pk})}" for o in schools],
        label_header="Школа",
        row_link_hint="что сделать по дорожным картам",
    )


#: The indicators of the dashboard's chart, in short: the shares (the number of enterprises, on
#: another scale, is on the indicators' page).
SHORT_INDICATORS = {
    Indicator.MENTEE_SHARE: "Наставляемые 10–18 лет",
    Indicator.MENTOR_SHARE: "Наставники 15–18 лет",
    Indicator.YOUNG_TEACHER_SHARE: "Молодые педагоги",
}


def indicators_chart(user, year_start: int) -> Chart:
    """Plan against fact of the shares this academic year (`monitoring.indicators.plan_fact`): the
    municipality's for its coordinator and observers, the school's for its people. A share without
    its contingent is «нет данных», never 0 %."""
    scope = get_scope(user)
    data = plan_fact(user, years=[year_start])
    own = scope.read_organization_ids
    block = next(
        (
            b
            for b in data.blocks
            if (
                b.organization is None
                if scope.is_municipal
                else b.organization is not None and b.organization.pk in own
            )
        ),
        None,
    )
    cells = {line.indicator: line.cells[0] for line in block.lines} if block else {}

    def number(value):
        return None if value is None else float(value)

    indicators = list(SHORT_INDICATORS)
    link = reverse("monitoring:indicators")
    if block is not None and block.organization is not None:
        link = f"{link}?{urlencode({'organization': block.organization.pk})}"
    return Chart(
        key="indicators",
        title="Показатели эффективности: план и факт, %",
        labels=[SHORT_INDICATORS[i] for i in indicators],
        series=[
            Series("План", [number(cells[i].target) if i in cells else None for i in indicators], PALETTE[1]),
            Series("Факт", [number(cells[i].actual) if i in cells else None for i in indicators], PALETTE[0]),
        ],
        link=link,
        link_text="Показатели эффективности",
        label_header="Показатель",
        note=(f"{block.name}. " if block else "")
        + "Доли от контингента учебного года; «нет данных» — не внесён контингент или не задан план.",
    )


@dataclass
class RegionRow:
    """A municipality's line of the region view."""

    municipality: Municipality
    organizations: int
    pairs_live: int
    covered: int
    roadmap_percent: int | None


def sees_region(user) -> bool:
    """An observer of several municipalities (or the superuser): the home page is the region view."""
    scope = get_scope(user)
    return scope.is_superuser or len(scope.read_municipality_ids) > 1


def region_rows(
    user, year_start: int, today: datetime.date, coverage: Coverage | None = None
) -> tuple[list[RegionRow], RegionRow | None]:
    """The region view of an observer of several municipalities: each municipality's figures and
    the total (coverage distinct across the whole region; `coverage`: this year's, if computed)."""
    municipalities = list(Municipality.objects.for_user(user).order_by("name"))
    if len(municipalities) < 2:
        return [], None
    organization_municipality = dict(
        coverage_organizations(municipality_ids=[m.pk for m in municipalities])
        .filter(pk__in=Organization.objects.for_user(user).values("pk"))
        .values_list("pk", "municipality_id")
    )
    every = list(organization_municipality)
    ids: dict[int, list[int]] = {m.pk: [] for m in municipalities}
    for org_id, municipality_id in organization_municipality.items():
        ids[municipality_id].append(org_id)
    coverage = coverage or year_coverage(every, year_start)
    covered = dict.fromkeys(ids, 0)
    for org_id, figures in coverage.by_organization.items():
        covered[organization_municipality[org_id]] += sum(
            figures[figure][form] for figure in FIGURES if figure != "enterprises" for form in figures[figure]
        )
    live = dict(
        Pair.objects.for_user(user)
        .filter(status__in=LIVE_STATUSES)
        .order_by()
        .values_list("organization__municipality")
        .annotate(n=Count("pk"))
    )
    roadmaps = list(Roadmap.objects.for_user(user).filter(status=RoadmapStatus.APPROVED, organization__isnull=True))
    shares = roadmap_selectors.roadmap_shares(roadmaps, organization_ids=None, today=today)
    by_municipality: dict[int, roadmap_selectors.Share] = {}
    for roadmap in roadmaps:
        share = by_municipality.setdefault(roadmap.municipality_id, roadmap_selectors.Share())
        share.done += shares[roadmap.pk].done
        share.asked += shares[roadmap.pk].asked
    rows = [
        RegionRow(
            municipality=m,
            organizations=len(ids[m.pk]),
            pairs_live=live.get(m.pk, 0),
            covered=covered[m.pk],
            roadmap_percent=by_municipality[m.pk].percent if m.pk in by_municipality else None,
        )
        for m in municipalities
    ]
    all_share = roadmap_selectors.Share(
        done=sum(s.done for s in by_municipality.values()), asked=sum(s.asked for s in by_municipality.values())
    )
    people = [figure for figure in FIGURES if figure != "enterprises"]
    total = RegionRow(
        municipality=None,
        organizations=len(every),
        pairs_live=sum(live.values()),
        covered=sum(coverage.total[f][form] for f in people for form in coverage.total[f]),
        roadmap_percent=all_share.percent,
    )
    return rows, total


def region_roadmap_chart(rows: list[RegionRow]) -> Chart:
    """The region's roadmap execution: the share of the municipal roadmaps' items done, by
    municipality (a municipality without an approved roadmap has no bar: «нет данных»)."""
    return Chart(
        key="roadmaps",
        title="Исполнение муниципальных дорожных карт, %",
        labels=[row.municipality.name for row in rows],
        series=[Series("Выполнено, %", [row.roadmap_percent for row in rows], "#198754")],
        link=reverse("roadmaps:roadmap_list"),
        link_text="Дорожные карты",
        horizontal=True,
        label_header="Муниципалитет",
        note="Пункты утверждённых муниципальных дорожных карт, выполненные школами и управлением.",
    )


@dataclass
class Dashboard:
    charts: list[Chart]
    region: list[RegionRow]
    region_total: RegionRow | None
    year_label: str


def dashboard(user, *, today: datetime.date | None = None) -> Dashboard:
    """The charts of the user's home page, for their municipality or their school."""
    today = today or timezone.localdate()
    year = current_academic_year_start(today)
    organization_ids = participating_organizations(user)
    this_year = year_coverage(organization_ids, year)
    region, total = region_rows(user, year, today, this_year) if sees_region(user) else ([], None)
    charts = [
        coverage_chart(organization_ids, year, this_year),
        pairs_chart(user, organization_ids),
        # The region's hundreds of schools make no chart: its municipalities do.
        region_roadmap_chart(region) if region else roadmap_chart(user, organization_ids, today),
        indicators_chart(user, year),
    ]
    return Dashboard(charts=charts, region=region, region_total=total, year_label=academic_year_label(year))


def dashboard_data(board: Dashboard) -> dict:
    """The dashboard as JSON data (a snapshot's, monitoring.snapshots): the municipalities of the
    region view by id and name, what the page prints of them."""
    return {
        "charts": [asdict(chart) for chart in board.charts],
        "region": [_row_data(row) for row in board.region],
        "region_total": _row_data(board.region_total) if board.region_total else None,
        "year_label": board.year_label,
    }


def _row_data(row: RegionRow) -> dict:
    data = asdict(row) | {"municipality": None}
    if row.municipality is not None:
        data["municipality"] = {"pk": row.municipality.pk, "name": row.municipality.name}
    return data


def dashboard_from_data(data: dict) -> Dashboard:
    """`dashboard_data` read back (the municipalities as unsaved instances: id and name only)."""

    def row(values: dict | None) -> RegionRow | None:
        if values is None:
            return None
        municipality = values["municipality"] and Municipality(**values["municipality"])
        return RegionRow(**(values | {"municipality": municipality}))

    charts = [Chart(**(c | {"series": [Series(**s) for s in c["series"]]})) for c in data["charts"]]
    return Dashboard(
        charts=charts,
        region=[row(values) for values in data["region"]],
        region_total=row(data["region_total"]),
        year_label=data["year_label"],
    )
