"""The register of documents (реестр документов): the list, a document's page with its issue form
or its cancellation, the draft's preview and the issued PDF — all scoped, every download journalled.

The apps prepare their drafts (the order on pairs from the pairs' page, the order on the ЦМН from
the roadmap's) through `core.issuing.document_prepare` and send the user here: what happens to a
document after it is prepared is the same for every kind.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View, generic
from django_tables2 import tables

from core import documents, issuing
from core.exporting import Rendered, file_response, log_export
from core.filters import ScopedFilterSet, SearchFilter
from core.forms import SearchInput, ServiceForm
from core.models import IssuedDocument, PrintJob
from core.tables import BaseTable, DateColumn, badge
from core.views import ScopedListView, ScopeMixin

S = IssuedDocument.Status


def kind_title(code: str) -> str:
    try:
        return documents.kind(code).title
    except LookupError:
        return code


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind_cls.code, kind_cls.title) for kind_cls in documents.kinds() if kind_cls.registered]


class DocumentFilter(ScopedFilterSet):
    """Search by number and title; the kind, the state, the year, the school."""

    q = SearchFilter(fields=["number", "title"], widget=SearchInput("Номер или заголовок…"))
    kind = django_filters.ChoiceFilter(label="Вид", choices=_kind_choices, empty_label="Все виды")
    status = django_filters.ChoiceFilter(label="Состояние", choices=S.choices, empty_label="Все")
    year = django_filters.NumberFilter(label="Год", min_value=2000, max_value=2100)
    organization = django_filters.ModelChoiceFilter(label="Организация", queryset=None, empty_label="Все")

    class Meta:
        model = IssuedDocument
        fields = ["q", "kind", "status", "year", "organization"]

    def __init__(self, *args, user=None, **kwargs):
        from core.models import organization_model

        self.scoped_choices = {"organization": organization_model()}
        super().__init__(*args, user=user, **kwargs)


class DocumentTable(BaseTable):
    caption = "Реестр документов"
    date = DateColumn(verbose_name="Дата")
    number = tables.Column("Номер", empty_values=())
    title = tables.Column("Документ", linkify=lambda record: reverse("document_detail", args=[record.pk]))
    organization = tables.Column("Организация", empty_values=(), order_by=("organization__short_name",))
    status = tables.Column("Состояние")
    pages = tables.Column("Стр.", empty_values=())

    class Meta(BaseTable.Meta):
        model = IssuedDocument
        fields = ("date", "number", "title", "organization", "status", "pages")
        empty_text = "Документов не найдено. Измените условия поиска."

    def __init__(self, *args, show_organization: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_organization:
            self.columns.hide("organization")

    def render_number(self, record):
        return record.number or "—"

    def render_organization(self, record):
        return str(record.organization) if record.organization_id else "Орган управления образованием"

    def value_organization(self, record):
        return self.render_organization(record)

    def render_status(self, record):
        return badge(record.get_status_display(), record.badge)

    def value_status(self, record):
        return record.get_status_display()

    def render_pages(self, record):
        return record.pages or "—"


class DocumentListView(ScopedListView):
    """«Документы»: the register as the user may see it, the newest first, drafts included."""

    model = IssuedDocument
    filterset_class = DocumentFilter
    table_class = DocumentTable
    title = "Реестр документов"
    export_personal = False
    empty_hint = (
        "Документы появляются здесь, когда куратор готовит приказ (например, «Подготовить приказ» на странице "
        "пар), а руководитель его издаёт."
    )

    def get_queryset(self):
        return super().get_queryset().select_related("organization")


class DocumentMixin(ScopeMixin):
    """A document the user may see; another school's or municipality's answers 404."""

    def get_queryset(self):
        return IssuedDocument.objects.for_user(self.request.user).select_related(
            "organization", "municipality", "prepared_by", "issued_by", "cancelled_by"
        )

    def get_document(self) -> IssuedDocument:
        if not hasattr(self, "_document"):
            self._document = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return self._document


class IssueForm(ServiceForm):
    """The number and the date the director gives the document as they sign it."""

    number = forms.CharField(label="Номер", max_length=50)
    date = forms.DateField(label="Дата")


class CancelForm(ServiceForm):
    reason = forms.CharField(label="Причина отмены", widget=forms.Textarea(attrs={"rows": 2}))


class DocumentDetailView(DocumentMixin, generic.TemplateView):
    """A document's page: what it is and concerns; for a draft the warnings, the preview and the
    issue form (the director); for an issued one the download and the cancellation."""

    template_name = "core/document_detail.html"

    def get_template_names(self):
        if self.request.htmx and self.request.GET.get("part") == "job":
            return ["core/includes/document_job.html"]
        return [self.template_name]

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.htmx and self.request.GET.get("part") == "job" and not context["job_running"]:
            response["HX-Refresh"] = "true"  # the worker is done: the page shows the issued document
        return response

    def get_context_data(self, issue_form=None, cancel_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.get_document()
        user = self.request.user
        context["document"] = document
        context["kind_title"] = kind_title(document.kind)
        context["subjects"] = list(document.subjects.all()[:500])
        context["subject_count"] = document.subjects.count()
        context["can_issue"] = document.is_draft and issuing.can_issue(user, document)
        context["can_discard"] = issuing.can_discard(user, document)
        context["can_cancel"] = document.status == S.ISSUED and issuing.can_issue(user, document)
        context["job_running"] = document.job in (IssuedDocument.Job.QUEUED, IssuedDocument.Job.RUNNING)
        if document.is_draft:
            kind = issuing.kind_of(document)
            context["warnings"] = kind.warnings()
            context["in_worker"] = kind.size() > kind.worker_items
            today = timezone.localdate()
            context["issue_form"] = issue_form or IssueForm(
                initial={"number": issuing.next_number(document, today.year), "date": today}
            )
        context["cancel_form"] = cancel_form or CancelForm()
        context["title"] = str(document)
        return context


class DocumentIssueView(DocumentMixin, View):
    """POST: the director issues the draft with a number and a date (core.issuing)."""

    def post(self, request, pk):
        document = self.get_document()
        if not issuing.can_issue(request.user, document):
            raise PermissionDenied
        form = IssueForm(request.POST)
        if form.is_valid():
            number, date = form.cleaned_data["number"], form.cleaned_data["date"]
            try:
                if issuing.issues_in_worker(document):
                    issuing.document_issue_later(document=document, number=number, date=date, user=request.user)
                    messages.info(
                        request, "Документ формируется: это займёт несколько секунд, страница обновится сама."
                    )
                else:
                    document = issuing.document_issue(document=document, number=number, date=date, user=request.user)
                    messages.success(request, f"Документ издан: {document}.")
                return HttpResponseRedirect(reverse("document_detail", args=[document.pk]))
            except ValidationError as error:
                form.apply_error(error)
        view = DocumentDetailView(request=request, kwargs=self.kwargs)
        view._document = document
        return view.render_to_response(view.get_context_data(issue_form=form), status=400)


class DocumentCancelView(DocumentMixin, View):
    def post(self, request, pk):
        document = self.get_document()
        if not issuing.can_issue(request.user, document):
            raise PermissionDenied
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                issuing.document_cancel(document=document, reason=form.cleaned_data["reason"], user=request.user)
            except ValidationError as error:
                form.add_error("reason", error.messages)  # the service names it cancel_reason
            else:
                messages.success(request, "Документ отменён. Он остался в реестре с отметкой «Отменён».")
                return HttpResponseRedirect(reverse("document_detail", args=[document.pk]))
        view = DocumentDetailView(request=request, kwargs=self.kwargs)
        view._document = document
        return view.render_to_response(view.get_context_data(cancel_form=form), status=400)


class DocumentDiscardView(DocumentMixin, generic.TemplateView):
    """A draft deleted, after a confirmation; an issued document cannot be."""

    template_name = "core/confirm_delete.html"

    def dispatch(self, request, *args, **kwargs):
        document = self.get_document()
        if not issuing.can_discard(request.user, document):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.get_document()
        context.update(
            object=document,
            title="Удалить проект документа?",
            warning="Проект удаляется из реестра; то, чего он касается (пары, дорожная карта), не меняется. "
            "Удаление записывается в журнал.",
            cancel_url=reverse("document_detail", args=[document.pk]),
        )
        return context

    def post(self, request, pk):
        issuing.document_discard(document=self.get_document(), user=request.user)
        messages.success(request, "Проект удалён.")
        return HttpResponseRedirect(reverse("document_list"))


class DocumentFileView(DocumentMixin, View):
    """The PDF: an issued document's file as it was issued; a draft's preview rendered now. Both
    journalled: documents name people (152-ФЗ)."""

    def get(self, request, pk):
        document = self.get_document()
        if document.is_draft:
            kind = issuing.kind_of(document)
            rendered = kind.pdf()
            issuing.log_download(document=document, user=request.user, issued=False)
            return _pdf_response(
                Rendered(issuing.download_name(document), documents.PDF_MIME, rendered.content, rendered.rows)
            )
        issuing.log_download(document=document, user=request.user, issued=True)
        with document.file.open("rb") as stored:
            content = stored.read()
        return _pdf_response(
            Rendered(issuing.download_name(document), documents.PDF_MIME, content, document.subjects.count())
        )


def _pdf_response(rendered: Rendered) -> HttpResponse:
    response = file_response(rendered)
    # Opened in the browser's viewer to read and print; the name stays for saving.
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment;", "inline;", 1)
    return response


# --- Printed by the worker for the person who asked (core.models.PrintJob) ------------------------


class PrintJobMixin:
    """A print job is its orderer's alone: anyone else's answers 404, as another scope's object."""

    def get_queryset(self):
        return PrintJob.objects.filter(user=self.request.user)

    def get_job(self) -> PrintJob:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class PrintJobView(PrintJobMixin, generic.TemplateView):
    """The progress of a large document the worker lays out (a municipality's consolidated report of
    hundreds of schools), then its download; polled by htmx while it runs."""

    template_name = "core/print_job.html"

    def get_template_names(self):
        if self.request.htmx and self.request.GET.get("part") == "job":
            return ["core/includes/print_job_state.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.get_job()
        context.update(
            job=job, title=job.title, back_url=_local(job.back_url), retention_hours=settings.PRINT_RETENTION_HOURS
        )
        return context


def _local(url: str) -> str:
    """The page the document was asked from, if it is the portal's own (the job keeps what the view
    gave): a path, never another host («//evil.example», «/\\evil.example»)."""
    return url if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None) else ""


class PrintJobFileView(PrintJobMixin, View):
    """The PDF the worker laid out, to its orderer, journalled as the request's download would be
    (core.printing.printed_download)."""

    def get(self, request, pk):
        job = self.get_job()
        if job.status != PrintJob.Status.DONE or not job.file:
            raise Http404("Документ ещё не сформирован или уже удалён: сформируйте его заново.")
        with job.file.open("rb") as stored:
            content = stored.read()
        log_export(
            user=request.user,
            title=job.filename.removesuffix(".pdf"),
            rows=job.rows,
            fmt="pdf",
            filters={"document": job.kind, **job.filters},
            personal=job.personal,
        )
        return file_response(Rendered(job.filename, documents.PDF_MIME, content, job.rows))
