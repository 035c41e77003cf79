"""Filter helpers: one search box over several fields, word by word."""

from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.db.models import Q

from core.choices import Role
from core.forms import FastSelect, SearchInput
from core.models import RoleAssignment
from core.scoping import get_scope


class SearchFilter(django_filters.CharFilter):
    """«иван 7б» finds rows where every word is in one of `fields`, ignoring case.

    `icontains` ignores case for Russian on PostgreSQL, and on SQLite through core.sqlite.
    Only the first `MAX_WORDS` different words count: each word adds a condition on every field,
    and thousands of them make a query the database refuses (SQLite: "Expression tree is too
    large") or takes minutes over.
    """

    MAX_WORDS = 10

    def __init__(self, *, fields: list[str], **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", "Поиск")
        super().__init__(method=self.search, **kwargs)

    def search(self, queryset, name, value):
        words = list(dict.fromkeys(value.split()))[: self.MAX_WORDS]
        if not words:
            return queryset
        conditions = [
            reduce(or_, (Q(**{f"{field}__icontains": word}) for field in self.search_fields)) for word in words
        ]
        return queryset.filter(reduce(and_, conditions))


class ScopedFilterSet(django_filters.FilterSet):
    """A FilterSet that knows the user: choice filters offer only what the user may see.

    A filter named in `scoped_choices` gets `model.objects.for_user(user)` as its queryset.
    """

    scoped_choices: dict[str, type] = {}

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for name, model in self.scoped_choices.items():
            self.filters[name].queryset = model.objects.for_user(user)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for field in form.fields.values():
                if type(field.widget) is forms.Select:
                    field.widget = _fast_select(field.widget)
                widget = field.widget
                css = "form-select" if widget.input_type == "select" else "form-control"
                widget.attrs.setdefault("class", css)
        return super().form


def _fast_select(widget: forms.Select) -> FastSelect:
    """The same select, written in Python (core.forms.FastSelect)."""
    fast = FastSelect(attrs=widget.attrs, choices=widget.choices)
    fast.is_required = widget.is_required
    return fast


class RoleHolderFilter(ScopedFilterSet):
    """Search and role filter of the users' page; the search reads Russian on SQLite too (core.sqlite)."""

    q = SearchFilter(
        fields=["last_name", "first_name", "profile__middle_name", "profile__position", "username"],
        widget=SearchInput("ФИО, должность, логин…"),
    )
    role = django_filters.ChoiceFilter(label="Роль", choices=Role.choices, method="filter_role", empty_label="Все роли")

    class Meta:
        fields = ["q", "role"]

    def filter_role(self, queryset, name, value):
        held = RoleAssignment.objects.filter(role=value)
        scope = get_scope(self.user)
        if not scope.is_superuser:
            # The role held here, not an observer's role over another municipality.
            municipalities = scope.read_municipality_ids
            held = held.filter(
                Q(municipality_id__in=municipalities)
                | Q(organization__municipality_id__in=municipalities)
                | Q(organization_id__in=scope.read_organization_ids)
            )
        # A subquery, not a join: a user with two roles must stay one row.
        return queryset.filter(pk__in=held.values("user_id"))
