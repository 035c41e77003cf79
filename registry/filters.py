import django_filters
from django import forms
from django.utils import timezone

from core.filters import ScopedFilterSet, SearchFilter
from core.forms import SearchInput
from registry.choices import ConsentKind, MenteePortrait, OrganizationKind, PersonCategory
from registry.models import (
    Consent,
    MenteeRecord,
    MentorLevel,
    MentorRecord,
    MentorshipForm,
    Organization,
    Person,
    RequestTopic,
)
from registry.selectors import (
    consents_missing_condition,
    lacks_consent_condition,
    needs_consents_condition,
    withdrawn_persons,
)

PERSON_NAME_FIELDS = ["last_name", "first_name", "middle_name"]
#: What the organization filter says when the URL names an organization the user may not see
#: (another school's id): the list is not shown, and the field says why.
ORGANIZATION_UNAVAILABLE = {
    "invalid_choice": "Этой организации нет среди доступных вам. Выберите организацию из списка.",
}


class WithdrawnFilterSet(ScopedFilterSet):
    """Lists of personal data leave out people whose consent stands withdrawn (docs/product.md
    registry/ «Consent»); the «Отзыв согласия» filter shows them on purpose."""

    # Short enough to fit a filter cell at 1280 px and on a phone (the label says «Отзыв согласия»).
    WITHDRAWN_CHOICES = [("only", "Только отозвавшие"), ("all", "Включая отозвавших")]
    withdrawn = django_filters.ChoiceFilter(
        label="Отзыв согласия",
        choices=WITHDRAWN_CHOICES,
        method="filter_withdrawn",
        empty_label="Без отозвавших",
    )
    #: The lookup from the listed model to its person.
    person_path = "person"
    scoped_choices = {"organization": Organization}

    def filter_withdrawn(self, queryset, name, value):
        return queryset  # applied in filter_queryset, which also sees the empty value

    def filter_queryset(self, queryset):
        value = self.form.cleaned_data.get("withdrawn")
        lookup = f"{self.person_path}__in" if self.person_path else "pk__in"
        if value == "only":
            queryset = queryset.filter(**{lookup: withdrawn_persons()})
        elif value != "all":
            queryset = queryset.exclude(**{lookup: withdrawn_persons()})
        return super().filter_queryset(queryset)


class OrganizationFilter(ScopedFilterSet):
    q = SearchFilter(
        fields=["short_name", "full_name", "director_name", "address"],
        widget=SearchInput("Название, руководитель, адрес…"),
    )
    kind = django_filters.ChoiceFilter(label="Тип", choices=OrganizationKind.choices, empty_label="Все типы")

    class Meta:
        model = Organization
        fields = ["q", "kind"]


class PersonFilter(WithdrawnFilterSet):
    person_path = None
    BASE_CHOICES = [
        ("mentor", "В базе наставников"),
        ("mentee", "В базе наставляемых"),
        ("none", "Ни в одной базе"),
    ]
    CONSENT_CHOICES = [
        ("missing", "Не хватает согласий"),
        ("complete", "Все согласия есть"),
        ("not_needed", "Не нужны (не в базах)"),
    ]

    q = SearchFilter(
        fields=[*PERSON_NAME_FIELDS, "class_name", "position", "subjects", "phone", "email"],
        widget=SearchInput("ФИО, класс, должность…"),
    )
    organization = django_filters.ModelChoiceFilter(
        label="Организация",
        queryset=Organization.objects.none(),
        empty_label="Все организации",
        error_messages=ORGANIZATION_UNAVAILABLE,
    )
    category = django_filters.ChoiceFilter(label="Категория", choices=PersonCategory.choices, empty_label="Все")
    class_name = django_filters.CharFilter(label="Класс", lookup_expr="iexact")
    base = django_filters.ChoiceFilter(label="База", choices=BASE_CHOICES, method="filter_base", empty_label="Все")
    consent = django_filters.ChoiceFilter(
        label="Согласия", choices=CONSENT_CHOICES, method="filter_consent", empty_label="Любые"
    )

    class Meta:
        model = Person
        fields = ["q", "organization", "category", "class_name", "base", "consent", "withdrawn"]

    def filter_base(self, queryset, name, value):
        if value == "mentor":
            return queryset.filter(mentor_record__isnull=False)
        if value == "mentee":
            return queryset.filter(mentee_record__isnull=False)
        return queryset.filter(mentor_record__isnull=True, mentee_record__isnull=True)

    def filter_consent(self, queryset, name, value):
        """The annotations of `registry.selectors.annotate_consent_state`: the same definition
        as the home page's «без нужных согласий» tile."""
        if value == "not_needed":
            return queryset.exclude(needs_consents_condition())
        if value == "missing":
            return queryset.filter(consents_missing_condition(timezone.localdate()))
        return queryset.filter(needs_consents_condition()).exclude(lacks_consent_condition(timezone.localdate()))


class RecordFilter(WithdrawnFilterSet):
    """What the lists of the two bases share: the person's organization and the form."""

    organization = django_filters.ModelChoiceFilter(
        label="Организация",
        field_name="person__organization",
        queryset=Organization.objects.none(),
        empty_label="Все организации",
        error_messages=ORGANIZATION_UNAVAILABLE,
    )
    form = django_filters.ModelChoiceFilter(
        label="Форма", field_name="forms", queryset=MentorshipForm.objects.all(), empty_label="Все формы"
    )


class MentorRecordFilter(RecordFilter):
    q = SearchFilter(
        fields=[f"person__{f}" for f in PERSON_NAME_FIELDS] + ["competencies", "interests", "person__subjects"],
        widget=SearchInput("ФИО, компетенции, предметы…"),
    )
    topic = django_filters.ModelChoiceFilter(
        label="Тема", field_name="topics", queryset=RequestTopic.objects.all(), empty_label="Все темы"
    )
    level = django_filters.ModelChoiceFilter(label="Уровень", queryset=MentorLevel.objects.all(), empty_label="Все")
    is_trained = django_filters.BooleanFilter(
        label="Обучен", widget=forms.Select(choices=[("", "Все"), ("true", "Да"), ("false", "Нет")])
    )

    class Meta:
        model = MentorRecord
        fields = ["q", "organization", "form", "topic", "level", "is_trained", "withdrawn"]


class MenteeRecordFilter(RecordFilter):
    q = SearchFilter(
        fields=[f"person__{f}" for f in PERSON_NAME_FIELDS] + ["request_details", "person__class_name"],
        widget=SearchInput("ФИО, класс, запрос…"),
    )
    request = django_filters.ModelChoiceFilter(
        label="Запрос", field_name="requests", queryset=RequestTopic.objects.all(), empty_label="Все запросы"
    )
    category = django_filters.ChoiceFilter(
        label="Категория", field_name="person__category", choices=PersonCategory.choices, empty_label="Все"
    )
    portrait = django_filters.ChoiceFilter(label="Портрет", choices=MenteePortrait.choices, empty_label="Любой")

    class Meta:
        model = MenteeRecord
        fields = ["q", "organization", "form", "request", "category", "portrait", "withdrawn"]


class ConsentFilter(WithdrawnFilterSet):
    STATE_CHOICES = [("active", "Действует"), ("withdrawn", "Отозвано")]
    q = SearchFilter(
        fields=[f"person__{f}" for f in PERSON_NAME_FIELDS] + ["representative_name"],
        widget=SearchInput("ФИО, представитель…"),
    )
    organization = django_filters.ModelChoiceFilter(
        label="Организация",
        field_name="person__organization",
        queryset=Organization.objects.none(),
        empty_label="Все организации",
        error_messages=ORGANIZATION_UNAVAILABLE,
    )
    kind = django_filters.ChoiceFilter(label="Вид", choices=ConsentKind.choices, empty_label="Все виды")
    state = django_filters.ChoiceFilter(
        label="Состояние", choices=STATE_CHOICES, method="filter_state", empty_label="Все"
    )

    class Meta:
        model = Consent
        fields = ["q", "organization", "kind", "state", "withdrawn"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(withdrawn_on__isnull=(value == "active"))
