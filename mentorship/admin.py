"""Mentorship in the admin, for staff. Every write goes through mentorship.services, as in the
portal: the Положение's rules hold here too and every change is journalled.

A form is checked by running its service in a savepoint that is always rolled back (`dry_run`):
a refusal of the rules (a ValidationError) is shown on the form, in the service's own words,
never as a server error; then the save calls the service for real. What no service writes
directly — a pair's members and events (the services keep them), an approval order (made by
`pairs_approve`) — is read-only here. A pair is edited while it is a draft; after its approval it
changes only through the portal's steps (replacement, extension, termination …)."""

from __future__ import annotations

import copy
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch

from mentorship import services
from mentorship.models import (
    ApprovalOrder,
    IndividualPlan,
    Meeting,
    MenteeReport,
    MentorReport,
    MonthlyReport,
    Pair,
    PairEvent,
    PairMember,
    PairStatus,
    PlanItem,
    Practice,
    PracticeFile,
    Recognition,
)
from registry.admin import ServiceAdmin
from registry.choices import BaseRole
from registry.models import Person


class _RolledBack(Exception):
    pass


def dry_run(call: Callable[[], object]) -> None:
    """Run a service in a savepoint that is rolled back whatever happens: its refusal is raised,
    nothing it wrote is kept (nor its on-commit callbacks)."""
    try:
        with transaction.atomic():
            call()
            raise _RolledBack
    except _RolledBack:
        pass


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form: under its field when the form has it, above it otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def view_on_site(obj) -> str | None:
    """The record's page in the portal, when the portal has it."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return None


class MentorshipServiceAdmin(ServiceAdmin):
    """`call_service(obj, cleaned_data, user)` saves through the service; the form runs it first
    as a dry run so that a refusal is a form error."""

    view_on_site = staticmethod(view_on_site)

    def call_service(self, obj, data: dict, user):
        raise NotImplementedError

    def get_form(self, request, obj=None, **kwargs):
        form_class = admin.ModelAdmin.get_form(self, request, obj, **kwargs)
        call = self.call_service

        class ServiceCheckedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if any(name != NON_FIELD_ERRORS for name in self.errors):
                    return  # the fields' own errors first: the instance is incomplete
                try:
                    dry_run(lambda: call(copy.copy(self.instance), self.cleaned_data, request.user))
                except ValidationError as error:
                    add_service_errors(self, error)

        return ServiceCheckedForm

    def save_model(self, request, obj, form, change):
        self.call_service(obj, form.cleaned_data, request.user)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PairMemberInline(ReadOnlyInline):
    """Who was in the pair, from when to when: written by the services (a replaced mentor keeps
    their period)."""

    model = PairMember
    fields = ["role", "person", "joined_on", "left_on", "left_reason", "left_comment"]


class PairEventInline(ReadOnlyInline):
    model = PairEvent
    fk_name = "pair"
    fields = [
        "on",
        "kind",
        "person",
        "other_person",
        "reason",
        "comment",
        "previous_end_on",
        "new_end_on",
        "order",
        "created_by",
    ]


class PairForm(forms.ModelForm):
    mentees = forms.ModelMultipleChoiceField(
        label="наставляемые",
        queryset=Person.objects.all(),
        widget=AutocompleteSelectMultiple(Pair._meta.get_field("mentor"), admin.site),
        help_text="Один наставляемый — пара; два или три — группа.",
    )

    class Meta:
        model = Pair
        fields = ["organization", "form", "role_model", "mentor", "topic", "goal", "start_on", "end_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["mentees"] = services.current_mentee_ids(self.instance)


@admin.register(Pair)
class PairAdmin(MentorshipServiceAdmin):
    """Pairs and groups: a draft is made and changed through `pair_save`, deleted through
    `pair_delete`; an approved pair is shown with its members and its history, read-only."""

    form = PairForm
    list_display = ["__str__", "organization", "form", "status", "start_on", "end_on", "order"]
    list_filter = ["form", "status", ("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organization", "form", "mentor", "order"]
    search_fields = [
        "mentor__last_name",
        "mentor__first_name",
        "mentor__middle_name",
        "members__person__last_name",
        "members__person__first_name",
        "members__person__middle_name",
    ]
    autocomplete_fields = ["organization", "mentor"]
    readonly_fields = ["status", "approval_requested_on", "order", "ended_on", "end_reason", "end_comment"]
    inlines = [PairMemberInline, PairEventInline]
    actions = ["request_approval"]
    date_hierarchy = "start_on"

    @admin.display(description="наставляемые")
    def mentees(self, obj):
        """The mentees now, on a pair shown read-only (the form's field of a draft otherwise)."""
        return ", ".join(m.person.short_name for m in services.current_members(obj, BaseRole.MENTEE)) or "—"

    def has_change_permission(self, request, obj=None):
        # After approval a pair changes only through its steps (§3.7–3.9), not by editing.
        return super().has_change_permission(request, obj) and (obj is None or obj.status == PairStatus.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == PairStatus.DRAFT)

    def call_service(self, obj, data, user):
        return services.pair_save(pair=obj, mentees=list(data.get("mentees") or []), user=user)

    def delete_service(self, obj, request):
        services.pair_delete(pair=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        kept = [pair for pair in queryset if pair.status != PairStatus.DRAFT]
        for pair in queryset.filter(status=PairStatus.DRAFT):
            self.delete_service(pair, request)
        if kept:
            self.message_user(
                request,
                "Удалены только черновики; утверждённые пары прекращают досрочно с указанием причины: "
                + ", ".join(f"№ {pair.pk}" for pair in kept)
                + ".",
                messages.WARNING,
            )

    @admin.action(description="Направить руководителю на утверждение")
    def request_approval(self, request, queryset):
        try:
            count = services.pairs_request_approval(pairs=list(queryset.order_by("pk")), user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, f"Направлено на утверждение: {count}.", messages.SUCCESS)


class OrderPairInline(ReadOnlyInline):
    model = Pair
    fields = ["organization", "form", "mentor", "status", "start_on", "end_on"]
    show_change_link = True


@admin.register(ApprovalOrder)
class ApprovalOrderAdmin(ServiceAdmin):
    """Orders are made by the director's approval (`pairs_approve`, §3.6): shown, not edited."""

    list_display = ["__str__", "organization", "number", "date", "created_by"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organization", "created_by"]
    search_fields = ["number", "organization__short_name"]
    date_hierarchy = "date"
    inlines = [OrderPairInline]
    view_on_site = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanItemForm(forms.ModelForm):
    """An item checked by `plan_item_save` before it is saved (no date of completion in the future,
    no new item in an ended pair's plan)."""

    class Meta:
        model = PlanItem
        fields = ["order", "kind", "description", "deadline", "expected_result", "done_on"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.has_changed() or self.cleaned_data.get("DELETE"):
            return
        try:
            dry_run(lambda: services.plan_item_save(item=copy.copy(self.instance), user=None))
        except ValidationError as error:
            add_service_errors(self, error)


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    form = PlanItemForm
    extra = 0


@admin.register(IndividualPlan)
class IndividualPlanAdmin(MentorshipServiceAdmin):
    """The individual plan (§3.10): started from the form's template (`plan_start`), acknowledged by
    the mentee (§3.11, `plan_acknowledge`), approved by the director (§4.1, `plan_approve`); its
    items through `plan_item_save` / `plan_item_delete`."""

    list_display = ["__str__", "pair", "acknowledged_on", "approved_on", "approved_by"]
    list_filter = [("pair__organization", admin.RelatedOnlyFieldListFilter), "pair__form"]
    list_select_related = ["pair__mentor", "approved_by"]
    search_fields = ["pair__mentor__last_name", "pair__members__person__last_name"]
    autocomplete_fields = ["pair"]
    readonly_fields = ["approved_by"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["pair"]  # the items come from the template of the pair's form
        return ["pair", "acknowledged_on", "approved_on", "approved_by"]

    def get_readonly_fields(self, request, obj=None):
        return ["pair", "approved_by"] if obj else []

    def get_inlines(self, request, obj):
        return [PlanItemInline] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # no service deletes a plan: it goes with its pair

    def call_service(self, obj, data, user):
        if obj.pk is None:
            return services.plan_start(pair=obj.pair, user=user)
        stored = IndividualPlan.objects.get(pk=obj.pk)
        acknowledged_on, approved_on = obj.acknowledged_on, obj.approved_on
        obj.acknowledged_on, obj.approved_on = stored.acknowledged_on, stored.approved_on
        if (acknowledged_on is None and stored.acknowledged_on) or (approved_on is None and stored.approved_on):
            raise ValidationError("Отметки об ознакомлении и утверждении не снимают: исправьте дату.")
        if acknowledged_on != stored.acknowledged_on:
            services.plan_acknowledge(plan=obj, on=acknowledged_on, user=user)
        if approved_on != stored.approved_on:
            services.plan_approve(plan=obj, user=user, on=approved_on)
        return obj

    def save_formset(self, request, form, formset, change):
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            services.plan_item_delete(item=item, user=request.user)
        for item in items:
            services.plan_item_save(item=item, user=request.user)


@admin.register(Meeting)
class MeetingAdmin(MentorshipServiceAdmin):
    list_display = ["__str__", "pair", "kind", "held_on", "topic"]
    list_filter = ["kind", ("pair__organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["pair__mentor"]
    search_fields = ["topic", "pair__mentor__last_name", "pair__members__person__last_name"]
    autocomplete_fields = ["pair"]
    date_hierarchy = "held_on"

    def call_service(self, obj, data, user):
        return services.meeting_save(meeting=obj, user=user)

    def delete_service(self, obj, request):
        services.meeting_delete(meeting=obj, user=request.user)


class NoDeleteServiceAdmin(MentorshipServiceAdmin):
    """Reports have no service that deletes them: the admin does not either."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(NoDeleteServiceAdmin):
    list_display = ["__str__", "pair", "month", "submitted_on"]
    list_filter = [("pair__organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["pair__mentor"]
    search_fields = ["pair__mentor__last_name", "text"]
    autocomplete_fields = ["pair"]
    date_hierarchy = "month"

    def call_service(self, obj, data, user):
        return services.monthly_report_save(report=obj, user=user)


@admin.register(MentorReport)
class MentorReportAdmin(NoDeleteServiceAdmin):
    """The mentor's completion report (§3.12); the director approves it (§4.1) by the action."""

    list_display = ["__str__", "pair", "submitted_on", "approved_on", "approved_by"]
    list_filter = [("pair__organization", admin.RelatedOnlyFieldListFilter), "pair__form"]
    list_select_related = ["pair__mentor", "approved_by"]
    search_fields = ["pair__mentor__last_name"]
    autocomplete_fields = ["pair"]
    readonly_fields = ["approved_on", "approved_by"]
    actions = ["approve"]

    def call_service(self, obj, data, user):
        return services.mentor_report_save(report=obj, user=user)

    @admin.action(description="Утвердить отчёт (руководитель, п. 4.1 Положения)")
    def approve(self, request, queryset):
        count = 0
        for report in queryset.filter(approved_on__isnull=True).select_related("pair"):
            services.mentor_report_approve(report=report, user=request.user)
            count += 1
        self.message_user(request, f"Утверждено отчётов: {count}.", messages.SUCCESS)


@admin.register(MenteeReport)
class MenteeReportAdmin(NoDeleteServiceAdmin):
    list_display = ["__str__", "pair", "submitted_on", "rating_overall"]
    list_filter = [("pair__organization", admin.RelatedOnlyFieldListFilter), "rating_overall"]
    list_select_related = ["pair__mentor", "mentee"]
    search_fields = ["mentee__last_name", "pair__mentor__last_name"]
    autocomplete_fields = ["pair", "mentee"]

    def call_service(self, obj, data, user):
        return services.mentee_report_save(report=obj, user=user)


@admin.register(Recognition)
class RecognitionAdmin(MentorshipServiceAdmin):
    list_display = ["__str__", "kind", "level", "title", "awarded_on"]
    list_filter = ["kind", "level", ("person__organization", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person"]
    search_fields = ["person__last_name", "person__first_name", "title"]
    autocomplete_fields = ["person", "pair"]
    date_hierarchy = "awarded_on"

    def call_service(self, obj, data, user):
        return services.recognition_save(recognition=obj, user=user)

    def delete_service(self, obj, request):
        services.recognition_delete(recognition=obj, user=request.user)


class PracticeFileForm(forms.ModelForm):
    class Meta:
        model = PracticeFile
        fields = ["title", "file"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.has_changed() or self.cleaned_data.get("DELETE"):
            return
        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "seek"):
            from core.uploads import validate_scan

            try:
                validate_scan(upload)  # what practice_file_add checks, before anything is written
            except ValidationError as error:
                self.add_error("file", error)


class PracticeFileInline(admin.TabularInline):
    model = PracticeFile
    form = PracticeFileForm
    extra = 0


@admin.register(Practice)
class PracticeAdmin(MentorshipServiceAdmin):
    """The bank of practices (seed 000 §4) with the pairs they come from and their files."""

    list_display = ["title", "municipality", "organization", "form", "created_at"]
    list_filter = ["form", "municipality"]
    list_select_related = ["municipality", "organization", "form"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["organization", "pairs"]
    inlines = [PracticeFileInline]

    def call_service(self, obj, data, user):
        return services.practice_save(practice=obj, pairs=list(data.get("pairs") or []), user=user)

    def delete_service(self, obj, request):
        services.practice_delete(practice=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        files = formset.save(commit=False)
        for file in formset.deleted_objects:
            services.practice_file_delete(file=file, user=request.user)
        for file in files:
            services.practice_file_add(file=file, user=request.user)
