"""Checks of uploaded scans: a PDF, a JPEG or a PNG judged by its content, at most 10 MB.

A file's name says nothing reliable about it, so the first bytes decide, and an image must
also open as one. The stored name gets the extension of what the file really is.
"""

from __future__ import annotations

import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

#: Content kinds accepted for scans: detected kind -> (extension, MIME type).
SCAN_KINDS = {"PDF": (".pdf", "application/pdf"), "JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png")}


def detect_scan_kind(head: bytes, data: io.BytesIO | None = None) -> str | None:
    """'PDF', 'JPEG', 'PNG' or None, from the content."""
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        if data is None:
            return None
        try:
            with Image.open(data) as image:
                kind = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return None
        return kind if kind in SCAN_KINDS else None
    return None


def validate_scan(upload) -> str:
    """Check an uploaded scan; return its kind or raise a ValidationError in Russian."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"Файл «{upload.name}» весит {filesizeformat(upload.size)}, а можно не больше "
            f"{filesizeformat(limit)}. Отсканируйте с меньшим разрешением или сожмите PDF.",
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(f"Файл «{upload.name}» пуст. Выберите файл скана.", code="empty")
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    kind = detect_scan_kind(content[:16], io.BytesIO(content))
    if kind is None:
        raise ValidationError(
            f"Файл «{upload.name}» не похож на скан: принимаются только PDF, JPEG и PNG "
            "(определяется по содержимому файла, а не по его имени).",
            code="bad_kind",
        )
    extension = SCAN_KINDS[kind][0]
    stem = PurePath(upload.name).stem or "scan"
    upload.name = f"{stem}{extension}"
    return kind
