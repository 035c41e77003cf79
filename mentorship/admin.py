"""Mentorship in the admin. Saves and deletions call the same services as the portal (as
registry/admin.py), so the Положение's rules hold here too and everything is journalled.

What has no service to write it is read-only here: a pair is formed on the portal (it needs its
mentees and the suggestions), its history (members, events) and its approval orders are written by
the services that change and approve pairs."""

from django.contrib import admin, messages

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


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class PairMemberInline(ReadOnlyInline):
    model = PairMember
    fields = ["role", "person", "joined_on", "left_on", "left_reason", "left_comment"]


class PairEventInline(ReadOnlyInline):
    model = PairEvent
    fields = ["on", "kind", "person", "other_person", "reason", "comment", "new_end_on", "order", "created_by"]


@admin.register(Pair)
class PairAdmin(ServiceAdmin):
    list_display = ["__str__", "organization", "form", "status", "start_on", "end_on", "order"]
    list_filter = ["status", "form"]
    search_fields = ["mentor__last_name", "mentor__first_name", "members__person__last_name"]
    autocomplete_fields = ["mentor"]
    inlines = [PairMemberInline, PairEventInline]
    fields = [
        "organization", "form", "role_model", "mentor", "topic", "goal", "start_on", "end_on", "status",
        "approval_requested_on", "order", "ended_on", "end_reason", "end_comment",
    ]  # fmt: skip
    #: What only the services change: the status and its dates by sending, approving and ending.
    service_fields = [
        "organization",
        "status",
        "approval_requested_on",
        "order",
        "ended_on",
        "end_reason",
        "end_comment",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != PairStatus.DRAFT:
            return self.fields  # an approved pair changes by the buttons of its card
        return self.service_fields

    def has_add_permission(self, request):
        return False  # formed on the portal: «Пары → Добавить», with its mentees and the suggestions

    def has_delete_permission(self, request, obj=None):
        # Only a draft is deleted (services.pair_delete); an approved pair ends and stays.
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == PairStatus.DRAFT)

    def delete_queryset(self, request, queryset):
        kept = [pair for pair in queryset if pair.status != PairStatus.DRAFT]
        if kept:
            self.message_user(
                request,
                "Удалены только черновики; утверждённые пары прекращают досрочно на их карточке: "
                + ", ".join(f"№ {pair.pk}" for pair in kept),
                level=messages.WARNING,
            )
        for pair in queryset:
            if pair.status == PairStatus.DRAFT:
                self.delete_service(pair, request)

    def save_service(self, obj, form, request):
        mentees = [m.person for m in services.current_members(obj, "mentee")]
        services.pair_save(pair=obj, mentees=mentees, user=request.user)

    def delete_service(self, obj, request):
        services.pair_delete(pair=obj, user=request.user)


@admin.register(ApprovalOrder)
class ApprovalOrderAdmin(ServiceAdmin):
    """Orders are made by approving pairs (services.pairs_approve); here they are read."""

    list_display = ["__str__", "organization", "date", "number", "created_by"]
    list_filter = ["organization__municipality"]
    search_fields = ["number", "organization__short_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    fields = ["kind", "description", "deadline", "expected_result", "done_on", "order"]


@admin.register(IndividualPlan)
class IndividualPlanAdmin(ServiceAdmin):
    """A plan is started from the pair's card (services.plan_start); its items are saved here through
    services.plan_item_save, its acknowledgement and approval given on the portal."""

    list_display = ["__str__", "acknowledged_on", "approved_on"]
    readonly_fields = ["pair", "acknowledged_on", "approved_on", "approved_by"]
    inlines = [PlanItemInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_service(self, obj, form, request):
        pass  # nothing of the plan itself is edited here

    def save_formset(self, request, form, formset, change):
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            services.plan_item_delete(item=item, user=request.user)
        for item in items:
            services.plan_item_save(item=item, user=request.user)


@admin.register(Meeting)
class MeetingAdmin(ServiceAdmin):
    list_display = ["__str__", "pair", "topic"]
    list_filter = ["kind"]
    autocomplete_fields = ["pair"]

    def save_service(self, obj, form, request):
        services.meeting_save(meeting=obj, user=request.user)

    def delete_service(self, obj, request):
        services.meeting_delete(meeting=obj, user=request.user)


class ReportAdmin(ServiceAdmin):
    """Reports are kept: no deletion (no service deletes them)."""

    autocomplete_fields = ["pair"]
    service = None
    argument = "report"

    def has_delete_permission(self, request, obj=None):
        return False

    def save_service(self, obj, form, request):
        type(self).service(**{self.argument: obj}, user=request.user)


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReportAdmin):
    list_display = ["__str__", "pair", "submitted_on"]
    service = services.monthly_report_save


@admin.register(MentorReport)
class MentorReportAdmin(ReportAdmin):
    list_display = ["__str__", "submitted_on", "approved_on"]
    readonly_fields = ["approved_on", "approved_by"]
    service = services.mentor_report_save


@admin.register(MenteeReport)
class MenteeReportAdmin(ReportAdmin):
    list_display = ["__str__", "pair", "submitted_on", "rating_overall"]
    autocomplete_fields = ["pair", "mentee"]
    service = services.mentee_report_save


@admin.register(Recognition)
class RecognitionAdmin(ServiceAdmin):
    list_display = ["__str__", "level", "awarded_on", "pair"]
    list_filter = ["kind", "level"]
    search_fields = ["person__last_name", "person__first_name", "title"]
    autocomplete_fields = ["person", "pair"]

    def save_service(self, obj, form, request):
        services.recognition_save(recognition=obj, user=request.user)

    def delete_service(self, obj, request):
        services.recognition_delete(recognition=obj, user=request.user)


class PracticeFileInline(ReadOnlyInline):
    """Files are added on the portal, where they are checked as scans (services.practice_file_add)."""

    model = PracticeFile
    fields = ["title", "file_name"]

    @admin.display(description="файл")
    def file_name(self, obj):
        # Its name only: files are downloaded through the portal's scoped, journalled view.
        return obj.file.name.rsplit("/", 1)[-1] if obj.file else ""


@admin.register(Practice)
class PracticeAdmin(ServiceAdmin):
    list_display = ["title", "organization", "municipality", "form", "created_at"]
    list_filter = ["municipality", "form"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["organization", "pairs"]
    inlines = [PracticeFileInline]

    def save_service(self, obj, form, request):
        services.practice_save(practice=obj, pairs=form.cleaned_data["pairs"], user=request.user)

    def delete_service(self, obj, request):
        services.practice_delete(practice=obj, user=request.user)
