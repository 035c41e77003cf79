from django.urls import path  # noqa: F401 (the sections below fill in)

from roadmaps import views  # noqa: F401

app_name = "roadmaps"

urlpatterns = [
    # Roadmaps, items, execution, due list, templates (pages).
    # Matrix, export, print view.
]
