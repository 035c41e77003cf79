"""The monitoring pages (namespace «monitoring»): campaigns, submissions, coverage, indicators.
The home page, which summarises every app, is named «home» in config/urls.py."""

from django.urls import path  # noqa: F401  (the pages arrive with issue 9's steps)

app_name = "monitoring"

urlpatterns: list = []
