"""Scans of consents (core/uploads.py through registry.services.consent_save).

A scan is a PDF, a JPEG or a PNG judged by its content, never by its name, at most
settings.UPLOAD_MAX_BYTES; a refused scan saves nothing and the curator reads why in Russian.
"""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.testing import hostile
from core.testing.factories import PersonFactory
from registry.choices import ConsentKind
from registry.models import Consent
from registry.services import consent_save

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SIGNED_ON = timezone.localdate() - datetime.timedelta(days=10)
NOT_A_SCAN = "не похож на скан: принимаются только PDF, JPEG и PNG"


def image_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def student(world):
    return PersonFactory(organization=world.school_a, last_name="Соколова", first_name="Мария")


def save_with_scan(person, user, name: str, content: bytes) -> Consent:
    consent = Consent(
        person=person,
        kind=ConsentKind.MENTORING,
        signed_on=SIGNED_ON,
        scan=SimpleUploadedFile(name, content, content_type="application/pdf"),
    )
    return consent_save(consent=consent, user=user)


def refused_scan(person, user, name: str, content: bytes) -> list[str]:
    with pytest.raises(ValidationError) as error:
        save_with_scan(person, user, name, content)
    assert set(error.value.message_dict) == {"scan"}
    assert not Consent.objects.exists()
    return error.value.message_dict["scan"]


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_it_accepts_a_pdf(world, student):
    consent = save_with_scan(student, world.curator_a, "согласие.pdf", PDF)

    consent.refresh_from_db()
    assert consent.scan.name.endswith(".pdf")
    with consent.scan.open("rb") as stored:
        assert stored.read() == PDF


def test_it_accepts_a_png_and_names_it_as_one_whatever_it_was_called(world, student):
    png = image_bytes("PNG")

    consent = save_with_scan(student, world.curator_a, "scan.pdf", png)

    consent.refresh_from_db()
    assert consent.scan.name.startswith(f"consents/{world.school_a.pk}/{student.pk}/")
    assert Path(consent.scan.name).suffix == ".png"
    assert Path(consent.scan.name).stem.startswith("scan")
    with consent.scan.open("rb") as stored:
        assert stored.read() == png


def test_it_accepts_a_jpeg(world, student):
    consent = save_with_scan(student, world.curator_a, "фото согласия.jpeg", image_bytes("JPEG"))

    consent.refresh_from_db()
    assert Path(consent.scan.name).suffix == ".jpg"


def test_it_refuses_a_text_file_called_pdf(world, student):
    messages = refused_scan(student, world.curator_a, "scan.pdf", "Согласие подписано, скан позже.".encode())

    assert len(messages) == 1
    assert messages[0].startswith("Файл «scan.pdf» не похож на скан")
    assert NOT_A_SCAN in messages[0]
    assert stored_files() == []


def test_it_refuses_a_png_signature_followed_by_garbage(world, student):
    messages = refused_scan(student, world.curator_a, "scan.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 50)

    assert NOT_A_SCAN in messages[0]


def test_it_refuses_a_cut_off_png(world, student):
    messages = refused_scan(student, world.curator_a, "scan.png", image_bytes("PNG")[:40])

    assert NOT_A_SCAN in messages[0]


def test_it_refuses_an_image_of_another_kind(world, student):
    messages = refused_scan(student, world.curator_a, "scan.png", image_bytes("GIF"))

    assert NOT_A_SCAN in messages[0]


def test_it_refuses_a_file_over_the_limit(world, student, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    content = PDF + b"0" * (1001 - len(PDF))

    messages = refused_scan(student, world.curator_a, "scan.pdf", content)

    assert messages[0].startswith("Файл «scan.pdf» весит")
    assert "а можно не больше" in messages[0]
    assert stored_files() == []


def test_it_accepts_a_file_exactly_at_the_limit(world, student, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    content = PDF + b"0" * (1000 - len(PDF))

    save_with_scan(student, world.curator_a, "scan.pdf", content)

    assert Consent.objects.count() == 1


def test_it_refuses_an_empty_file(world, student):
    messages = refused_scan(student, world.curator_a, "scan.pdf", b"")

    assert messages == ["Файл «scan.pdf» пуст. Выберите файл скана."]


def test_it_saves_a_consent_without_a_scan(world, student):
    consent = consent_save(
        consent=Consent(person=student, kind=ConsentKind.MENTORING, signed_on=SIGNED_ON), user=world.curator_a
    )

    assert not Consent.objects.get(pk=consent.pk).scan


def test_it_leaves_no_file_behind_when_the_user_may_not_write(world, student):
    with pytest.raises(PermissionDenied):
        save_with_scan(student, world.curator_b, "scan.pdf", PDF)

    assert not Consent.objects.exists()
    assert stored_files() == []


# The form --------------------------------------------------------------------------------


def test_it_shows_the_curator_why_a_scan_is_refused(client, world, student):
    client.force_login(world.curator_a)

    response = client.post(
        reverse("registry:consent_create", args=[student.pk]),
        {
            "kind": ConsentKind.MENTORING,
            "signed_on": SIGNED_ON.isoformat(),
            "representative_name": "",
            "notes": "",
            "scan": SimpleUploadedFile("scan.pdf", b"just some text", content_type="application/pdf"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["scan"][0].startswith("Файл «scan.pdf» не похож на скан")
    assert NOT_A_SCAN in response.content.decode()
    assert not Consent.objects.exists()


def test_it_saves_a_consent_with_a_real_scan_from_the_form(client, world, student):
    client.force_login(world.curator_a)

    response = client.post(
        reverse("registry:consent_create", args=[student.pk]),
        {
            "kind": ConsentKind.MENTORING,
            "signed_on": SIGNED_ON.isoformat(),
            "scan": SimpleUploadedFile("скан.pdf", image_bytes("PNG"), content_type="application/pdf"),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == student.get_absolute_url()
    assert Path(Consent.objects.get(person=student).scan.name).suffix == ".png"


# Images that declare more than a scan needs ---------------------------------------------------


def test_it_refuses_a_png_that_declares_thirty_thousand_pixels_square(world, student):
    """Issue 6: 65 bytes declaring 30000 × 30000 pixels made Pillow raise DecompressionBombError (a 500)."""
    bomb = hostile.png_declaring(30000, 30000)
    assert len(bomb) < 70

    messages = refused_scan(student, world.curator_a, "scan.png", bomb)

    assert messages == [
        "Файл «scan.png» — изображение 30\xa0000 × 30\xa0000 точек (900 мегапикселей), а скан может быть не больше "
        "80 мегапикселей. Отсканируйте страницу с разрешением 300 dpi (лист A4 — около 9 мегапикселей) "
        "и загрузите снова."
    ]
    assert stored_files() == []


def test_it_refuses_an_image_over_the_pixel_limit_that_pillow_would_only_warn_about(world, student, settings):
    settings.SCAN_MAX_PIXELS = 1000  # a 40 × 30 image has 1,200

    messages = refused_scan(student, world.curator_a, "scan.jpg", image_bytes("JPEG"))

    assert messages[0].startswith("Файл «scan.jpg» — изображение 40 × 30 точек (0,0012 мегапикселя), а скан может")


def test_it_accepts_an_image_exactly_at_the_pixel_limit(world, student, settings):
    settings.SCAN_MAX_PIXELS = 1200

    save_with_scan(student, world.curator_a, "scan.png", image_bytes("PNG"))

    assert Consent.objects.count() == 1


def test_it_answers_a_pixel_bomb_in_the_form_with_the_reason_not_a_500(client, world, student):
    client.force_login(world.curator_a)

    response = client.post(
        reverse("registry:consent_create", args=[student.pk]),
        {
            "kind": ConsentKind.MENTORING,
            "signed_on": SIGNED_ON.isoformat(),
            "scan": SimpleUploadedFile("скан.png", hostile.png_declaring(30000, 30000), content_type="image/png"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["scan"][0].startswith("Файл «скан.png» — изображение 30\xa0000 × 30\xa0000")
    assert not Consent.objects.exists()
