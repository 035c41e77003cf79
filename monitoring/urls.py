"""The monitoring pages (namespace «monitoring»): campaigns, submissions, coverage, indicators,
document packages. The home page, which summarises every app, is named «home» in config/urls.py."""

from django.urls import path

from monitoring import campaign_views, coverage_views, indicator_views, package_views

app_name = "monitoring"

urlpatterns = [
    # Campaigns (сбор информации) and the schools' answers.
    path("campaigns/", campaign_views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", campaign_views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("campaigns/<int:pk>/open/", campaign_views.CampaignConfirmView.as_view(action="open"), name="campaign_open"),
    path(
        "campaigns/<int:pk>/close/", campaign_views.CampaignConfirmView.as_view(action="close"), name="campaign_close"
    ),
    path(
        "campaigns/<int:pk>/delete/",
        campaign_views.CampaignConfirmView.as_view(action="delete"),
        name="campaign_delete",
    ),
    path("campaigns/<int:pk>/export/", campaign_views.CampaignExportView.as_view(), name="campaign_export"),
    path("campaigns/<int:pk>/report.pdf", campaign_views.CampaignPdfView.as_view(), name="campaign_pdf"),
    path("campaigns/<int:pk>/remind/", campaign_views.CampaignRemindView.as_view(), name="campaign_remind"),
    path("submissions/<int:pk>/", campaign_views.SubmissionDetailView.as_view(), name="submission_detail"),
    path("submissions/<int:pk>/form.pdf", campaign_views.SubmissionPdfView.as_view(), name="submission_pdf"),
    # Document packages (seed 003 «пакет документов»), before the submission's actions (<slug>).
    path("campaigns/<int:pk>/documents/", package_views.PackageMatrixView.as_view(), name="package_matrix"),
    path("campaigns/<int:pk>/documents/list/", package_views.RequirementsEditView.as_view(), name="requirements_edit"),
    path("submissions/<int:pk>/documents/", package_views.SubmissionPackageView.as_view(), name="submission_package"),
    path("documents/<int:pk>/file/", package_views.PackageDocumentFileView.as_view(), name="package_document_file"),
    path(
        "submissions/<int:pk>/<slug:action>/",
        campaign_views.SubmissionActionView.as_view(),
        name="submission_action",
    ),
    # Indicators (показатели эффективности): plan against fact, targets.
    path("indicators/", indicator_views.PlanFactView.as_view(), name="indicators"),
    path("indicators/targets/", indicator_views.TargetGridView.as_view(), name="indicator_targets"),
    # Coverage (seed 003's form computed from the registry, without a campaign).
    path("coverage/", coverage_views.CoverageView.as_view(), name="coverage"),
    path("coverage/people/", coverage_views.CoveragePeopleView.as_view(), name="coverage_people"),
    path("coverage/export/", coverage_views.CoverageExportView.as_view(), name="coverage_export"),
    path("coverage/pdf/", coverage_views.CoveragePdfView.as_view(), name="coverage_pdf"),
]
