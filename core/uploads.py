"""Checks of uploaded scans: a PDF, a JPEG or a PNG judged by its content, at most 10 MB.

A file's name says nothing reliable about it, so the first bytes decide, and an image must
also open as one. The stored name gets the extension of what the file really is.

An image's header says how many pixels it holds, and a few bytes can claim billions (a 65-byte
PNG of 30000 × 30000): Pillow refuses those itself with DecompressionBombError, an exception
nobody caught (a 500), and only warns about the merely huge. The declared size is read first,
without decoding, and a scan beyond SCAN_MAX_PIXELS is refused with the reason.
"""

from __future__ import annotations

import io
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import JpegImagePlugin, PngImagePlugin, UnidentifiedImageError

from core.xlsx_guard import number

#: Content kinds accepted for scans: detected kind -> (extension, MIME type).
SCAN_KINDS = {"PDF": (".pdf", "application/pdf"), "JPEG": (".jpg", "image/jpeg"), "PNG": (".png", "image/png")}
#: Pillow's readers of the accepted image kinds, used directly: Image.open would decide about
#: decompression bombs before the portal could.
_IMAGE_READERS = {
    b"\xff\xd8\xff": JpegImagePlugin.JpegImageFile,
    b"\x89PNG\r\n\x1a\n": PngImagePlugin.PngImageFile,
}


def _image(head: bytes, data: io.BytesIO):
    """The image, opened lazily (its header only), or None when it is not a JPEG or PNG."""
    reader = next((reader for magic, reader in _IMAGE_READERS.items() if head.startswith(magic)), None)
    if reader is None:
        return None
    try:
        return reader(data)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return None


def _megapixels(pixels: int) -> str:
    """900000000 → «900 мегапикселей», 1200 → «0,0012 мегапикселя» (Russian forms of the noun)."""
    value = pixels / 1_000_000
    if value >= 1 and value == int(value):
        whole = int(value)
        shown = number(whole)
        if whole % 10 == 1 and whole % 100 != 11:
            return f"{shown} мегапиксель"
        if 2 <= whole % 10 <= 4 and not 12 <= whole % 100 <= 14:
            return f"{shown} мегапикселя"
        return f"{shown} мегапикселей"
    shown = f"{value:.4g}" if value < 1 else f"{value:.1f}"
    return f"{shown.replace('.', ',')} мегапикселя"  # a fraction takes the genitive singular


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
    kind = "PDF" if content.startswith(b"%PDF-") else None
    if kind is None:
        image = _image(content[:16], io.BytesIO(content))
        if image is not None and image.format in SCAN_KINDS:
            width, height = image.size
            pixels_limit = settings.SCAN_MAX_PIXELS
            if width * height > pixels_limit:
                raise ValidationError(
                    f"Файл «{upload.name}» — изображение {number(width)} × {number(height)} точек "
                    f"({_megapixels(width * height)}), а скан может быть не больше {_megapixels(pixels_limit)}. "
                    "Отсканируйте страницу с разрешением 300 dpi (лист A4 — около 9 мегапикселей) и загрузите снова.",
                    code="too_many_pixels",
                )
            try:
                image.verify()  # chunk checksums and structure, without decoding the pixels
                kind = image.format
            except (OSError, SyntaxError, ValueError, EOFError):
                kind = None
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
