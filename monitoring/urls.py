"""The monitoring pages (namespace «monitoring»): campaigns, submissions, coverage, indicators.
The home page, which summarises every app, is named «home» in config/urls.py."""

from django.urls import path

from monitoring import indicator_views

app_name = "monitoring"

urlpatterns: list = [
    # Indicators (показатели эффективности): plan against fact, targets.
    path("indicators/", indicator_views.PlanFactView.as_view(), name="indicators"),
    path("indicators/targets/", indicator_views.TargetGridView.as_view(), name="indicator_targets"),
]
