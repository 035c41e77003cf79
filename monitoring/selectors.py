"""Reads of the campaigns: what each user sees, the coordinator's table of schools, the computed
figures beside the schools' corrections — in a fixed number of queries whatever the schools."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from core.scoping import get_scope
from monitoring.choices import FIGURE_SHORT, CampaignStatus, Figure, SubmissionStatus
from monitoring.coverage import DEFINITIONS, FORMS, Coverage, compute_coverage, empty_figures
from monitoring.exporters import FormSheet
from monitoring.models import Campaign, FigureCorrection, Submission, SubmissionStep
from registry.choices import FormCode

AWAITED = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


def visible_campaigns(user):
    """The coordinator's and observers' campaigns of their municipality; for a school's people, the
    opened campaigns asking their school (Campaign.objects.for_user)."""
    return Campaign.objects.for_user(user)


def visible_submissions(user):
    """The answers a user may open: the municipality's for its coordinator and observers; a
    school's own, once the campaign is opened (a draft campaign is the coordinator's)."""
    scope = get_scope(user)
    submissions = Submission.objects.for_user(user)
    if scope.is_superuser:
        return submissions
    return submissions.filter(
        Q(campaign__municipality__in=scope.read_municipality_ids) | ~Q(campaign__status=CampaignStatus.DRAFT)
    )


def campaign_list(user):
    """The campaigns with the number of answers in each state."""
    counts = {
        f"n_{status}": Count("submissions", filter=Q(submissions__status=status)) for status in SubmissionStatus.values
    }
    return visible_campaigns(user).select_related("municipality").annotate(n_total=Count("submissions"), **counts)


def is_late(submission: Submission, today: datetime.date | None = None) -> bool:
    """Late: the answer is not sent (nor accepted) and the deadline has passed."""
    today = today or timezone.localdate()
    return submission.status in AWAITED and submission.campaign.deadline < today


@dataclass
class Cell:
    computed: int
    correction: FigureCorrection | None = None
    form_label: str = ""
    people_url: str = ""

    @property
    def value(self) -> int:
        return self.correction.value if self.correction else self.computed


@dataclass
class FigureRow:
    figure: str
    label: str
    definition: str
    cells: list[tuple[str, Cell]] = field(default_factory=list)

    @property
    def short(self) -> str:
        return FIGURE_SHORT[self.figure]


def campaign_coverage(submissions: list[Submission]) -> Coverage:
    """The coverage of the answers' schools for their campaign's period (one computation)."""
    campaign = submissions[0].campaign
    return compute_coverage(
        [s.organization_id for s in submissions],
        start=campaign.period_start,
        end=campaign.period_end,
        on=campaign.reference_date,
    )


def coverage_rows(submissions: list[Submission], coverage: Coverage | None = None) -> dict[int, list[FigureRow]]:
    """For each answer, the four rows of seed 003's form: each form's computed figure and the
    school's correction (one computation for all schools, corrections prefetched)."""
    if not submissions:
        return {}
    coverage = coverage or campaign_coverage(submissions)
    result = {}
    for submission in submissions:
        figures = coverage.figures(submission.organization_id)
        corrections = {(c.figure, c.form): c for c in submission.corrections.all()}
        rows = []
        for figure in Figure:
            row = FigureRow(figure.value, figure.label, DEFINITIONS[figure])
            for form in FORMS:
                cell = Cell(figures[figure][form], corrections.get((figure.value, form)), FormCode(form).label)
                row.cells.append((form, cell))
            rows.append(row)
        result[submission.pk] = rows
    return result


def campaign_sheets(submissions) -> tuple[list[FormSheet], dict[str, dict[str, int]]]:
    """Each school's form as the coordinator receives it (`coverage_rows`: computed, the school's
    corrections over it) and the total: the distinct computed total (a person or an enterprise in
    two schools once) plus the corrections' differences (what a school adds, the registry cannot
    tell apart)."""
    submissions = list(submissions)
    if not submissions:
        return [], empty_figures()
    coverage = campaign_coverage(submissions)
    rows = coverage_rows(submissions, coverage)
    total = {figure: dict(forms) for figure, forms in coverage.total.items()}
    sheets = []
    for submission in submissions:
        shown, computed = empty_figures(), empty_figures()
        for row in rows[submission.pk]:
            for form, cell in row.cells:
                shown[row.figure][form], computed[row.figure][form] = cell.value, cell.computed
                total[row.figure][form] += cell.value - cell.computed
        sheets.append(
            FormSheet(
                submission.organization, shown, computed, submission.responsible_name, submission.responsible_phone
            )
        )
    return sheets, total


FORM_LABELS = [(form, FormCode(form).label) for form in FORMS]


def campaign_submissions(campaign: Campaign, status: str | None = None):
    submissions = campaign.submissions.select_related("organization", "campaign").prefetch_related("corrections")
    if status == "late":
        submissions = (
            submissions.filter(status__in=AWAITED) if campaign.deadline < timezone.localdate() else submissions.none()
        )
    elif status in SubmissionStatus.values:
        submissions = submissions.filter(status=status)
    return submissions.order_by("organization__short_name", "pk")


def submission_steps(submission: Submission):
    return SubmissionStep.objects.filter(submission=submission).select_related("by").order_by("at", "pk")


def open_requests(user):
    """The curator's home: the open campaigns asking their schools, with the deadline and state."""
    scope = get_scope(user)
    if not scope.read_organization_ids:
        return []
    return list(
        Submission.objects.filter(organization__in=scope.read_organization_ids, campaign__status=CampaignStatus.OPEN)
        .select_related("campaign", "organization")
        .order_by("campaign__deadline", "organization__short_name")
    )
