"""The admin: staff see everything, but every write still goes through the services."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from core.models import AuditEntry, Profile, RoleAssignment


class ScopedAdminMixin:
    """Admin lists start from the same scoping entry point as the portal's pages."""

    def get_queryset(self, request):
        return self.model._default_manager.for_user(request.user)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["municipality", "organization"]


class ProfileInline(admin.StackedInline):
    """The patronymic and the position documents print (issue 10)."""

    model = Profile
    can_delete = False
    extra = 0
    max_num = 1


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    inlines = [ProfileInline, RoleAssignmentInline]
    list_display = ["username", "last_name", "first_name", "email", "is_staff", "is_active"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "municipality", "organization"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organization__short_name", "municipality__name"]
    autocomplete_fields = ["user", "municipality", "organization"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = "Наставничество: администрирование"
admin.site.site_title = "Наставничество"
