"""Pages of mentorship: the pairs (list, card, forming with suggestions and a live check, a proposal
for a whole base, approval by order, the changes of a live pair), their plans, meetings and
reports, the mentors' recognition, the bank of practices and the base of mentors for matching.

Every page starts from the user's scope (another organization's pair answers 404); writes need
the right to write (the curator, the coordinator: 403 otherwise), approvals the director's right
(Положение §3.6, §4.1: `Scope.can_approve`). Every change goes through `mentorship.services`.
"""

from __future__ import annotations

import datetime
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import generic

from core.printing import printed_download
from core.russian import count_noun
from core.scoping import can_write, get_scope
from core.views import (
    ChildCreateView,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ScopeMixin,
    journalled_download,
)
from mentorship import filters, forms, matching, rules, selectors, services, tables
from mentorship.kinds import PAIR_PAPERS, RecognitionSheet, declension_warnings, paper_available
from mentorship.models import (
    ENDED_STATUSES,
    LIVE_STATUSES,
    IndividualPlan,
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
)
from mentorship.orders import PairOrder
from registry.choices import BaseRole
from registry.models import MentorRecord, MentorshipForm, Organization, Person

PAIRS = "пара,пары,пар"
#: A pair's relations its pages show.
PAIR_RELATED = ("organization", "form", "role_model", "mentor", "order")
#: Statuses in which a pair does its work (meetings, monthly reports): approved by order.
WORKING_STATUSES = (PairStatus.APPROVED, PairStatus.ACTIVE, *ENDED_STATUSES)


def pair_queryset(user, statuses=None):
    queryset = Pair.objects.for_user(user).select_related(*PAIR_RELATED)
    return queryset.filter(status__in=statuses) if statuses else queryset


def readable_organization(scope, organization) -> bool:
    """May the user open pages of this organization's people (the partners' mentors: no)?"""
    return (
        scope.is_superuser
        or organization.pk in scope.read_organization_ids
        or organization.municipality_id in scope.read_municipality_ids
    )


# The pair of a page ------------------------------------------------------------------------------


class PairPageMixin(ScopeMixin):
    """A page about the pair of the URL: looked up in what the user may see (404 otherwise), with
    the right the page needs — `right = "write"` (curator, coordinator) or `"approve"` (the
    director of the pair's organization) — refused with 403. A pair whose status the page does not
    apply to (`statuses`) sends the user back to its card, saying why."""

    statuses: tuple | None = None
    right = "write"
    #: The section of the card the page returns to.
    anchor = ""

    def get_queryset(self):
        """The pairs the page applies to (what the page tests open, core.testing.pages)."""
        return pair_queryset(self.request.user, self.statuses)

    @cached_property
    def pair(self) -> Pair:
        pair = get_object_or_404(pair_queryset(self.request.user), pk=self.kwargs["pk"])
        if self.right == "write" and not can_write(self.request.user, pair):
            raise PermissionDenied("Недостаточно прав для изменения этой пары.")
        if self.right == "approve" and not self.scope.can_approve(pair.organization_id):
            raise PermissionDenied(services.APPROVE_REFUSED.format(pair.organization))
        return pair

    def status_refusal(self, pair: Pair) -> str:
        return f"Пара № {pair.pk} — {pair.get_status_display().lower()}: это действие для неё недоступно."

    def dispatch(self, request, *args, **kwargs):
        pair = self.pair
        refusal = self.status_refusal(pair) if self.statuses and pair.status not in self.statuses else None
        refusal = refusal or self.refusal(pair)
        if refusal:
            messages.warning(request, refusal)
            return HttpResponseRedirect(self.pair_url())
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, pair: Pair) -> str | None:
        """What else keeps the page from applying to the pair (e.g. no plan yet)."""
        return None

    def pair_url(self) -> str:
        return self.pair.get_absolute_url() + self.anchor


class PairFormView(PairPageMixin, generic.FormView):
    """A form about a pair whose data a service takes; a refusal lands on the form."""

    template_name = "core/form.html"
    title = ""
    success_message = "Сохранено."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, parent=self.pair, cancel_url=self.pair_url())
        return context

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.pair_url()


class PairChildCreateView(PairFormView):
    """A record of a pair's work (a meeting, a report, a plan item) made through its service."""

    model = None
    service = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.new_instance()
        return kwargs

    def new_instance(self):
        return self.model(pair=self.pair)

    def perform(self, form):
        type(self).service(**{self.service_argument: form.instance}, user=self.request.user)

    service_argument = ""


class PairConfirmView(PairPageMixin, generic.TemplateView):
    """A page that asks before an action (send for approval, approve a plan or a report)."""

    template_name = "mentorship/pair_confirm.html"
    title = ""
    text = ""
    button = "Подтвердить"
    success_message = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, text=self.text, button=self.button, pair=self.pair, cancel_url=self.pair_url())
        return context

    def perform(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            self.perform()
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(errors=error.messages))
        messages.success(request, self.success_message)
        return HttpResponseRedirect(self.pair_url())


# The list and the card ------------------------------------------------------------------------------


class PairListView(ScopedListView):
    model = Pair
    table_class = tables.PairTable
    filterset_class = filters.PairFilter
    template_name = "mentorship/pair_list.html"
    title = "Наставнические пары"
    create_url_name = "mentorship:pair_create"
    import_kind = "pairs"
    empty_hint = (
        "Пар пока нет. Нажмите «Добавить», чтобы сформировать пару с подбором наставника, или «Подобрать пары» — "
        "портал предложит наставников всей базе наставляемых. Черновик затем направляется руководителю на утверждение."
    )

    def get_queryset(self):
        return selectors.pair_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.scope
        context["can_approve_any"] = scope.is_superuser or bool(scope.approve_organization_ids)
        return context


class PairDetailView(ScopedDetailView):
    model = Pair
    template_name = "mentorship/pair_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related(*PAIR_RELATED, "organization__municipality")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pair, scope, today = self.object, self.scope, timezone.localdate()
        members = list(
            pair.members.select_related(
                "person__organization", "person__mentor_record", "person__mentee_record"
            ).prefetch_related("person__consents")
        )
        for member in members:
            member.readable = readable_organization(scope, member.person.organization)
        current = [m for m in members if m.left_on is None]
        # The Python twin of selectors.attention_condition, naming who and what.
        attention = [
            (m.person, m.person.consent_state)
            for m in current
            if pair.is_live and (m.person.consent_state.withdrawn or m.person.consent_state.lacks)
        ]
        plan = IndividualPlan.objects.filter(pair=pair).select_related("approved_by").first()
        monthly = list(pair.monthly_reports.all())
        mentor_report = MentorReport.objects.filter(pair=pair).select_related("approved_by").first()
        mentee_reports = {r.mentee_id: r for r in pair.mentee_reports.select_related("mentee")}
        ended = pair.status in ENDED_STATUSES
        end = pair.ended_on or pair.end_on
        report_mentees = [
            (m.person, mentee_reports.get(m.person_id))
            for m in members
            if m.role == BaseRole.MENTEE and (m.left_on is None or m.left_on >= end)
        ]
        due = pair.reports_due_on
        reports_missing = ended and (mentor_report is None or any(r is None for _p, r in report_mentees))
        context.update(
            can_approve=scope.can_approve(pair.organization_id),
            mentors=[m for m in members if m.role == BaseRole.MENTOR],
            mentees=[m for m in members if m.role == BaseRole.MENTEE],
            current_mentee_count=sum(1 for m in current if m.role == BaseRole.MENTEE),
            attention=attention,
            events=list(pair.events.select_related("person", "other_person", "order", "created_by")),
            plan=plan,
            plan_items=list(plan.items.all()) if plan else [],
            meetings=list(pair.meetings.all()),
            monthly_reports=monthly,
            missing_months=selectors.missing_months(pair, {r.month for r in monthly}, today),
            mentor_report=mentor_report,
            report_mentees=report_mentees,
            mentee_reports=list(mentee_reports.values()),
            reports_due_on=due,
            reports_overdue=bool(reports_missing and due and due < today),
            reports_missing=reports_missing,
            recognitions=list(pair.recognitions.select_related("person")),
            practices=list(pair.practices.all()),
            is_draft=pair.status == PairStatus.DRAFT,
            is_live=pair.is_live,
            is_ended=ended,
            is_working=pair.status in WORKING_STATUSES,
            can_reward=can_write(self.request.user, pair) or scope.can_approve(pair.organization_id),
            # Issue 10 §3: a name the papers cannot decline is printed in the nominative; say so first.
            paper_warnings=declension_warnings(pair.mentor, [p for p, _r in report_mentees]) if ended else [],
        )
        return context


# Forming a pair ------------------------------------------------------------------------------------


def pair_check_messages(form: forms.PairForm) -> dict | None:
    """What `services.pair_check` says of the pair as entered so far: what blocks saving (errors) and
    what will block its approval (warnings: consents, free places, other live pairs). None while
    the mentee, the form or the mentor is not chosen."""
    mentee, mentorship_form = form.chosen()
    mentor_id = form.chosen_mentor_id()
    mentor = form.fields["mentor"].queryset.filter(pk=mentor_id).first() if mentor_id else None
    if mentee is None or mentorship_form is None or mentor is None:
        return None
    more_ids = (
        [int(v) for v in form.data.getlist("more_mentees") if v.isdigit() and len(v) < 19] if form.is_bound else []
    )
    if not form.is_bound and form.pair is not None:
        more_ids = [i for i in services.current_mentee_ids(form.pair) if i != mentee.pk]
    more = list(form.fields["more_mentees"].queryset.filter(pk__in=more_ids).values_list("pk", flat=True))
    start = _date_or_today(form.data.get("start_on") if form.is_bound else form.initial.get("start_on"))
    pair = form.pair
    probe = Pair(
        pk=pair.pk if pair else None,
        status=pair.status if pair else PairStatus.DRAFT,
        organization=mentee.organization,
        form=mentorship_form,
        mentor=mentor,
        start_on=start,
    )
    people = services.load_people([mentor.pk, mentee.pk, *more])
    participants = [people[mentee.pk], *(people[i] for i in more if i in people)]
    errors = services.pair_check(pair=probe, mentor=people[mentor.pk], mentees=participants, for_approval=False)
    everything = services.pair_check(pair=probe, mentor=people[mentor.pk], mentees=participants, for_approval=True)
    return {"errors": errors, "warnings": [m for m in everything if m not in errors]}


def _date_or_today(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return timezone.localdate()


class PairFormPageMixin(ScopeMixin):
    """The page that forms a pair: the mentee and one of their forms, the suggested mentors with
    their reasons (mentorship.matching), the term; the rules checked live (htmx, `PairCheckView`)
    and, without JavaScript, by the service when saving. «Подобрать наставников» re-renders the
    page for the chosen mentee and form without saving."""

    template_name = "mentorship/pair_form.html"
    form_class = forms.PairForm
    pair = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "pair": self.pair}

    def post(self, request, *args, **kwargs):
        if "suggest" in request.POST:
            form = self.get_form()
            return self.render_to_response(self.get_context_data(form=form, suggesting=True))
        return super().post(request, *args, **kwargs)

    def suggestions(self, form) -> list:
        mentee, mentorship_form = form.chosen()
        if mentee is None or mentorship_form is None:
            return []
        suggestions = matching.suggest_mentors(mentee=mentee, form=mentorship_form, user=self.request.user)
        chosen = form.chosen_mentor_id() or (self.pair.mentor_id if self.pair else None)
        if chosen and chosen not in {s.mentor.pk for s in suggestions}:
            person = form.fields["mentor"].queryset.filter(pk=chosen).select_related("mentor_record").first()
            if person is not None:
                capacity = rules.mentor_capacity(person)
                load = rules.mentor_loads([person.pk]).get(person.pk, 0)
                suggestions.append(
                    matching.Suggestion(
                        mentor=person,
                        score=0,
                        against=["не среди подобранных: проверьте сообщения проверки"],
                        free=max(capacity - load, 0),
                        capacity=capacity,
                    )
                )
        return suggestions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        suggesting = kwargs.get("suggesting", False)
        if form.is_bound and not suggesting:
            form.mark_errors()
        mentee, mentorship_form = form.chosen()
        context.update(
            title=self.title,
            pair=self.pair,
            suggesting=suggesting,
            show_errors=form.is_bound and not suggesting,
            mentee=mentee,
            mentorship_form=mentorship_form,
            suggestions=self.suggestions(form),
            chosen_mentor=form.chosen_mentor_id() or (self.pair.mentor_id if self.pair else None),
            check=pair_check_messages(form),
            cancel_url=self.pair.get_absolute_url() if self.pair else reverse("mentorship:pair_list"),
        )
        return context

    def form_valid(self, form):
        pair, mentees = form.build()
        try:
            pair = services.pair_save(pair=pair, mentees=mentees, user=self.request.user)
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(pair.get_absolute_url())


class PairCreateView(PairFormPageMixin, generic.FormView):
    title = "Новая пара"
    success_message = "Черновик пары сохранён. Проверьте его и направьте руководителю на утверждение."

    def dispatch(self, request, *args, **kwargs):
        if not get_scope(request.user).can_write_any:
            raise PermissionDenied("Недостаточно прав для формирования пар.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = {"start_on": timezone.localdate(), "end_on": services.default_end(timezone.localdate())}
        for name in ("mentee", "form", "mentor"):
            value = self.request.GET.get(name, "")
            if value.isdigit() and len(value) < 19:
                initial[name] = int(value)
        return initial


class PairUpdateView(PairFormPageMixin, PairPageMixin, generic.FormView):
    """A draft is changed as it was formed; an approved pair changes by the buttons of its card."""

    statuses = (PairStatus.DRAFT,)
    title = "Изменение черновика пары"
    success_message = "Черновик пары сохранён."

    @cached_property
    def pair(self) -> Pair:
        return PairPageMixin.pair.func(self)

    def status_refusal(self, pair):
        return "Утверждённую пару не редактируют: замена наставника, продление, состав — кнопками на карточке."

    def get_initial(self):
        pair = self.pair
        mentees = services.current_mentee_ids(pair)
        return {
            "mentee": mentees[0] if mentees else None,
            "form": pair.form_id,
            "mentor": pair.mentor_id,
            "start_on": pair.start_on,
            "end_on": pair.end_on,
            "topic": pair.topic,
            "goal": pair.goal,
            "role_model": pair.role_model_id,
            "more_mentees": mentees[1:],
        }


class PairCheckView(ScopeMixin, generic.View):
    """The live check of the pair form (htmx posts the form here as it changes): what blocks saving
    and what will block approval, from `services.pair_check`. Opened by itself, a page."""

    def dispatch(self, request, *args, **kwargs):
        if not get_scope(request.user).can_write_any:
            raise PermissionDenied("Недостаточно прав для формирования пар.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.answer(request.GET)

    def post(self, request):
        return self.answer(request.POST)

    def answer(self, data):
        pair = None
        pair_id = data.get("pair_id", "")
        if pair_id.isdigit() and len(pair_id) < 19:
            pair = Pair.objects.for_user(self.request.user, write=True).filter(pk=int(pair_id)).first()
        form = forms.PairForm(data=data, user=self.request.user, pair=pair)
        context = {"check": pair_check_messages(form)}
        if getattr(self.request, "htmx", False):
            return render(self.request, "mentorship/includes/pair_check.html", context)
        return render(self.request, "mentorship/pair_check.html", {**context, "title": "Проверка пары"})


class PairDeleteView(ScopedDeleteView):
    model = Pair
    success_url = reverse_lazy("mentorship:pair_list")
    success_message = "Черновик пары удалён."

    def get_queryset(self):
        return super().get_queryset().filter(status=PairStatus.DRAFT).select_related("mentor")

    def delete_service(self, obj):
        services.pair_delete(pair=obj, user=self.request.user)


class PairSendView(PairConfirmView):
    """The curator sends a draft to the director (§3.6): what would stop the approval is told first."""

    statuses = (PairStatus.DRAFT,)
    title = "Направить на утверждение"
    text = (
        "Руководитель организации увидит пару среди ожидающих утверждения и утвердит её приказом "
        "(п. 3.6 Положения). Перед отправкой проверяется всё, что помешало бы утверждению: согласия, "
        "свободные места наставника, другие действующие пары наставляемых."
    )
    button = "Направить на утверждение"
    success_message = "Пара направлена руководителю на утверждение."

    def refusal(self, pair):
        if pair.approval_requested_on:
            return f"Пара уже направлена на утверждение {pair.approval_requested_on:%d.%m.%Y}."
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "errors" not in context:
            mentee_ids = services.current_mentee_ids(self.pair)
            people = services.load_people([self.pair.mentor_id, *mentee_ids])
            context["checked"] = True
            context["warnings"] = services.pair_check(
                pair=self.pair,
                mentor=people[self.pair.mentor_id],
                mentees=[people[i] for i in mentee_ids],
                for_approval=True,
            )
        return context

    def perform(self):
        services.pairs_request_approval(pairs=[self.pair], user=self.request.user)


# A whole base at once ------------------------------------------------------------------------------


class PairProposeView(ScopeMixin, generic.TemplateView):
    """A proposal for the organization's whole base of mentees (mentorship.matching.propose_pairs):
    each mentee's best free mentor, to keep, change or leave out, accepted in one step as drafts."""

    template_name = "mentorship/pair_propose.html"

    def dispatch(self, request, *args, **kwargs):
        if not get_scope(request.user).can_write_any:
            raise PermissionDenied("Недостаточно прав для формирования пар.")
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def organizations(self):
        return list(Organization.objects.for_user(self.request.user, write=True).order_by("short_name"))

    def chosen(self, data):
        organization = mentorship_form = None
        value = data.get("organization", "")
        if value.isdigit() and len(value) < 19:
            organization = next((o for o in self.organizations if o.pk == int(value)), None)
        elif len(self.organizations) == 1:
            organization = self.organizations[0]
        value = data.get("form", "")
        if value.isdigit() and len(value) < 19:
            mentorship_form = MentorshipForm.objects.filter(pk=int(value)).first()
        return organization, mentorship_form

    def options(self, form_ids) -> dict[int, list[tuple[int, str]]]:
        """The mentors one may choose instead, per form: free ones of the visible base, by name."""
        user = self.request.user
        result = {}
        for form_id in form_ids:
            people = list(
                forms.selectable_mentors(user).filter(mentor_record__forms=form_id).select_related("mentor_record")
            )
            loads = rules.mentor_loads([p.pk for p in people])
            result[form_id] = [
                (p.pk, f"{p.full_name} — {p.organization} (свободно {free} из {capacity})")
                for p in sorted(people, key=lambda p: (p.last_name, p.first_name, p.middle_name, p.pk))
                if (free := (capacity := p.mentor_record.capacity) - loads.get(p.pk, 0)) > 0
            ]
        return result

    def rows(self, proposals, data=None):
        options = self.options({p.form.pk for p in proposals})
        rows = []
        for index, proposal in enumerate(proposals):
            suggested = proposal.suggestion.mentor.pk if proposal.suggestion else None
            chosen = suggested
            if data is not None:
                value = data.get(f"mentor_{index}", "")
                chosen = int(value) if value.isdigit() and len(value) < 19 else None
            choices = list(options.get(proposal.form.pk, []))
            if suggested and suggested not in {pk for pk, _ in choices}:
                choices.insert(0, (suggested, proposal.suggestion.mentor.full_name))
            rows.append({"index": index, "proposal": proposal, "choices": choices, "chosen": chosen})
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = kwargs.get("data") or self.request.GET
        organization, mentorship_form = self.chosen(data)
        proposals = (
            matching.propose_pairs(organization=organization, user=self.request.user, form=mentorship_form)
            if organization
            else []
        )
        today = timezone.localdate()
        context.update(
            title="Подбор пар для всей базы",
            organizations=self.organizations,
            organization=organization,
            mentorship_form=mentorship_form,
            forms_list=MentorshipForm.objects.all(),
            rows=self.rows(proposals, kwargs.get("data")),
            start_on=kwargs.get("start_on") or today,
            end_on=kwargs.get("end_on") or services.default_end(today),
            errors=kwargs.get("errors", []),
        )
        return context

    def post(self, request, *args, **kwargs):
        data = request.POST
        organization, mentorship_form = self.chosen(data)
        if organization is None:
            raise Http404("Организация не найдена среди ваших.")
        start_on = _date_or_none(data.get("start_on"))
        end_on = _date_or_none(data.get("end_on"))
        proposals = matching.propose_pairs(organization=organization, user=request.user, form=mentorship_form)
        # The rows as the curator saw them: matched by mentee and form, not by position.
        by_key = {(p.mentee.pk, p.form.pk): p for p in proposals}
        choices, errors = [], []
        index = 0
        while f"mentee_{index}" in data:
            mentee_id, form_id, mentor_id = (data.get(f"{name}_{index}", "") for name in ("mentee", "form", "mentor"))
            index += 1
            if not mentor_id:
                continue  # «не назначать»
            if not all(v.isdigit() and len(v) < 19 for v in (mentee_id, form_id, mentor_id)):
                errors.append("Строка предложения повреждена: обновите страницу.")
                continue
            if (int(mentee_id), int(form_id)) not in by_key:
                errors.append("Наставляемый уже в паре этой формы или не в базе: обновите страницу предложения.")
                continue
            choices.append((int(mentee_id), int(form_id), int(mentor_id)))
        if start_on is None:
            errors.append("Укажите дату начала пар.")
        if not choices and not errors:
            errors.append("Не выбрано ни одного наставника: отметьте, кого назначить.")
        if not errors:
            try:
                pairs = matching.accept_proposals(
                    organization=organization, choices=choices, start_on=start_on, end_on=end_on, user=request.user
                )
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(
                    request,
                    f"Создано {count_noun(len(pairs), 'черновик пары,черновика пар,черновиков пар')}. "
                    "Проверьте их и направьте на утверждение.",
                )
                return HttpResponseRedirect(reverse("mentorship:pair_list") + "?approval=to_send")
        return self.render_to_response(
            self.get_context_data(data=data, errors=errors, start_on=start_on, end_on=end_on)
        )


def _date_or_none(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def draft_rows(form, listed: list[Pair]) -> dict:
    """The drafts to check for an order (mentorship/includes/draft_choice.html): each with its
    current mentees and whether it is checked (as posted, or as the page first offers it)."""
    checked = {str(v) for v in (form.data.getlist("pairs") if form.is_bound else form.initial.get("pairs", []))}
    return {
        "rows": [
            {"pair": pair, "mentees": tables.current_mentees(pair), "checked": str(pair.pk) in checked}
            for pair in listed
        ],
        "show_organization": len({pair.organization_id for pair in listed}) > 1,
    }


class PairApproveView(ScopeMixin, generic.FormView):
    """The director approves drafts by an order (§3.6): the drafts awaiting approval, checked, with
    the order's number and date; every refusal is listed by pair. `?pair=N` opens it for one pair."""

    template_name = "mentorship/pair_approve.html"
    form_class = forms.ApprovalForm

    def dispatch(self, request, *args, **kwargs):
        scope = get_scope(request.user)
        if not (scope.is_superuser or scope.approve_organization_ids):
            raise PermissionDenied("Утверждает пары руководитель организации (п. 3.6 Положения).")
        return super().dispatch(request, *args, **kwargs)

    def drafts(self):
        scope = self.scope
        drafts = Pair.objects.for_user(self.request.user).filter(status=PairStatus.DRAFT)
        if not scope.is_superuser:
            drafts = drafts.filter(organization__in=scope.approve_organization_ids)
        return drafts

    @cached_property
    def requested_pair_id(self) -> int | None:
        value = self.request.GET.get("pair", "")
        return int(value) if value.isdigit() and len(value) < 19 else None

    @cached_property
    def listed(self) -> list[Pair]:
        condition = selectors.AWAITING
        if self.requested_pair_id:
            condition |= Q(pk=self.requested_pair_id)
        return list(
            self.drafts()
            .filter(condition)
            .select_related("organization", "form", "mentor")
            .prefetch_related(selectors.member_prefetch())
            .order_by("organization__short_name", "approval_requested_on", "pk")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "pairs": self.drafts()}

    def get_initial(self):
        initial = {"order_date": timezone.localdate()}
        if self.requested_pair_id:
            initial["pairs"] = [self.requested_pair_id]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title="Утверждение пар приказом", **draft_rows(context["form"], self.listed))
        return context

    def form_valid(self, form):
        pairs = list(form.cleaned_data["pairs"])
        number, date = form.cleaned_data["order_number"], form.cleaned_data["order_date"]
        try:
            order = services.pairs_approve(pairs=pairs, number=number, date=date, user=self.request.user)
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Утверждено {count_noun(len(pairs), PAIRS)}: {order}. Пары действуют с даты начала."
        )
        if len(pairs) == 1:
            return HttpResponseRedirect(pairs[0].get_absolute_url())
        return HttpResponseRedirect(reverse("mentorship:pair_approve"))


class PairOrderPrepareView(ScopeMixin, generic.FormView):
    """The curator prepares the school's order on pairs (seed 002 item 8, Положение §3.6) from its
    drafts, those sent for approval checked; the draft goes to the register, where the director
    reads it and issues it with a number and a date, which approves the pairs (core.issuing)."""

    template_name = "mentorship/pair_order_prepare.html"
    form_class = forms.PairOrderForm

    def dispatch(self, request, *args, **kwargs):
        scope = get_scope(request.user)
        if not scope.can_write_any:
            raise PermissionDenied("Приказ о закреплении пар готовит куратор организации или координатор.")
        return super().dispatch(request, *args, **kwargs)

    def drafts(self):
        return Pair.objects.for_user(self.request.user, write=True).filter(status=PairStatus.DRAFT)

    @cached_property
    def listed(self) -> list[Pair]:
        return list(
            self.drafts()
            .select_related("organization", "form", "mentor")
            .prefetch_related(selectors.member_prefetch())
            .order_by("organization__short_name", F("approval_requested_on").asc(nulls_last=True), "pk")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "pairs": self.drafts()}

    def get_initial(self):
        return {"pairs": [pair.pk for pair in self.listed if pair.approval_requested_on]}

    def get_context_data(self, **kwargs):
        from core.models import IssuedDocument

        context = super().get_context_data(**kwargs)
        context.update(
            title="Приказ о закреплении наставнических пар",
            **draft_rows(context["form"], self.listed),
            prepared=IssuedDocument.objects.for_user(self.request.user)
            .filter(kind=PairOrder.code, status=IssuedDocument.Status.DRAFT)
            .select_related("organization")
            .order_by("-prepared_at")[:20],
        )
        return context

    def form_valid(self, form):
        from core.issuing import document_prepare

        pairs = list(form.cleaned_data["pairs"])
        organization = pairs[0].organization
        try:
            kind = PairOrder.for_pairs(organization, [pair.pk for pair in pairs])
        except ValidationError as error:
            form.add_error("pairs", error.messages)
            return self.form_invalid(form)
        document = document_prepare(
            kind=kind, user=self.request.user, municipality=organization.municipality, organization=organization
        )
        messages.success(
            self.request,
            f"Проект приказа подготовлен: {count_noun(len(pairs), PAIRS)}. Руководитель издаст его из реестра документов.",
        )
        return HttpResponseRedirect(document.get_absolute_url())


# Changes of a live pair --------------------------------------------------------------------------


class PairAddMenteeView(PairFormView):
    statuses = LIVE_STATUSES
    form_class = forms.AddMenteeForm
    title = "Добавить наставляемого в группу"
    success_message = "Наставляемый добавлен в группу."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pair": self.pair}

    def get_initial(self):
        return {"on": max(timezone.localdate(), self.pair.start_on)}

    def perform(self, form):
        data = form.cleaned_data
        services.pair_add_mentee(pair=self.pair, mentee=data["mentee"], on=data["on"], user=self.request.user)


class PairRemoveMenteeView(PairFormView):
    statuses = LIVE_STATUSES
    form_class = forms.RemoveMenteeForm
    title = "Выбытие наставляемого"
    success_message = "Выбытие наставляемого записано; его период в паре сохранён."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pair": self.pair}

    def get_initial(self):
        initial = {"on": timezone.localdate()}
        value = self.request.GET.get("mentee", "")
        if value.isdigit() and len(value) < 19:
            initial["mentee"] = int(value)
        return initial

    def perform(self, form):
        data = form.cleaned_data
        services.pair_remove_mentee(
            pair=self.pair,
            mentee=data["mentee"],
            on=data["on"],
            reason=data["reason"],
            comment=data["comment"],
            user=self.request.user,
        )


class PairReplaceMentorView(PairFormView):
    statuses = LIVE_STATUSES
    form_class = forms.ReplaceMentorForm
    title = "Замена наставника"
    success_message = "Наставник заменён; период прежнего наставника сохранён в истории пары."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pair": self.pair}

    def get_initial(self):
        return {"on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        services.pair_replace_mentor(
            pair=self.pair,
            mentor=data["mentor"],
            on=data["on"],
            reason=data["reason"],
            comment=data["comment"],
            user=self.request.user,
        )


class PairExtendView(PairFormView):
    statuses = LIVE_STATUSES
    form_class = forms.ExtendForm
    title = "Продление срока пары"
    success_message = "Срок пары продлён."

    def get_initial(self):
        return {"new_end": self.pair.end_on + datetime.timedelta(days=30)}

    def perform(self, form):
        data = form.cleaned_data
        services.pair_extend(
            pair=self.pair, new_end=data["new_end"], reason=data["reason"], comment=data["comment"],
            user=self.request.user,
        )  # fmt: skip


class PairTerminateView(PairFormView):
    statuses = LIVE_STATUSES
    form_class = forms.TerminateForm
    title = "Досрочное прекращение пары"
    success_message = "Пара прекращена досрочно. Итоговые отчёты сдаются в течение 10 дней."

    def get_initial(self):
        return {"on": timezone.localdate()}

    def perform(self, form):
        data = form.cleaned_data
        services.pair_terminate(
            pair=self.pair, on=data["on"], reason=data["reason"], comment=data["comment"], user=self.request.user
        )


# The plan ------------------------------------------------------------------------------------------


class PlanStartView(PairPageMixin, generic.View):
    """Start the individual plan from the template of the pair's form (a button on the card)."""

    statuses = (PairStatus.DRAFT, *LIVE_STATUSES)
    anchor = "#plan"

    def refusal(self, pair):
        return "У пары уже есть индивидуальный план." if IndividualPlan.objects.filter(pair=pair).exists() else None

    def post(self, request, *args, **kwargs):
        try:
            services.plan_start(pair=self.pair, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Индивидуальный план начат по шаблону формы: измените пункты под пару.")
        return HttpResponseRedirect(self.pair_url())


class PlanMixin:
    """A page of the pair's plan: only for a pair that has one."""

    anchor = "#plan"

    def get_queryset(self):
        return super().get_queryset().filter(plan__isnull=False)

    def refusal(self, pair):
        return None if self.plan else "У пары ещё нет индивидуального плана: начните его на карточке пары."

    @cached_property
    def plan(self) -> IndividualPlan | None:
        return IndividualPlan.objects.filter(pair=self.pair).first()


class PlanItemCreateView(PlanMixin, PairChildCreateView):
    model = PlanItem
    form_class = forms.PlanItemForm
    service = services.plan_item_save
    service_argument = "item"
    title = "Новый пункт плана"
    success_message = "Пункт плана добавлен."

    def new_instance(self):
        return PlanItem(plan=self.plan, order=self.plan.items.count())


class PlanItemUpdateView(ScopedUpdateView):
    model = PlanItem
    form_class = forms.PlanItemForm
    title = "Пункт плана"

    def get_queryset(self):
        return super().get_queryset().select_related("plan__pair__organization")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "parent": self.object.plan.pair}

    def save_service(self, form):
        return services.plan_item_save(item=form.instance, user=self.request.user)


class PlanItemDeleteView(ScopedDeleteView):
    model = PlanItem
    success_message = "Пункт плана удалён."

    def get_queryset(self):
        return super().get_queryset().select_related("plan__pair__organization")

    def get_success_url(self):
        return self.object.get_absolute_url()

    def delete_service(self, obj):
        services.plan_item_delete(item=obj, user=self.request.user)


class PlanAcknowledgeView(PlanMixin, PairFormView):
    form_class = forms.PlanAcknowledgeForm
    title = "Ознакомление наставляемого с планом"
    success_message = "Дата ознакомления наставляемого с планом записана (п. 3.11 Положения)."

    def get_initial(self):
        return {"acknowledged_on": self.plan.acknowledged_on or timezone.localdate()}

    def perform(self, form):
        services.plan_acknowledge(plan=self.plan, on=form.cleaned_data["acknowledged_on"], user=self.request.user)


class PlanApproveView(PlanMixin, PairConfirmView):
    right = "approve"
    title = "Утвердить индивидуальный план"
    text = "Руководитель утверждает индивидуальный план наставничества (п. 4.1 Положения)."
    button = "Утвердить план"
    success_message = "Индивидуальный план утверждён."

    def perform(self):
        services.plan_approve(plan=self.plan, user=self.request.user)


# Meetings and reports -----------------------------------------------------------------------------


class MeetingCreateView(PairChildCreateView):
    statuses = WORKING_STATUSES
    model = Meeting
    form_class = forms.MeetingForm
    service = services.meeting_save
    service_argument = "meeting"
    anchor = "#meetings"
    title = "Новая встреча"
    success_message = "Встреча внесена."

    def status_refusal(self, pair):
        return "Встречи вносятся после утверждения пары приказом."

    def get_initial(self):
        return {"held_on": timezone.localdate()}


class PairRecordUpdateView(ScopedUpdateView):
    """A record of a pair's work, changed through its service; its card section is where it returns."""

    service = None
    service_argument = ""

    def get_queryset(self):
        return super().get_queryset().select_related("pair__organization")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "parent": self.object.pair}

    def save_service(self, form):
        return type(self).service(**{self.service_argument: form.instance}, user=self.request.user)


class MeetingUpdateView(PairRecordUpdateView):
    model = Meeting
    form_class = forms.MeetingForm
    service = services.meeting_save
    service_argument = "meeting"
    title = "Встреча"


class MeetingDeleteView(ScopedDeleteView):
    model = Meeting
    success_message = "Встреча удалена."

    def get_queryset(self):
        return super().get_queryset().select_related("pair__organization")

    def get_success_url(self):
        return self.object.get_absolute_url()

    def delete_service(self, obj):
        services.meeting_delete(meeting=obj, user=self.request.user)


class MonthlyReportCreateView(PairChildCreateView):
    statuses = WORKING_STATUSES
    model = MonthlyReport
    form_class = forms.MonthlyReportForm
    service = services.monthly_report_save
    service_argument = "report"
    anchor = "#reports"
    title = "Ежемесячный отчёт наставника"
    success_message = "Отчёт за месяц внесён."

    def status_refusal(self, pair):
        return "Отчёты ведутся после утверждения пары приказом."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pair": self.pair}

    def get_initial(self):
        initial = {"submitted_on": timezone.localdate()}
        month = _date_or_none(self.request.GET.get("month"))
        if month:
            initial["month"] = month.replace(day=1).isoformat()
        return initial


class MonthlyReportUpdateView(PairRecordUpdateView):
    model = MonthlyReport
    form_class = forms.MonthlyReportForm
    service = services.monthly_report_save
    service_argument = "report"
    title = "Ежемесячный отчёт наставника"


class MentorReportCreateView(PairChildCreateView):
    statuses = ENDED_STATUSES
    model = MentorReport
    form_class = forms.MentorReportForm
    service = services.mentor_report_save
    service_argument = "report"
    anchor = "#reports"
    title = "Отчёт наставника о выполнении плана"
    success_message = "Отчёт наставника внесён. Его утверждает руководитель."

    def status_refusal(self, pair):
        return "Итоговые отчёты сдаются по завершении наставничества (п. 3.12–3.13 Положения)."

    def get_queryset(self):
        return super().get_queryset().filter(mentor_report__isnull=True)

    def refusal(self, pair):
        return "Отчёт наставника уже внесён: откройте его." if MentorReport.objects.filter(pair=pair).exists() else None

    def get_initial(self):
        return {"submitted_on": timezone.localdate()}


class MentorReportUpdateView(PairRecordUpdateView):
    model = MentorReport
    form_class = forms.MentorReportForm
    service = services.mentor_report_save
    service_argument = "report"
    title = "Отчёт наставника о выполнении плана"


class MentorReportApproveView(PairConfirmView):
    statuses = ENDED_STATUSES
    right = "approve"
    anchor = "#reports"
    title = "Утвердить отчёт наставника"
    text = "Руководитель утверждает отчёт наставника о выполнении индивидуального плана (п. 4.1 Положения)."
    button = "Утвердить отчёт"
    success_message = "Отчёт наставника утверждён."

    def get_queryset(self):
        return super().get_queryset().filter(mentor_report__isnull=False)

    def refusal(self, pair):
        report = MentorReport.objects.filter(pair=pair).first()
        if report is None:
            return "Отчёта наставника ещё нет."
        if report.approved_on:
            return f"Отчёт наставника уже утверждён {report.approved_on:%d.%m.%Y}."
        return None

    def perform(self):
        services.mentor_report_approve(report=MentorReport.objects.get(pair=self.pair), user=self.request.user)


class MenteeReportCreateView(PairChildCreateView):
    statuses = ENDED_STATUSES
    model = MenteeReport
    form_class = forms.MenteeReportForm
    service = services.mentee_report_save
    service_argument = "report"
    anchor = "#reports"
    title = "Отчёт наставляемого"
    success_message = "Отчёт наставляемого внесён."

    def status_refusal(self, pair):
        return "Итоговые отчёты сдаются по завершении наставничества (п. 3.12–3.13 Положения)."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pair": self.pair}

    def get_initial(self):
        initial = {"submitted_on": timezone.localdate()}
        value = self.request.GET.get("mentee", "")
        if value.isdigit() and len(value) < 19:
            initial["mentee"] = int(value)
        return initial


class MenteeReportUpdateView(PairRecordUpdateView):
    model = MenteeReport
    form_class = forms.MenteeReportForm
    service = services.mentee_report_save
    service_argument = "report"
    title = "Отчёт наставляемого"


# Recognition ---------------------------------------------------------------------------------------


class RecognitionListView(ScopedListView):
    model = Recognition
    table_class = tables.RecognitionTable
    filterset_class = filters.RecognitionFilter
    title = "Поощрения наставников"
    create_url_name = "mentorship:recognition_create"
    empty_hint = (
        "Поощрений пока нет. Благодарности, грамоты и выдвижения на конкурсы вносятся здесь или с карточки пары "
        "(п. 3.15 Положения)."
    )

    def get_queryset(self):
        return Recognition.objects.for_user(self.request.user).select_related("person__organization", "pair")

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "user": self.request.user}


class RecognitionSuccessMixin:
    def get_success_url(self):
        if self.object.pair_id:
            return self.object.pair.get_absolute_url()
        return reverse("mentorship:recognition_list")


class RecognitionCreateView(RecognitionSuccessMixin, ScopedCreateView):
    model = Recognition
    form_class = forms.RecognitionForm
    title = "Поощрение наставника"
    success_message = "Поощрение внесено."

    def get_initial(self):
        initial = {"awarded_on": timezone.localdate()}
        for name in ("person", "pair"):
            value = self.request.GET.get(name, "")
            if value.isdigit() and len(value) < 19:
                initial[name] = int(value)
        return initial

    def save_service(self, form):
        return services.recognition_save(recognition=form.instance, user=self.request.user)


class RecognitionUpdateView(RecognitionSuccessMixin, ScopedUpdateView):
    model = Recognition
    form_class = forms.RecognitionForm
    title = "Поощрение наставника"

    def get_queryset(self):
        return super().get_queryset().select_related("person__organization", "pair")

    def save_service(self, form):
        return services.recognition_save(recognition=form.instance, user=self.request.user)


class RecognitionDeleteView(ScopedDeleteView):
    model = Recognition
    success_url = reverse_lazy("mentorship:recognition_list")
    success_message = "Поощрение удалено."

    def get_queryset(self):
        return super().get_queryset().select_related("person__organization")

    def delete_service(self, obj):
        services.recognition_delete(recognition=obj, user=self.request.user)


# Practices -------------------------------------------------------------------------------------------


class PracticeListView(ScopedListView):
    model = Practice
    table_class = tables.PracticeTable
    filterset_class = filters.PracticeFilter
    title = "Банк практик"
    create_url_name = "mentorship:practice_create"
    export_personal = False
    empty_hint = (
        "Практик пока нет. Успешные практики наставничества школ муниципалитета собираются здесь "
        "(дорожная карта, п. 4.3): опишите практику и приложите материалы."
    )

    def get_queryset(self):
        return (
            Practice.objects.for_user(self.request.user)
            .select_related("organization", "form")
            .prefetch_related("files")
        )

    def show_organization(self):
        return True  # the bank is the municipality's


class PracticeDetailView(ScopedDetailView):
    model = Practice
    template_name = "mentorship/practice_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organization", "form", "municipality")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = set(
            Pair.objects.for_user(self.request.user).values_list("pk", flat=True).filter(practices=self.object)
        )
        context["files"] = list(self.object.files.all())
        context["pairs"] = [
            (pair, pair.pk in visible) for pair in self.object.pairs.select_related("form", "organization")
        ]
        return context


class PracticeSaveMixin:
    def save_service(self, form):
        return services.practice_save(practice=form.instance, pairs=form.cleaned_data["pairs"], user=self.request.user)


class PracticeCreateView(PracticeSaveMixin, ScopedCreateView):
    model = Practice
    form_class = forms.PracticeForm
    title = "Новая практика"
    success_message = "Практика добавлена в банк. Приложите материалы."

    def get_initial(self):
        value = self.request.GET.get("pair", "")
        return {"pairs": [int(value)]} if value.isdigit() and len(value) < 19 else {}


class PracticeUpdateView(PracticeSaveMixin, ScopedUpdateView):
    model = Practice
    form_class = forms.PracticeForm
    title = "Изменение практики"


class PracticeDeleteView(ScopedDeleteView):
    model = Practice
    success_url = reverse_lazy("mentorship:practice_list")
    success_message = "Практика удалена из банка."

    def delete_service(self, obj):
        services.practice_delete(practice=obj, user=self.request.user)


class PracticeFileCreateView(ChildCreateView):
    model = PracticeFile
    parent_model = Practice
    form_class = forms.PracticeFileForm
    title = "Материал практики"
    success_message = "Файл приложен к практике."

    def save_service(self, form):
        form.instance.practice = self.get_parent()
        return services.practice_file_add(file=form.instance, user=self.request.user)


class PracticeFileDeleteView(ScopedDeleteView):
    model = PracticeFile
    success_message = "Файл удалён."

    def get_queryset(self):
        return super().get_queryset().select_related("practice")

    def get_success_url(self):
        return self.object.practice.get_absolute_url()

    def delete_service(self, obj):
        services.practice_file_delete(file=obj, user=self.request.user)


class PracticeFileDownloadView(generic.View):
    """A practice's file: for the municipality it belongs to, and every download is journalled
    (as registry.views.ConsentScanView)."""

    def get(self, request, pk):
        item = get_object_or_404(PracticeFile.objects.for_user(request.user).select_related("practice"), pk=pk)
        return journalled_download(request, obj=item, file=item.file, parent=item.practice)


# The base of mentors for matching -------------------------------------------------------------------


class MentorBaseView(ScopedListView):
    """The mentors a curator may choose: their own and the municipality's partner enterprises',
    colleges' and universities' (rules.mentor_visible_condition), with only what choosing needs."""

    model = MentorRecord
    table_class = tables.MentorBaseTable
    filterset_class = filters.MentorBaseFilter
    title = "Наставники для подбора"
    empty_hint = (
        "Наставников для подбора пока нет. Включите педагогов и старшеклассников в базу наставников из их карточек; "
        "наставники предприятий-партнёров, колледжей и вузов муниципалитета появятся здесь сами."
    )

    def get_queryset(self):
        return selectors.mentor_base(self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        people = Person.objects.filter(rules.mentor_visible_condition(self.scope), mentor_record__isnull=False)
        kwargs["organizations"] = Organization.objects.filter(pk__in=people.values("organization"))
        return kwargs

    def get_table_kwargs(self):
        return {"scope": self.scope}


class MentorLimitView(ScopeMixin, generic.FormView):
    """§4.1: the director sets how many mentees a mentor of their organization takes at a time."""

    template_name = "core/form.html"
    form_class = forms.MentorLimitForm

    def get_queryset(self):
        return MentorRecord.objects.for_user(self.request.user).select_related("person__organization")

    @cached_property
    def record(self) -> MentorRecord:
        record = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not self.scope.can_approve(record.person.organization_id):
            raise PermissionDenied(services.APPROVE_REFUSED.format(record.person.organization))
        return record

    def dispatch(self, request, *args, **kwargs):
        self.record  # noqa: B018  (404 or 403 before anything else)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"max_mentees": self.record.max_mentees}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title="Предел наставляемых",
            parent=self.record.person,
            cancel_url=reverse("mentorship:mentor_base"),
        )
        return context

    def form_valid(self, form):
        try:
            services.mentor_limit_set(
                record=self.record, limit=form.cleaned_data["max_mentees"], user=self.request.user
            )
        except ValidationError as error:
            form.apply_error(error)
            return self.form_invalid(form)
        messages.success(self.request, f"Предел наставляемых для {self.record.person.short_name} сохранён.")
        return HttpResponseRedirect(reverse("mentorship:mentor_base"))


# A person's pairs, on the registry's person page (core.panels) ------------------------------------


def person_pairs_panel(request, person) -> str:
    """The pairs of a person the viewer may see, with the person's role and period in each."""
    memberships = selectors.person_memberships(request.user, person)
    in_base = hasattr(person, "mentor_record") or hasattr(person, "mentee_record")
    if not memberships and not in_base:
        return ""
    return render_to_string(
        "mentorship/includes/person_pairs.html",
        {"memberships": memberships, "person": person, "can_create": can_write(request.user, person)},
        request=request,
    )


# The pair's papers (issue 10) ------------------------------------------------------------------------


class PairPaperView(ScopeMixin, generic.View):
    """A pair's paper as PDF (mentorship.kinds): the card of any pair its reader sees; the completion
    reports of an ended pair (§3.12–3.13); a gratitude or a certificate for the mentor of a completed
    pair (§3.15), prepared by the school's curator or director (or the coordinator). Another school's
    pair answers 404, a paper the pair cannot have 404, a reader who may not reward 403. Each
    download is journalled on the pair's history."""

    code = ""

    def get(self, request, pk):
        pair = get_object_or_404(
            Pair.objects.for_user(request.user).select_related(*PAIR_RELATED, "organization__municipality"), pk=pk
        )
        if not paper_available(self.code, pair):
            raise Http404("Этот документ печатается для завершённой пары.")
        kind_cls = PAIR_PAPERS[self.code]
        if issubclass(kind_cls, RecognitionSheet) and not (
            can_write(request.user, pair) or self.scope.can_approve(pair.organization_id)
        ):
            raise PermissionDenied("Благодарность и грамоту готовят куратор или руководитель организации.")
        return printed_download(request, kind_cls(pair), obj=pair, filters={"pair": pair.pk})
