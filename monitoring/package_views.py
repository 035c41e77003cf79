"""The pages of the document packages (seed 003 «пакет документов»): the matrix schools ×
documents of a campaign, a school's package with its sending and checking, the campaign's list of
documents, and the download of a document (journalled: a scan is never served from MEDIA_URL)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import generic

from core.views import ScopeMixin, journalled_download
from monitoring import packages, selectors
from monitoring.choices import DocumentStatus
from monitoring.models import Campaign, PackageDocument, Submission
from monitoring.package_forms import DocumentCheckForm, DocumentSendForm, RequirementsForm


class PackageMatrixView(ScopeMixin, generic.DetailView):
    """«Пакет документов»: the schools of a campaign × the documents it asks for, each cell the
    document's state linking to the school's package. A school's people see their own row."""

    template_name = "monitoring/package_matrix.html"
    context_object_name = "campaign"

    def get_queryset(self):
        return Campaign.objects.for_user(self.request.user).select_related("municipality")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        submissions = selectors.visible_submissions(self.request.user).filter(campaign=campaign)
        requirements, rows = packages.package_matrix(campaign, submissions)
        context.update(
            title=f"Пакет документов: {campaign.title}",
            requirements=requirements,
            rows=rows,
            counts=[(status, status.label, count) for status, count in packages.package_counts(rows).items()],
            is_coordinator=packages.is_coordinator_of(self.request.user, campaign),
        )
        return context


class RequirementsEditView(ScopeMixin, generic.FormView):
    """The coordinator edits the list of documents a campaign asks for (one per line)."""

    form_class = RequirementsForm
    template_name = "core/form.html"

    def get_queryset(self):
        return Campaign.objects.for_user(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        self.campaign = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        if not packages.is_coordinator_of(request.user, self.campaign):
            raise PermissionDenied("Перечень документов меняет муниципальный координатор.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        titles = [r.title for r in self.campaign.requirements.order_by("position", "pk")]
        return {"titles": "\n".join(titles or packages.DEFAULT_REQUIREMENTS)}

    def form_valid(self, form):
        try:
            packages.requirements_save(campaign=self.campaign, titles=form.title_list(), user=self.request.user)
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        messages.success(self.request, "Перечень документов сохранён.")
        return HttpResponseRedirect(reverse("monitoring:package_matrix", args=[self.campaign.pk]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Перечень документов: {self.campaign.title}",
            cancel_url=reverse("monitoring:package_matrix", args=[self.campaign.pk]),
        )
        return context


class SubmissionPackageView(ScopeMixin, generic.TemplateView):
    """A school's package: each document the campaign asks for, its state, file and the
    coordinator's comment. The school's curator sends a scan or a portal document (POST with
    `requirement`); the coordinator accepts or returns a sent one (POST with `document`)."""

    template_name = "monitoring/submission_package.html"

    def get_queryset(self):
        return selectors.visible_submissions(self.request.user).select_related("campaign__municipality", "organization")

    @cached_property
    def submission(self) -> Submission:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        submission = self.submission
        campaign = submission.campaign
        if "requirement" in request.POST:
            requirement = get_object_or_404(campaign.requirements, pk=request.POST.get("requirement"))
            if not packages.is_curator_of(request.user, submission):
                raise PermissionDenied("Документы школы представляет куратор этой школы.")
            form = DocumentSendForm(request.POST, request.FILES, user=request.user)
            document = packages.document_for(submission, requirement)
            if form.is_valid():
                try:
                    packages.document_send(
                        document=document,
                        user=request.user,
                        file=form.cleaned_data["file"],
                        link=form.cleaned_data["link"],
                    )
                except ValidationError as error:
                    form.apply_error(error)
                else:
                    messages.success(request, f"Документ «{requirement.title}» представлен на проверку.")
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(send_forms={requirement.pk: form}))
        if "document" in request.POST:
            document = get_object_or_404(
                submission.documents.select_related("requirement"), pk=request.POST["document"]
            )
            if not packages.is_coordinator_of(request.user, campaign):
                raise PermissionDenied("Проверять документы может муниципальный координатор.")
            form = DocumentCheckForm(request.POST, user=request.user)
            if form.is_valid():
                accept = form.cleaned_data["decision"] == "accept"
                try:
                    packages.document_check(
                        document=document, user=request.user, accept=accept, comment=form.cleaned_data["comment"]
                    )
                except ValidationError as error:
                    form.apply_error(error)
                else:
                    verb = "принят" if accept else "возвращён школе"
                    messages.success(request, f"Документ «{document.requirement.title}» {verb}.")
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(check_forms={document.pk: form}))
        raise Http404("Непонятно, что сохранить.")

    def get_context_data(self, send_forms=None, check_forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        user = self.request.user
        requirements, rows = packages.package_matrix(submission.campaign, Submission.objects.filter(pk=submission.pk))
        documents = rows[0].documents if rows else ()
        can_send = packages.can_send(user, submission)
        is_coordinator = packages.is_coordinator_of(user, submission.campaign)
        send_forms, check_forms = send_forms or {}, check_forms or {}
        lines = []
        for requirement, document in zip(requirements, documents, strict=True):
            sendable = can_send and (document is None or document.status != DocumentStatus.ACCEPTED)
            checkable = is_coordinator and document is not None and document.status == DocumentStatus.SUBMITTED
            lines.append(
                {
                    "requirement": requirement,
                    "document": document,
                    "send_form": (send_forms.get(requirement.pk) or DocumentSendForm(user=user)) if sendable else None,
                    "check_form": (
                        (check_forms.get(document.pk) or DocumentCheckForm(user=user)) if checkable else None
                    ),
                }
            )
        context.update(
            title=f"Пакет документов: {submission.organization.short_name}",
            submission=submission,
            campaign=submission.campaign,
            lines=lines,
            can_send=can_send,
            is_coordinator=is_coordinator,
        )
        return context


class PackageDocumentFileView(generic.View):
    """A package's scan, for its school's people and the municipality's; every download
    journalled (as registry.views.ConsentScanView)."""

    def get(self, request, pk):
        document = get_object_or_404(PackageDocument.objects.for_user(request.user).select_related("submission"), pk=pk)
        return journalled_download(request, obj=document, file=document.file, parent=document.submission)
