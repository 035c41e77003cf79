"""Forms of mentorship. They collect what a service needs and offer only what the user may choose;
the rules themselves are the services' (house style, habit 2): a refusal lands on the form."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.forms import FastSelect, IdsMultipleChoiceField, ServiceForm, ServiceModelForm, russian_empty_label
from core.scoping import get_scope
from mentorship import rules, services
from mentorship.models import (
    EndReason,
    ExtensionReason,
    Meeting,
    MenteeReport,
    MentorReport,
    MonthlyReport,
    Pair,
    PairStatus,
    PlanItem,
    Practice,
    PracticeFile,
    Recognition,
    ReplacementReason,
)
from registry.choices import MENTOR_MAX_MENTEES, BaseRole
from registry.models import MentorshipForm, Organization, Person, RoleModel
from registry.selectors import withdrawn_persons

MONTHS = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip


def month_label(month: datetime.date) -> str:
    """1 September 2025 → «сентябрь 2025»."""
    return f"{MONTHS[month.month - 1]} {month.year}"


class PersonChoiceField(forms.ModelChoiceField):
    """A person by full name, class or post, and — when the choice spans several — organization."""

    def __init__(self, *args, show_organization=False, **kwargs):
        self.show_organization = show_organization
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, person):
        details = person.class_name or person.position
        label = f"{person.full_name}, {details}" if details else person.full_name
        return f"{label} — {person.organization}" if self.show_organization else label


class PersonMultipleChoiceField(IdsMultipleChoiceField):
    def label_from_instance(self, person):
        details = person.class_name or person.position
        return f"{person.full_name}, {details}" if details else person.full_name


# Who may be chosen ------------------------------------------------------------------------------


def selectable_mentees(user) -> QuerySet:
    """The mentees a user may put into a pair: the bases of mentees of the organizations they change,
    without those who withdrew consent."""
    return (
        Person.objects.for_user(user, write=True)
        .filter(mentee_record__isnull=False)
        .exclude(pk__in=withdrawn_persons().values("pk"))
        .select_related("organization")
    )


def selectable_mentors(user, form: MentorshipForm | None = None):
    """The mentors a user may choose (their own and the municipality's partners': rules), in the
    base of mentors (with `form` when given), without those who withdrew consent."""
    people = Person.objects.filter(mentor_record__isnull=False)
    if user is not None:
        people = people.filter(rules.mentor_visible_condition(get_scope(user)))
    if form is not None:
        people = people.filter(mentor_record__forms=form)
    return people.exclude(pk__in=withdrawn_persons().values("pk")).select_related("organization").distinct()


def several_organizations(user) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.write_municipality_ids) or len(scope.write_organization_ids) > 1


# Forming a pair --------------------------------------------------------------------------------


class PairForm(ServiceForm):
    """A draft pair or group (Положение §3.6: the curator prepares, the director approves by order):
    a mentee of the user's bases, one of the mentee's forms, a mentor from the ranked suggestions,
    the term, the topic and goal, and more mentees for a group."""

    mentee = PersonChoiceField(label="Наставляемый", queryset=Person.objects.none())
    form = forms.ModelChoiceField(
        label="Форма наставничества", queryset=MentorshipForm.objects.all(), widget=FastSelect
    )
    mentor = forms.ModelChoiceField(
        label="Наставник",
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Выберите наставника из предложенных.",
            "invalid_choice": "Этого наставника нет среди доступных вам.",
        },
    )
    start_on = forms.DateField(label="Дата начала")
    end_on = forms.DateField(label="Дата окончания", required=False, help_text="Пусто — через 9 месяцев после начала.")
    topic = forms.CharField(label="Тема", max_length=300, required=False)
    goal = forms.CharField(label="Цель", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    role_model = forms.ModelChoiceField(label="Ролевая модель", queryset=RoleModel.objects.none(), required=False)
    more_mentees = PersonMultipleChoiceField(
        label="Ещё наставляемые (группа)",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text="Для групповой формы: другие наставляемые той же организации. Удерживайте Ctrl, чтобы выбрать несколько.",
    )

    def __init__(self, *args, pair: Pair | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = pair
        mentees = selectable_mentees(self.user)
        show_org = several_organizations(self.user)
        self.fields["mentee"].queryset = mentees
        self.fields["mentee"].show_organization = show_org
        self.fields["mentor"].queryset = selectable_mentors(self.user)
        self.fields["mentee"].widget.attrs["data-refresh"] = ""
        self.fields["form"].widget.attrs["data-refresh"] = ""
        mentee, form = self.chosen()
        if mentee is None:
            self.fields["mentee"].widget.attrs["autofocus"] = True
        if mentee is not None:
            forms_of_mentee = MentorshipForm.objects.filter(mentee_records__person=mentee)
            self.fields["form"].queryset = forms_of_mentee
            others = mentees.filter(organization=mentee.organization_id).exclude(pk=mentee.pk)
            if form is not None:
                others = others.filter(mentee_record__forms=form)
            self.fields["more_mentees"].queryset = others
        if form is not None:
            self.fields["role_model"].queryset = RoleModel.objects.filter(form=form)
        for name in ("mentee", "form"):
            russian_empty_label(self.fields[name])
        russian_empty_label(self.fields["role_model"])
        # The page renders the fields itself (mentorship/pair_form.html), so they get Bootstrap's classes here.
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"

    def mark_errors(self) -> None:
        """Mark the fields in error for assistive technology and the eye (as crispy does)."""
        for name in self.errors:
            if name in self.fields and name != "mentor":
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"id_{name}_error"

    def _value(self, name):
        if self.is_bound:
            return self.data.get(name) or None
        value = self.initial.get(name)
        return getattr(value, "pk", value)

    def chosen(self) -> tuple[Person | None, MentorshipForm | None]:
        """The mentee and the form as chosen so far (from the data or the initial values), each
        looked up in what the user may choose; None when not chosen or not found."""
        if not hasattr(self, "_chosen"):
            mentee = form = None
            mentee_id, form_id = self._value("mentee"), self._value("form")
            if mentee_id and str(mentee_id).isdigit() and len(str(mentee_id)) < 19:
                mentee = self.fields["mentee"].queryset.filter(pk=int(mentee_id)).first()
            if form_id and str(form_id).isdigit() and len(str(form_id)) < 19:
                form = MentorshipForm.objects.filter(pk=int(form_id)).first()
                if (
                    form is not None
                    and mentee is not None
                    and not mentee.mentee_record.forms.filter(pk=form.pk).exists()
                ):
                    form = None
            if mentee is not None and form is None and not form_id:
                only = list(MentorshipForm.objects.filter(mentee_records__person=mentee)[:2])
                if len(only) == 1:
                    # The mentee's one form is the choice: the select shows it chosen.
                    form = only[0]
                    if self.is_bound:
                        self.data = self.data.copy()
                        self.data["form"] = str(form.pk)
                    else:
                        self.initial["form"] = form.pk
            self._chosen = (mentee, form)
        return self._chosen

    def chosen_mentor_id(self) -> int | None:
        value = self._value("mentor")
        return int(value) if value and str(value).isdigit() and len(str(value)) < 19 else None

    def build(self) -> tuple[Pair, list[Person]]:
        """The pair as entered (not saved) and its mentees, for `services.pair_save`."""
        data = self.cleaned_data
        pair = self.pair or Pair()
        mentee = data["mentee"]
        pair.organization = mentee.organization
        pair.form = data["form"]
        pair.mentor = data["mentor"]
        pair.start_on = data["start_on"]
        pair.end_on = data["end_on"]
        pair.topic = data["topic"]
        pair.goal = data["goal"]
        pair.role_model = data["role_model"]
        return pair, [mentee, *data["more_mentees"]]


# Changes of a live pair --------------------------------------------------------------------------


class AddMenteeForm(ServiceForm):
    mentee = PersonChoiceField(label="Наставляемый", queryset=Person.objects.none())
    on = forms.DateField(label="Дата вступления в группу")

    def __init__(self, *args, pair: Pair, **kwargs):
        super().__init__(*args, **kwargs)
        present = services.current_mentee_ids(pair)
        self.fields["mentee"].queryset = (
            selectable_mentees(self.user)
            .filter(organization=pair.organization_id, mentee_record__forms=pair.form)
            .exclude(pk__in=present)
        )
        russian_empty_label(self.fields["mentee"])


class RemoveMenteeForm(ServiceForm):
    mentee = PersonChoiceField(label="Наставляемый", queryset=Person.objects.none())
    on = forms.DateField(label="Дата выбытия")
    reason = forms.ChoiceField(label="Причина выбытия", choices=[("", ""), *EndReason.choices])
    comment = forms.CharField(label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, pair: Pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = Person.objects.filter(pk__in=services.current_mentee_ids(pair))
        russian_empty_label(self.fields["mentee"])


class ReplaceMentorForm(ServiceForm):
    """§3.7: a mentor is replaced only for one of its five reasons, from a date, with a comment."""

    mentor = PersonChoiceField(label="Новый наставник", queryset=Person.objects.none(), show_organization=True)
    on = forms.DateField(label="Дата замены", help_text="С этого дня наставник — новый; прежний — по предыдущий день.")
    reason = forms.ChoiceField(
        label="Причина замены (п. 3.7 Положения)", choices=[("", ""), *ReplacementReason.choices]
    )
    comment = forms.CharField(label="Обстоятельства замены", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, pair: Pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = selectable_mentors(self.user, pair.form).exclude(pk=pair.mentor_id)
        russian_empty_label(self.fields["mentor"])


class ExtendForm(ServiceForm):
    """§3.8: the term is extended for an illness, a business trip or another valid absence."""

    new_end = forms.DateField(label="Новая дата окончания")
    reason = forms.ChoiceField(
        label="Причина продления (п. 3.8 Положения)", choices=[("", ""), *ExtensionReason.choices]
    )
    comment = forms.CharField(label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TerminateForm(ServiceForm):
    """§3.9: a pair ends early with its reason, date and what happened."""

    on = forms.DateField(label="Дата прекращения")
    reason = forms.ChoiceField(label="Причина прекращения", choices=[("", ""), *EndReason.choices])
    comment = forms.CharField(label="Комментарий", widget=forms.Textarea(attrs={"rows": 3}))


# Approval ------------------------------------------------------------------------------------------


class ApprovalForm(ServiceForm):
    """The director's order (§3.6) approving the chosen drafts."""

    pairs = IdsMultipleChoiceField(
        label="Пары",
        queryset=Pair.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Отметьте пары, которые утверждает приказ."},
    )
    order_number = forms.CharField(label="Номер приказа", max_length=50)
    order_date = forms.DateField(label="Дата приказа")

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairs"].queryset = pairs
        # The approval page renders its fields itself (mentorship/pair_approve.html).
        self.fields["order_date"].widget.attrs["class"] = "form-control"
        if self.is_bound and "order_date" in self.errors:
            self.fields["order_date"].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": "id_order_date_error"}
            )


class PairOrderForm(ServiceForm):
    """The drafts the curator puts into the school's order on pairs (seed 002 item 8)."""

    pairs = IdsMultipleChoiceField(
        label="Пары",
        queryset=Pair.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Отметьте пары, которые войдут в приказ."},
    )

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pairs"].queryset = pairs


# The work of a pair ----------------------------------------------------------------------------------


class PlanItemForm(ServiceModelForm):
    class Meta:
        model = PlanItem
        fields = ["kind", "description", "deadline", "expected_result", "done_on"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
        }


class PlanAcknowledgeForm(ServiceForm):
    """§3.11: the date the mentee acknowledged the plan."""

    acknowledged_on = forms.DateField(label="Дата ознакомления наставляемого")


class MeetingForm(ServiceModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "topic", "notes", "feedback"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "feedback": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"feedback": "Для рабочей встречи обязательна (дорожная карта, п. 3.6)."}


class MonthlyReportForm(ServiceModelForm):
    """A month of the pair's term, up to the current one, by its name («сентябрь 2025»)."""

    month = forms.TypedChoiceField(label="Месяц", coerce=datetime.date.fromisoformat)

    class Meta:
        model = MonthlyReport
        fields = ["month", "submitted_on", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, pair: Pair | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        pair = pair or self.instance.pair
        this_month = timezone.localdate().replace(day=1)
        month, months = pair.start_on.replace(day=1), []
        while month <= this_month:
            months.append(month)
            month = services.add_months(month, 1)
        if self.instance.pk and self.instance.month not in months:
            months.append(self.instance.month)
        self.fields["month"].choices = [("", "— выберите —")] + [
            (m.isoformat(), month_label(m)) for m in reversed(months)
        ]
        if self.instance.pk:
            self.initial["month"] = self.instance.month.isoformat()


class MentorReportForm(ServiceModelForm):
    class Meta:
        model = MentorReport
        fields = ["submitted_on", "plan_fulfilment", "results"]
        widgets = {"plan_fulfilment": forms.Textarea(attrs={"rows": 4}), "results": forms.Textarea(attrs={"rows": 3})}


RATING_CHOICES = [("", "— оценка —"), *((str(n), str(n)) for n in range(5, 0, -1))]


class MenteeReportForm(ServiceModelForm):
    """§3.13: the mentee's report on the process and the rating of the mentor, 1 to 5 on four criteria."""

    class Meta:
        model = MenteeReport
        fields = [
            "mentee",
            "submitted_on",
            "text",
            "rating_competence",
            "rating_availability",
            "rating_usefulness",
            "rating_overall",
            "comment",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, pair: Pair | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        pair = pair or self.instance.pair
        self.fields["mentee"].queryset = Person.objects.filter(
            pair_memberships__pair=pair, pair_memberships__role=BaseRole.MENTEE
        ).distinct()
        self.fields["mentee"].widget = FastSelect(choices=self.fields["mentee"].choices)
        if self.instance.pk:
            self.fields["mentee"].disabled = True
        for name in ("rating_competence", "rating_availability", "rating_usefulness", "rating_overall"):
            field = self.fields[name]
            self.fields[name] = forms.TypedChoiceField(
                label=field.label,
                choices=RATING_CHOICES,
                coerce=int,
                widget=FastSelect,
                help_text="5 — отлично, 1 — плохо.",
            )
            if self.instance.pk:
                self.initial[name] = getattr(self.instance, name)


class RecognitionForm(ServiceModelForm):
    class Meta:
        model = Recognition
        fields = ["person", "pair", "kind", "level", "title", "awarded_on", "grounds"]
        widgets = {"grounds": forms.Textarea(attrs={"rows": 2})}
        labels = {"person": "Наставник"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mentors = (
            Person.objects.for_user(self.user, write=True)
            .filter(Q(mentor_record__isnull=False) | Q(mentor_pairs__isnull=False))
            .exclude(pk__in=withdrawn_persons().values("pk"))
            .select_related("organization")
            .distinct()
        )
        person_field = PersonChoiceField(
            label="Наставник", queryset=mentors, show_organization=several_organizations(self.user)
        )
        russian_empty_label(person_field)
        self.fields["person"] = person_field
        pairs = Pair.objects.for_user(self.user).select_related("mentor")
        self.fields["pair"].queryset = pairs
        self.fields["pair"].widget = FastSelect(choices=self.fields["pair"].choices)
        self.fields["pair"].help_text = "Пара, за работу в которой поощрение (необязательно)."
        self.fields["pair"].label_from_instance = lambda pair: f"№ {pair.pk}: {pair.mentor.short_name}"
        self.fields["pair"].widget.choices = self.fields["pair"].choices


class PracticeForm(ServiceModelForm):
    class Meta:
        model = Practice
        fields = ["title", "description", "organization", "form", "pairs"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}), "pairs": forms.SelectMultiple(attrs={"size": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = get_scope(self.user)
        organizations = Organization.objects.for_user(self.user, write=True)
        self.fields["organization"].queryset = organizations
        if not (scope.is_superuser or scope.write_municipality_ids):
            self.fields["organization"].required = True
            if organizations.count() == 1 and not self.instance.pk:
                self.fields["organization"].initial = organizations.first()
        else:
            self.fields["organization"].help_text = "Пусто — практика муниципалитета."
        pairs = Pair.objects.for_user(self.user).exclude(status=PairStatus.DRAFT).select_related("mentor")
        self.fields["pairs"] = IdsMultipleChoiceField(
            label="Пары", queryset=pairs, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
        )
        self.fields["pairs"].label_from_instance = lambda pair: f"№ {pair.pk}: {pair.mentor.short_name}, {pair.form}"
        self.fields["pairs"].help_text = "Пары, из опыта которых практика. Удерживайте Ctrl, чтобы выбрать несколько."

    def clean(self):
        data = super().clean()
        organization = data.get("organization")
        if organization is not None:
            self.instance.municipality = organization.municipality
        elif not self.instance.municipality_id:
            municipalities = sorted(get_scope(self.user).write_municipality_ids)
            if len(municipalities) != 1:
                raise ValidationError({"organization": "Укажите организацию, чья это практика."})
            self.instance.municipality_id = municipalities[0]
        return data


class PracticeFileForm(ServiceModelForm):
    class Meta:
        model = PracticeFile
        fields = ["title", "file"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})}
        help_texts = {"file": "PDF, JPEG или PNG, до 10 МБ."}


class MentorLimitForm(ServiceForm):
    """§4.1: the director sets how many mentees a mentor takes at a time, below §3.4's three."""

    max_mentees = forms.TypedChoiceField(
        label="Наставляемых одновременно не больше",
        choices=[
            ("", f"по Положению ({MENTOR_MAX_MENTEES})"),
            *((str(n), str(n)) for n in range(1, MENTOR_MAX_MENTEES)),
        ],  # fewer than §3.4's
        coerce=int,
        empty_value=None,
        required=False,
    )
