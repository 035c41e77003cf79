"""Every page of the portal a user may open, found from the URL resolver (for tests that look at all
pages: accessibility, texts). A later app's pages join by being in the URLconf.

A route without arguments is visited as it is; a route with `<pk>` (or the view's `parent_kwarg`)
gets an object from the view's own scoped queryset for that user — a preferred object (the test's
richest person) when it is there, else the first. Routes whose view has no GET (save, log-out),
routes with other arguments (file templates by slug) and the admin are left out, unless the app's
test data registers how to fill them (`register_route_kwargs`); so are answers
that are not HTML pages (downloads) — the caller sees them by status and content type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

#: Namespaces and names that are not pages of the portal for a visitor: the Django admin, and
#: log-out (a POST).
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"logout"}


#: Routes whose arguments are not one object's id (an item and an organization): {route name:
#: finder(user, preferred) -> the route's kwargs for that user, or None}. The app's test data
#: registers them (`register_route_kwargs`), since core knows no app.
ROUTE_KWARGS: dict[str, Callable[[object, list], dict | None]] = {}


def register_route_kwargs(name: str, finder: Callable[[object, list], dict | None]) -> None:
    ROUTE_KWARGS[name] = finder


@dataclass(frozen=True)
class Route:
    name: str  # "registry:person_detail"
    view_class: type
    kwargs: tuple[str, ...]
    #: The arguments that name an object by a number (`<int:pk>`).
    int_kwargs: tuple[str, ...] = ()


@dataclass(frozen=True)
class PortalPage:
    name: str
    url: str


def _walk(patterns, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def portal_routes() -> list[Route]:
    """The named GET routes of the portal, with the names of their arguments."""
    routes = []
    for name, pattern in _walk(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or name in SKIPPED_NAMES or not hasattr(view_class, "get"):
            continue
        converters = getattr(pattern.pattern, "converters", {})
        ints = tuple(key for key, converter in converters.items() if converter.regex == "[0-9]+")
        routes.append(Route(name, view_class, tuple(converters), ints))
    return routes


def list_routes() -> list[Route]:
    """The lists of the portal: the routes whose view is a `core.views.ScopedListView`."""
    from core.views import ScopedListView

    return sorted((r for r in portal_routes() if issubclass(r.view_class, ScopedListView)), key=lambda r: r.name)


def _object_pk(route: Route, kwarg: str, user, preferred: Iterable) -> int | None:
    """The pk of an object `user` may see for the route's `kwarg`, preferring one of `preferred`."""
    view = route.view_class()
    request = RequestFactory().get("/")
    request.user = user
    view.setup(request)
    if kwarg == getattr(view, "parent_kwarg", None) and getattr(view, "parent_model", None) is not None:
        queryset = view.parent_model.objects.for_user(user)
    elif kwarg == "pk" and hasattr(view, "get_queryset"):
        queryset = view.get_queryset()
    else:
        return None
    for obj in preferred:
        if isinstance(obj, queryset.model) and queryset.filter(pk=obj.pk).exists():
            return obj.pk
    return queryset.order_by("pk").values_list("pk", flat=True).first()


def portal_pages(user, preferred: Iterable = (), skipped: list[str] | None = None) -> list[PortalPage]:
    """A URL for every GET route of the portal, with objects `user` may see (see the module).

    The names of routes no URL could be made for (an argument it does not know, or no object
    of the user's) are appended to `skipped`, so that a test can insist on knowing them.
    """
    preferred = list(preferred)
    pages = []
    for route in portal_routes():
        if route.name in ROUTE_KWARGS:
            found = ROUTE_KWARGS[route.name](user, preferred)
            if found is None:
                if skipped is not None:
                    skipped.append(route.name)
            else:
                pages.append(PortalPage(route.name, reverse(route.name, kwargs=found)))
            continue
        kwargs = {}
        for kwarg in route.kwargs:
            pk = _object_pk(route, kwarg, user, preferred)
            if pk is None:
                if skipped is not None:
                    skipped.append(route.name)
                break
            kwargs[kwarg] = pk
        else:
            pages.append(PortalPage(route.name, reverse(route.name, kwargs=kwargs)))
    return pages
