"""Campaigns in the admin, for staff: read-only. Every change of a campaign or an answer is a step
with its rules, its e-mails and its journal line (monitoring.services), made on the portal's pages;
the admin never bypasses the services, so here it only shows what the pages did."""

from __future__ import annotations

from django.contrib import admin

from monitoring.models import Campaign, FigureCorrection, Notice, Submission, SubmissionStep


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SubmissionInline(ReadOnlyMixin, admin.TabularInline):
    model = Submission
    fields = ["organization", "status", "submitted_at", "decided_at", "returns", "responsible_name"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "municipality", "status", "period_start", "period_end", "deadline"]
    list_filter = ["status", "municipality"]
    search_fields = ["title"]
    inlines = [SubmissionInline]
    list_select_related = ["municipality"]


class StepInline(ReadOnlyMixin, admin.TabularInline):
    model = SubmissionStep
    fields = ["at", "status", "by", "comment"]
    readonly_fields = fields
    extra = 0


class CorrectionInline(ReadOnlyMixin, admin.TabularInline):
    model = FigureCorrection
    fields = ["figure", "form", "computed", "value", "reason", "by", "at"]
    readonly_fields = fields
    extra = 0


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["organization", "campaign", "status", "submitted_at", "returns"]
    list_filter = ["status"]
    search_fields = ["organization__short_name", "campaign__title"]
    inlines = [CorrectionInline, StepInline]
    list_select_related = ["organization", "campaign"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["kind", "campaign", "organization", "key", "recipients", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["campaign", "organization"]
