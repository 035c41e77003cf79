"""The home page: what the user's municipality or school looks like today, and what to do next.

It summarises the apps below (the registry today; pairs, roadmaps and campaigns as they come), so
it lives in the app above them all. Its figures are cached per scope until the data change
(core.cache), and each equals the list it links to (tests/registry/test_figures.py)."""

from django.urls import reverse
from django.views import generic

from core.cache import cached_for_scope
from core.russian import count_noun
from core.scoping import get_scope
from registry import selectors
from registry.models import Contingent, Municipality, Organization, academic_year_label, current_academic_year_start

PEOPLE = "человек,человека,человек"


class HomeView(generic.TemplateView):
    template_name = "monitoring/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = get_scope(user)
        year = current_academic_year_start()
        context["academic_year"] = academic_year_label(year)
        context["municipalities"] = Municipality.objects.for_user(user)
        summary = cached_for_scope("registry_summary", user, lambda: selectors.registry_summary(user=user))
        context["summary"] = summary
        if scope.is_municipal:
            organizations = cached_for_scope(
                "organization_table",
                user,
                lambda: list(selectors.organization_list(user=user).order_by("kind", "short_name")),
            )
            context["organizations"] = organizations
            context["organization_count"] = len(organizations)
        context["my_organizations"] = Organization.objects.filter(pk__in=scope.read_organization_ids)
        context["next_steps"] = self.next_steps(user, scope, year, summary) if scope.write_organization_ids else []
        return context

    def next_steps(self, user, scope, year, summary):
        """A curator's to-do list, worked out from the registry of their organizations."""
        if scope.is_municipal:
            # A coordinator who is also a school's curator: the steps speak of that school only.
            summary = cached_for_scope(
                "registry_summary_own",
                user,
                lambda: selectors.registry_summary(
                    user=user, organizations=Organization.objects.filter(pk__in=scope.read_organization_ids)
                ),
            )
        steps = []
        with_contingent = set(
            Contingent.objects.filter(organization__in=scope.write_organization_ids, year_start=year).values_list(
                "organization_id", flat=True
            )
        )
        for organization in Organization.objects.filter(pk__in=scope.write_organization_ids - with_contingent):
            steps.append(
                (
                    f"Внесите контингент {organization} на {academic_year_label(year)} учебный год: "
                    "от него считаются доли охвата.",
                    reverse("registry:contingent_create", args=[organization.pk]),
                )
            )
        if not summary["mentors"]:
            steps.append(
                (
                    "Сформируйте базу наставников: откройте карточку педагога или старшеклассника "
                    "и включите его в базу.",
                    reverse("registry:person_list"),
                )
            )
        if not summary["mentees"]:
            steps.append(("Сформируйте базу наставляемых с их запросами.", reverse("registry:person_list")))
        if summary["consents_missing"]:
            steps.append(
                (
                    f"Соберите недостающие согласия: {count_noun(summary['consents_missing'], PEOPLE)} в базах "
                    "без нужных согласий.",
                    reverse("registry:person_list") + "?consent=missing",
                )
            )
        return steps
