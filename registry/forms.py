from crispy_forms.layout import Div, Fieldset, Layout
from django import forms

from core.forms import ServiceModelForm
from registry.choices import BaseRole, PersonCategory
from registry.models import Consent, Contingent, MenteeRecord, MentorRecord, Municipality, Organization, Person

#: Which categories of person each group of the person form fits: a class for a pupil, a post for
#: those who work, subjects and the start of teaching for a teacher (the service refuses a class
#: for anyone but a pupil). The form renders every group; static/js/portal.js hides (and leaves
#: out of the submission) the groups that do not fit the chosen category. Without JavaScript all
#: stay visible, and the service still validates.
PERSON_CATEGORY_GROUPS = [
    (("class_name",), (PersonCategory.STUDENT,)),
    (("position",), (PersonCategory.TEACHER, PersonCategory.EMPLOYER, PersonCategory.GRADUATE)),
    (("subjects", "teaching_since", "employed_since"), (PersonCategory.TEACHER,)),
]


#: The «Для документов» part of the organization's forms: who signs its orders, and how they are
#: dated and numbered (seed 000's header; issue 10).
ORGANIZATION_DOCUMENT_FIELDS = ["director_name", "director_position", "place", "date_style", "order_number_pattern"]
DOCUMENTS_LEGEND = "Для документов"


class OrganizationForm(ServiceModelForm):
    class Meta:
        model = Organization
        fields = [
            "municipality",
            "kind",
            "short_name",
            "full_name",
            "address",
            "phone",
            "email",
            "inn",
            *ORGANIZATION_DOCUMENT_FIELDS,
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.for_user(self.user, write=True)
        if self.instance.pk:
            # Moving an organization to another municipality is an administrator's job.
            self.fields["municipality"].disabled = True
        main = [name for name in self.fields if name not in ORGANIZATION_DOCUMENT_FIELDS]
        self.helper.layout = Layout(*main, Fieldset(DOCUMENTS_LEGEND, *ORGANIZATION_DOCUMENT_FIELDS))


class OrganizationRequisitesForm(ServiceModelForm):
    """What the director of an organization may correct: its requisites for documents only
    (registry.services.ORGANIZATION_REQUISITES)."""

    class Meta:
        model = Organization
        fields = ["address", "phone", "email", "inn", *ORGANIZATION_DOCUMENT_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        main = [name for name in self.fields if name not in ORGANIZATION_DOCUMENT_FIELDS]
        self.helper.layout = Layout(*main, Fieldset(DOCUMENTS_LEGEND, *ORGANIZATION_DOCUMENT_FIELDS))


class MunicipalityForm(ServiceModelForm):
    """The requisites of a municipality's education authority, as its orders print them (seeds 000,
    003, 004). Its name and region are the administrator's."""

    class Meta:
        model = Municipality
        fields = [
            "authority_name",
            "address",
            "phone",
            "email",
            "okpo",
            "ogrn",
            "inn",
            "kpp",
            "head_name",
            "head_position",
            "place",
            "order_kind",
            "date_style",
            "order_number_pattern",
        ]
        widgets = {"authority_name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset("Орган управления образованием", "authority_name", "address", "phone", "email"),
            Fieldset("Коды", Div(*["okpo", "ogrn", "inn", "kpp"], css_class="requisite-codes")),
            Fieldset(
                DOCUMENTS_LEGEND,
                "head_name",
                "head_position",
                "place",
                "order_kind",
                "date_style",
                "order_number_pattern",
            ),
        )


class ContingentForm(ServiceModelForm):
    class Meta:
        model = Contingent
        fields = ["year_start", "students_10_18", "students_15_18", "young_teachers"]


class PersonForm(ServiceModelForm):
    class Meta:
        model = Person
        fields = [
            "last_name",
            "first_name",
            "middle_name",
            "sex",
            "birth_date",
            "organization",
            "category",
            "class_name",
            "position",
            "subjects",
            "teaching_since",
            "employed_since",
            "phone",
            "email",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    empty_labels = {"sex": "— не указан —"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.for_user(self.user, write=True)
        self.fields["organization"].queryset = organizations
        if not self.instance.pk and organizations.count() == 1:
            self.fields["organization"].initial = organizations.first()
        self.fields["last_name"].widget.attrs["autofocus"] = True
        grouped = {name for names, _categories in PERSON_CATEGORY_GROUPS for name in names}
        layout = []
        for name in self.fields:
            if name in grouped:
                names, categories = next(group for group in PERSON_CATEGORY_GROUPS if name in group[0])
                if name == names[0]:
                    layout.append(
                        Div(
                            *names,
                            css_class="category-group",
                            data_depends_on="category",
                            data_show_for=" ".join(categories),
                        )
                    )
            else:
                layout.append(name)
        self.helper.layout = Layout(*layout)


class RecordForm(ServiceModelForm):
    """An entry of a base: its forms are only those the person may work in on this side
    (registry.services.eligible_forms; the service refuses the others all the same)."""

    role = ""

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        person = person or (self.instance.person if self.instance.person_id else None)
        if person is not None:
            from registry.models import MentorshipForm
            from registry.services import eligible_forms

            allowed = eligible_forms(person=person, role=self.role)
            self.fields["forms"].queryset = MentorshipForm.objects.filter(pk__in=[form.pk for form in allowed])
            if not allowed:
                self.fields[
                    "forms"
                ].help_text = (
                    f"Для категории «{person.get_category_display().lower()}» подходящих форм наставничества нет."
                )


class MentorRecordForm(RecordForm):
    role = BaseRole.MENTOR
    empty_labels = {"level": "— не указан —"}

    class Meta:
        model = MentorRecord
        fields = [
            "forms",
            "topics",
            "level",
            "competencies",
            "interests",
            "mentee_age_min",
            "mentee_age_max",
            "is_trained",
            "trained_on",
            "entered_on",
            "notes",
        ]
        widgets = {
            "forms": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "competencies": forms.Textarea(attrs={"rows": 2}),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class MenteeRecordForm(RecordForm):
    role = BaseRole.MENTEE

    class Meta:
        model = MenteeRecord
        fields = ["forms", "requests", "request_details", "portrait", "entered_on", "notes"]
        widgets = {
            "forms": forms.CheckboxSelectMultiple,
            "requests": forms.CheckboxSelectMultiple,
            "request_details": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ConsentForm(ServiceModelForm):
    class Meta:
        model = Consent
        fields = ["kind", "signed_on", "representative_name", "scan", "notes"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "scan": forms.ClearableFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
            ),
        }


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label="Дата отзыва")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.forms import DateInput

        self.fields["withdrawn_on"].widget = DateInput()
