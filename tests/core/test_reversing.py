"""`reverse_pk` gives what `reverse` gives, for every route of the portal with one integer id."""

from django.urls import reverse

from core.reversing import reverse_pk
from core.testing.pages import portal_routes


def test_it_gives_the_same_url_as_reverse_for_every_id_route():
    routes = [route for route in portal_routes() if route.kwargs == route.int_kwargs and len(route.kwargs) == 1]
    assert len(routes) >= 10
    for route in routes:
        for pk in (1, 42, 10**15):
            assert reverse_pk(route.name, pk) == reverse(route.name, kwargs={route.kwargs[0]: pk}), route.name


def test_it_follows_the_script_prefix(settings):
    from django.urls import set_script_prefix

    set_script_prefix("/portal/")
    try:
        assert reverse_pk("registry:person_detail", 7) == "/portal/registry/persons/7/"
    finally:
        set_script_prefix("/")
