"""Form helpers shared by every app."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """A native date picker: keyboard-friendly, and the browser shows dd.mm.yyyy in Russian."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ServiceModelForm(forms.ModelForm):
    """A ModelForm whose instance is saved by a service, never by `form.save()`.

    It takes the user (to narrow its choices to what the user may see and change) and leaves
    uniqueness and constraints to the service, which knows how to explain them.
    """

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()

    def validate_unique(self):
        # The service checks identity and constraints with messages that name the match.
        pass

    def apply_error(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the form: on its field when the form has it."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)
