"""The home page: what the user's municipality or school looks like today, and what to do next.

It summarises the apps below (the registry, the pairs and the roadmaps today; campaigns as they
come), so it lives in the app above them all. Its figures are cached per scope until the data change
(core.cache), and each equals the list it links to (tests/registry/test_figures.py)."""

from django.urls import reverse
from django.utils import timezone
from django.views import generic

from core.cache import cached_for_scope
from core.russian import count_noun
from core.scoping import get_scope
from mentorship import selectors as pair_selectors
from mentorship.models import PairStatus
from monitoring import selectors as campaign_selectors
from monitoring.dashboard import dashboard, dashboard_from_data, sees_region
from monitoring.snapshots import REGION, snapshot_figures
from registry import selectors
from registry.models import Contingent, Municipality, Organization, academic_year_label, current_academic_year_start
from roadmaps import selectors as roadmap_selectors

PEOPLE = "человек,человека,человек"
PAIRS = "пара,пары,пар"
ITEMS = "пункт,пункта,пунктов"
#: How many of a school's nearest roadmap items the home page lists.
ROADMAP_LINES = 5


class HomeView(generic.TemplateView):
    template_name = "monitoring/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = get_scope(user)
        year = current_academic_year_start()
        context["academic_year"] = academic_year_label(year)
        context["municipalities"] = Municipality.objects.for_user(user)
        # The region view (an observer of several municipalities) shows its municipalities, not the
        # hundreds of schools' tables: the lists behind the figures filter by school. Its figures
        # take seconds: they come from a snapshot the worker keeps (monitoring.snapshots).
        region = sees_region(user)
        context["region"] = region
        if region:
            shown = snapshot_figures(REGION, user)
            context["figures_shown"] = shown
            summary, pairs = shown.data["summary"], shown.data["pairs"]
            context["organization_count"] = shown.data["organization_count"]
            context["dashboard"] = dashboard_from_data(shown.data["dashboard"])
        else:
            summary = cached_for_scope("registry_summary", user, lambda: selectors.registry_summary(user=user))
            pairs = cached_for_scope("pair_summary", user, lambda: pair_selectors.pair_summary(user))
            # The charts (issue 9 §5), cached with the other figures until the data change.
            context["dashboard"] = cached_for_scope("dashboard", user, lambda: dashboard(user))
        context["summary"] = summary
        if scope.is_municipal and not region:
            organizations = cached_for_scope(
                "organization_table",
                user,
                lambda: list(selectors.organization_list(user=user).order_by("kind", "short_name")),
            )
            context["organizations"] = organizations
            context["organization_count"] = len(organizations)
        context["my_organizations"] = Organization.objects.filter(pk__in=scope.read_organization_ids)
        context["pairs"] = pairs
        if scope.is_municipal and not region:
            context["pair_table"] = cached_for_scope("pair_table", user, lambda: pair_selectors.pair_table(user))
            context["pair_statuses"] = PairStatus.choices
        context["roadmap_due"] = self.roadmap_due(user, scope)
        # The open requests (сбор информации) to the user's schools: monitoring.selectors.
        context["campaign_requests"] = campaign_selectors.open_requests(user)
        context["campaign_requests_many_schools"] = len(scope.read_organization_ids) > 1
        context["today"] = timezone.localdate()
        context["next_steps"] = (
            self.next_steps(user, scope, year, summary, pairs) if scope.write_organization_ids else []
        )
        if scope.write_organization_ids:
            context["next_steps"] += self.roadmap_steps(scope, context["roadmap_due"])
        if scope.approve_organization_ids:
            # A director's home: what waits for their order (Положение §3.6). The figure counts the
            # pair list filtered so; the button opens the approval page, which lists the same drafts.
            context["awaiting"] = pairs["awaiting"] if not scope.is_municipal else None
        return context

    def roadmap_due(self, user, scope) -> list[dict]:
        """For the people of a school: their roadmap items overdue or due within
        `DUE_SOON_DAYS`, school by school (`roadmaps.selectors.due_items`, the due list's own
        reading, so each figure equals the list it opens). Cached with the other figures."""
        own = sorted(scope.read_organization_ids)
        if not own:
            return []

        def compute() -> list[dict]:
            today = timezone.localdate()
            url = reverse("roadmaps:due_list")
            schools = []
            for organization in Organization.objects.filter(pk__in=own).order_by("short_name"):
                due = roadmap_selectors.due_items(
                    organization, today=today, within_days=roadmap_selectors.DUE_SOON_DAYS
                )
                if not due:
                    continue
                schools.append(
                    {
                        "organization_id": organization.pk,
                        "organization": str(organization),
                        "soon": len(due),
                        "overdue": sum(entry.overdue for entry in due),
                        "more": max(len(due) - ROADMAP_LINES, 0),
                        "soon_url": f"{url}?organization={organization.pk}&show=soon",
                        "overdue_url": f"{url}?organization={organization.pk}&show=overdue",
                        "items": [
                            {
                                "number": entry.item.number,
                                "title": entry.item.title,
                                "url": entry.item.get_absolute_url(),
                                "overdue": entry.overdue,
                                "until": entry.item.due_end if entry.overdue else entry.next_end,
                                "roadmap": "муниципальная" if entry.item.roadmap.is_municipal else "школьная",
                            }
                            for entry in due[:ROADMAP_LINES]
                        ],
                    }
                )
            return schools

        return cached_for_scope("roadmap_due", user, compute)

    def roadmap_steps(self, scope, roadmap_due):
        """«Что сделать дальше»: the overdue roadmap items of the schools the user keeps."""
        return [
            (
                f"Просрочены пункты дорожной карты{' в ' + school['organization'] if len(roadmap_due) > 1 else ''}: "
                f"{count_noun(school['overdue'], ITEMS)} — отметьте выполненное или выполните.",
                school["overdue_url"],
                school["overdue"],
            )
            for school in roadmap_due
            if school["overdue"] and school["organization_id"] in scope.write_organization_ids
        ]

    def next_steps(self, user, scope, year, summary, pairs):
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
                    None,
                )
            )
        if not summary["mentors"]:
            steps.append(
                (
                    "Сформируйте базу наставников: откройте карточку педагога или старшеклассника "
                    "и включите его в базу.",
                    reverse("registry:person_list"),
                    None,
                )
            )
        if not summary["mentees"]:
            steps.append(("Сформируйте базу наставляемых с их запросами.", reverse("registry:person_list"), None))
        if summary["consents_missing"]:
            steps.append(
                (
                    f"Соберите недостающие согласия: {count_noun(summary['consents_missing'], PEOPLE)} в базах "
                    "без нужных согласий.",
                    reverse("registry:person_list") + "?consent=missing",
                    None,
                )
            )
        steps += self.pair_steps(user, scope, pairs)
        if not pairs["total"] and summary["mentors"] and summary["mentees"]:
            steps.append(
                (
                    "Сформируйте наставнические пары: портал подберёт наставников всей базе наставляемых.",
                    reverse("mentorship:pair_propose"),
                    None,
                )
            )
        return steps

    def pair_steps(self, user, scope, pairs):
        """The curator's steps about pairs, each with its count and the pair list filtered by the same
        condition (mentorship.selectors), so that the count equals the list it opens."""
        suffix = ""
        if scope.is_municipal:
            # A coordinator who is also a school's curator: the steps speak of that school, and link to
            # its list when it is one school.
            own = sorted(scope.read_organization_ids)
            pairs = cached_for_scope(
                "pair_summary_own",
                user,
                lambda: pair_selectors.pair_summary(user, organizations=Organization.objects.filter(pk__in=own)),
            )
            suffix = f"&organization={own[0]}" if len(own) == 1 else ""
        figure = (lambda n: n) if suffix or not scope.is_municipal else (lambda n: None)
        url = reverse("mentorship:pair_list")
        steps = []
        if pairs["to_send"]:
            steps.append(
                (
                    f"Направьте руководителю на утверждение черновики: {count_noun(pairs['to_send'], PAIRS)}.",
                    f"{url}?approval=to_send{suffix}",
                    figure(pairs["to_send"]),
                )
            )
        if pairs["attention"]:
            steps.append(
                (
                    f"Требуют внимания: {count_noun(pairs['attention'], PAIRS)} — у участников отозвано или не "
                    "внесено согласие (п. 3.5 Положения).",
                    f"{url}?attention=yes{suffix}",
                    figure(pairs["attention"]),
                )
            )
        if pairs["reports_overdue"]:
            steps.append(
                (
                    f"Просрочены итоговые отчёты: {count_noun(pairs['reports_overdue'], PAIRS)} — отчёты сдаются "
                    "в течение 10 дней после завершения.",
                    f"{url}?overdue=reports{suffix}",
                    figure(pairs["reports_overdue"]),
                )
            )
        if pairs["months_missing"]:
            steps.append(
                (
                    f"Нет ежемесячного отчёта наставника: {count_noun(pairs['months_missing'], PAIRS)} "
                    "(п. 5.2 Положения).",
                    f"{url}?overdue=monthly{suffix}",
                    figure(pairs["months_missing"]),
                )
            )
        return steps
