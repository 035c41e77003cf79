"""Pages of the roadmaps app: roadmaps and their items, each school's execution, the coordinator's
matrix of items × schools, the export and the print view."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View, generic
from django_tables2 import RequestConfig

from core.exporting import file_response
from core.issuing import can_prepare, document_prepare
from core.russian import count_noun, plural_form
from core.scoping import can_write, get_scope
from core.views import (
    ChildCreateView,
    ListPaginator,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ScopeMixin,
    journalled_download,
)
from registry.choices import OrganizationKind
from registry.models import Municipality, Organization, academic_year_label, current_academic_year_start
from registry.orders import Official
from roadmaps import filters, forms, selectors, services, tables
from roadmaps.choices import RoadmapStatus
from roadmaps.exporters import RoadmapExporter, RoadmapPrint
from roadmaps.kinds import CmnOrder, WorkingGroupOrder
from roadmaps.matrix import MatrixFilterForm, ShareView, execution_url_maker, legend, matrix_lines, school_shares
from roadmaps.models import ItemExecution, Roadmap, RoadmapItem
from roadmaps.templatetags.roadmap_pages import schedule_label

# --- Roadmaps, items, execution, due list, templates --------------------------------------

ROADMAPS = "дорожная карта,дорожные карты,дорожных карт"


def roadmap_import_url() -> str:
    """The import of a roadmap from Word or Excel (core's import pages, kind «roadmap»)."""
    return reverse("import_start") + "?kind=roadmap"


def can_read_evidence(user, execution: ItemExecution) -> bool:
    """May `user` download this execution's file? Its organization's people and the
    municipality's (`ItemExecution.objects.for_user`), read from the loaded object."""
    scope = get_scope(user)
    return (
        scope.is_superuser
        or (execution.organization_id is not None and execution.organization_id in scope.read_organization_ids)
        or execution.item.roadmap.municipality_id in scope.read_municipality_ids
    )


def back_url(request, default: str) -> str:
    """Where a form returns: `next` when it is a page of this site, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def item_anchor(item: RoadmapItem) -> str:
    return f"{item.roadmap.get_absolute_url()}#item-{item.pk}"


# Roadmaps ------------------------------------------------------------------------------------


class RoadmapListView(ScopedListView):
    """The roadmaps a user sees: the municipality's and the schools' (a school's people see theirs
    and the municipal ones), with the share done, filtered in the URL and exported as filtered."""

    model = Roadmap
    template_name = "roadmaps/roadmap_list.html"
    table_class = tables.RoadmapTable
    filterset_class = filters.RoadmapFilter
    title = "Дорожные карты"
    create_url_name = "roadmaps:roadmap_create"
    export_personal = False

    def get_queryset(self):
        return (
            Roadmap.objects.for_user(self.request.user)
            .select_related("organization")
            .annotate(items_count=Count("items"))
        )

    def get_table_kwargs(self):
        return {"user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.scope.can_write_any:
            context["roadmap_import_url"] = roadmap_import_url()
        # The coordinator's order on the working group (roadmaps.kinds.WorkingGroupOrder).
        context["working_group_municipalities"] = list(
            Municipality.objects.filter(pk__in=self.scope.write_municipality_ids).order_by("name")
        )
        return context


class RoadmapDetailView(ScopedDetailView):
    """A roadmap as the document has it: its items in order, indented by level, each with its
    deadline as worded and as understood, its responsibles and result, and its execution for the
    viewer (`selectors.detail_rows`)."""

    model = Roadmap
    template_name = "roadmaps/roadmap_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organization", "municipality", "template")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roadmap, user, scope = self.object, self.request.user, self.scope
        today = timezone.localdate()
        context["rows"] = selectors.detail_rows(roadmap, user=user, today=today)
        context["today"] = today
        context["is_coordinator"] = scope.is_superuser or roadmap.municipality_id in scope.write_municipality_ids
        context["can_copy"] = roadmap.is_municipal and context["is_coordinator"]
        context["can_prepare_order"] = can_prepare(
            user, municipality_id=roadmap.municipality_id, organization_id=roadmap.organization_id
        )
        context["import_url"] = roadmap_import_url() if context["can_write"] else None
        if roadmap.template_id and context["can_write"]:
            context["template_changes"] = len(services.template_changes(roadmap))
        context["unrecognised"] = sum(
            1 for row in context["rows"] if not row.item.deadline_recognised and row.item.deadline_text
        )
        context["order"] = tables.order_label(roadmap)
        # The list's own reckoning: the viewer's school, or everyone for the municipality's people.
        organization_ids = None if scope.is_municipal else set(scope.read_organization_ids)
        shares = selectors.roadmap_shares([roadmap], organization_ids=organization_ids, today=today)
        context["share"] = shares[roadmap.pk]
        context["share_text"] = tables.share_text(context["share"])
        return context


class RoadmapFormMixin:
    model = Roadmap
    form_class = forms.RoadmapForm

    def save_service(self, form):
        return services.roadmap_save(roadmap=form.instance, user=self.request.user)


class RoadmapCreateView(RoadmapFormMixin, ScopedCreateView):
    title = "Новая дорожная карта"
    success_message = "Дорожная карта создана. Добавьте пункты или загрузите их из документа."

    def get_initial(self):
        year = current_academic_year_start()
        return {
            "starts_on": datetime.date(year, 9, 1),
            "ends_on": datetime.date(year + 1, 8, 31),
            "title": f"Дорожная карта на {academic_year_label(year)} учебный год",
        }

    def get_cancel_url(self):
        return reverse("roadmaps:roadmap_list")


class RoadmapUpdateView(RoadmapFormMixin, ScopedUpdateView):
    title = "Изменение дорожной карты"
    success_message = "Дорожная карта сохранена."


class RoadmapDeleteView(ScopedDeleteView):
    model = Roadmap
    success_message = "Дорожная карта удалена."

    def get_success_url(self):
        return reverse("roadmaps:roadmap_list")

    def delete_service(self, obj):
        services.roadmap_delete(roadmap=obj, user=self.request.user)


# Items ---------------------------------------------------------------------------------------


class ItemDetailView(ScopedDetailView):
    """An item with its schedule and its execution by each organization the viewer may see, and
    its journal (who marked what, when)."""

    model = RoadmapItem
    template_name = "roadmaps/item_detail.html"

    def get_queryset(self):
        return (
            selectors.visible_items(self.request.user)
            .select_related("roadmap__organization", "roadmap__municipality", "parent")
            .prefetch_related("windows")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        today = timezone.localdate()
        context["is_heading"] = item.children.exists()
        cells = [] if context["is_heading"] else selectors.item_cells(item, user=user, today=today)
        context["cells"] = cells
        context["roadmap"] = item.roadmap
        context["audit_entries"] = selectors.item_journal(item, user)
        context["readable_evidence"] = {
            cell.execution.pk for cell in cells if cell.execution and can_read_evidence(user, cell.execution)
        }
        return context


class ItemFormMixin:
    model = RoadmapItem
    form_class = forms.ItemForm

    def roadmap(self) -> Roadmap:
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "roadmap": self.roadmap()}

    def save_service(self, form):
        chosen = form.cleaned_data.get("organizations")
        return services.item_save(
            item=form.instance,
            user=self.request.user,
            windows=form.windows(),
            organizations=list(chosen) if chosen else None,
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.object is not None and self.object.pk:
            self.object.refresh_from_db()
            label = schedule_label(self.object)
            if not self.object.deadline_text and not label:
                return response
            if label:
                messages.info(self.request, f"Срок «{self.object.deadline_text or '—'}» понят так: {label}.")
            else:
                messages.warning(
                    self.request,
                    f"Срок «{self.object.deadline_text}» не распознан: задайте даты вручную, "
                    "иначе пункт не попадёт в список того, что сделать.",
                )
        return response

    def get_success_url(self):
        return item_anchor(self.object)


class ItemCreateView(ItemFormMixin, ChildCreateView):
    parent_model = Roadmap
    parent_kwarg = "roadmap_pk"
    title = "Новый пункт"
    success_message = "Пункт добавлен."

    def roadmap(self) -> Roadmap:
        return self.get_parent()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = RoadmapItem(roadmap=self.get_parent())
        return kwargs

    def get_initial(self):
        parent = self.request.GET.get("parent", "")
        return {"parent": int(parent)} if parent.isdigit() and len(parent) < 19 else {}

    def get_success_url(self):
        return item_anchor(self.object)


class ItemUpdateView(ItemFormMixin, ScopedUpdateView):
    title = "Изменение пункта"
    success_message = "Пункт сохранён."

    def get_queryset(self):
        return selectors.visible_items(self.request.user).select_related("roadmap__organization")

    def roadmap(self) -> Roadmap:
        return self.object.roadmap

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parent"] = self.object.roadmap
        return context


class ItemDeleteView(ScopedDeleteView):
    model = RoadmapItem
    success_message = "Пункт удалён."

    def get_queryset(self):
        return selectors.visible_items(self.request.user).select_related("roadmap__organization")

    def get_success_url(self):
        return self.object.roadmap.get_absolute_url()

    def delete_service(self, obj):
        services.item_delete(item=obj, user=self.request.user)


# Execution -----------------------------------------------------------------------------------


class ExecutionEditView(ScopeMixin, generic.FormView):
    """Mark how far an organization (or the authority) has come with an item, with its evidence
    (`services.execution_save`). The school's curator marks their school, the coordinator any
    school of the municipality and the authority's own items; directors and observers only read
    (403). An organization the item does not address answers 404."""

    form_class = forms.ExecutionForm
    template_name = "roadmaps/execution_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(
            selectors.visible_items(request.user).select_related("roadmap__organization", "roadmap__municipality"),
            pk=kwargs["item_pk"],
        )
        self.organization = self.addressed_organization(kwargs.get("org_pk"))
        self.execution = services.execution_for(self.item, self.organization)
        if not services.can_mark(request.user, self.execution):
            raise PermissionDenied(
                "Отмечать исполнение этого пункта может куратор школы или муниципальный координатор."
            )
        return super().dispatch(request, *args, **kwargs)

    def addressed_organization(self, org_pk) -> Organization | None:
        item = self.item
        if org_pk is None:
            if not item.carried_by_authority:
                raise Http404("Этот пункт исполняет не управление образования.")
            return None
        organization = get_object_or_404(Organization.objects.for_user(self.request.user), pk=org_pk)
        if organization.pk not in {org.pk for org in services.item_organizations(item)}:
            raise Http404("Этот пункт не адресован этой организации.")
        return organization

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.execution, "user": self.request.user}

    def default_back(self) -> str:
        return item_anchor(self.item)

    def form_valid(self, form):
        try:
            execution = services.execution_save(execution=form.instance, user=self.request.user)
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        where = self.organization or "управление образования"
        text = f"Отмечено: {self.item.number} — {execution.get_status_display().lower()} ({where})."
        messages.success(self.request, text)
        return HttpResponseRedirect(back_url(self.request, self.default_back()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        execution = self.execution
        context.update(
            title="Исполнение пункта",
            item=self.item,
            roadmap=self.item.roadmap,
            organization=self.organization,
            execution=execution if execution.pk else None,
            overdue=selectors.is_overdue(self.item, execution.status, timezone.localdate()),
            next=back_url(self.request, ""),
            cancel_url=back_url(self.request, self.default_back()),
            audit_entries=selectors.item_journal(self.item, self.request.user),
        )
        return context


class EvidenceDownloadView(generic.View):
    """An execution's file: for its organization's people and the municipality's, every download
    journalled (as registry.views.ConsentScanView: uploads are never served from MEDIA_URL)."""

    def get_queryset(self):
        return ItemExecution.objects.for_user(self.request.user).select_related("item__roadmap", "organization")

    def get(self, request, pk):
        execution = get_object_or_404(self.get_queryset(), pk=pk)
        return journalled_download(request, obj=execution, file=execution.evidence, parent=execution.item)


# What is due ---------------------------------------------------------------------------------


class DueListView(ScopeMixin, generic.TemplateView):
    """«Что сделать по дорожным картам»: a school's items from its own roadmaps and the municipal
    ones addressed to it, overdue first, then nearest first (`selectors.due_items`). A user of
    several schools picks one in the URL; the coordinator sees every school's counts first and
    opens a school's list from there."""

    template_name = "roadmaps/due_list.html"
    title = "Что сделать по дорожным картам"

    @cached_property
    def form(self) -> forms.DueFilterForm:
        return forms.DueFilterForm(self.request.GET or None, schools=self.schools, user=self.request.user)

    @cached_property
    def schools(self):
        organizations = Organization.objects.for_user(self.request.user)
        if self.scope.is_municipal:
            organizations = organizations.filter(kind=OrganizationKind.SCHOOL)
        return organizations.order_by("short_name")

    def chosen(self) -> Organization | None:
        """The school whose list is shown: the URL's, or the user's one school."""
        form = self.form
        if form.is_bound and form.is_valid() and form.cleaned_data.get("organization"):
            return form.cleaned_data["organization"]
        if self.scope.is_municipal or (form.is_bound and not form.is_valid()):
            return None
        own = [org for org in self.schools if org.pk in self.scope.read_organization_ids]
        return own[0] if own else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = self.form
        organization = self.chosen()
        show = form.cleaned_data.get("show", "") if form.is_bound and form.is_valid() else ""
        context.update(title=self.title, form=form, organization=organization, show=show, today=today)
        context["several"] = self.scope.is_municipal or len(self.schools) > 1
        context["soon_days"] = selectors.DUE_SOON_DAYS
        if organization is None:
            if self.scope.is_municipal and not form.errors:
                context["summary"] = selectors.due_summary(list(self.schools), today=today)
                context["municipal_roadmaps"] = list(
                    Roadmap.objects.for_user(self.request.user)
                    .filter(organization__isnull=True)
                    .exclude(status=RoadmapStatus.ARCHIVED)
                )
            return context
        within = selectors.DUE_SOON_DAYS if show == "soon" else None
        due = selectors.due_items(organization, today=today, within_days=within)
        if show == "overdue":
            due = [entry for entry in due if entry.overdue]
        table = tables.DueTable(due, user=self.request.user, today=today)
        RequestConfig(self.request, paginate={"per_page": 50, "paginator_class": ListPaginator}).configure(table)
        context["table"] = table
        context["due_count"] = len(due)
        context["has_items"] = bool(due) or selectors.school_items(organization).exists()
        return context


# Copies and template changes -----------------------------------------------------------------


class WritableRoadmapMixin(ScopeMixin):
    """The roadmap of the URL: 404 outside what the user sees, 403 without the right to change it."""

    def get_queryset(self):
        return Roadmap.objects.for_user(self.request.user).select_related("organization", "municipality")

    def dispatch(self, request, *args, **kwargs):
        self.roadmap = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        if not can_write(request.user, self.roadmap):
            raise PermissionDenied("Недостаточно прав для изменения этой дорожной карты.")
        return super().dispatch(request, *args, **kwargs)


class RoadmapCopyView(WritableRoadmapMixin, generic.FormView):
    """«Скопировать в школы»: a municipal roadmap (a template for school roadmaps) copied into the
    chosen schools as their own (`services.roadmap_copy`); a school that has a copy already is
    shown with a link to it. Later changes of the template are offered to each copy, never pushed."""

    form_class = forms.RoadmapCopyForm
    template_name = "roadmaps/roadmap_copy.html"

    def get_queryset(self):
        return super().get_queryset().filter(organization__isnull=True)  # a municipal roadmap

    @cached_property
    def copies(self) -> dict[int, Roadmap]:
        return {
            copy.organization_id: copy
            for copy in Roadmap.objects.filter(template=self.roadmap, organization__isnull=False)
        }

    def get_form_kwargs(self):
        schools = forms.school_choices(self.roadmap.municipality_id).exclude(pk__in=list(self.copies))
        return {**super().get_form_kwargs(), "schools": schools, "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        schools = list(forms.school_choices(self.roadmap.municipality_id))
        context.update(
            title="Скопировать в школы",
            roadmap=self.roadmap,
            schools=[(school, self.copies.get(school.pk)) for school in schools],
            cancel_url=self.roadmap.get_absolute_url(),
        )
        return context

    def form_valid(self, form):
        try:
            copies = services.roadmap_copy(
                template=self.roadmap,
                organizations=list(form.cleaned_data["organizations"]),
                user=self.request.user,
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        count = len(copies)
        verb = plural_form(count, "Создана,Созданы,Создано")
        schools = plural_form(count, "школы,школ,школ")
        messages.success(self.request, f"{verb} {count_noun(count, ROADMAPS)} {schools}.")
        return HttpResponseRedirect(self.roadmap.get_absolute_url())


#: What a school sees compared between its item and the template's (the rest is the template's dates).
COMPARED_FIELDS = ("number", "title", "deadline_text", "responsible_municipal", "responsible_organization", "result")


def wording_changes(change: services.TemplateChange) -> list[tuple[str, str, str]]:
    """(field, the school's wording, the template's) of a changed item, where they differ."""
    if change.copy_item is None:
        return []
    return [
        (str(RoadmapItem._meta.get_field(name).verbose_name).capitalize(), old, new)
        for name in COMPARED_FIELDS
        if (old := getattr(change.copy_item, name)) != (new := getattr(change.template_item, name))
    ]


class TemplateChangesView(WritableRoadmapMixin, generic.FormView):
    """What the template of a school's copy gained or changed since the copy took it: each change
    offered with the template's wording beside the school's, taken only when the school marks it
    (`services.roadmap_take_template_changes`)."""

    form_class = forms.TemplateChangesForm
    template_name = "roadmaps/template_changes.html"

    def get_queryset(self):
        return super().get_queryset().filter(template__isnull=False).select_related("template")

    @cached_property
    def changes(self):
        return services.template_changes(self.roadmap)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "changes": self.changes, "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        checked = set(form.data.getlist("changes")) if form.is_bound else set()
        context.update(
            title="Изменения шаблона",
            roadmap=self.roadmap,
            rows=[
                (change, wording_changes(change), str(change.template_item.pk) in checked) for change in self.changes
            ],
            cancel_url=self.roadmap.get_absolute_url(),
        )
        return context

    def form_valid(self, form):
        try:
            taken = services.roadmap_take_template_changes(
                roadmap=self.roadmap, template_item_ids=form.chosen_ids(), user=self.request.user
            )
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        messages.success(self.request, f"Принято изменений шаблона: {taken}.")
        return HttpResponseRedirect(self.roadmap.get_absolute_url())


# --- Matrix, export, print view -----------------------------------------------------------


class RoadmapReadMixin:
    """A roadmap the user may read (`Roadmap.objects.for_user`): another municipality's or another
    school's answers 404."""

    def get_queryset(self):
        return Roadmap.objects.for_user(self.request.user).select_related("municipality", "organization")

    def get_roadmap(self) -> Roadmap:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class RoadmapMatrixView(RoadmapReadMixin, generic.TemplateView):
    """The coordinator's matrix of a municipal roadmap: its items for schools × the schools,
    filtered by stage, school and state from the URL.

    It shows every school, so it is for those who see the whole municipality (the coordinator,
    its observers, staff); a school's curator or director may read the roadmap but gets 403 here
    — their school's execution is on the roadmap's own page. A school's roadmap has no matrix
    (404): its one school's execution is beside its items."""

    template_name = "roadmaps/matrix.html"

    def get(self, request, *args, **kwargs):
        self.roadmap = self.get_roadmap()
        if not self.roadmap.is_municipal:
            raise Http404("Матрица исполнения есть только у муниципальной дорожной карты.")
        if not selectors.sees_every_school(request.user, self.roadmap):
            raise PermissionDenied(
                "Матрица показывает исполнение всех школ муниципалитета: её видят координатор и наблюдатели. "
                "Исполнение своей школы — на странице дорожной карты."
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roadmap, user = self.roadmap, self.request.user
        items = selectors.roadmap_items(roadmap)
        schools = selectors.visible_schools(user, roadmap).order_by("short_name")
        form = MatrixFilterForm(self.request.GET, stages=selectors.tracked_stages(items), schools=schools)
        matrix = None
        if form.is_valid():
            chosen = form.cleaned_data["organization"]
            matrix = selectors.execution_matrix(
                roadmap,
                today=timezone.localdate(),
                organizations=schools.filter(pk=chosen.pk) if chosen else schools,
                stage_id=form.cleaned_data["stage"],
                state=form.cleaned_data["state"],
                items=items,
            )
            link = execution_url_maker() if can_write(user, roadmap) else None
            context["lines"] = list(matrix_lines(matrix, link=link))
            context["footer"] = school_shares(matrix)
            context["total"] = ShareView(matrix.total)
        context.update(
            roadmap=roadmap,
            title=f"Исполнение по школам: {roadmap.title}",
            form=form,
            matrix=matrix,
            has_items=bool(selectors.tracked_items(items)),
            legend=legend(),
            roadmap_url=_url_or_none("roadmaps:roadmap_detail", roadmap.pk),
            roadmaps_url=_url_or_none("roadmaps:roadmap_list"),
        )
        return context


class RoadmapExportView(RoadmapReadMixin, View):
    """The roadmap as an .xlsx file (`exporters.RoadmapExporter`), journalled: whoever reads the
    roadmap may export it, and gets what they may read of it."""

    def get(self, request, *args, **kwargs):
        roadmap = self.get_roadmap()
        return file_response(RoadmapExporter(roadmap, user=request.user).export())


class RoadmapPrintView(RoadmapReadMixin, View):
    """The roadmap as the appendix to its order, an A4 page of its own without the portal's menu
    (`exporters.RoadmapPrint`; the documents render the same HTML to PDF)."""

    def get(self, request, *args, **kwargs):
        return HttpResponse(RoadmapPrint(self.get_roadmap()).html(request=request))


def _url_or_none(name: str, *args) -> str | None:
    """A link to a page of the roadmaps app that may not be built yet (the pages come on their
    own branch)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# The orders on the ЦМН and on the working group ------------------------------------------------


def document_url(pk: int) -> str:
    """The register's page of a document (its issue form, warnings, preview)."""
    return reverse("document_detail", args=[pk])


class PrepareOrderView(ScopeMixin, generic.FormView):
    """A short form, then the draft in the register (`core.issuing.document_prepare`) and its page:
    the object of the URL is found in the user's scope (404 outside it), and only who may prepare
    the issuer's documents (a school's curator, the coordinator) opens the form (403 otherwise)."""

    template_name = "roadmaps/order_form.html"
    title = ""

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def issuer_ids(self) -> tuple[int, int | None]:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.object = self.get_object()
        municipality_id, organization_id = self.issuer_ids()
        if not can_prepare(request.user, municipality_id=municipality_id, organization_id=organization_id):
            raise PermissionDenied("Подготовить этот приказ может куратор школы или муниципальный координатор.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, title=self.title, object=self.object, cancel_url=self.cancel_url())

    def cancel_url(self) -> str:
        return self.object.get_absolute_url()

    def kind(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        kind = self.kind(form)
        document = document_prepare(
            kind=kind, user=self.request.user, municipality=kind.municipality, organization=kind.organization
        )
        warnings = kind.warnings()
        if warnings:
            messages.warning(self.request, "Проверьте падежи перед подписанием: " + " ".join(warnings))
        messages.success(self.request, f"Проект приказа «{document.title}» подготовлен.")
        return HttpResponseRedirect(document_url(document.pk))


class CmnOrderView(PrepareOrderView):
    """«Подготовить приказ о внедрении ЦМН» on a roadmap's page (issue 10 §1): a school's roadmap
    gives the school's order appointing its curator, the municipal one the authority's order
    appointing the coordinator (`roadmaps.kinds`); the roadmap is its appendix."""

    title = "Приказ о внедрении целевой модели наставничества"

    def get_queryset(self):
        return Roadmap.objects.for_user(self.request.user).select_related("municipality", "organization")

    def issuer_ids(self):
        return self.object.municipality_id, self.object.organization_id

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "roadmap": self.object, "user": self.request.user}

    def get_form_class(self):
        return forms.CmnOrderForm

    def kind(self, form):
        data = form.cleaned_data
        kind_cls = CmnOrder.for_roadmap(self.object)
        return kind_cls(
            self.object,
            appointees=[Official.of_user(user) for user in data["appointees"]],
            controller=Official.of_user(data["controller"]) if data["controller"] else None,
            grounds=data["grounds"].strip(),
            polozhenie=data["polozhenie"],
        )


class WorkingGroupOrderView(PrepareOrderView):
    """The authority's order on the municipal coordinator and the working group (issue 10 §2),
    prepared by the coordinator from the roadmaps' list or a municipal roadmap's page."""

    title = "Приказ о координаторе и рабочей группе"

    def get_queryset(self):
        return Municipality.objects.for_user(self.request.user)

    def issuer_ids(self):
        return self.object.pk, None

    def cancel_url(self) -> str:
        return reverse("roadmaps:roadmap_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.object, "user": self.request.user}

    def get_form_class(self):
        return forms.WorkingGroupOrderForm

    def kind(self, form):
        data = form.cleaned_data
        members = [data["chair"]] if data["chair"] else []
        chosen = data["members"].prefetch_related("role_assignments__organization")
        members += [Official.of_user(user, workplace_of(user, self.object)) for user in chosen]
        members += data["others"]
        return WorkingGroupOrder(
            self.object,
            coordinator=Official.of_user(data["coordinator"]),
            members=members,
            controller=Official.of_user(data["controller"]) if data["controller"] else None,
            grounds=data["grounds"].strip(),
        )


def workplace_of(user, municipality) -> str:
    """Where a role holder works, as the working group's list names it (seed 001 appendix 3): their
    school, or the education authority for a coordinator or an observer."""
    for assignment in user.role_assignments.all():  # prefetched with their organizations
        if assignment.organization is not None and assignment.organization.municipality_id == municipality.pk:
            return str(assignment.organization)
    return municipality.authority_name
