"""Filters of the roadmap list, in the URL: status, level (municipal or a school's), the school
for the coordinator, and a search by title (Russian case ignored on both databases: core.filters)."""

import django_filters

from core.filters import ScopedFilterSet, SearchFilter
from core.forms import SearchInput
from core.scoping import get_scope
from registry.choices import OrganizationKind
from registry.models import Organization
from roadmaps.choices import RoadmapStatus
from roadmaps.models import Roadmap

LEVEL_CHOICES = [("municipal", "Муниципальные"), ("school", "Школьные")]


class RoadmapFilter(ScopedFilterSet):
    q = SearchFilter(fields=["title", "order_number"], widget=SearchInput("Название, номер приказа…"))
    status = django_filters.ChoiceFilter(label="Статус", choices=RoadmapStatus.choices, empty_label="Все")
    level = django_filters.ChoiceFilter(
        label="Уровень", choices=LEVEL_CHOICES, method="filter_level", empty_label="Все"
    )
    organization = django_filters.ModelChoiceFilter(
        label="Школа",
        queryset=Organization.objects.none(),
        empty_label="Все школы",
        error_messages={"invalid_choice": "Этой школы нет среди доступных вам. Выберите школу из списка."},
    )

    scoped_choices = {"organization": Organization}

    class Meta:
        model = Roadmap
        fields = ["q", "status", "level", "organization"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.filters["organization"].queryset = self.filters["organization"].queryset.filter(
            kind=OrganizationKind.SCHOOL
        )
        if not get_scope(user).is_municipal:
            # A school's people see their school's roadmaps and the municipal ones: «Уровень» says it all.
            del self.filters["organization"]

    def filter_level(self, queryset, name, value):
        return queryset.filter(organization__isnull=(value == "municipal"))
