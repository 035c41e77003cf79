"""Forms of the indicators' pages: which school and years to show, and the coordinator's grid of
targets (indicator × year), whose every cell is checked by `indicators.targets_save_grid`."""

from __future__ import annotations

from django import forms

from monitoring.indicators import FIRST_YEAR, INDICATORS, LAST_YEAR, cell_name, format_value, is_percent
from registry.models import academic_year_label


class SchoolChoiceForm(forms.Form):
    """The school whose rows (or targets) a page shows; empty: all the user reads (the
    municipality's targets on the grid). Offers only the schools of the user's scope."""

    organization = forms.ModelChoiceField(
        label="Школа", queryset=None, required=False, empty_label="Все школы", to_field_name="pk"
    )
    add = forms.IntegerField(
        label="Добавить год",
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="Первый год учебного года: 2025 для 2025/2026.",
        error_messages={
            "min_value": f"Учебный год — не раньше {FIRST_YEAR}.",
            "max_value": f"Учебный год — не позже {LAST_YEAR}.",
            "invalid": "Укажите год числом, например 2025.",
        },
    )

    def __init__(self, *args, schools, empty_label: str = "Все школы", with_year: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = schools
        self.fields["organization"].empty_label = empty_label
        if not with_year:
            del self.fields["add"]


class TargetGridForm(forms.Form):
    """One text field per indicator and year: «12,5» for a share in per cent, «3» for
    enterprises, empty for no target."""

    def __init__(self, *args, years: list[int], stored: dict, readonly: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        for indicator in INDICATORS:
            for year in years:
                value = stored.get((indicator, year))
                field = forms.CharField(
                    label=f"{indicator.label}, {academic_year_label(year)}",
                    required=False,
                    max_length=20,
                    initial=format_value(value, indicator).removesuffix(" %") if value is not None else "",
                    disabled=readonly,
                )
                field.widget.attrs.update(
                    {"inputmode": "decimal", "class": "form-control form-control-sm text-end", "size": 6}
                )
                self.fields[cell_name(indicator, year)] = field

    def rows(self):
        """(indicator, unit, [bound field per year]) for the template."""
        for indicator in INDICATORS:
            unit = "%" if is_percent(indicator) else "шт."
            yield indicator, unit, [self[cell_name(indicator, year)] for year in self.years]

    def values(self) -> dict:
        return {
            (indicator, year): self.cleaned_data.get(cell_name(indicator, year), "")
            for indicator in INDICATORS
            for year in self.years
        }
