"""Generic scoped views: list = queryset → FilterSet → Table; detail; create, edit, delete
through a service. Every app's views are these with a model, a form and a service named."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from core.audit import audit_log
from core.choices import AuditAction
from core.exporting import FORMATS, export_list, file_response
from core.models import AuditEntry
from core.scoping import can_write, get_scope
from core.services import deletion_plan


class ScopeMixin:
    @property
    def scope(self):
        return get_scope(self.request.user)


class ListPaginator(Paginator):
    """A list's pages: `per_page` comes from the URL, so it is kept between 1 and 100 rows — a
    negative one would fail and a huge one would render the whole registry on one page."""

    MAX_PER_PAGE = 100

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), self.MAX_PER_PAGE), *args, **kwargs)


class ScopedListView(ScopeMixin, SingleTableMixin, FilterView):
    """A list the user may see, filtered and sorted by the URL's parameters, 25 rows a page."""

    template_name = "core/list.html"
    table_pagination = {"per_page": 25, "paginator_class": ListPaginator}
    title = ""
    create_url_name: str | None = None
    #: The kind of import (core.importing.IMPORTERS) that fills this list, if any.
    import_kind: str | None = None
    empty_hint = ""

    #: Lists of people are personal data: their exports are journalled as such.
    export_personal = True

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in FORMATS:
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def export(self, fmt: str):
        """The list as the user sees it (scope, filters, sorting, columns), every page, as a file."""
        params = {key: value for key, value in self.request.GET.items() if key not in ("export", "page") and value}
        return file_response(export_list(type(self), user=self.request.user, params=params, fmt=fmt))

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        # Always bound, even to an empty query: an unbound FilterSet skips filter_queryset, and
        # with it the defaults a list applies (people who withdrew consent stay hidden).
        kwargs["data"] = self.request.GET
        kwargs["user"] = self.request.user
        return kwargs

    def get_table_kwargs(self):
        return {"show_organization": self.show_organization()}

    def show_organization(self) -> bool:
        scope = self.scope
        return scope.is_municipal or len(scope.read_organization_ids) > 1

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["can_create"] = self.create_url_name and self.scope.can_write_any
        context["create_url"] = reverse(self.create_url_name) if self.create_url_name else None
        context["empty_hint"] = self.empty_hint
        if self.import_kind and self.scope.can_write_any:
            context["import_url"] = reverse("import_start") + f"?kind={self.import_kind}"
        context["is_filtered"] = any(v for k, v in self.request.GET.items() if k not in ("page", "sort"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        return context


class ScopedDetailView(ScopeMixin, generic.DetailView):
    """An object the user may see; another organization's object answers 404."""

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = can_write(self.request.user, self.object)
        context["audit_entries"] = AuditEntry.objects.for_object(self.object)[:50]
        return context


class ServiceFormMixin(ScopeMixin):
    """Save through `self.save_service(form)`; a service's ValidationError lands on the form."""

    success_message = "Сохранено."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save_service(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.object = self.save_service(form)
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", getattr(self, "title", ""))
        context.setdefault("cancel_url", self.get_cancel_url())
        return context

    def get_cancel_url(self):
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk and hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return self.request.META.get("HTTP_REFERER") or reverse("home")


class ScopedCreateView(ServiceFormMixin, generic.CreateView):
    """Create a record; users without any right to write answer 403."""

    template_name = "core/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not get_scope(request.user).can_write_any:
            raise PermissionDenied("Недостаточно прав для добавления записей.")
        return super().dispatch(request, *args, **kwargs)


class WritableObjectMixin(ScopeMixin):
    """The object is looked up in what the user may see (404 otherwise); changing it needs the
    right to write (403 otherwise)."""

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can_write(self.request.user, obj):
            raise PermissionDenied("Недостаточно прав для изменения этой записи.")
        return obj


class ScopedUpdateView(WritableObjectMixin, ServiceFormMixin, generic.UpdateView):
    template_name = "core/form.html"


class ScopedDeleteView(WritableObjectMixin, generic.DeleteView):
    """Ask before deleting; delete through the service; say what happened."""

    template_name = "core/confirm_delete.html"
    success_message = "Запись удалена."

    def delete_service(self, obj):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same plan the service journals: what goes with the record, or what forbids deleting it.
        context["deletion"] = deletion_plan(self.object)
        return context

    def form_valid(self, form):
        success_url = self.get_success_url()
        try:
            self.delete_service(self.object)
        except (ValidationError, ProtectedError) as error:
            text = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else ("Запись нельзя удалить: на неё ссылаются другие записи.")
            )
            messages.error(self.request, text)
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(success_url)


class ChildCreateView(ScopedCreateView):
    """Create a record that belongs to a parent object (a consent of a person): the parent is
    looked up in the user's write scope, so a foreign parent answers 404 and a read-only one 403."""

    parent_model = None
    parent_kwarg = "parent_pk"

    def get_parent(self):
        if not hasattr(self, "_parent"):
            parent = get_object_or_404(
                self.parent_model.objects.for_user(self.request.user), pk=self.kwargs[self.parent_kwarg]
            )
            if not can_write(self.request.user, parent):
                raise PermissionDenied("Недостаточно прав для изменения этой записи.")
            self._parent = parent
        return self._parent

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parent"] = self.get_parent()
        return context

    def get_cancel_url(self):
        return self.get_parent().get_absolute_url()

    def get_success_url(self):
        return self.get_parent().get_absolute_url()


def journalled_download(request, *, obj, file, parent=None, filename: str = "", missing: str = "Файла нет."):
    """An uploaded file of `obj` (a consent's scan, an execution's evidence, a package's document):
    uploads are personal data, never served from MEDIA_URL; the caller looked `obj` up in the
    user's scope, and every download is journalled (docs/product.md «Personal data»)."""
    if not file:
        raise Http404(missing)
    audit_log(actor=request.user, action=AuditAction.DOWNLOAD, obj=obj, parent=parent, data={"file": file.name})
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return FileResponse(file.open("rb"), filename=filename or PurePath(file.name).name, content_type=content_type)
