"""Roadmaps in the admin, for staff. Every write goes through `roadmaps.services`, as in the portal:
a form is checked by running its service in a savepoint that is always rolled back, so a refusal
of the rules is shown on the form in the service's own words, never as a server error; then the
save calls the service for real. An item's windows are what `item_save` made of its deadline (or
the dates a person set on the portal's page): read-only here."""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.urls import NoReverseMatch

from core.uploads import validate_scan
from registry.admin import ServiceAdmin
from roadmaps import services
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem
from roadmaps.templatetags.roadmap_pages import schedule_label


class _RolledBack(Exception):
    pass


def dry_run(call: Callable[[], object]) -> None:
    """Run a service in a savepoint rolled back whatever happens: its refusal is raised, nothing it
    wrote is kept."""
    try:
        with transaction.atomic():
            call()
            raise _RolledBack
    except _RolledBack:
        pass


def view_on_site(obj) -> str | None:
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


class RoadmapsServiceAdmin(ServiceAdmin):
    """`call_service(obj, user)` saves through the service; the form runs it first as a dry run."""

    view_on_site = staticmethod(view_on_site)

    def call_service(self, obj, user):
        raise NotImplementedError

    def check_service(self, obj, user):
        """What the form's dry run calls: the service itself, unless it writes what a rollback
        cannot take back (a file)."""
        return self.call_service(obj, user)

    def get_form(self, request, obj=None, **kwargs):
        form_class = admin.ModelAdmin.get_form(self, request, obj, **kwargs)
        call = self.check_service

        class ServiceCheckedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if any(name != NON_FIELD_ERRORS for name in self.errors):
                    return  # the fields' own errors first: the instance is incomplete
                try:
                    dry_run(lambda: call(copy.copy(self.instance), request.user))
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        for field, errors in error.error_dict.items():
                            self.add_error(field if field in self.fields else None, errors)
                    else:
                        self.add_error(None, error)

        return ServiceCheckedForm

    def save_model(self, request, obj, form, change):
        self.call_service(obj, request.user)


class RoadmapItemInline(admin.TabularInline):
    """A roadmap's items in the document's order: written by `item_save` (the deadline parsed, the
    responsibles recognised); the tree and the windows are shown, not edited, here."""

    model = RoadmapItem
    fk_name = "roadmap"
    extra = 0
    fields = [
        "number",
        "title",
        "deadline_text",
        "windows",
        "responsible_municipal",
        "responsible_organization",
        "result",
        "parent",
        "level",
    ]
    readonly_fields = ["windows", "parent", "level"]
    ordering = ["position", "pk"]
    show_change_link = False

    @admin.display(description="даты")
    def windows(self, item):
        if item.pk is None:
            return "—"
        if not item.deadline_recognised:
            return "срок не распознан"
        return schedule_label(item) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("roadmap", "parent").prefetch_related("windows")


@admin.register(Roadmap)
class RoadmapAdmin(RoadmapsServiceAdmin):
    list_display = ["title", "municipality", "organization", "starts_on", "ends_on", "status"]
    list_filter = ["status", "municipality"]
    list_select_related = ["municipality", "organization"]
    search_fields = ["title", "order_number"]
    autocomplete_fields = ["municipality", "organization"]
    fields = [
        "municipality",
        "organization",
        "title",
        "starts_on",
        "ends_on",
        "order_number",
        "order_date",
        "status",
        "template",
        "template_synced_at",
    ]
    readonly_fields = ["template", "template_synced_at"]
    inlines = [RoadmapItemInline]

    def call_service(self, obj, user):
        return services.roadmap_save(roadmap=obj, user=user)

    def delete_service(self, obj, request):
        services.roadmap_delete(roadmap=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            services.item_delete(item=item, user=request.user)
        for item in items:
            item.roadmap = form.instance
            services.item_save(item=item, user=request.user)


@admin.register(ItemExecution)
class ItemExecutionAdmin(RoadmapsServiceAdmin):
    """Each organization's execution of an item (`execution_save`: who may mark, the organization
    addressed, the date done, the evidence's scan checks). Executions go with their item: no
    deletion here."""

    list_display = ["item", "organization", "status", "done_on", "updated_by", "updated_at"]
    list_filter = ["status", ("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["item", "organization", "updated_by"]
    search_fields = ["item__title", "item__number", "organization__short_name", "comment"]
    raw_id_fields = ["item"]
    autocomplete_fields = ["organization"]
    fields = ["item", "organization", "status", "done_on", "link", "comment", "evidence", "updated_by"]
    readonly_fields = ["updated_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def call_service(self, obj, user):
        return services.execution_save(execution=obj, user=user)

    def check_service(self, obj, user):
        # A new file would be written to the disk by the dry run and stay there after its rollback:
        # the file is checked as the service checks it, and the rest of the rules without it.
        if obj.evidence and not getattr(obj.evidence, "_committed", True):
            try:
                validate_scan(obj.evidence.file)
            except ValidationError as error:
                raise ValidationError({"evidence": error.messages}) from error
            stored = ItemExecution.objects.filter(pk=obj.pk).values_list("evidence", flat=True).first()
            obj.evidence = stored or ""
        return self.call_service(obj, user)

    def has_delete_permission(self, request, obj=None):
        return False
