"""Writes of mentorship. Every rule of a pair is enforced here (with the checks of
`mentorship.rules`); views, the admin, imports and management commands call these functions and
nothing else to change a pair, its plan, meetings and reports.

Rights: a curator (or the coordinator) prepares drafts and records the work of a pair; the
director of the pair's organization approves — pairs by order (Положение §3.6), the individual
plan and the mentor's report (§4.1), a mentor's lower limit of mentees (§4.1).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from core.audit import audit_save, snapshot
from core.russian import count_noun
from core.scoping import ensure_can_write, get_scope
from core.services import delete_audited, save_audited
from mentorship import rules
from mentorship.models import (
    DEFAULT_TERM_MONTHS,
    ENDED_STATUSES,
    LIVE_STATUSES,
    ApprovalOrder,
    EndReason,
    EventKind,
    ExtensionReason,
    IndividualPlan,
    Meeting,
    MeetingKind,
    MenteeReport,
    MentorReport,
    MonthlyReport,
    Pair,
    PairEvent,
    PairMember,
    PairStatus,
    PlanItem,
    Practice,
    PracticeFile,
    Recognition,
    ReplacementReason,
)
from mentorship.plan_templates import template_items
from registry.choices import BaseRole
from registry.models import MentorRecord, Organization, Person

APPROVE_REFUSED = "Утверждает руководитель организации (п. 3.6 Положения): у вас нет роли руководителя «{}»."


def _date(value: datetime.date) -> str:
    return date_format(value, "d.m.Y")


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_end(start: datetime.date) -> datetime.date:
    """The planned end when none is given: 3 months to a year is the usual term (docs/product.md)."""
    return add_months(start, DEFAULT_TERM_MONTHS)


def status_by_dates(start: datetime.date, end: datetime.date, today: datetime.date) -> str:
    """An approved pair's status by its dates: «approved» becomes «active» on the start date and
    «completed» after the (extended) end."""
    if start > today:
        return PairStatus.APPROVED
    if end < today:
        return PairStatus.COMPLETED
    return PairStatus.ACTIVE


# Rights ------------------------------------------------------------------------------------------


def ensure_can_approve(user, obj) -> None:
    """The director of the object's organization (or the system, or staff) approves it."""
    if user is None:
        return
    organization_id = _organization_id(obj)
    if not get_scope(user).can_approve(organization_id):
        from registry.models import Organization

        name = Organization.objects.filter(pk=organization_id).values_list("short_name", flat=True).first() or ""
        raise PermissionDenied(APPROVE_REFUSED.format(name))


def _organization_id(obj) -> int | None:
    if isinstance(obj, Pair | ApprovalOrder):
        return obj.organization_id
    if isinstance(obj, IndividualPlan | MentorReport | PairEvent):
        return obj.pair.organization_id
    if isinstance(obj, MentorRecord):
        return obj.person.organization_id
    return getattr(obj, "organization_id", None)


# Loading the people of a pair ------------------------------------------------------------------


def load_people(ids: Iterable[int]) -> dict[int, Person]:
    """The persons with what the rules read: organization, base records with their forms, consents."""
    queryset = (
        Person.objects.filter(pk__in=set(ids))
        .select_related("organization", "mentor_record", "mentee_record")
        .prefetch_related("consents", "mentor_record__forms", "mentee_record__forms")
    )
    return {person.pk: person for person in queryset}


def current_members(pair: Pair, role: str | None = None) -> list[PairMember]:
    queryset = pair.members.filter(left_on__isnull=True).select_related("person").order_by("role", "pk")
    if role:
        queryset = queryset.filter(role=role)
    return list(queryset)


def current_mentee_ids(pair: Pair) -> list[int]:
    return [m.person_id for m in current_members(pair, BaseRole.MENTEE)]


def pair_check(
    *, pair: Pair, mentor: Person | None, mentees: Sequence[Person], for_approval: bool, today=None
) -> list[str]:
    """Every refusal the pair meets now: the form's sense always; consents (§3.5), the mentor's free
    places (§3.4) and the mentees' other live pairs when it is to be approved. What the pair form
    shows live (htmx) and what the services raise."""
    today = today or timezone.localdate()
    on = max(pair.start_on, today) if pair.start_on else today
    messages = rules.participant_refusals(
        form=pair.form, organization=pair.organization, mentor=mentor, mentees=mentees, on=on
    )
    if for_approval and mentor is not None:
        messages += rules.consent_refusals([mentor, *mentees], on=on)
        messages += rules.live_pair_refusals(form=pair.form, mentees=mentees, exclude_pair_id=pair.pk)
        adding = len(mentees)
        messages += rules.capacity_refusals(
            mentor,
            adding=adding,
            exclude_pair_id=pair.pk if pair.pk and pair.status in LIVE_STATUSES else None,
        )
    return messages


def mentor_selectable(user, mentor: Person) -> bool:
    """May `user` choose `mentor` for a pair? Their own people, and the mentors of the municipality's
    partner enterprises, colleges and universities (docs/product.md)."""
    if user is None:
        return True
    return Person.objects.filter(rules.mentor_visible_condition(get_scope(user)), pk=mentor.pk).exists()


def _refuse(messages: list[str], field: str | None = None) -> None:
    if messages:
        raise ValidationError({field: messages} if field else messages)


def _event(pair: Pair, kind: str, user, *, on: datetime.date, ensure=ensure_can_write, **fields) -> PairEvent:
    return save_audited(
        instance=PairEvent(pair=pair, kind=kind, on=on, created_by=_actor(user), **fields),
        user=user,
        parent=pair,
        ensure=ensure,
    )


def _actor(user):
    return user if user is not None and user.pk else None


def _save_pair(pair: Pair, user, ensure=ensure_can_write) -> Pair:
    return save_audited(instance=pair, user=user, ensure=ensure)


# Drafts ------------------------------------------------------------------------------------------


@transaction.atomic
def pair_save(*, pair: Pair, mentees: Sequence[Person], user, today: datetime.date | None = None) -> Pair:
    """Create a draft pair or group, or change a draft: its form, mentor, mentees, dates, topic.

    The form's sense is checked now; consents and free places when it is approved, since a draft
    holds no place (§3.4 counts pairs «одновременно» in work)."""
    today = today or timezone.localdate()
    if pair.pk is not None:
        stored = Pair.objects.get(pk=pair.pk)
        if stored.status != PairStatus.DRAFT:
            raise ValidationError(
                "Утверждённую пару не редактируют: замена наставника, продление, добавление и выбытие "
                "наставляемых — кнопками на карточке пары."
            )
    if pair.start_on and not pair.end_on:
        pair.end_on = default_end(pair.start_on)
    if pair.start_on and pair.end_on and pair.end_on <= pair.start_on:
        raise ValidationError({"end_on": "Дата окончания должна быть позже даты начала."})
    if pair.role_model_id and pair.role_model.form_id != pair.form_id:
        raise ValidationError({"role_model": f"Ролевая модель «{pair.role_model.name}» не из формы «{pair.form}»."})
    if pair.organization_id is None:
        raise ValidationError({"organization": "Укажите организацию пары."})
    people = load_people([pair.mentor_id, *(m.pk for m in mentees)])
    mentor = people.get(pair.mentor_id)
    if mentor is None or not mentor_selectable(user, mentor):
        raise ValidationError({"mentor": "Наставник не найден среди доступных вам."})
    mentees = [people[m.pk] for m in mentees]
    _refuse(pair_check(pair=pair, mentor=mentor, mentees=mentees, for_approval=False, today=today))
    created = pair.pk is None
    pair.status = PairStatus.DRAFT
    _save_pair(pair, user)
    _sync_draft_members(pair, mentor, mentees, user)
    if created:
        _event(pair, EventKind.CREATED, user, on=today)
    return pair


def _sync_draft_members(pair: Pair, mentor: Person, mentees: Sequence[Person], user) -> None:
    """A draft's members are simply who it names now, from its start (no history before approval)."""
    wanted = {(BaseRole.MENTOR, mentor.pk), *((BaseRole.MENTEE, m.pk) for m in mentees)}
    for member in list(pair.members.all()):
        if (member.role, member.person_id) not in wanted:
            delete_audited(instance=member, user=user, parent=pair)
        else:
            wanted.discard((member.role, member.person_id))
            if member.joined_on != pair.start_on:
                member.joined_on = pair.start_on
                save_audited(instance=member, user=user, parent=pair)
    for role, person_id in sorted(wanted):
        save_audited(
            instance=PairMember(pair=pair, person_id=person_id, role=role, joined_on=pair.start_on),
            user=user,
            parent=pair,
        )


def pair_delete(*, pair: Pair, user) -> None:
    """Only a draft is deleted; an approved pair ends (completion or early termination) and stays."""
    if pair.status != PairStatus.DRAFT:
        raise ValidationError(
            "Удалить можно только черновик. Утверждённую пару прекращают досрочно с указанием причины."
        )
    delete_audited(instance=pair, user=user)


@transaction.atomic
def pairs_request_approval(*, pairs: Sequence[Pair], user, today=None) -> int:
    """The curator sends drafts to the director for approval (§3.6: the director approves by order).
    What would stop the approval is told now, so the director is not handed a pair they must refuse."""
    today = today or timezone.localdate()
    errors = []
    for pair in pairs:
        if pair.status != PairStatus.DRAFT:
            errors.append(f"Пара № {pair.pk} уже {pair.get_status_display().lower()}.")
            continue
        messages = _approval_refusals(pair, today)
        if messages:
            errors.append(f"Пара № {pair.pk}: " + " ".join(messages))
    _refuse(errors)
    for pair in pairs:
        pair.approval_requested_on = today
        _save_pair(pair, user)
        _event(pair, EventKind.APPROVAL_REQUESTED, user, on=today)
    return len(pairs)


def _approval_refusals(pair: Pair, today) -> list[str]:
    mentee_ids = current_mentee_ids(pair)
    people = load_people([pair.mentor_id, *mentee_ids])
    return pair_check(
        pair=pair,
        mentor=people[pair.mentor_id],
        mentees=[people[i] for i in mentee_ids],
        for_approval=True,
        today=today,
    )


# Approval ----------------------------------------------------------------------------------------


def order_fields_refusals(number: str, date: datetime.date | None, today: datetime.date) -> dict[str, list[str]]:
    """The order's own rules (a number; a date, not in the future): `pairs_approve` and, row by row,
    the pairs import."""
    errors: dict[str, list[str]] = {}
    if not (number or "").strip():
        errors["order_number"] = ["Укажите номер приказа, которым утверждаются пары (п. 3.6 Положения)."]
    if date is None:
        errors["order_date"] = ["Укажите дату приказа."]
    elif date > today:
        errors["order_date"] = ["Дата приказа не может быть в будущем: приказ уже подписан."]
    return errors


@transaction.atomic
def pairs_approve(
    *, pairs: Sequence[Pair], number: str, date: datetime.date, user, today: datetime.date | None = None
) -> ApprovalOrder:
    """Approve drafts by one order (§3.6), in one step and all or nothing.

    Rules checked under lock: the mentors' rows are locked (in id order, after the pairs'), so two
    directors approving pairs of one mentor at the same moment are served one after the other and
    the second sees the first's mentees: three at most (§3.4). Consents (§3.5), the form's sense
    and each mentee's one live pair of a form are checked for every pair; every refusal is listed.
    A pair becomes «утверждена», or «действует» when its start has come."""
    today = today or timezone.localdate()
    _refuse_dict(order_fields_refusals(number, date, today))
    number = number.strip()
    ids = sorted({pair.pk for pair in pairs})
    if not ids:
        raise ValidationError("Выберите пары для утверждения.")
    locked = list(Pair.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    organizations = {pair.organization_id for pair in locked}
    if len(organizations) > 1:
        raise ValidationError("Один приказ утверждает пары одной организации: выберите пары одной школы.")
    for pair in locked:
        ensure_can_approve(user, pair)
    not_drafts = [
        f"№ {pair.pk} ({pair.get_status_display().lower()})" for pair in locked if pair.status != PairStatus.DRAFT
    ]
    if not_drafts:
        raise ValidationError(f"Утвердить можно только черновики; уже не черновик: {', '.join(not_drafts)}.")
    mentor_ids = sorted({pair.mentor_id for pair in locked})
    list(Person.objects.select_for_update().filter(pk__in=mentor_ids).order_by("pk").values_list("pk", flat=True))
    members: dict[int, list[int]] = {}
    for pair_id, person_id in (
        PairMember.objects.filter(pair_id__in=ids, role=BaseRole.MENTEE, left_on__isnull=True)
        .order_by("pk")
        .values_list("pair_id", "person_id")
    ):
        members.setdefault(pair_id, []).append(person_id)
    people = load_people([*mentor_ids, *(i for v in members.values() for i in v)])
    loads = rules.mentor_loads(mentor_ids)
    errors = []
    seen_mentees: dict[tuple[int, int], int] = {}
    for pair in locked:
        mentor = people[pair.mentor_id]
        mentees = [people[i] for i in members.get(pair.pk, [])]
        on = max(pair.start_on, today)
        messages = rules.participant_refusals(
            form=pair.form, organization=pair.organization, mentor=mentor, mentees=mentees, on=on
        )
        messages += rules.consent_refusals([mentor, *mentees], on=on)
        messages += rules.live_pair_refusals(form=pair.form, mentees=mentees)
        for mentee in mentees:
            other = seen_mentees.setdefault((mentee.pk, pair.form_id), pair.pk)
            if other != pair.pk:
                messages.append(f"{mentee.short_name} уже в паре № {other} этого же приказа той же формы.")
        messages += rules.capacity_refusals(mentor, adding=len(mentees), load=loads.get(mentor.pk, 0))
        loads[mentor.pk] = loads.get(mentor.pk, 0) + len(mentees)
        if messages:
            errors.append(f"Пара № {pair.pk} (наставник {mentor.short_name}): " + " ".join(messages))
    _refuse(errors)
    order, _ = ApprovalOrder.objects.get_or_create(
        organization_id=organizations.pop(), number=number, date=date, defaults={"created_by": _actor(user)}
    )
    for pair in locked:
        _approve_one(pair, order, user, today)
    return order


def _refuse_dict(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _approve_one(pair: Pair, order: ApprovalOrder, user, today: datetime.date) -> None:
    before = snapshot(pair)
    pair.order = order
    pair.status = status_by_dates(pair.start_on, pair.end_on, today)
    if pair.status == PairStatus.COMPLETED:
        pair.ended_on = pair.end_on
    pair.full_clean()
    pair.save()
    audit_save(actor=user, instance=pair, before=before)
    _event(pair, EventKind.APPROVED, user, on=order.date, order=order, ensure=ensure_can_approve)
    if pair.status in (PairStatus.ACTIVE, PairStatus.COMPLETED):
        _event(pair, EventKind.ACTIVATED, user, on=pair.start_on, ensure=ensure_can_approve)
    if pair.status == PairStatus.COMPLETED:
        _event(pair, EventKind.COMPLETED, user, on=pair.end_on, ensure=ensure_can_approve)


@transaction.atomic
def advance_pairs(*, today: datetime.date | None = None, user=None) -> dict[str, int]:
    """The calendar's part: «approved» becomes «active» on the start date, «active» becomes
    «completed» after the (extended) end. Run daily by the worker (`manage.py worker`) and on
    `manage.py advance_pairs`."""
    today = today or timezone.localdate()
    counts = {"activated": 0, "completed": 0}
    for pair in Pair.objects.select_for_update().filter(status=PairStatus.APPROVED, start_on__lte=today).order_by("pk"):
        before = snapshot(pair)
        pair.status = PairStatus.ACTIVE
        pair.save(update_fields=["status", "updated_at"])
        audit_save(actor=user, instance=pair, before=before)
        PairEvent.objects.create(pair=pair, kind=EventKind.ACTIVATED, on=pair.start_on)
        counts["activated"] += 1
    for pair in Pair.objects.select_for_update().filter(status__in=LIVE_STATUSES, end_on__lt=today).order_by("pk"):
        before = snapshot(pair)
        pair.status = PairStatus.COMPLETED
        pair.ended_on = pair.end_on
        pair.save(update_fields=["status", "ended_on", "updated_at"])
        audit_save(actor=user, instance=pair, before=before)
        PairEvent.objects.create(pair=pair, kind=EventKind.COMPLETED, on=pair.end_on)
        counts["completed"] += 1
    return counts


# Imports -----------------------------------------------------------------------------------------


def pair_identities(organization_ids: Iterable[int]) -> dict[tuple[int, int, int, int, datetime.date], int]:
    """{(organization, form, mentor, mentee, start): pair id} of the organizations' pairs, in one
    query: what makes a row of an import the same pair, so that a file imported again changes
    nothing. Every mentor a pair has had counts (a replaced mentor still names it), and every
    mentee who was in it."""
    pairs: dict[int, tuple[tuple[int, int, datetime.date], set[int], set[int]]] = {}
    for pair_id, organization_id, form_id, start_on, mentor_id, person_id, role in PairMember.objects.filter(
        pair__organization_id__in=list(organization_ids)
    ).values_list(
        "pair_id", "pair__organization_id", "pair__form_id", "pair__start_on", "pair__mentor_id", "person_id", "role"
    ):
        _, mentors, mentees = pairs.setdefault(pair_id, ((organization_id, form_id, start_on), {mentor_id}, set()))
        (mentors if role == BaseRole.MENTOR else mentees).add(person_id)
    return {
        (organization_id, form_id, mentor_id, mentee_id, start_on): pair_id
        for pair_id, ((organization_id, form_id, start_on), mentors, mentees) in pairs.items()
        for mentor_id in mentors
        for mentee_id in mentees
    }


@transaction.atomic
def pairs_import_save(
    *,
    pairs: Sequence[tuple[Pair, Sequence[Person], tuple[str, datetime.date] | None]],
    user,
    today: datetime.date | None = None,
) -> list[Pair]:
    """Save the pairs and groups of an import (`mentorship.importers`), all or nothing, through the
    very services a curator and a director use: each (pair, its mentees, its order or None) is
    created as a draft by `pair_save` (the form's sense), and those with an order are then approved
    by it through `pairs_approve` (Положение §3.6; consents §3.5, the mentor's free places §3.4
    under the mentor's lock, one live pair of a form), order by order in the order of their dates.
    One implementation of every rule, events and journal lines included.

    The organizations' rows are locked first, so two imports of one file run one after the other;
    a pair another write entered while the file was checked (the same organization, form, mentor,
    mentee and start) refuses the save, and nothing is entered twice."""
    today = today or timezone.localdate()
    organization_ids = sorted({pair.organization_id for pair, _, _ in pairs})
    list(Organization.objects.select_for_update().filter(pk__in=organization_ids).order_by("pk").values_list("pk"))
    stored = pair_identities(organization_ids)
    clashes = sorted(
        {
            f"{mentee.short_name} (наставник {pair.mentor.short_name}, с {_date(pair.start_on)})"
            for pair, mentees, _ in pairs
            for mentee in mentees
            if (pair.organization_id, pair.form_id, pair.mentor_id, mentee.pk, pair.start_on) in stored
        }
    )
    if clashes:
        raise ValidationError(
            "Пока файл проверялся, эти пары внёс кто-то другой (возможно, этот же файл загружается ещё раз): "
            + "; ".join(clashes)
            + ". Ничего не сохранено: загрузите файл заново — проверка покажет, что уже есть в портале."
        )
    saved, by_order = [], {}
    for pair, mentees, order in pairs:
        saved.append(pair_save(pair=pair, mentees=list(mentees), user=user, today=today))
        if order is not None:
            by_order.setdefault(order, []).append(pair)
    for number, date in sorted(by_order, key=lambda order: (order[1], order[0])):
        pairs_approve(pairs=by_order[number, date], number=number, date=date, user=user, today=today)
    return saved


# Changes of a live pair --------------------------------------------------------------------------


def _lock_live(pair: Pair) -> Pair:
    locked = Pair.objects.select_for_update().select_related("organization", "form").get(pk=pair.pk)
    if locked.status not in LIVE_STATUSES:
        raise ValidationError(
            f"Пара № {locked.pk} {locked.get_status_display().lower()}: менять состав и сроки можно только "
            "у утверждённой или действующей пары."
        )
    return locked


def _on_in_term(pair: Pair, on: datetime.date, field: str = "on") -> None:
    if on < pair.start_on or on > pair.end_on:
        raise ValidationError(
            {field: f"Дата должна быть в сроке пары: с {_date(pair.start_on)} по {_date(pair.end_on)}."}
        )
    if on > timezone.localdate():
        raise ValidationError({field: "Дата не может быть в будущем."})


def _withdrawn_refusals(pair: Pair) -> list[str]:
    """§3.5: while a member's consent stands withdrawn, the pair is not extended or enlarged."""
    people = load_people(current_members_ids(pair))
    return [
        f"{person.short_name} отозвал(а) согласие или его нет: пару нельзя продлить или расширить, пока не "
        "внесено новое согласие. Пара в списке «Требует внимания»."
        for person in people.values()
        if person.consent_state.missing_kinds or person.consent_state.withdrawn
    ]


def current_members_ids(pair: Pair) -> list[int]:
    return [m.person_id for m in current_members(pair)]


@transaction.atomic
def pair_add_mentee(*, pair: Pair, mentee: Person, on: datetime.date, user) -> PairMember:
    """A mentee joins a live group: the form's sense, their consents, their one live pair of the
    form and the mentor's free place (§3.4, under the mentor's lock) are checked."""
    pair = _lock_live(pair)
    ensure_can_write(user, pair)
    _on_in_term(pair, on)
    list(Person.objects.select_for_update().filter(pk=pair.mentor_id).values_list("pk", flat=True))
    people = load_people([pair.mentor_id, mentee.pk, *current_mentee_ids(pair)])
    mentor, mentee = people[pair.mentor_id], people[mentee.pk]
    if mentee.pk in current_mentee_ids(pair):
        raise ValidationError({"mentee": f"{mentee.short_name} уже в этой паре."})
    messages = _withdrawn_refusals(pair)
    messages += rules.participant_refusals(
        form=pair.form, organization=pair.organization, mentor=mentor, mentees=[mentee], on=on
    )
    messages += rules.consent_refusals([mentee], on=on)
    messages += rules.live_pair_refusals(form=pair.form, mentees=[mentee])
    messages += rules.capacity_refusals(mentor, adding=1)
    _refuse(messages)
    member = save_audited(
        instance=PairMember(pair=pair, person=mentee, role=BaseRole.MENTEE, joined_on=on), user=user, parent=pair
    )
    _event(pair, EventKind.MENTEE_JOINED, user, on=on, person=mentee)
    return member


@transaction.atomic
def pair_remove_mentee(*, pair: Pair, mentee: Person, on: datetime.date, reason: str, comment: str, user) -> None:
    """A mentee leaves a group; their period in it stays (they count for their time). The last
    mentee does not leave: the pair is then terminated early instead."""
    pair = _lock_live(pair)
    ensure_can_write(user, pair)
    _on_in_term(pair, on)
    if reason not in EndReason.values:
        raise ValidationError({"reason": "Укажите причину выбытия."})
    members = current_members(pair, BaseRole.MENTEE)
    member = next((m for m in members if m.person_id == mentee.pk), None)
    if member is None:
        raise ValidationError({"mentee": f"{mentee.short_name} не в этой паре."})
    if len(members) == 1:
        raise ValidationError(
            "Это единственный наставляемый пары: прекратите пару досрочно, указав причину (п. 3.9 Положения)."
        )
    if on < member.joined_on:
        raise ValidationError({"on": f"Наставляемый в паре с {_date(member.joined_on)}: выбыть раньше нельзя."})
    member.left_on, member.left_reason, member.left_comment = on, reason, comment
    save_audited(instance=member, user=user, parent=pair)
    _event(pair, EventKind.MENTEE_LEFT, user, on=on, person=mentee, reason=reason, comment=comment)


@transaction.atomic
def pair_replace_mentor(*, pair: Pair, mentor: Person, on: datetime.date, reason: str, comment: str, user) -> Pair:
    """Replace the mentor (§3.7) — only for one of its five reasons, with the date and a comment. The
    former mentor's period ends the day before; the new one's free places are checked under lock."""
    pair = _lock_live(pair)
    ensure_can_write(user, pair)
    _on_in_term(pair, on)
    errors: dict[str, list[str]] = {}
    if reason not in ReplacementReason.values:
        errors["reason"] = [
            "Замена наставника возможна только по причинам п. 3.7 Положения: "
            + "; ".join(str(label).lower() for label in ReplacementReason.labels)
            + "."
        ]
    if not (comment or "").strip():
        errors["comment"] = ["Опишите обстоятельства замены: комментарий обязателен."]
    if mentor.pk == pair.mentor_id:
        errors["mentor"] = ["Это и есть нынешний наставник пары: выберите другого."]
    _refuse_dict(errors)
    if on <= pair.start_on:
        raise ValidationError({"on": "Замена возможна со второго дня пары: до начала измените черновик."})
    if not mentor_selectable(user, mentor):
        raise ValidationError({"mentor": "Наставник не найден среди доступных вам."})
    list(Person.objects.select_for_update().filter(pk=mentor.pk).values_list("pk", flat=True))
    mentee_ids = current_mentee_ids(pair)
    people = load_people([mentor.pk, *mentee_ids])
    new_mentor, mentees = people[mentor.pk], [people[i] for i in mentee_ids]
    messages = rules.participant_refusals(
        form=pair.form, organization=pair.organization, mentor=new_mentor, mentees=mentees, on=on
    )
    messages += rules.consent_refusals([new_mentor], on=on)
    messages += rules.capacity_refusals(new_mentor, adding=len(mentees))
    _refuse(messages)
    old = next(m for m in current_members(pair, BaseRole.MENTOR))
    old.left_on, old.left_reason, old.left_comment = on - datetime.timedelta(days=1), reason, comment
    save_audited(instance=old, user=user, parent=pair)
    save_audited(
        instance=PairMember(pair=pair, person=new_mentor, role=BaseRole.MENTOR, joined_on=on), user=user, parent=pair
    )
    previous = pair.mentor
    pair.mentor = new_mentor
    _save_pair(pair, user)
    _event(
        pair,
        EventKind.MENTOR_REPLACED,
        user,
        on=on,
        person=previous,
        other_person=new_mentor,
        reason=reason,
        comment=comment,
    )
    return pair


@transaction.atomic
def pair_extend(*, pair: Pair, new_end: datetime.date, reason: str, comment: str, user) -> Pair:
    """Extend the term (§3.8: illness, business trip or another valid absence) to a later date. Not
    while a member's consent stands withdrawn; the mentor must still be within their limit."""
    pair = _lock_live(pair)
    ensure_can_write(user, pair)
    errors: dict[str, list[str]] = {}
    if reason not in ExtensionReason.values:
        errors["reason"] = [
            "Срок продлевается только по причинам п. 3.8 Положения: "
            + "; ".join(str(label).lower() for label in ExtensionReason.labels)
            + "."
        ]
    if new_end is None or new_end <= pair.end_on:
        errors["new_end"] = [f"Новая дата окончания должна быть позже нынешней, {_date(pair.end_on)}."]
    _refuse_dict(errors)
    list(Person.objects.select_for_update().filter(pk=pair.mentor_id).values_list("pk", flat=True))
    people = load_people([pair.mentor_id])
    messages = _withdrawn_refusals(pair)
    messages += rules.capacity_refusals(people[pair.mentor_id], adding=0)
    _refuse(messages)
    previous = pair.end_on
    pair.end_on = new_end
    _save_pair(pair, user)
    _event(
        pair,
        EventKind.EXTENDED,
        user,
        on=timezone.localdate(),
        reason=reason,
        comment=comment,
        previous_end_on=previous,
        new_end_on=new_end,
    )
    return pair


@transaction.atomic
def pair_terminate(*, pair: Pair, on: datetime.date, reason: str, comment: str, user) -> Pair:
    """End a pair before its term (§3.9), with the reason and the date; its history stays."""
    pair = _lock_live(pair)
    ensure_can_write(user, pair)
    if reason not in EndReason.values:
        raise ValidationError({"reason": "Укажите причину досрочного прекращения."})
    if on < pair.start_on:
        raise ValidationError({"on": f"Пара начинается {_date(pair.start_on)}: прекратить её раньше нельзя."})
    if on > timezone.localdate():
        raise ValidationError({"on": "Дата прекращения не может быть в будущем."})
    if on >= pair.end_on:
        raise ValidationError({"on": "Срок пары к этой дате уже истёк: она завершится сама, прекращать не нужно."})
    pair.status = PairStatus.TERMINATED
    pair.ended_on, pair.end_reason, pair.end_comment = on, reason, comment
    _save_pair(pair, user)
    _event(pair, EventKind.TERMINATED, user, on=on, reason=reason, comment=comment)
    return pair


def mentor_limit_set(*, record: MentorRecord, limit: int | None, user) -> MentorRecord:
    """The director sets how many mentees a mentor may have at a time, below §3.4's three (§4.1
    «определяет число лиц»). A limit below the mentor's present mentees is refused."""
    ensure_can_approve(user, record)
    if limit is not None and not 1 <= limit <= rules.MENTOR_MAX_MENTEES:
        raise ValidationError({"max_mentees": f"Предел — от 1 до {rules.MENTOR_MAX_MENTEES} (п. 3.4 Положения)."})
    load = rules.mentor_loads([record.person_id]).get(record.person_id, 0)
    if limit is not None and limit < load:
        raise ValidationError(
            {"max_mentees": f"Сейчас у наставника {count_noun(load, rules.MENTEES)}: предел не может быть меньше."}
        )
    record.max_mentees = limit
    return save_audited(instance=record, user=user, parent=record.person, ensure=ensure_can_approve)


# The work of a pair --------------------------------------------------------------------------------


def _ensure_started(pair: Pair, what: str) -> None:
    if pair.status == PairStatus.DRAFT:
        raise ValidationError(f"{what} ведутся после утверждения пары приказом.")


@transaction.atomic
def plan_start(*, pair: Pair, user) -> IndividualPlan:
    """Start the individual plan (§3.10) from the template of the pair's form."""
    ensure_can_write(user, pair)
    if IndividualPlan.objects.filter(pair=pair).exists():
        raise ValidationError("У пары уже есть индивидуальный план.")
    plan = save_audited(instance=IndividualPlan(pair=pair), user=user, parent=pair)
    span = (pair.end_on - pair.start_on).days
    for order, (kind, description, result, share) in enumerate(template_items(pair.form.code)):
        deadline = pair.start_on + datetime.timedelta(days=round(span * share))
        save_audited(
            instance=PlanItem(
                plan=plan, kind=kind, description=description, expected_result=result, deadline=deadline, order=order
            ),
            user=user,
            parent=pair,
        )
    return plan


def plan_item_save(*, item: PlanItem, user) -> PlanItem:
    pair = item.plan.pair
    if item.done_on and item.done_on > timezone.localdate():
        raise ValidationError({"done_on": "Дата выполнения не может быть в будущем."})
    if pair.status in ENDED_STATUSES and item.pk is None:
        raise ValidationError("Пара завершена: новые пункты в план не добавляют.")
    return save_audited(instance=item, user=user, parent=pair)


def plan_item_delete(*, item: PlanItem, user) -> None:
    delete_audited(instance=item, user=user, parent=item.plan.pair)


def plan_acknowledge(*, plan: IndividualPlan, on: datetime.date, user) -> IndividualPlan:
    """§3.11: the mentee acknowledges the plan (the curator records the date)."""
    if on > timezone.localdate():
        raise ValidationError({"acknowledged_on": "Дата не может быть в будущем."})
    if not plan.items.exists():
        raise ValidationError("В плане нет пунктов: наставляемому не с чем знакомиться.")
    plan.acknowledged_on = on
    return save_audited(instance=plan, user=user, parent=plan.pair)


def plan_approve(*, plan: IndividualPlan, user, on: datetime.date | None = None) -> IndividualPlan:
    """§4.1: the director «утверждает индивидуальный план»."""
    if not plan.items.exists():
        raise ValidationError("В плане нет пунктов: утверждать нечего.")
    plan.approved_on = on or timezone.localdate()
    plan.approved_by = _actor(user)
    return save_audited(instance=plan, user=user, parent=plan.pair, ensure=ensure_can_approve)


def meeting_save(*, meeting: Meeting, user) -> Meeting:
    """A meeting of an approved pair; a working meeting needs the mentee's feedback (seed 001, 3.6)."""
    pair = meeting.pair
    _ensure_started(pair, "Встречи")
    errors: dict[str, list[str]] = {}
    if meeting.kind == MeetingKind.WORKING and not (meeting.feedback or "").strip():
        errors["feedback"] = ["Для рабочей встречи обратная связь наставляемого обязательна."]
    if meeting.held_on and meeting.held_on > timezone.localdate():
        errors["held_on"] = ["Дата встречи не может быть в будущем: вносятся прошедшие встречи."]
    elif meeting.held_on and meeting.held_on < pair.start_on:
        errors["held_on"] = [f"Пара начинается {_date(pair.start_on)}: встреча не может быть раньше."]
    _refuse_dict(errors)
    return save_audited(instance=meeting, user=user, parent=pair)


def meeting_delete(*, meeting: Meeting, user) -> None:
    delete_audited(instance=meeting, user=user, parent=meeting.pair)


def monthly_report_save(*, report: MonthlyReport, user) -> MonthlyReport:
    """The mentor's monthly report (§5.2) for a month of the pair's term, up to the current one."""
    pair = report.pair
    _ensure_started(pair, "Отчёты")
    report.month = report.month.replace(day=1) if report.month else None
    today = timezone.localdate()
    if report.month and (report.month < pair.start_on.replace(day=1) or report.month > today.replace(day=1)):
        raise ValidationError(
            {"month": f"Месяц отчёта — с {pair.start_on:%m.%Y} по текущий: за будущий месяц отчёт не сдают."}
        )
    return save_audited(instance=report, user=user, parent=pair)


def _ensure_ended(pair: Pair) -> None:
    if pair.status not in ENDED_STATUSES:
        raise ValidationError("Итоговые отчёты сдаются по завершении наставничества (п. 3.12–3.13 Положения).")


def mentor_report_save(*, report: MentorReport, user) -> MentorReport:
    """§3.12: the mentor's report on the plan, within 10 days after the end."""
    _ensure_ended(report.pair)
    if report.pk and MentorReport.objects.filter(pk=report.pk, approved_on__isnull=False).exists():
        raise ValidationError("Отчёт утверждён руководителем: изменить его нельзя.")
    return save_audited(instance=report, user=user, parent=report.pair)


def mentor_report_approve(*, report: MentorReport, user, on: datetime.date | None = None) -> MentorReport:
    """§4.1: the director «утверждает отчет о выполнении индивидуального плана» (today, or on `on`
    when the approval is recorded afterwards)."""
    report.approved_on = on or timezone.localdate()
    report.approved_by = _actor(user)
    return save_audited(instance=report, user=user, parent=report.pair, ensure=ensure_can_approve)


def mentee_report_save(*, report: MenteeReport, user) -> MenteeReport:
    """§3.13: a mentee's report on the process and the rating of the mentor; the mentee was in the pair."""
    _ensure_ended(report.pair)
    if not report.pair.members.filter(person_id=report.mentee_id, role=BaseRole.MENTEE).exists():
        raise ValidationError({"mentee": "Этот человек не был наставляемым этой пары."})
    return save_audited(instance=report, user=user, parent=report.pair)


def recognition_save(*, recognition: Recognition, user) -> Recognition:
    """A reward or nomination of a mentor (§3.15; seed 000 §4): the person is in the base of mentors."""
    if not MentorRecord.objects.filter(person_id=recognition.person_id).exists() and not (
        recognition.pair_id and recognition.pair.members.filter(person_id=recognition.person_id, role=BaseRole.MENTOR)
    ):
        raise ValidationError({"person": "Поощряют наставника: человек не в базе наставников."})
    if recognition.awarded_on and recognition.awarded_on > timezone.localdate() + datetime.timedelta(days=366):
        raise ValidationError({"awarded_on": "Проверьте дату: больше года вперёд."})
    return save_audited(instance=recognition, user=user, parent=recognition.person)


def recognition_delete(*, recognition: Recognition, user) -> None:
    delete_audited(instance=recognition, user=user, parent=recognition.person)


def practice_save(*, practice: Practice, pairs: Iterable[Pair] = (), user) -> Practice:
    """A practice of the municipality's bank (seed 000 §4), linked to the pairs it comes from —
    pairs of its organization or, for the coordinator, of the municipality."""
    pairs = list(pairs)
    foreign = [p.pk for p in pairs if p.organization.municipality_id != practice.municipality_id]
    if foreign:
        raise ValidationError({"pairs": "Пары должны быть из организаций муниципалитета практики."})
    return save_audited(instance=practice, user=user, m2m={"pairs": pairs})


def practice_delete(*, practice: Practice, user) -> None:
    delete_audited(instance=practice, user=user)


def practice_file_add(*, file: PracticeFile, user) -> PracticeFile:
    from core.uploads import validate_scan

    if file.file and not getattr(file.file, "_committed", True):
        validate_scan(file.file.file)
    return save_audited(instance=file, user=user, parent=file.practice)


def practice_file_delete(*, file: PracticeFile, user) -> None:
    delete_audited(instance=file, user=user, parent=file.practice)
