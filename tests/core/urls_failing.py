"""The portal's URLs and one that fails, to see the 500 page."""

from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns


def failing(request):
    raise RuntimeError("a failure the user must not see")


urlpatterns = [*portal_urlpatterns, path("failing/", failing)]
