from django.contrib import admin
from django.urls import include, path

from core.auth import AdminLoginForm
from monitoring.views import HomeView

# The admin's login page says in Russian until when a locked-out user must wait (core.auth).
admin.site.login_form = AdminLoginForm

# Uploaded files (consent scans, imported tables) are personal data: they are never served from
# MEDIA_URL, only through views that check the scope and journal the download.
urlpatterns = [
    path("", include("core.urls")),
    # The home page summarises every app; the monitoring pages have their namespace below.
    path("", HomeView.as_view(), name="home"),
    path("monitoring/", include("monitoring.urls")),
    path("registry/", include("registry.urls")),
    path("pairs/", include("mentorship.urls")),
    path("roadmaps/", include("roadmaps.urls")),
    path("admin/", admin.site.urls),
]
