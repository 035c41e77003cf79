"""Pages of the roadmaps app: roadmaps and their items, each school's execution, the coordinator's
matrix of items × schools, the export and the print view."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View, generic

from core.exporting import file_response
from core.scoping import can_write
from roadmaps import selectors
from roadmaps.exporters import RoadmapExporter, RoadmapPrint
from roadmaps.matrix import MatrixFilterForm, ShareView, execution_url_maker, legend, matrix_lines, school_shares
from roadmaps.models import Roadmap

# --- Roadmaps, items, execution, due list, templates --------------------------------------


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
