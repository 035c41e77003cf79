from django.urls import path

from roadmaps import views

app_name = "roadmaps"

urlpatterns = [
    # Roadmaps, items, execution, due list, templates (pages).
    path("", views.RoadmapListView.as_view(), name="roadmap_list"),
    path("new/", views.RoadmapCreateView.as_view(), name="roadmap_create"),
    path("due/", views.DueListView.as_view(), name="due_list"),
    path("<int:pk>/", views.RoadmapDetailView.as_view(), name="roadmap_detail"),
    path("<int:pk>/edit/", views.RoadmapUpdateView.as_view(), name="roadmap_update"),
    path("<int:pk>/delete/", views.RoadmapDeleteView.as_view(), name="roadmap_delete"),
    path("<int:pk>/copy/", views.RoadmapCopyView.as_view(), name="roadmap_copy"),
    path("<int:pk>/template-changes/", views.TemplateChangesView.as_view(), name="template_changes"),
    path("<int:roadmap_pk>/items/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemUpdateView.as_view(), name="item_update"),
    path("items/<int:pk>/delete/", views.ItemDeleteView.as_view(), name="item_delete"),
    path("items/<int:item_pk>/execution/authority/", views.ExecutionEditView.as_view(), name="execution_authority"),
    path("items/<int:item_pk>/execution/<int:org_pk>/", views.ExecutionEditView.as_view(), name="execution_edit"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    # Matrix, export, print view.
    path("<int:pk>/matrix/", views.RoadmapMatrixView.as_view(), name="matrix"),
    path("<int:pk>/export/", views.RoadmapExportView.as_view(), name="roadmap_export"),
    path("<int:pk>/print/", views.RoadmapPrintView.as_view(), name="roadmap_print"),
    # The orders on the ЦМН and on the working group (drafts in the register).
    path("<int:pk>/cmn-order/", views.CmnOrderView.as_view(), name="cmn_order"),
    path("working-group-order/<int:pk>/", views.WorkingGroupOrderView.as_view(), name="working_group_order"),
]
