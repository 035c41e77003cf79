"""The forms of a roadmap's import: the upload (whose roadmap, its title and period, the file)
and the options the preview asks again (the period a document does not name, another title).

The choices are narrowed to what the user may write (house style, habit 4): a coordinator gets
their municipality's own roadmap and every school of it, a curator their school."""

from __future__ import annotations

import datetime

from django import forms

from core.forms import DateInput
from core.views_import import ImportForm
from registry.models import Municipality, Organization

MUNICIPAL = "municipality"
SCHOOL = "organization"


def _clean_period(form: forms.Form, cleaned: dict, *, required: bool) -> None:
    start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
    if (start is None) != (end is None):
        form.add_error(
            "ends_on" if start else "starts_on", "Укажите и начало, и конец периода (или ни того, ни другого)."
        )
    elif required and start is None and "starts_on" not in form.errors:
        form.add_error("starts_on", "Укажите начало и конец периода дорожной карты.")
    elif start and end and end < start:
        form.add_error("ends_on", "Конец периода не может быть раньше начала.")


def _period_options(cleaned: dict) -> dict:
    start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
    return {"starts_on": start.isoformat(), "ends_on": end.isoformat()} if start and end else {}


class RoadmapImportForm(ImportForm):
    """The upload of a roadmap's document: a new roadmap of the municipality or of a school."""

    owner = forms.ChoiceField(label="Чья дорожная карта")
    title = forms.CharField(
        label="Название", max_length=500, required=False, help_text="Пусто — как в документе (строка над таблицей)."
    )
    starts_on = forms.DateField(label="Начало периода", required=False, widget=DateInput())
    ends_on = forms.DateField(
        label="Конец периода",
        required=False,
        widget=DateInput(),
        help_text="Пусто — из названия документа («на период реализации 2021-2024 гг.», «на 2024/2025 учебный год»).",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        organizations = self.fields.pop("organization").queryset.select_related("municipality")
        del self.fields["kind"]
        municipalities = Municipality.objects.for_user(user, write=True)
        choices = [(f"{MUNICIPAL}:{m.pk}", f"Муниципальная: {m}") for m in municipalities]
        choices += [(f"{SCHOOL}:{org.pk}", f"Школьная: {org}") for org in organizations]
        self.fields["owner"].choices = choices
        wanted = self.initial.get("organization")
        if wanted is not None:
            self.initial["owner"] = f"{SCHOOL}:{wanted}"
        elif choices:
            self.initial.setdefault("owner", choices[0][0])
        self.fields["file"].label = "Документ Word (.docx) или таблица Excel (.xlsx)"
        self.fields["file"].widget.attrs["accept"] = ".docx,.xlsx,.csv"
        self.order_fields(["owner", "title", "starts_on", "ends_on", "file"])

    def clean(self):
        cleaned = super().clean()
        owner = cleaned.get("owner", "")
        kind, _, pk = owner.partition(":")
        cleaned["organization"] = None
        cleaned["municipality"] = None
        if kind == SCHOOL:
            cleaned["organization"] = Organization.objects.get(pk=int(pk))
        elif kind == MUNICIPAL:
            cleaned["municipality"] = int(pk)
        _clean_period(self, cleaned, required=False)
        return cleaned

    def options(self) -> dict:
        """What the importer takes besides the organization (ImportJob.options)."""
        cleaned = self.cleaned_data
        options = {"title": cleaned.get("title", "").strip(), **_period_options(cleaned)}
        if cleaned.get("municipality"):
            options["municipality"] = cleaned["municipality"]
        return options


class RoadmapOptionsForm(forms.Form):
    """The title and the period asked again on the preview: the file is checked again with them."""

    title = forms.CharField(label="Название", max_length=500, required=False)
    starts_on = forms.DateField(label="Начало периода", widget=DateInput())
    ends_on = forms.DateField(label="Конец периода", widget=DateInput())

    def __init__(self, *args, job, **kwargs):
        preview = (job.result or {}).get("preview") or {}
        period = preview.get("period") or [None, None]
        kwargs.setdefault(
            "initial",
            {
                "title": job.options.get("title") or preview.get("title", ""),
                "starts_on": _date(job.options.get("starts_on") or period[0]),
                "ends_on": _date(job.options.get("ends_on") or period[1]),
            },
        )
        super().__init__(*args, **kwargs)
        self.job = job

    def clean(self):
        cleaned = super().clean()
        _clean_period(self, cleaned, required=True)
        return cleaned

    def options(self) -> dict:
        cleaned = self.cleaned_data
        return {"title": cleaned.get("title", "").strip(), **_period_options(cleaned)}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
