"""Pages of the import: upload, the preview with every error, the save, the error report.

The check and the save run in the background worker, the page shows a progress bar and keeps
the result after a reload (core.models.ImportJob). A job that could not finish shows «Ошибка»
with the reason and a way back to the upload form, its kind and organization filled in."""

from __future__ import annotations

import logging
import re
import uuid
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import generic

from core.audit import audit_log
from core.choices import AuditAction
from core.exporting import Rendered, file_response
from core.importing import IMPORTERS, FileRejected, Importer, ImportResult, RowError, error_report, run_import
from core.models import ImportJob, organization_model
from core.scoping import get_scope
from core.spreadsheets import XLSX_MIME
from core.tasks import internal_error_message, run_import_job

logger = logging.getLogger(__name__)


def _kinds():
    """The kinds the common upload page offers: those with a page of their own are left out."""
    return [(kind, importer.title) for kind, importer in IMPORTERS.items() if importer.form_class is None]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="Что загружаем")
    organization = forms.ModelChoiceField(
        label="Организация",
        queryset=None,
        required=False,
        help_text="Для строк, где организация не указана.",
        empty_label="— из столбца «Организация» —",
    )
    file = forms.FileField(
        label="Файл .xlsx или .csv",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kinds()
        organizations = organization_model().objects.for_user(user, write=True)
        self.fields["organization"].queryset = organizations
        if organizations.count() == 1:
            self.fields["organization"].initial = organizations.first()
            self.fields["organization"].empty_label = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"Файл весит {filesizeformat(upload.size)}, а можно не больше "
                f"{filesizeformat(settings.IMPORT_MAX_BYTES)}. Разделите его на несколько файлов."
            )
        upload.name = shown_file_name(upload.name)
        return upload


def shown_file_name(name: str) -> str:
    """The uploaded file's name as the job keeps and shows it: no control characters (PostgreSQL
    cannot store NUL), at most 255 characters with the extension kept."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip() or "файл"
    if len(name) > 255:
        suffix = PurePath(name).suffix[:20]
        name = name[: 255 - len(suffix) - 1] + "…" + suffix
    return name


class WriterRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not get_scope(request.user).can_write_any:
            raise PermissionDenied("Загружать данные может куратор или координатор.")
        return super().dispatch(request, *args, **kwargs)


class ImportStartView(WriterRequiredMixin, generic.FormView):
    """The upload page: the common one (kind, organization, file), or the page of a kind that asks
    more (`?kind=roadmap`: whose roadmap, its title and period), with that kind's form."""

    template_name = "core/import_start.html"
    form_class = ImportForm

    def own_kind(self):
        """The importer whose own upload page this is (`?kind=` naming a kind with its own form), or None."""
        importer = IMPORTERS.get(self.request.GET.get("kind", ""))
        return importer if importer is not None and importer.form_class is not None else None

    def get_form_class(self):
        own = self.own_kind()
        return own.form_class if own else ImportForm

    def get_template_names(self):
        own = self.own_kind()
        return [own.start_template] if own else [self.template_name]

    def get_initial(self):
        """«Загрузить заново» comes back here with the kind and the organization of the job."""
        initial = {}
        kind = self.request.GET.get("kind")
        if kind in IMPORTERS:
            initial["kind"] = kind
        organization = self.request.GET.get("organization", "")
        if organization.isdigit():
            initial["organization"] = int(organization)  # the form offers only the user's own
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = _kinds()
        context["jobs"] = ImportJob.objects.for_user(self.request.user).filter(user=self.request.user)[:10]
        context["retention_days"] = settings.IMPORT_RETENTION_DAYS
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        original_name = upload.name
        # Stored under a name of the portal's own: the user's may be too long for the file
        # system (255 bytes, 127 Cyrillic letters) and names people («Иванов.csv»).
        suffix = PurePath(original_name).suffix.lower()
        upload.name = uuid.uuid4().hex + (suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else "")
        own = self.own_kind()
        job = ImportJob.objects.create(
            user=self.request.user,
            kind=own.kind if own else form.cleaned_data["kind"],
            organization=form.cleaned_data.get("organization"),
            options=form.options() if own else {},
            file=upload,
            original_name=original_name,
        )
        _enqueue(job, save=False)
        return HttpResponseRedirect(reverse("import_job", args=[job.pk]))


def _enqueue(job: ImportJob, *, save: bool) -> None:
    """Hand the job to the worker and note its task; a job whose task could not be queued ends
    in «Ошибка» at once (rather than waiting in «В очереди» for ever)."""
    try:
        result = run_import_job.enqueue(job_id=job.pk, save=save)
    except Exception:
        logger.exception("Import job %s: the task could not be queued", job.pk)
        ImportJob.objects.filter(pk=job.pk, status__in=ImportJob.RUNNING).update(
            status=ImportJob.Status.FAILED, failure=internal_error_message(save), finished_at=timezone.now()
        )
        return
    task_id = getattr(result, "id", "")
    if task_id:
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(task_id))


class ImportJobView(generic.DetailView):
    """The preview (after the check) or the result (after the save); a progress bar meanwhile."""

    context_object_name = "job"

    def get_queryset(self):
        return ImportJob.objects.for_user(self.request.user).select_related("organization")

    def status_template(self) -> str:
        importer = IMPORTERS.get(self.object.kind)
        return importer.status_template if importer is not None else Importer.status_template

    def get_template_names(self):
        if self.request.htmx:
            return [self.status_template()]
        return ["core/import_job.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        importer = IMPORTERS.get(job.kind)
        context["title"] = importer.title if importer is not None else job.kind
        context["list_url"] = list_url(job.kind)
        context["again_url"] = again_url(job)
        context["retention_days"] = settings.IMPORT_RETENTION_DAYS
        context["status_template"] = self.status_template()
        own = importer is not None and importer.form_class is not None
        context["start_url"] = reverse("import_start") + (f"?{urlencode({'kind': job.kind})}" if own else "")
        context["start_title"] = importer.start_title if importer is not None else Importer.start_title
        if importer is not None and importer.options_form_class is not None and job.can_recheck:
            context["options_form"] = importer.options_form_class(job=job)
        return context


class ImportOptionsView(WriterRequiredMixin, generic.View):
    """The options of a kind that takes them, asked again on the preview (a roadmap's period its
    document does not name, or another title): the job's file is checked again with them."""

    def post(self, request, pk):
        job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
        importer = IMPORTERS.get(job.kind)
        if importer is None or importer.options_form_class is None:
            raise Http404("Эта загрузка не принимает параметров.")
        if not job.can_recheck:
            messages.error(request, "Эту загрузку уже нельзя проверить заново: загрузите файл ещё раз.")
            return HttpResponseRedirect(reverse("import_job", args=[job.pk]))
        form = importer.options_form_class(request.POST, job=job)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(reverse("import_job", args=[job.pk]))
        # Only one of two posts at once (two clicks) moves the job back to the queue.
        queued = ImportJob.objects.filter(pk=job.pk, status__in=(ImportJob.Status.CHECKED, ImportJob.Status.REJECTED))
        if not queued.update(
            options={**job.options, **form.options()},
            status=ImportJob.Status.QUEUED,
            result={},
            rows_done=0,
            rows_expected=None,
            started_at=None,
            heartbeat_at=None,
            finished_at=None,
            failure="",
        ):
            messages.error(request, "Эта загрузка уже проверяется или сохраняется.")
            return HttpResponseRedirect(reverse("import_job", args=[job.pk]))
        _enqueue(job, save=False)
        return HttpResponseRedirect(reverse("import_job", args=[job.pk]))


#: The list each kind of import fills, by its URL name («Открыть список» after the save).
LIST_URL_NAMES = {
    "persons": "registry:person_list",
    "mentors": "registry:mentor_list",
    "mentees": "registry:mentee_list",
    "consents": "registry:consent_list",
    "pairs": "mentorship:pair_list",
}


def list_url(kind: str) -> str | None:
    """The URL of the list a kind of import fills; None while that list has no page (core names
    the apps' URLs, it imports none of their code)."""
    try:
        return reverse(LIST_URL_NAMES[kind])
    except (KeyError, NoReverseMatch):
        return None


def again_url(job: ImportJob) -> str:
    """The upload form with the job's kind and organization filled in («Загрузить заново»)."""
    query = {"kind": job.kind}
    if job.organization_id:
        query["organization"] = job.organization_id
    return f"{reverse('import_start')}?{urlencode(query)}"


class ImportSaveView(WriterRequiredMixin, generic.View):
    def post(self, request, pk):
        job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
        if not job.can_save:
            if job.status in (ImportJob.Status.SAVING, ImportJob.Status.DONE):
                messages.error(request, "Этот файл уже сохраняется или сохранён.")
            elif not job.file_kept:
                messages.error(request, "Файл этой загрузки уже удалён по сроку хранения: загрузите его заново.")
            else:
                messages.error(request, "Этот файл нельзя сохранить: в нём есть ошибки.")
            return HttpResponseRedirect(reverse("import_job", args=[job.pk]))
        # Only one of two saves at once (two clicks, two tabs) moves the job on.
        started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
            status=ImportJob.Status.SAVING,
            rows_done=0,
            started_at=None,
            heartbeat_at=timezone.now(),
            finished_at=None,
        )
        if not started:
            messages.error(request, "Этот файл уже сохраняется или сохранён.")
            return HttpResponseRedirect(reverse("import_job", args=[job.pk]))
        _enqueue(job, save=True)
        return HttpResponseRedirect(reverse("import_job", args=[job.pk]))


class ImportErrorsView(generic.View):
    """The uploaded table with a column «Ошибки»: fix the rows there and upload it again.

    It holds the whole uploaded table, so every download is journalled (docs/product.md «Personal
    data»: downloads of personal data are logged), as a consent's scan is."""

    def get(self, request, pk):
        job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
        result = job.result or {}
        if not result.get("error_count"):
            raise Http404("В этой загрузке нет ошибок.")
        if not job.file_kept:
            raise Http404("Файл этой загрузки уже удалён.")
        errors = [RowError(e["row"], e["column"], e["message"]) for e in result.get("errors", [])]
        importer = IMPORTERS[job.kind].create(user=job.user, organization=job.organization, options=job.options)
        with job.file.open("rb") as handle:
            content = handle.read()
        if result["error_count"] > len(errors):
            # Only the first errors are kept with the job; the report needs them all.
            errors = run_import(importer, name=job.original_name, content=content, dry_run=True).errors
        try:
            report = error_report(importer, ImportResult(job.kind, False, {}, errors, []), job.original_name, content)
        except FileRejected:
            raise Http404("Файл не читается как таблица.") from None
        audit_log(
            actor=request.user,
            action=AuditAction.DOWNLOAD,
            obj=job,
            data={
                "file": job.original_name,
                "report": "ошибки загрузки",
                "rows": result.get("summary", {}).get("rows", 0),
                "errors": result["error_count"],
            },
        )
        stem = job.original_name.rsplit(".", 1)[0]
        return file_response(Rendered(f"{stem} — ошибки.xlsx", XLSX_MIME, report, len(errors)))


class ImportTemplateView(generic.View):
    def get(self, request, kind):
        if kind not in IMPORTERS:
            raise Http404
        importer = IMPORTERS[kind](user=request.user)
        return file_response(Rendered(f"Шаблон — {importer.title}.xlsx", XLSX_MIME, importer.template(), 0))
