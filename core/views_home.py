"""The home page: what the user's municipality or school looks like today, and what to do next."""

from django.urls import reverse
from django.views import generic

from core.russian import count_noun
from core.scoping import get_scope
from registry import selectors
from registry.models import Contingent, Municipality, Organization, academic_year_label, current_academic_year_start

PEOPLE = "человек,человека,человек"


class HomeView(generic.TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = get_scope(user)
        year = current_academic_year_start()
        context["academic_year"] = academic_year_label(year)
        organizations = Organization.objects.for_user(user)
        context["municipalities"] = Municipality.objects.for_user(user)
        context["summary"] = selectors.registry_summary(user=user)
        context["organization_count"] = organizations.count()
        if scope.is_municipal:
            context["organizations"] = selectors.organization_list(user=user).order_by("kind", "short_name")
        context["my_organizations"] = Organization.objects.filter(pk__in=scope.read_organization_ids)
        context["next_steps"] = self.next_steps(user, scope, year) if scope.read_organization_ids else []
        return context

    def next_steps(self, user, scope, year):
        """A curator's to-do list, worked out from the registry."""
        steps = []
        summary = selectors.registry_summary(
            user=user, organizations=Organization.objects.filter(pk__in=scope.read_organization_ids)
        )
        for organization in Organization.objects.filter(pk__in=scope.write_organization_ids):
            if not Contingent.objects.filter(organization=organization, year_start=year).exists():
                steps.append(
                    (
                        f"Внесите контингент {organization} на {academic_year_label(year)} учебный год: "
                        "от него считаются доли охвата.",
                        reverse("registry:contingent_create", args=[organization.pk]),
                    )
                )
        if scope.write_organization_ids:
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
