"""Form helpers shared by every app."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class DateInput(forms.DateInput):
    """A native date picker: keyboard-friendly, and the browser shows dd.mm.yyyy in Russian."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FastSelect(forms.Select):
    """A <select> whose options are written in Python.

    Django renders every option through two templates (select_option.html and attrs.html): the
    filters of a list came to 70–100 template renders, 6–11 ms a page (bench/profile_pages.py).
    The markup is the same as Django's: the value and label escaped, the attributes in their order
    as Django's attrs.html writes them (True bare, False left out)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs_html(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"] if option["value"] is not None else "",
                    _attrs_html(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # every piece was escaped by format_html


def _attrs_html(attrs: dict) -> str:
    """Django's django/forms/widgets/attrs.html, in Python (each piece escaped by format_html)."""
    return mark_safe(
        "".join(
            format_html(' {}="{}"', name, value) if value is not True else format_html(" {}", name)
            for name, value in attrs.items()
            if value is not False
        )
    )


class SearchInput(forms.TextInput):
    """The search box of a list: `type="search"` (a «searchbox» to assistive technology) with a
    placeholder that says what this list's search looks in («Название, руководитель, адрес…»)."""

    input_type = "search"

    def __init__(self, placeholder: str = "", attrs=None):
        attrs = {"placeholder": placeholder, **(attrs or {})}
        super().__init__(attrs=attrs)


#: The empty choice of a select, instead of Django's «---------»: a required field asks for a
#: choice, an optional one says that nothing is chosen.
EMPTY_CHOICE_REQUIRED = "— выберите —"
EMPTY_CHOICE_OPTIONAL = "— не выбрано —"
DJANGO_EMPTY_LABEL = "---------"


def russian_empty_label(field: forms.Field, label: str | None = None) -> None:
    """Replace Django's «---------» empty choice of `field` with `label`, or a Russian default."""
    label = label or (EMPTY_CHOICE_REQUIRED if field.required else EMPTY_CHOICE_OPTIONAL)
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = label
    elif isinstance(field, forms.ChoiceField):
        field.choices = [
            (value, label if value == "" and text == DJANGO_EMPTY_LABEL else text) for value, text in field.choices
        ]


#: The largest id either database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records by id that refuses what cannot be an id before asking the
    database: Django checks a single choice's range itself, but `pk__in` with a number beyond
    64 bits fails on SQLite («Python int too large») — a 500 from a hostile form post."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not text.isdigit() or int(text) > MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


def _service_formfield(field, **kwargs):
    """Model fields as form fields, with many-to-many choices that refuse impossible ids."""
    if isinstance(field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdsMultipleChoiceField)
    return field.formfield(**kwargs)


class ServiceFormMixin:
    """What every form whose data a service takes shares: it takes the user (to narrow its choices
    to what the user may see and change), shows dates as the browser's date picker, says «—
    выберите —» or «— не выбрано —» (or a label of `empty_labels`) where Django says «---------»,
    and puts a service's ValidationError on its fields."""

    #: The empty choice of particular fields, by name: {"sex": "— не указан —"}.
    empty_labels: dict[str, str] = {}
    #: Plain selects become `FastSelect` (options rendered without a template per option).
    fast_selects = False

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
                russian_empty_label(field, self.empty_labels.get(name))
            if self.fast_selects and type(field.widget) is forms.Select:
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)

    def apply_error(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the form: on its field when the form has it."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class ServiceModelForm(ServiceFormMixin, forms.ModelForm):
    """A ModelForm whose instance is saved by a service, never by `form.save()`; it leaves
    uniqueness and constraints to the service, which knows how to explain them."""

    def __init_subclass__(cls, **kwargs):
        # Every subclass's Meta gets the form fields of `_service_formfield` (unless it names its
        # own); the metaclass reads Meta after this hook, when it builds the fields.
        super().__init_subclass__(**kwargs)
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(_service_formfield)

    def validate_unique(self):
        # The service checks identity and constraints with messages that name the match.
        pass


class ServiceForm(ServiceFormMixin, forms.Form):
    """A plain form whose data a service takes (an approval by order, a replacement of a mentor)."""

    fast_selects = True


class ProfileForm(ServiceForm):
    """A role holder's name and position (issue 10): what documents print about them. The
    password and the roles are not here (the password page and the admin keep them)."""

    last_name = forms.CharField(label="Фамилия", max_length=150)
    first_name = forms.CharField(label="Имя", max_length=150)
    middle_name = forms.CharField(label="Отчество", max_length=150, required=False)
    position = forms.CharField(
        label="Должность",
        max_length=300,
        required=False,
        help_text="Как в документах: «заместитель директора по УВР», «главный специалист управления образования».",
    )
