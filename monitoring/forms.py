"""Forms of the campaign pages: they collect what `monitoring.services` needs; the rules are the
services' (house style, habit 2), a refusal lands on the form's field."""

from __future__ import annotations

from django import forms

from core.forms import IdsMultipleChoiceField, ServiceForm, ServiceModelForm
from monitoring.choices import Figure
from monitoring.models import COVERAGE_FORM_CHOICES, Campaign
from monitoring.services import default_schools


class CampaignForm(ServiceModelForm):
    """A campaign: what is asked, the period, the reference date, the deadline, the schools asked
    (every school preselected) and the covering text."""

    organizations = IdsMultipleChoiceField(
        label="Какие школы опрашиваются",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="По умолчанию — все общеобразовательные организации муниципалитета.",
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "asks_coverage",
            "asks_documents",
            "period_start",
            "period_end",
            "reference_date",
            "deadline",
            "text",
        ]
        help_texts = {
            "title": "Например: «Численность охваченных программой наставничества, 2024/25 учебный год».",
            "period_end": "Последний день периода включительно.",
            "deadline": "До этого дня включительно школы отправляют ответ (seed 003: «до 24 августа 2021 года»).",
        }

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality or self.instance.municipality
        field = self.fields["organizations"]
        field.queryset = default_schools(self.municipality.pk)
        if self.instance.pk:
            field.initial = list(self.instance.submissions.values_list("organization_id", flat=True))
        else:
            field.initial = list(field.queryset.values_list("pk", flat=True))


class ResponsibleForm(ServiceForm):
    name = forms.CharField(label="Ответственный: ФИО", max_length=200, required=False)
    phone = forms.CharField(label="Ответственный: телефон", max_length=100, required=False)


class CorrectionForm(ServiceForm):
    figure = forms.ChoiceField(choices=Figure.choices, widget=forms.HiddenInput)
    form = forms.ChoiceField(choices=COVERAGE_FORM_CHOICES, widget=forms.HiddenInput)
    value = forms.IntegerField(label="По данным школы", min_value=0, max_value=1_000_000)
    reason = forms.CharField(label="Причина исправления", max_length=1000, required=False)


class ReturnForm(ServiceForm):
    comment = forms.CharField(
        label="Комментарий для школы", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
