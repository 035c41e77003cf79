"""The coverage pages (namespace «monitoring»): «Охват наставничеством» — seed 003's form computed
from the registry for a period and a reference date — the people behind each figure, and the
downloads.

Who sees what: a school's curator or director the form of their school; a coordinator or an
observer a municipality's consolidated table (a row per school and the distinct total), each
school opening its own form. An organization or municipality outside the user's scope answers
404. Each page runs a fixed number of queries whatever the number of schools (the computation is
two aggregate queries, monitoring.coverage)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.http import Http404
from django.urls import reverse
from django.views import generic

from core.exporting import XLSX_MIME, Rendered, file_response, log_export, render_rows
from core.forms import DateInput
from core.printing import printed_download
from core.scoping import get_scope
from monitoring.choices import FIGURE_SHORT, Figure
from monitoring.coverage import (
    COMMON_DEFINITION,
    DEFINITIONS,
    FIGURES,
    FORMS,
    CoveredOrganization,
    academic_year,
    compute_coverage,
    coverage_organizations,
    coverage_people,
)
from monitoring.exporters import coverage_workbook, period_note, sheets_from_coverage
from monitoring.kinds import ConsolidatedReport, CoverageFormPdf
from registry.choices import FormCode
from registry.models import Municipality, Organization, current_academic_year_start, full_years


def academic_year_defaults(today: datetime.date | None = None) -> dict[str, datetime.date]:
    """The current academic year, 1 September – 31 August, and 1 September as the reference date."""
    start, end, on = academic_year(current_academic_year_start(today))
    return {"start": start, "end": end, "on": on}


class PeriodForm(forms.Form):
    """The period and the reference date, read from the URL (defaults: the current academic year)."""

    start = forms.DateField(label="Период с", widget=DateInput())
    end = forms.DateField(label="по", widget=DateInput())
    on = forms.DateField(label="Дата расчёта возраста и стажа", widget=DateInput())

    def __init__(self, data, **kwargs):
        defaults = academic_year_defaults()
        merged = {name: value.isoformat() for name, value in defaults.items()}
        merged.update({name: data[name] for name in self.base_fields if data.get(name)})
        super().__init__(merged, **kwargs)
        self.is_default = not any(data.get(name) for name in self.base_fields)
        for name in ("start", "end", "on"):
            self.fields[name].error_messages["invalid"] = "Введите дату, например 01.09.2025."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "Конец периода раньше начала: укажите дату не раньше «Период с».")
        return cleaned

    def query(self) -> dict[str, str]:
        return {name: self.cleaned_data[name].isoformat() for name in ("start", "end", "on")}


@dataclass
class Place:
    """What a coverage page is about: one school, or a municipality's schools."""

    municipality: Municipality
    organizations: list[Organization]
    organization: Organization | None = None  # one school asked for

    @property
    def query(self) -> dict[str, int]:
        if self.organization is not None:
            return {"organization": self.organization.pk}
        return {"municipality": self.municipality.pk}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def resolve_place(user, params) -> Place | None:
    """The place asked for by `organization` or `municipality` in the URL, within the user's scope
    (outside it: 404). Nothing asked: a school's people get their school (the first, if several),
    a municipal user the first municipality they see; None when the user sees none."""
    scope = get_scope(user)
    organization_id, municipality_id = _int(params.get("organization")), _int(params.get("municipality"))
    if (params.get("organization") and organization_id is None) or (
        params.get("municipality") and municipality_id is None
    ):
        raise Http404("Нет такой организации или муниципалитета.")
    visible = Organization.objects.for_user(user).exclude(kind="partner").select_related("municipality")
    if organization_id is not None:
        organization = visible.filter(pk=organization_id).first()
        if organization is None:
            raise Http404("Нет такой организации или она вне вашей области доступа.")
        return Place(organization.municipality, [organization], organization)
    if scope.is_municipal:
        municipalities = Municipality.objects.for_user(user).order_by("name")
        municipality = (
            municipalities.filter(pk=municipality_id).first() if municipality_id is not None else municipalities.first()
        )
        if municipality is None:
            if municipality_id is not None:
                raise Http404("Нет такого муниципалитета или он вне вашей области доступа.")
            return None
        organizations = list(coverage_organizations(municipality_ids=[municipality.pk]))
        return Place(municipality, organizations)
    if municipality_id is not None:
        raise Http404("Сводная форма муниципалитета доступна координатору и наблюдателю.")
    organizations = list(visible.order_by("short_name", "pk"))
    if not organizations:
        return None
    return Place(organizations[0].municipality, organizations, organizations[0] if len(organizations) == 1 else None)


def people_url(place_query: dict, period: dict, figure: str, form: str) -> str:
    return f"{reverse('monitoring:coverage_people')}?{urlencode({**place_query, **period, 'figure': figure, 'form': form})}"


def cell(figures, place_query: dict, period: dict, figure: str, form: str, where: str) -> tuple[int, str, str]:
    """(value, link to the people behind it, the link's accessible name: what the number counts)."""
    value = figures[figure][form]
    return (
        value,
        people_url(place_query, period, figure, form),
        f"{value}: {FIGURE_SHORT[figure]}, {FormCode(form).label}, {where}",
    )


@dataclass
class FigureRow:
    label: str
    cells: list[tuple[int, str, str]]  # (value, link to the people, the link's name)


def form_rows(figures, place_query: dict, period: dict, where: str) -> list[FigureRow]:
    """Seed 003's four rows of one school (or of the total), each value linked to its people."""
    return [
        FigureRow(Figure(figure).label, [cell(figures, place_query, period, figure, form, where) for form in FORMS])
        for figure in FIGURES
    ]


def summary_cells(figures, place_query: dict, period: dict, where: str) -> list[tuple[int, str, str]]:
    return [cell(figures, place_query, period, figure, form, where) for figure in FIGURES for form in FORMS]


class CoverageView(generic.TemplateView):
    """«Охват наставничеством»: the form for a period, a school's own or a municipality's consolidated."""

    template_name = "monitoring/coverage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        place = resolve_place(self.request.user, params)
        form = PeriodForm(params)
        context.update(
            title="Охват наставничеством",
            form=form,
            place=place,
            definitions=[(Figure(figure).label, DEFINITIONS[figure]) for figure in FIGURES],
            common_definition=COMMON_DEFINITION,
            form_labels=[FormCode(code).label for code in FORMS],
            figure_labels=[Figure(figure).label for figure in FIGURES],
        )
        if place is None or not form.is_valid():
            return context
        period = form.query()
        data = form.cleaned_data
        coverage = compute_coverage(
            [o.pk for o in place.organizations], start=data["start"], end=data["end"], on=data["on"]
        )
        context["export_url"] = f"{reverse('monitoring:coverage_export')}?{urlencode({**place.query, **period})}"
        context["pdf_url"] = f"{reverse('monitoring:coverage_pdf')}?{urlencode({**place.query, **period})}"
        if place.organization is not None or len(place.organizations) == 1:
            school = place.organization or place.organizations[0]
            context["schools"] = [
                (school, form_rows(coverage.figures(school.pk), {"organization": school.pk}, period, str(school)))
            ]
        else:
            context["summary"] = [
                (
                    school,
                    f"{reverse('monitoring:coverage')}?{urlencode({'organization': school.pk, **period})}",
                    summary_cells(coverage.figures(school.pk), {"organization": school.pk}, period, str(school)),
                )
                for school in place.organizations
            ]
            context["total"] = summary_cells(
                coverage.total, {"municipality": place.municipality.pk}, period, "итого по муниципалитету"
            )
        return context


@dataclass
class AskedCoverage:
    """The coverage a download asks for: the place in the user's scope, the period, the figures."""

    place: Place
    form: PeriodForm
    coverage: object

    @property
    def data(self) -> dict:
        return self.form.cleaned_data

    @property
    def name(self) -> str:
        return (self.place.organization.short_name if self.place.organization else self.place.municipality.name)[:80]

    @property
    def note(self) -> str:
        return period_note(self.data["start"], self.data["end"], self.data["on"])

    @property
    def filters(self) -> dict:
        return {**self.place.query, **self.form.query()}

    def sheets(self):
        return sheets_from_coverage(self.place.organizations, self.coverage)


def asked_coverage(request) -> AskedCoverage:
    """The place and period of the coverage page's URL, computed (404 outside the user's scope or
    for a period that cannot be read: the page's own link always carries a valid one)."""
    place = resolve_place(request.user, request.GET)
    form = PeriodForm(request.GET)
    if place is None or not form.is_valid():
        raise Http404("Укажите период и дату расчёта на странице «Охват наставничеством».")
    data = form.cleaned_data
    coverage = compute_coverage(
        [o.pk for o in place.organizations], start=data["start"], end=data["end"], on=data["on"]
    )
    return AskedCoverage(place, form, coverage)


class CoverageExportView(generic.View):
    """The form as .xlsx (monitoring.exporters): «Свод» and the sheet of each school shown."""

    def get(self, request, *args, **kwargs):
        asked = asked_coverage(request)
        place, data = asked.place, asked.data
        content = coverage_workbook(
            municipality=place.municipality, sheets=asked.sheets(), total=asked.coverage.total, title_note=asked.note
        )
        log_export(
            user=request.user,
            title=f"Охват наставничеством: {asked.name}",
            rows=len(place.organizations),
            fmt="xlsx",
            filters=asked.filters,
            personal=False,
        )
        return file_response(
            Rendered(
                f"Охват наставничеством {asked.name} {data['start']:%Y-%m-%d}.xlsx",
                XLSX_MIME,
                content,
                len(place.organizations),
            )
        )


class CoveragePdfView(generic.View):
    """The form as PDF (monitoring.kinds): a school's form in seed 003's layout, or, for a
    municipality, the consolidated report. Journalled as an export (aggregate figures, no names)."""

    def get(self, request, *args, **kwargs):
        asked = asked_coverage(request)
        place = asked.place
        if place.organization is not None or len(place.organizations) == 1:
            document = CoverageFormPdf(asked.sheets()[0], municipality=place.municipality, title_note=asked.note)
        else:
            document = ConsolidatedReport(
                asked.sheets(), asked.coverage.total, municipality=place.municipality, title_note=asked.note
            )
        back = f"{reverse('monitoring:coverage')}?{urlencode(asked.filters)}"
        return printed_download(request, document, filters=asked.filters, personal=False, back_url=back)


class PeopleForm(PeriodForm):
    figure = forms.ChoiceField(label="Показатель", choices=Figure.choices)
    form = forms.ChoiceField(label="Форма наставничества", choices=[(code, FormCode(code).label) for code in FORMS])

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.data = {**self.data, "figure": data.get("figure", ""), "form": data.get("form", "")}
        self.fields["figure"].error_messages["invalid_choice"] = "Выберите показатель из списка."
        self.fields["form"].error_messages["invalid_choice"] = "Выберите форму наставничества из списка."
        self.fields["figure"].error_messages["required"] = "Выберите показатель: откройте его из формы охвата."
        self.fields["form"].error_messages["required"] = "Выберите форму наставничества."

    def query(self) -> dict[str, str]:
        return {**super().query(), "figure": self.cleaned_data["figure"], "form": self.cleaned_data["form"]}


PEOPLE_HEADER = (
    "ФИО",
    "Категория",
    "Организация",
    "Дата рождения",
    "Возраст на дату расчёта",
    "Стаж, полных лет",
    "Пары и участие",
)
ORGANIZATIONS_HEADER = ("Предприятие (организация)", "Наставники", "Пары")


def membership_text(member) -> str:
    left = f"{member.left_on:%d.%m.%Y}" if member.left_on else "по настоящее время"
    return f"пара № {member.pair_id}: {member.get_role_display()} с {member.joined_on:%d.%m.%Y} по {left}"


class CoveragePeopleView(generic.TemplateView):
    """The people (or, for the fourth row, the enterprises) behind one figure; `?format=xlsx`
    exports them (journalled: minors' personal data)."""

    template_name = "monitoring/coverage_people.html"

    def get(self, request, *args, **kwargs):
        self.place = resolve_place(request.user, request.GET)
        self.form = PeopleForm(request.GET)
        self.entries = None
        if self.place is not None and self.form.is_valid():
            data = self.form.cleaned_data
            self.entries = coverage_people(
                [o.pk for o in self.place.organizations],
                data["figure"],
                data["form"],
                start=data["start"],
                end=data["end"],
                on=data["on"],
            )
            if request.GET.get("format") == "xlsx":
                return self.export()
        return super().get(request, *args, **kwargs)

    @property
    def is_enterprises(self) -> bool:
        return self.form.is_valid() and self.form.cleaned_data["figure"] == Figure.ENTERPRISES

    def place_name(self) -> str:
        if self.place.organization is not None:
            return str(self.place.organization)
        return f"{self.place.municipality.name} (без повторов)"

    def rows(self):
        on = self.form.cleaned_data["on"]
        for entry in self.entries:
            if isinstance(entry, CoveredOrganization):
                yield [
                    entry.organization.short_name,
                    "; ".join(p.full_name for p in entry.mentors),
                    "; ".join(membership_text(m) for m in entry.memberships),
                ]
                continue
            person = entry.person
            yield [
                person.full_name,
                person.get_category_display(),
                person.organization.short_name,
                person.birth_date,
                full_years(person.birth_date, on),
                full_years(person.teaching_since, on) if person.teaching_since else "",
                "; ".join(membership_text(m) for m in entry.memberships),
            ]

    def title(self) -> str:
        data = self.form.cleaned_data
        return f"{Figure(data['figure']).label} — {FormCode(data['form']).label}"

    def export(self):
        header = ORGANIZATIONS_HEADER if self.is_enterprises else PEOPLE_HEADER
        rendered = render_rows(title="Охват наставничеством", header=header, rows=list(self.rows()), fmt="xlsx")
        log_export(
            user=self.request.user,
            title=f"Охват наставничеством: {self.place_name()}: {self.title()}",
            rows=rendered.rows,
            fmt="xlsx",
            filters={**self.place.query, **self.form.query()},
            personal=True,
        )
        return file_response(rendered)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title="Охват наставничеством: кто учтён", form=self.form, place=self.place, entries=self.entries)
        if self.entries is not None:
            query = {**self.place.query, **self.form.query()}
            on = self.form.cleaned_data["on"]
            context.update(
                figure_title=self.title(),
                place_name=self.place_name(),
                is_enterprises=self.is_enterprises,
                definition=DEFINITIONS[self.form.cleaned_data["figure"]],
                export_url=f"{reverse('monitoring:coverage_people')}?{urlencode({**query, 'format': 'xlsx'})}",
                back_url=f"{reverse('monitoring:coverage')}?{urlencode({**self.place.query, **PeriodForm.query(self.form)})}",
                people=[
                    (
                        entry,
                        None if isinstance(entry, CoveredOrganization) else full_years(entry.person.birth_date, on),
                    )
                    for entry in self.entries
                ],
            )
        return context
