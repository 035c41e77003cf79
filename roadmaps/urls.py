from django.urls import path

from roadmaps import views

app_name = "roadmaps"

urlpatterns = [
    # Roadmaps, items, execution, due list, templates (pages).
    # Matrix, export, print view.
    path("<int:pk>/matrix/", views.RoadmapMatrixView.as_view(), name="matrix"),
    path("<int:pk>/export/", views.RoadmapExportView.as_view(), name="roadmap_export"),
    path("<int:pk>/print/", views.RoadmapPrintView.as_view(), name="roadmap_print"),
]
