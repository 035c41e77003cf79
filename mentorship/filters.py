from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q

from core.filters import ScopedFilterSet, SearchFilter
from core.forms import SearchInput
from mentorship import selectors
from mentorship.models import Pair, PairMember, PairStatus, Practice, Recognition, RecognitionKind, RecognitionLevel
from registry.filters import ORGANIZATION_UNAVAILABLE, PERSON_NAME_FIELDS
from registry.models import MentorRecord, MentorshipForm, Organization
from registry.selectors import withdrawn_persons


class MemberSearchFilter(SearchFilter):
    """«ёлкина» finds the pairs where any member — the mentor or a mentee, present or past — has the
    word in their name («ё» as «е», case ignored: core.db's `icontains`); a number finds the pair
    of that number. Every word must be found (in one member or another)."""

    def search(self, queryset, name, value):
        words = list(dict.fromkeys(value.split()))[: self.MAX_WORDS]
        for word in words:
            names = reduce(or_, (Q(**{f"person__{field}__icontains": word}) for field in PERSON_NAME_FIELDS))
            condition = Q(pk__in=PairMember.objects.filter(names).values("pair_id"))
            number = word.lstrip("№")
            if number.isdigit() and len(number) < 10:
                condition |= Q(pk=int(number))
            queryset = queryset.filter(condition)
        return queryset


class PairFilter(ScopedFilterSet):
    APPROVAL_CHOICES = [("to_send", "Не направлены на утверждение"), ("awaiting", "Ждут утверждения")]
    ATTENTION_CHOICES = [("yes", "Требует внимания")]
    OVERDUE_CHOICES = [
        ("any", "Любые отчёты"),
        ("reports", "Итоговые отчёты"),
        ("monthly", "Ежемесячные отчёты"),
    ]

    q = MemberSearchFilter(fields=[], widget=SearchInput("ФИО участника, № пары…"))
    organization = django_filters.ModelChoiceFilter(
        label="Организация",
        queryset=Organization.objects.none(),
        empty_label="Все организации",
        error_messages=ORGANIZATION_UNAVAILABLE,
    )
    form = django_filters.ModelChoiceFilter(
        label="Форма", queryset=MentorshipForm.objects.all(), empty_label="Все формы"
    )
    status = django_filters.ChoiceFilter(label="Статус", choices=PairStatus.choices, empty_label="Все статусы")
    approval = django_filters.ChoiceFilter(
        label="Утверждение", choices=APPROVAL_CHOICES, method="filter_approval", empty_label="Все"
    )
    attention = django_filters.ChoiceFilter(
        label="Согласия участников", choices=ATTENTION_CHOICES, method="filter_attention", empty_label="Все"
    )
    overdue = django_filters.ChoiceFilter(
        label="Просроченные отчёты", choices=OVERDUE_CHOICES, method="filter_overdue", empty_label="Все"
    )

    scoped_choices = {"organization": Organization}

    class Meta:
        model = Pair
        fields = ["q", "organization", "form", "status", "approval", "attention", "overdue"]

    def filter_approval(self, queryset, name, value):
        return queryset.filter(selectors.TO_SEND if value == "to_send" else selectors.AWAITING)

    def filter_attention(self, queryset, name, value):
        return queryset.filter(selectors.attention_condition())

    def filter_overdue(self, queryset, name, value):
        if value == "reports":
            return queryset.filter(selectors.reports_overdue_condition())
        if value == "monthly":
            return queryset.filter(selectors.months_missing_condition())
        return queryset.filter(selectors.overdue_condition())


class MentorBaseFilter(ScopedFilterSet):
    """The base for matching is wider than the user's scope (the partners' mentors): its organization
    choice offers the organizations of the mentors it shows."""

    FREE_CHOICES = [("yes", "Есть свободные места")]

    q = SearchFilter(
        fields=[f"person__{f}" for f in PERSON_NAME_FIELDS] + ["competencies"],
        widget=SearchInput("ФИО, компетенции…"),
    )
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
    free = django_filters.ChoiceFilter(label="Места", choices=FREE_CHOICES, method="filter_free", empty_label="Все")

    class Meta:
        model = MentorRecord
        fields = ["q", "organization", "form", "free"]

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.filters["organization"].queryset = organizations

    def filter_free(self, queryset, name, value):
        return queryset.filter(free__gt=0)


class RecognitionFilter(ScopedFilterSet):
    q = SearchFilter(
        fields=[f"person__{f}" for f in PERSON_NAME_FIELDS] + ["title", "grounds"],
        widget=SearchInput("ФИО, наименование, основание…"),
    )
    organization = django_filters.ModelChoiceFilter(
        label="Организация",
        field_name="person__organization",
        queryset=Organization.objects.none(),
        empty_label="Все организации",
        error_messages=ORGANIZATION_UNAVAILABLE,
    )
    kind = django_filters.ChoiceFilter(label="Вид", choices=RecognitionKind.choices, empty_label="Все виды")
    level = django_filters.ChoiceFilter(label="Уровень", choices=RecognitionLevel.choices, empty_label="Все уровни")

    scoped_choices = {"organization": Organization}

    class Meta:
        model = Recognition
        fields = ["q", "organization", "kind", "level"]

    def filter_queryset(self, queryset):
        # A mentor who withdrew consent leaves the lists (docs/product.md «Withdrawal»).
        return super().filter_queryset(queryset.exclude(person__in=withdrawn_persons()))


class PracticeFilter(ScopedFilterSet):
    q = SearchFilter(fields=["title", "description"], widget=SearchInput("Название, описание…"))
    form = django_filters.ModelChoiceFilter(
        label="Форма", queryset=MentorshipForm.objects.all(), empty_label="Все формы"
    )
    organization = django_filters.ModelChoiceFilter(
        label="Организация",
        queryset=Organization.objects.none(),
        empty_label="Все организации",
        error_messages=ORGANIZATION_UNAVAILABLE,
    )

    class Meta:
        model = Practice
        fields = ["q", "form", "organization"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The bank is the municipality's: its organizations are those of the user's municipalities.
        from core.scoping import get_scope

        scope = get_scope(self.user)
        organizations = Organization.objects.all()
        if not scope.is_superuser:
            organizations = organizations.filter(municipality__in=scope.member_municipality_ids)
        self.filters["organization"].queryset = organizations
