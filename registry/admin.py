"""Registry in the admin. Saves and deletions call the same services as the portal, so the
rules (identity, consents, scans, scope) hold here too, and everything is journalled."""

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export.admin import ExportActionMixin

from core.admin import ScopedAdminMixin
from core.exporting import log_export
from core.formats import SAFE_FORMATS
from registry import resources, services
from registry.choices import BaseRole
from registry.models import (
    Consent,
    Contingent,
    MenteeRecord,
    MentorLevel,
    MentorRecord,
    MentorshipForm,
    Municipality,
    Organization,
    Person,
    RequestTopic,
    RoleModel,
)


class WithdrawnFilter(admin.SimpleListFilter):
    """People who withdrew consent are hidden by default, as in the portal's lists and exports
    (docs/product.md: withdrawal takes the person out of every list and export); the admin may show
    them on purpose. The export of the admin exports what the filtered list holds."""

    title = "отзыв согласия"
    parameter_name = "withdrawn"
    #: The lookup from the listed model to its person ("" for Person itself).
    person_path = "person"

    def lookups(self, request, model_admin):
        return [("only", "Только отозвавшие согласие"), ("all", "Все, включая отозвавших")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Без отозвавших согласие",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        from registry.selectors import withdrawn_persons

        lookup = f"{self.person_path}__in" if self.person_path else "pk__in"
        if self.value() == "only":
            return queryset.filter(**{lookup: withdrawn_persons()})
        if self.value() == "all":
            return queryset
        return queryset.exclude(**{lookup: withdrawn_persons()})


class PersonWithdrawnFilter(WithdrawnFilter):
    person_path = ""


class ServiceAdmin(ScopedAdminMixin, ExportActionMixin, admin.ModelAdmin):
    """Route the admin's writes through a service: `save_service(obj, form, request)`.

    The admin exports through django-import-export (formula-safe formats, journalled) and
    imports nothing: imports go through registry.importers and the services."""

    formats = SAFE_FORMATS

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        log_export(
            user=request.user,
            title=f"Администрирование: {self.model._meta.verbose_name_plural}",
            rows=queryset.count(),
            fmt=file_format.get_extension(),
        )
        return data

    def save_model(self, request, obj, form, change):
        self.save_service(obj, form, request)

    def save_related(self, request, form, formsets, change):
        # Many-to-many values were set by the service; inline formsets still save here.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self.delete_service(obj, request)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_service(obj, request)

    def save_service(self, obj, form, request):
        raise NotImplementedError

    def delete_service(self, obj, request):
        raise NotImplementedError

    def validate_service(self, obj, cleaned_data):
        """The service's rules without saving (so the admin shows them on the form)."""

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        validate = self.validate_service

        class ServiceCheckedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if any(name != NON_FIELD_ERRORS for name in self.errors):
                    return  # the instance is incomplete: the fields' own errors come first
                try:
                    validate(self.instance, self.cleaned_data)
                except ValidationError as error:
                    # The service's message names the duplicate, where the model's constraint
                    # (checked by full_clean above) could only say that there is one.
                    self.errors.pop(NON_FIELD_ERRORS, None)
                    self._update_errors(error)

        return ServiceCheckedForm


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Saves through `registry.services.municipality_save`, as the portal's requisites page does."""

    list_display = ["name", "region", "authority_name", "order_kind", "place"]
    search_fields = ["name", "region", "authority_name"]

    def save_model(self, request, obj, form, change):
        services.municipality_save(municipality=obj, user=request.user)


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    list_display = ["short_name", "kind", "municipality", "director_name"]
    list_filter = ["kind", "municipality"]
    search_fields = ["short_name", "full_name"]

    def save_service(self, obj, form, request):
        services.organization_save(organization=obj, user=request.user)

    def delete_service(self, obj, request):
        services.organization_delete(organization=obj, user=request.user)


@admin.register(Contingent)
class ContingentAdmin(ServiceAdmin):
    list_display = ["organization", "year_start", "students_10_18", "students_15_18", "young_teachers"]
    list_filter = ["year_start"]
    autocomplete_fields = ["organization"]

    def save_service(self, obj, form, request):
        services.contingent_save(contingent=obj, user=request.user)

    def delete_service(self, obj, request):
        services.contingent_delete(contingent=obj, user=request.user)


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["kind", "signed_on", "representative_name", "withdrawn_on"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    resource_classes = [resources.PersonResource]
    list_display = ["__str__", "birth_date", "organization", "category", "class_name"]
    list_filter = [PersonWithdrawnFilter, "category", "organization__municipality"]
    search_fields = ["last_name", "first_name", "middle_name"]
    autocomplete_fields = ["organization"]
    inlines = [ConsentInline]

    def validate_service(self, obj, cleaned_data):
        services.person_validate(person=obj)

    def save_service(self, obj, form, request):
        services.person_save(person=obj, user=request.user)

    def delete_service(self, obj, request):
        services.person_delete(person=obj, user=request.user)


@admin.register(MentorRecord)
class MentorRecordAdmin(ServiceAdmin):
    resource_classes = [resources.MentorRecordResource]
    list_display = ["person", "level", "is_trained", "entered_on"]
    list_filter = [WithdrawnFilter, "level", "is_trained", "forms"]
    search_fields = ["person__last_name", "person__first_name"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["forms", "topics"]

    def validate_service(self, obj, cleaned_data):
        if obj.person_id:
            services.record_forms_validate(person=obj.person, role=BaseRole.MENTOR, forms=cleaned_data.get("forms", ()))

    def save_service(self, obj, form, request):
        services.mentor_record_save(
            record=obj, user=request.user, forms=form.cleaned_data["forms"], topics=form.cleaned_data["topics"]
        )

    def delete_service(self, obj, request):
        services.mentor_record_delete(record=obj, user=request.user)


@admin.register(MenteeRecord)
class MenteeRecordAdmin(ServiceAdmin):
    resource_classes = [resources.MenteeRecordResource]
    list_display = ["person", "portrait", "entered_on"]
    list_filter = [WithdrawnFilter, "portrait", "forms"]
    search_fields = ["person__last_name", "person__first_name"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["forms", "requests"]

    def validate_service(self, obj, cleaned_data):
        if obj.person_id:
            services.record_forms_validate(person=obj.person, role=BaseRole.MENTEE, forms=cleaned_data.get("forms", ()))

    def save_service(self, obj, form, request):
        services.mentee_record_save(
            record=obj, user=request.user, forms=form.cleaned_data["forms"], requests=form.cleaned_data["requests"]
        )

    def delete_service(self, obj, request):
        services.mentee_record_delete(record=obj, user=request.user)


@admin.register(Consent)
class ConsentAdmin(ServiceAdmin):
    resource_classes = [resources.ConsentResource]
    list_display = ["person", "kind", "signed_on", "withdrawn_on"]
    list_filter = [WithdrawnFilter, "kind"]
    search_fields = ["person__last_name", "person__first_name", "representative_name"]
    autocomplete_fields = ["person"]

    def validate_service(self, obj, cleaned_data):
        services.consent_validate(consent=obj)

    def save_service(self, obj, form, request):
        services.consent_save(consent=obj, user=request.user)

    def delete_service(self, obj, request):
        services.consent_delete(consent=obj, user=request.user)


class RoleModelInline(admin.TabularInline):
    model = RoleModel
    extra = 0


@admin.register(MentorshipForm)
class MentorshipFormAdmin(admin.ModelAdmin):
    """Reference data: the forms of mentorship with their role models."""

    list_display = ["name", "code", "order"]
    inlines = [RoleModelInline]


admin.site.register(MentorLevel)
admin.site.register(RequestTopic)
