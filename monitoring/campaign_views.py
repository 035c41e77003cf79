"""The campaign pages (namespace «monitoring»): the list, the form, the coordinator's campaign page
with every school's state, the confirmations, and a school's answer with the coverage form of
seed 003 computed from the pairs, each figure correctable with a reason.

Every object is looked up in what the user may see (another municipality's or school's answers
404); every change goes through `monitoring.services`, whose refusals are shown as they are."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from core.exporting import XLSX_MIME, Rendered, file_response, log_export
from core.printing import printed_download
from core.scoping import get_scope
from core.views import ScopeMixin
from monitoring import selectors, services
from monitoring.choices import CampaignStatus, SubmissionStatus
from monitoring.coverage import COMMON_DEFINITION
from monitoring.coverage_views import people_url
from monitoring.exporters import coverage_workbook
from monitoring.forms import CampaignForm, CorrectionForm, ResponsibleForm, ReturnForm
from monitoring.kinds import ConsolidatedReport, CoverageFormPdf
from monitoring.models import Campaign, Submission
from registry.models import Municipality

STATE_FILTERS = [("", "Все"), *SubmissionStatus.choices, ("late", "Опаздывают")]


def coverage_people_url(submission: Submission, figure: str, form: str) -> str:
    """The people behind one of a school's figures, for the campaign's period (the coverage page's
    list, `coverage_views.people_url`)."""
    campaign = submission.campaign
    period = {
        "start": campaign.period_start.isoformat(),
        "end": campaign.period_end.isoformat(),
        "on": campaign.reference_date.isoformat(),
    }
    return people_url({"organization": submission.organization_id}, period, figure, form)


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


class CampaignListView(ScopeMixin, generic.ListView):
    """The coordinator's campaigns with the answers per state; a school's requests to it."""

    template_name = "monitoring/campaign_list.html"
    context_object_name = "campaigns"

    def get_queryset(self):
        return selectors.campaign_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.scope
        context["can_create"] = bool(scope.write_municipality_ids) or scope.is_superuser
        context["is_municipal"] = scope.is_municipal
        context["requests"] = [] if scope.is_municipal else selectors.open_requests(self.request.user)
        context["today"] = timezone.localdate()
        return context


class CampaignFormMixin(ScopeMixin):
    template_name = "monitoring/campaign_form.html"
    form_class = CampaignForm
    model = Campaign

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["municipality"] = self.get_municipality()
        return kwargs

    def form_valid(self, form):
        campaign = form.instance
        campaign.municipality = self.get_municipality()
        try:
            services.campaign_save(
                campaign=campaign, user=self.request.user, organizations=list(form.cleaned_data["organizations"])
            )
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        messages.success(self.request, "Сбор сохранён.")
        return HttpResponseRedirect(campaign.get_absolute_url())


class CampaignCreateView(CampaignFormMixin, generic.CreateView):
    def get_municipality(self):
        scope = self.scope
        ids = sorted(scope.write_municipality_ids)
        if ids:
            return Municipality.objects.get(pk=ids[0])
        if scope.is_superuser and (first := Municipality.objects.order_by("pk").first()):
            return first
        raise PermissionDenied("Сбор информации открывает муниципальный координатор.")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": "Новый сбор информации",
            "cancel_url": reverse("monitoring:campaign_list"),
        }


class CoordinatedCampaignMixin(ScopeMixin):
    """A campaign the user sees (404 otherwise) that they coordinate (403 otherwise)."""

    def get_queryset(self):
        return selectors.visible_campaigns(self.request.user)

    def get_object(self, queryset=None):
        campaign = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not services.can_coordinate(self.request.user, campaign):
            raise PermissionDenied(services.COORDINATOR_ONLY)
        return campaign


class CampaignUpdateView(CoordinatedCampaignMixin, CampaignFormMixin, generic.UpdateView):
    def get_municipality(self):
        return self.object.municipality

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": "Изменить сбор информации",
            "cancel_url": self.object.get_absolute_url(),
        }


class CampaignDetailView(ScopeMixin, generic.DetailView):
    """The coordinator's campaign page: every school's state, the late ones, the figures computed
    and corrected side by side; a school's people see their own answers only."""

    template_name = "monitoring/campaign_detail.html"
    context_object_name = "campaign"

    def get_queryset(self):
        return selectors.visible_campaigns(self.request.user).select_related("municipality")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, campaign = self.request.user, self.object
        state = self.request.GET.get("state", "")
        submissions = selectors.campaign_submissions(campaign, state)
        if not services.can_coordinate(user, campaign) and not get_scope(user).is_municipal:
            submissions = submissions.filter(pk__in=selectors.visible_submissions(user).values("pk"))
        submissions = list(submissions)
        today = timezone.localdate()
        rows = selectors.coverage_rows(submissions) if campaign.asks_coverage else {}
        context.update(
            {
                "can_coordinate": services.can_coordinate(user, campaign),
                "rows": [
                    {"submission": s, "late": selectors.is_late(s, today), "figures": rows.get(s.pk, [])}
                    for s in submissions
                ],
                "state": state,
                "states": [
                    (value, label, f"?{urlencode({'state': value})}" if value else "?")
                    for value, label in STATE_FILTERS
                ],
                "form_labels": selectors.FORM_LABELS,
                "late_count": sum(1 for s in submissions if selectors.is_late(s, today)),
                "return_form": ReturnForm(),
            }
        )
        return context


class CampaignConfirmView(CoordinatedCampaignMixin, generic.DetailView):
    """A confirmation (GET) and the action (POST): open, close or delete."""

    template_name = "monitoring/campaign_confirm.html"
    context_object_name = "campaign"
    action = ""
    texts = {
        "open": (
            "Открыть сбор?",
            "Школы увидят запрос и получат письмо. После открытия сбор нельзя удалить.",
            "Открыть",
        ),
        "close": ("Закрыть сбор?", "Школы больше не смогут менять и отправлять ответы.", "Закрыть"),
        "delete": (
            "Удалить сбор?",
            "Готовящийся сбор удаляется вместе со списком школ. Это нельзя отменить.",
            "Удалить",
        ),
    }

    def get_context_data(self, **kwargs):
        title, text, button = self.texts[self.action]
        return {**super().get_context_data(**kwargs), "title": title, "text": text, "button": button,
                "danger": self.action == "delete"}  # fmt: skip

    def post(self, request, *args, **kwargs):
        campaign = self.get_object()
        try:
            if self.action == "open":
                services.campaign_open(campaign=campaign, user=request.user)
                messages.success(request, "Сбор открыт: школы получили запрос.")
            elif self.action == "close":
                services.campaign_close(campaign=campaign, user=request.user)
                messages.success(request, "Сбор закрыт.")
            else:
                services.campaign_delete(campaign=campaign, user=request.user)
                messages.success(request, "Сбор удалён.")
                return HttpResponseRedirect(reverse("monitoring:campaign_list"))
        except ValidationError as error:
            _refusal(request, error)
        return HttpResponseRedirect(campaign.get_absolute_url())


def exported_campaign(request, pk) -> tuple[Campaign, list, dict, str]:
    """A campaign's coverage forms as the coordinator receives them (the campaign, each school's
    sheet with its corrections and responsible, the total, the title's note): for the
    municipality's coordinator and observers, 404 outside their scope or without the form."""
    campaign = get_object_or_404(selectors.visible_campaigns(request.user).select_related("municipality"), pk=pk)
    scope = get_scope(request.user)
    if not (scope.is_superuser or campaign.municipality_id in scope.read_municipality_ids):
        raise PermissionDenied("Сводную форму выгружает муниципальный координатор.")
    if not campaign.asks_coverage:
        raise Http404("Этот сбор не запрашивает форму охвата.")
    sheets, total = selectors.campaign_sheets(selectors.campaign_submissions(campaign))
    note = (
        f"(«{campaign.title}»: период {campaign.period_start:%d.%m.%Y} – {campaign.period_end:%d.%m.%Y}, "
        f"возраст и стаж на {campaign.reference_date:%d.%m.%Y}; итог — без повторов по реестру "
        "и с исправлениями школ)"
    )
    return campaign, sheets, total, note


class CampaignExportView(ScopeMixin, generic.View):
    """The campaign's coverage forms as one .xlsx (seed 003's layout): «Свод» with a row per school
    and the total, then each school's sheet with its responsible; a corrected figure shows the
    school's number with the computed one in a note. For the municipality's coordinator and
    observers (a school's people download their own form on the coverage page)."""

    def get(self, request, pk):
        campaign, sheets, total, note = exported_campaign(request, pk)
        content = coverage_workbook(municipality=campaign.municipality, sheets=sheets, total=total, title_note=note)
        title = f"Охват наставничеством: {campaign.title}"
        log_export(
            user=request.user, title=title, rows=len(sheets), fmt="xlsx", filters={"campaign": pk}, personal=False
        )
        stamp = timezone.localdate().strftime("%Y-%m-%d")
        return file_response(Rendered(f"{campaign.title[:80]} {stamp}.xlsx", XLSX_MIME, content, len(sheets)))


class CampaignPdfView(ScopeMixin, generic.View):
    """The campaign's consolidated report as PDF (monitoring.kinds.ConsolidatedReport), the schools'
    corrections in it; for whom the .xlsx is. Journalled."""

    def get(self, request, pk):
        campaign, sheets, total, note = exported_campaign(request, pk)
        document = ConsolidatedReport(sheets, total, municipality=campaign.municipality, title_note=note)
        return printed_download(
            request, document, filters={"campaign": pk}, personal=False, back_url=campaign.get_absolute_url()
        )


class SubmissionPdfView(ScopeMixin, generic.View):
    """A school's answer as seed 003's form in PDF (monitoring.kinds.CoverageFormPdf): its figures
    as corrected, its responsible; for whoever sees the answer (another school's: 404)."""

    def get(self, request, pk):
        submission = get_object_or_404(
            selectors.visible_submissions(request.user).select_related("campaign__municipality", "organization"),
            pk=pk,
        )
        campaign = submission.campaign
        if not campaign.asks_coverage:
            raise Http404("Этот сбор не запрашивает форму охвата.")
        sheets, _total = selectors.campaign_sheets(selectors.campaign_submissions(campaign).filter(pk=submission.pk))
        note = f"(«{campaign.title}»: период {campaign.period_start:%d.%m.%Y} – {campaign.period_end:%d.%m.%Y})"
        document = CoverageFormPdf(sheets[0], municipality=campaign.municipality, title_note=note)
        return printed_download(request, document, filters={"submission": pk}, personal=False)


class CampaignRemindView(CoordinatedCampaignMixin, generic.View):
    """«Напомнить» one school (`organization`) or every late one (POST only)."""

    def post(self, request, *args, **kwargs):
        campaign = self.get_object()
        organization = request.POST.get("organization", "")
        try:
            if organization.isdigit():
                organizations = [int(organization)]
            else:
                today = timezone.localdate()
                organizations = [
                    s.organization_id for s in selectors.campaign_submissions(campaign) if selectors.is_late(s, today)
                ]
            sent = services.campaign_remind(campaign=campaign, user=request.user, organizations=organizations)
        except ValidationError as error:
            _refusal(request, error)
        else:
            if sent:
                messages.success(request, f"Напоминание отправлено: школ — {sent}.")
            else:
                messages.info(request, "Сегодня этим школам уже напоминали (или ждать от них нечего).")
        return HttpResponseRedirect(campaign.get_absolute_url())


class SubmissionMixin(ScopeMixin):
    def get_queryset(self):
        return selectors.visible_submissions(self.request.user).select_related("campaign", "organization")

    def get_submission(self) -> Submission:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class SubmissionDetailView(SubmissionMixin, generic.TemplateView):
    """A school's answer: the coverage form computed from the pairs, each cell correctable with a
    reason (by the school's curator while it is a draft or returned), the definitions beside it,
    the responsible person, the steps; the coordinator reads it and accepts or returns it."""

    template_name = "monitoring/submission_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        submission = self.get_submission()
        campaign = submission.campaign
        editable = (
            services.can_school_write(user, submission)
            and submission.status in services.EDITABLE
            and campaign.status == CampaignStatus.OPEN
        )
        figures = selectors.coverage_rows([submission]).get(submission.pk, []) if campaign.asks_coverage else []
        for row in figures:
            for form, cell in row.cells:
                cell.people_url = coverage_people_url(submission, row.figure, form)
        context.update(
            {
                "submission": submission,
                "campaign": campaign,
                "editable": editable,
                "can_coordinate": services.can_coordinate(user, campaign),
                "figures": figures,
                "form_labels": selectors.FORM_LABELS,
                "common_definition": COMMON_DEFINITION,
                "steps": selectors.submission_steps(submission),
                "responsible_form": ResponsibleForm(
                    initial={"name": submission.responsible_name, "phone": submission.responsible_phone}
                ),
                "return_form": ReturnForm(),
                "late": selectors.is_late(submission),
            }
        )
        return context


class SubmissionActionView(SubmissionMixin, generic.View):
    """The POSTs of an answer page: responsible, correction, submit, accept, return."""

    def post(self, request, *args, **kwargs):
        submission = self.get_submission()
        action, user = self.kwargs["action"], request.user
        try:
            if action == "responsible":
                form = ResponsibleForm(request.POST)
                if form.is_valid():
                    services.submission_save_responsible(
                        submission=submission,
                        name=form.cleaned_data["name"],
                        phone=form.cleaned_data["phone"],
                        user=user,
                    )
                    messages.success(request, "Ответственный сохранён.")
            elif action == "correction":
                form = CorrectionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("Число по данным школы — целое, не меньше нуля.")
                data = form.cleaned_data
                saved = services.correction_save(
                    submission=submission, figure=data["figure"], form=data["form"], value=data["value"],
                    reason=data["reason"], user=user,
                )  # fmt: skip
                messages.success(request, "Исправление сохранено." if saved else "Оставлено рассчитанное число.")
            elif action == "submit":
                services.submission_submit(submission=submission, user=user)
                messages.success(request, "Ответ отправлен координатору.")
            elif action == "accept":
                services.submission_accept(submission=submission, user=user)
                messages.success(request, f"Ответ {submission.organization} принят.")
            elif action == "return":
                form = ReturnForm(request.POST)
                comment = form.cleaned_data["comment"] if form.is_valid() else ""
                services.submission_return(submission=submission, comment=comment, user=user)
                messages.success(request, f"Ответ {submission.organization} возвращён на доработку.")
            else:
                raise Http404
        except ValidationError as error:
            _refusal(request, error)
        nxt = request.POST.get("next", "")
        if nxt == "campaign":
            return HttpResponseRedirect(submission.campaign.get_absolute_url())
        return HttpResponseRedirect(submission.get_absolute_url())
