"""The monitoring pages (namespace «monitoring»): campaigns, submissions, coverage, indicators,
document packages. The home page, which summarises every app, is named «home» in config/urls.py."""

from django.urls import path

from monitoring import package_views

app_name = "monitoring"

urlpatterns: list = [
    # TEMPORARY until the campaigns' pages land (same branch of work): the package matrix stands in.
    path("campaigns/<int:pk>/", package_views.PackageMatrixView.as_view(), name="campaign_detail"),
]

# Document packages (seed 003 «пакет документов»).
urlpatterns += [
    path("campaigns/<int:pk>/documents/", package_views.PackageMatrixView.as_view(), name="package_matrix"),
    path("campaigns/<int:pk>/documents/list/", package_views.RequirementsEditView.as_view(), name="requirements_edit"),
    path("submissions/<int:pk>/documents/", package_views.SubmissionPackageView.as_view(), name="submission_package"),
    path("documents/<int:pk>/file/", package_views.PackageDocumentFileView.as_view(), name="package_document_file"),
]
