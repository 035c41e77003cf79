"""Pages and files with personal data stay out of every cache (issue 6 §3): `Cache-Control:
no-store` on every response to a signed-in user and on every download; static files keep their
long caching."""

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from core.middleware import NoStoreMiddleware
from core.testing.factories import ConsentFactory, PersonFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_it_keeps_a_signed_in_users_page_out_of_caches(client, world):
    client.force_login(world.curator_a)

    response = client.get(reverse("registry:person_list"))

    assert response.status_code == 200
    assert _no_store(response)
    assert "Pragma" not in response  # HTTP/1.0 caches are long gone; no-store is enough


def test_it_keeps_a_signed_in_users_error_page_and_redirect_out_of_caches(client, world):
    client.force_login(world.curator_b)
    person = PersonFactory(organization=world.school_a)

    assert _no_store(client.get(reverse("registry:person_detail", args=[person.pk])))  # 404
    assert _no_store(client.get(reverse("login")))  # 302 to the home page


def test_it_keeps_exports_out_of_caches(client, world):
    PersonFactory(organization=world.school_a)
    client.force_login(world.curator_a)

    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("registry:person_list"), {"export": fmt})
        assert response["Content-Disposition"].startswith("attachment")
        assert _no_store(response)


def test_it_keeps_downloads_of_scans_and_templates_out_of_caches(client, world):
    consent = ConsentFactory(
        person=PersonFactory(organization=world.school_a),
        scan=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
    )
    client.force_login(world.curator_a)

    scan = client.get(reverse("registry:consent_scan", args=[consent.pk]))
    template = client.get(reverse("import_template", args=["persons"]))

    assert scan.status_code == template.status_code == 200
    assert _no_store(scan)
    assert _no_store(template)


def test_it_keeps_any_download_out_of_caches_even_without_a_signed_in_user():
    request = RequestFactory().get("/")
    attachment = HttpResponse(b"x")
    attachment["Content-Disposition"] = 'attachment; filename="x.csv"'
    for response in (attachment, FileResponse(iter([b"x"]), filename="x.pdf")):
        assert _no_store(NoStoreMiddleware(lambda request, r=response: r)(request))


def test_it_leaves_an_anonymous_visitors_page_to_the_view():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    response = NoStoreMiddleware(lambda request: HttpResponse(b"page"))(request)

    assert "Cache-Control" not in response


def test_it_leaves_static_files_their_long_caching(settings, world, tmp_path):
    # As in production: WhiteNoise serves static files before the portal's middleware runs.
    settings.MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        *[m for m in settings.MIDDLEWARE if m != "django.middleware.security.SecurityMiddleware"],
    ]
    settings.WHITENOISE_USE_FINDERS = True
    settings.STATIC_ROOT = tmp_path  # nothing collected: the files come from the finders
    client = Client()
    client.force_login(world.curator_a)

    response = client.get("/static/css/portal.css")

    assert response.status_code == 200
    assert "max-age=" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]
