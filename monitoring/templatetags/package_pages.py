"""Template filters of the document packages' pages."""

from django import template

from monitoring.choices import DocumentStatus

register = template.Library()

#: The Bootstrap tone of a document's state (its word is always shown too: not colour alone).
DOCUMENT_TONES = {
    DocumentStatus.MISSING: "secondary",
    DocumentStatus.SUBMITTED: "primary",
    DocumentStatus.ACCEPTED: "success",
    DocumentStatus.RETURNED: "danger",
}


@register.filter
def document_tone(status: str | None) -> str:
    return DOCUMENT_TONES.get(status or DocumentStatus.MISSING, "secondary")


@register.filter
def document_label(document) -> str:
    """A document's state in words; a missing row is «не представлен»."""
    if document is None:
        return DocumentStatus.MISSING.label
    return document.get_status_display()
