"""The monitoring pages (namespace «monitoring»): campaigns, submissions, coverage, indicators.
The home page, which summarises every app, is named «home» in config/urls.py."""

from django.urls import path

from monitoring import coverage_views

app_name = "monitoring"

urlpatterns: list = [
    # Coverage (seed 003's form computed from the registry): monitoring/coverage_views.py
    path("coverage/", coverage_views.CoverageView.as_view(), name="coverage"),
    path("coverage/people/", coverage_views.CoveragePeopleView.as_view(), name="coverage_people"),
    path("coverage/export/", coverage_views.CoverageExportView.as_view(), name="coverage_export"),
]
