from django.contrib import admin
from django.urls import include, path

from core.auth import AdminLoginForm

# The admin's login page says in Russian until when a locked-out user must wait (core.auth).
admin.site.login_form = AdminLoginForm

# Uploaded files (consent scans, imported tables) are personal data: they are never served from
# MEDIA_URL, only through views that check the scope and journal the download.
urlpatterns = [
    path("", include("core.urls")),
    path("", include("monitoring.urls")),
    path("registry/", include("registry.urls")),
    path("pairs/", include("mentorship.urls")),
    path("roadmaps/", include("roadmaps.urls")),
    path("admin/", admin.site.urls),
]
