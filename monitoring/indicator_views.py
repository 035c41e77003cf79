"""Pages of the indicators (показатели эффективности): plan against fact per year for the
municipality and its schools, its export, and the coordinator's grid of targets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views import generic

from core.exporting import file_response
from core.scoping import can_write, get_scope
from monitoring import indicators
from monitoring.indicator_forms import SchoolChoiceForm, TargetGridForm
from monitoring.models import IndicatorTarget
from registry.choices import OrganizationKind
from registry.models import Organization, academic_year_label, current_academic_year_start


def readable_schools(user):
    """The schools whose indicators `user` reads (their own school for a school's people)."""
    return Organization.objects.for_user(user).filter(kind=OrganizationKind.SCHOOL).order_by("short_name")


def chosen_school(request, schools) -> Organization | None:
    """The school of `?organization=`: one the user reads, else 404 (another municipality's)."""
    raw = request.GET.get("organization", "").strip()
    if not raw:
        return None
    try:
        return schools.get(pk=int(raw))
    except (ValueError, Organization.DoesNotExist) as error:
        raise Http404("Такой школы нет среди доступных вам.") from error


def contingent_url(user, organization: Organization) -> str:
    """Where the missing contingent is entered (registry), or read when the user may not enter it."""
    if can_write(user, organization):
        return reverse("registry:contingent_create", args=[organization.pk])
    return organization.get_absolute_url()


class PlanFactView(generic.TemplateView):
    """«Показатели эффективности»: years as columns, the municipality's rows first, then each school
    the user reads; `?format=xlsx` gives the same as a file."""

    template_name = "monitoring/indicators.html"

    def get(self, request, *args, **kwargs):
        schools = readable_schools(request.user)
        self.organization = chosen_school(request, schools)
        self.form = SchoolChoiceForm(request.GET or None, schools=schools)
        self.data = indicators.plan_fact(request.user, organization=self.organization)
        if request.GET.get("format") == "xlsx":
            return file_response(indicators.PlanFactExporter(self.data, user=request.user).export())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, data = self.request.user, self.data
        for block in data.blocks:
            if block.organization is not None:
                block.contingent_url = contingent_url(user, block.organization)
            block.missing = [
                (academic_year_label(year), [(school, contingent_url(user, school)) for school in schools])
                for year, schools in block.missing_contingent.items()
                if schools
            ]
        export_query = self.request.GET.copy()
        export_query["format"] = "xlsx"
        context.update(
            form=self.form,
            data=data,
            year_labels=[academic_year_label(year) for year in data.years],
            definition=indicators.ACTUAL_DEFINITION,
            export_url=f"{self.request.path}?{export_query.urlencode()}",
            can_set_targets=any(indicators.can_set_targets(user, b.municipality) for b in data.blocks),
            is_municipal=get_scope(user).is_municipal,
        )
        return context


class TargetGridView(generic.TemplateView):
    """The coordinator's grid of targets: indicator × year for the municipality, or for a school
    chosen above it; a year is added from the URL (`?add=2026`). Everything is saved at once or
    nothing (`indicators.targets_save_grid`). Curators, directors and observers read it."""

    template_name = "monitoring/indicator_targets.html"

    def setup_grid(self, request):
        user = request.user
        schools = readable_schools(user)
        self.organization = chosen_school(request, schools)
        municipalities = indicators.visible_municipalities(user).order_by("name")
        if self.organization is not None:
            self.municipality = self.organization.municipality
        else:
            self.municipality = municipalities.first()
        if self.municipality is None:
            raise Http404("Вам не доступен ни один муниципалитет.")
        self.choice = SchoolChoiceForm(
            request.GET or None, schools=schools, empty_label="Муниципалитет в целом", with_year=True
        )
        added = []
        if self.choice.is_valid() and self.choice.cleaned_data.get("add"):
            added.append(self.choice.cleaned_data["add"])
        targets = list(IndicatorTarget.objects.filter(municipality=self.municipality))
        school_ids = schools.filter(municipality=self.municipality).values_list("pk", flat=True)
        years = set(indicators.plan_fact_years([self.municipality.pk], targets, school_ids))
        years.update([current_academic_year_start(), *added])
        self.years = sorted(years)
        self.stored = {
            (target.indicator, target.year_start): target.target
            for target in targets
            if target.organization_id == (self.organization.pk if self.organization else None)
        }
        self.readonly = not indicators.can_set_targets(user, self.municipality)

    def get(self, request, *args, **kwargs):
        self.setup_grid(request)
        self.grid = TargetGridForm(years=self.years, stored=self.stored, readonly=self.readonly)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_grid(request)
        if self.readonly:
            raise PermissionDenied("Плановые значения показателей задаёт муниципальный координатор.")
        self.grid = TargetGridForm(request.POST, years=self.years, stored=self.stored)
        if self.grid.is_valid():
            try:
                changed = indicators.targets_save_grid(
                    municipality=self.municipality,
                    organization=self.organization,
                    values=self.grid.values(),
                    user=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for name, errors in error.error_dict.items():
                        self.grid.add_error(name if name in self.grid.fields else None, errors)
                else:
                    self.grid.add_error(None, error)
            else:
                messages.success(request, f"План сохранён. Изменено значений: {changed}.")
                return HttpResponseRedirect(request.get_full_path())
        return self.render_to_response(self.get_context_data(), status=200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            choice=self.choice,
            grid=self.grid,
            municipality=self.municipality,
            organization=self.organization,
            readonly=self.readonly,
            year_labels=[academic_year_label(year) for year in self.years],
        )
        return context
