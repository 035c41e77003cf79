"""Pages of the registry: organizations, people, the bases of mentors and mentees, consents."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import generic

from core.models import AuditEntry
from core.panels import render_panels
from core.scoping import can_write, get_scope
from core.views import (
    ChildCreateView,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ScopeMixin,
    WritableObjectMixin,
    journalled_download,
)
from registry import filters, forms, selectors, services, tables
from registry.models import (
    Consent,
    Contingent,
    MenteeRecord,
    MentorRecord,
    Municipality,
    Organization,
    Person,
    current_academic_year_start,
)

# Municipalities ------------------------------------------------------------------------------


class MunicipalScopeMixin(ScopeMixin):
    """The municipalities whose requisites the user reads: a coordinator's and an observer's (staff:
    all). A curator or a director sees the name of their municipality elsewhere, not this page (404)."""

    model = Municipality

    def get_queryset(self):
        scope = self.scope
        municipalities = Municipality.objects.all()
        if scope.is_superuser:
            return municipalities
        return municipalities.filter(pk__in=scope.read_municipality_ids)


class MunicipalityListView(MunicipalScopeMixin, generic.ListView):
    """«Реквизиты муниципалитета»: straight to the one municipality of a coordinator; a list when
    the user reads several (an observer of a region, staff)."""

    template_name = "registry/municipality_list.html"

    def get(self, request, *args, **kwargs):
        municipalities = list(self.get_queryset()[:2])
        if not municipalities:
            raise Http404("Реквизиты муниципалитета видят его координатор и наблюдатель.")
        if len(municipalities) == 1:
            return redirect(municipalities[0].get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = "Реквизиты муниципалитетов"
        return context


class MunicipalityDetailView(MunicipalScopeMixin, generic.DetailView):
    """A municipality's requisites and how its orders will print them (seeds 000, 003, 004)."""

    template_name = "registry/municipality_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipality = self.object
        today = timezone.localdate()
        context["can_write"] = can_write(self.request.user, municipality)
        context["sample_date"] = municipality.format_order_date(today)
        context["sample_number"] = municipality.format_order_number(1, today.year)
        context["audit_entries"] = AuditEntry.objects.for_object(municipality)[:50]
        return context


class MunicipalityUpdateView(MunicipalScopeMixin, ScopedUpdateView):
    """The coordinator edits the requisites (an observer: 403, anyone else: 404)."""

    form_class = forms.MunicipalityForm
    title = "Реквизиты муниципалитета"
    success_message = "Реквизиты сохранены."

    def save_service(self, form):
        return services.municipality_save(municipality=form.instance, user=self.request.user)


# Organizations ---------------------------------------------------------------------------


class OrganizationListView(ScopedListView):
    model = Organization
    template_name = "registry/organization_list.html"
    table_class = tables.OrganizationTable
    filterset_class = filters.OrganizationFilter
    title = "Организации"
    create_url_name = "registry:organization_create"
    empty_hint = "Организаций пока нет. Координатор добавляет школы, колледжи и предприятия-партнёров муниципалитета."

    def get_queryset(self):
        return selectors.organization_list(user=self.request.user)

    def get_table_kwargs(self):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.scope
        context["can_create"] = scope.is_superuser or bool(scope.write_municipality_ids)
        return context


class OrganizationDetailView(ScopedDetailView):
    model = Organization
    template_name = "registry/organization_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("municipality")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.object
        context["contingents"] = organization.contingents.all()
        context["summary"] = selectors.registry_summary(
            user=self.request.user, organizations=Organization.objects.filter(pk=organization.pk)
        )
        scope = self.scope
        context["can_delete"] = scope.is_superuser or organization.municipality_id in scope.write_municipality_ids
        context["can_edit_requisites"] = context["can_write"] or scope.can_approve(organization.pk)
        context["sample_number"] = organization.format_order_number(1, timezone.localdate().year)
        context["current_year"] = current_academic_year_start()
        return context


class OrganizationCreateView(ScopedCreateView):
    model = Organization
    form_class = forms.OrganizationForm
    title = "Новая организация"
    success_message = "Организация добавлена."

    def dispatch(self, request, *args, **kwargs):
        scope = get_scope(request.user)
        if request.user.is_authenticated and not (scope.is_superuser or scope.write_municipality_ids):
            raise PermissionDenied("Добавлять организации может только координатор муниципалитета.")
        return super().dispatch(request, *args, **kwargs)

    def save_service(self, form):
        return services.organization_save(organization=form.instance, user=self.request.user)


class OrganizationUpdateView(ScopedUpdateView):
    """The coordinator and the curator change the organization's record; its director only the
    requisites for documents (issue 10: the director signs the orders that print them)."""

    model = Organization
    form_class = forms.OrganizationForm
    title = "Изменение организации"

    def get_object(self, queryset=None):
        organization = generic.UpdateView.get_object(self, queryset)
        self.requisites_only = not can_write(self.request.user, organization)
        if self.requisites_only and not self.scope.can_approve(organization.pk):
            raise PermissionDenied("Недостаточно прав для изменения этой записи.")
        return organization

    def get_form_class(self):
        return forms.OrganizationRequisitesForm if self.requisites_only else forms.OrganizationForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.requisites_only:
            context["title"] = "Реквизиты организации"
        return context

    def save_service(self, form):
        if self.requisites_only:
            return services.organization_requisites_save(organization=form.instance, user=self.request.user)
        return services.organization_save(organization=form.instance, user=self.request.user)


class OrganizationDeleteView(ScopedDeleteView):
    model = Organization
    success_url = reverse_lazy("registry:organization_list")
    success_message = "Организация удалена."

    def get_object(self, queryset=None):
        organization = super().get_object(queryset)
        scope = self.scope
        if not (scope.is_superuser or organization.municipality_id in scope.write_municipality_ids):
            raise PermissionDenied("Удалять организации может только координатор муниципалитета.")
        return organization

    def delete_service(self, obj):
        services.organization_delete(organization=obj, user=self.request.user)


class ContingentCreateView(ChildCreateView):
    model = Contingent
    parent_model = Organization
    form_class = forms.ContingentForm
    title = "Контингент на учебный год"
    success_message = "Контингент сохранён."

    def get_initial(self):
        return {"year_start": current_academic_year_start()}

    def save_service(self, form):
        form.instance.organization = self.get_parent()
        return services.contingent_save(contingent=form.instance, user=self.request.user)


class ContingentUpdateView(ScopedUpdateView):
    model = Contingent
    form_class = forms.ContingentForm
    title = "Контингент на учебный год"

    def get_success_url(self):
        return self.object.organization.get_absolute_url()

    def get_cancel_url(self):
        return self.object.organization.get_absolute_url()

    def save_service(self, form):
        return services.contingent_save(contingent=form.instance, user=self.request.user)


class ContingentDeleteView(ScopedDeleteView):
    model = Contingent

    def get_success_url(self):
        return self.object.organization.get_absolute_url()

    def delete_service(self, obj):
        services.contingent_delete(contingent=obj, user=self.request.user)


# Persons ---------------------------------------------------------------------------------


class PersonListView(ScopedListView):
    model = Person
    table_class = tables.PersonTable
    filterset_class = filters.PersonFilter
    title = "Люди"
    create_url_name = "registry:person_create"
    import_kind = "persons"
    empty_hint = (
        "В реестре пока никого нет. Добавьте обучающихся и педагогов, которые станут наставниками и наставляемыми."
    )

    def get_queryset(self):
        return selectors.person_list(user=self.request.user)


class PersonDetailView(ScopedDetailView):
    model = Person
    template_name = "registry/person_detail.html"

    def get_queryset(self):
        return selectors.person_list(user=self.request.user).select_related("mentor_record__level")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["consents"] = person.consents.all()  # prefetched by selectors.person_list
        state = person.consent_state
        context["consent_state"] = state
        context["missing_kinds"] = state.missing_labels
        # Consents are needed once the person takes part (a base): selectors.needs_consents_condition.
        context["needs_consents"] = state.needs
        # What the apps above add to a person's page (their pairs): core.panels.
        context["panels"] = render_panels("person_detail", request=self.request, obj=person)
        return context


class PersonCreateView(ScopedCreateView):
    model = Person
    form_class = forms.PersonForm
    title = "Новый человек"
    success_message = "Человек добавлен в реестр. Теперь внесите его согласия."

    def save_service(self, form):
        return services.person_save(person=form.instance, user=self.request.user)


class PersonUpdateView(ScopedUpdateView):
    model = Person
    form_class = forms.PersonForm
    title = "Изменение данных человека"

    def save_service(self, form):
        return services.person_save(person=form.instance, user=self.request.user)


class PersonDeleteView(ScopedDeleteView):
    model = Person
    success_url = reverse_lazy("registry:person_list")
    success_message = "Человек удалён из реестра."

    def delete_service(self, obj):
        services.person_delete(person=obj, user=self.request.user)


# Mentor and mentee records ---------------------------------------------------------------


class RecordServiceMixin:
    """Save an entry of a base through its service, with its many-to-many choices."""

    service = None  # registry.services.mentor_record_save or mentee_record_save
    m2m_fields: tuple[str, ...] = ()

    def save_service(self, form):
        choices = {name: form.cleaned_data[name] for name in self.m2m_fields}
        return type(self).service(record=form.instance, user=self.request.user, **choices)


class RecordCreateView(RecordServiceMixin, ChildCreateView):
    """Enter a person into a base; a person already there goes to their entry's form."""

    parent_model = Person

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and get_scope(request.user).can_write_any:
            # The person is looked up in the user's scope first (404/403), then their entry.
            existing = self.model.objects.filter(person=self.get_parent()).first()
            if existing is not None:
                return redirect(self.edit_url_name, pk=existing.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.get_parent()}

    def save_service(self, form):
        form.instance.person = self.get_parent()
        return super().save_service(form)


class RecordUpdateView(RecordServiceMixin, ScopedUpdateView):
    pass


class RecordDeleteView(ScopedDeleteView):
    remove = None  # registry.services.mentor_record_delete or mentee_record_delete

    def get_success_url(self):
        return self.object.person.get_absolute_url()

    def delete_service(self, obj):
        type(self).remove(record=obj, user=self.request.user)


class MentorRecordListView(ScopedListView):
    model = MentorRecord
    # Its template links to the base for matching (the mentorship app's page, by its URL name).
    template_name = "registry/mentor_list.html"
    table_class = tables.MentorRecordTable
    filterset_class = filters.MentorRecordFilter
    title = "База наставников"
    import_kind = "mentors"
    empty_hint = (
        "В базе наставников пока никого нет. Откройте карточку человека и нажмите «Включить в базу наставников»."
    )

    def get_queryset(self):
        return selectors.mentor_record_list(user=self.request.user)


class MentorRecordMixin:
    model = MentorRecord
    form_class = forms.MentorRecordForm
    service = services.mentor_record_save
    m2m_fields = ("forms", "topics")


class MentorRecordCreateView(MentorRecordMixin, RecordCreateView):
    edit_url_name = "registry:mentor_update"
    title = "Включение в базу наставников"
    success_message = "Человек включён в базу наставников."


class MentorRecordUpdateView(MentorRecordMixin, RecordUpdateView):
    title = "Запись в базе наставников"


class MentorRecordDeleteView(RecordDeleteView):
    model = MentorRecord
    remove = services.mentor_record_delete
    success_message = "Человек исключён из базы наставников."


class MenteeRecordListView(ScopedListView):
    model = MenteeRecord
    table_class = tables.MenteeRecordTable
    filterset_class = filters.MenteeRecordFilter
    title = "База наставляемых"
    import_kind = "mentees"
    empty_hint = (
        "В базе наставляемых пока никого нет. Откройте карточку человека и нажмите «Включить в базу наставляемых»."
    )

    def get_queryset(self):
        return selectors.mentee_record_list(user=self.request.user)


class MenteeRecordMixin:
    model = MenteeRecord
    form_class = forms.MenteeRecordForm
    service = services.mentee_record_save
    m2m_fields = ("forms", "requests")


class MenteeRecordCreateView(MenteeRecordMixin, RecordCreateView):
    edit_url_name = "registry:mentee_update"
    title = "Включение в базу наставляемых"
    success_message = "Человек включён в базу наставляемых."


class MenteeRecordUpdateView(MenteeRecordMixin, RecordUpdateView):
    title = "Запись в базе наставляемых"


class MenteeRecordDeleteView(RecordDeleteView):
    model = MenteeRecord
    remove = services.mentee_record_delete
    success_message = "Человек исключён из базы наставляемых."


# Consents --------------------------------------------------------------------------------


class ConsentListView(ScopedListView):
    model = Consent
    table_class = tables.ConsentTable
    filterset_class = filters.ConsentFilter
    title = "Согласия"
    import_kind = "consents"
    empty_hint = (
        "Согласий пока нет. Согласие вносится из карточки человека («Добавить согласие») или загружается из Excel."
    )

    def get_queryset(self):
        return selectors.consent_list(user=self.request.user)


class ConsentCreateView(ChildCreateView):
    model = Consent
    parent_model = Person
    form_class = forms.ConsentForm
    title = "Новое согласие"
    success_message = "Согласие внесено."

    def get_initial(self):
        missing = self.get_parent().consent_state.missing_kinds
        return {"kind": missing[0]} if missing else {}

    def save_service(self, form):
        form.instance.person = self.get_parent()
        return services.consent_save(consent=form.instance, user=self.request.user)


class ConsentUpdateView(ScopedUpdateView):
    model = Consent
    form_class = forms.ConsentForm
    title = "Изменение согласия"

    def save_service(self, form):
        return services.consent_save(consent=form.instance, user=self.request.user)


class ConsentWithdrawView(WritableObjectMixin, generic.FormView):
    """Record the withdrawal of a consent, after a confirmation that says what follows."""

    model = Consent
    form_class = forms.ConsentWithdrawForm
    template_name = "registry/consent_withdraw.html"

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        obj = get_object_or_404(self.get_queryset().select_related("person"), pk=self.kwargs["pk"])
        if not can_write(self.request.user, obj):
            raise PermissionDenied("Недостаточно прав для изменения этой записи.")
        return obj

    def get_initial(self):
        from django.utils import timezone

        return {"withdrawn_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context

    def form_valid(self, form):
        try:
            services.consent_withdraw(consent=self.object, user=self.request.user, on=form.cleaned_data["withdrawn_on"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "Отзыв согласия записан.")
        return HttpResponseRedirect(self.object.person.get_absolute_url())


class ConsentDeleteView(ScopedDeleteView):
    model = Consent
    success_message = "Согласие удалено."

    def get_success_url(self):
        return self.object.person.get_absolute_url()

    def delete_service(self, obj):
        services.consent_delete(consent=obj, user=self.request.user)


class ConsentScanView(generic.View):
    """Download a consent's scan: only within the user's scope, and every download is journalled
    (docs/product.md «Personal data»: downloads of personal data are logged)."""

    def get(self, request, pk):
        consent = get_object_or_404(Consent.objects.for_user(request.user).select_related("person"), pk=pk)
        return journalled_download(
            request,
            obj=consent,
            file=consent.scan,
            parent=consent.person,
            filename=f"Согласие {consent.person.short_name}{PurePath(consent.scan.name).suffix}",
            missing="У согласия нет скана.",
        )
