"""The Положение's rules of a pair, as checks that say in Russian what is wrong and how to fix it.

One place for them: the services refuse a write with these messages, the pair form shows them
live before saving (htmx), matching leaves out the mentors they refuse, and the import reports
them by row. Each check returns a list of messages (empty when all is well) instead of raising,
so that every problem of a pair is told at once.

- seed 001 §3.4: at most three mentees of one mentor at a time (or the director's lower limit);
- §3.5: the written consent of the mentor and of each mentee (a parent's for a minor);
- the forms' participants (§3.1.4, §3.2.4, §3.3.4; docs/product.md «Form sense»).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format

from core.russian import count_noun
from mentorship.models import LIVE_STATUSES, PairMember
from registry.choices import MENTOR_MAX_MENTEES, BaseRole, FormCode, OrganizationKind
from registry.models import MentorshipForm, Organization, Person
from registry.services import form_refusal

MENTEES = "наставляемый,наставляемых,наставляемых"
#: Organizations whose mentors every curator of the municipality sees for matching (docs/product.md
#: «Mentors from outside the school»).
PARTNER_KINDS = (OrganizationKind.PARTNER, OrganizationKind.COLLEGE, OrganizationKind.UNIVERSITY)
#: Forms whose mentor comes from a partner enterprise (seed 001 §3.3), and from a college or university.
EMPLOYER_FORMS = (FormCode.EMPLOYER_STUDENT, FormCode.EMPLOYER_UNDERGRADUATE)
UNDERGRADUATE_MENTOR_FORMS = (FormCode.UNDERGRADUATE_STUDENT,)


def _date(value: datetime.date) -> str:
    return date_format(value, "d.m.Y")


def mentor_capacity(mentor: Person) -> int:
    """§3.4: three at most; the director may set fewer for a mentor (§4.1 «определяет число лиц»)."""
    record = getattr(mentor, "mentor_record", None)
    return record.capacity if record is not None else MENTOR_MAX_MENTEES


def mentor_loads(mentor_ids, *, exclude_pair_ids: Iterable[int] = ()) -> dict[int, int]:
    """{mentor id: their mentees now} across all live pairs (approved, active): one query.
    `mentor_ids` is a list of ids or a queryset of persons (then a subquery)."""
    if not isinstance(mentor_ids, QuerySet):
        mentor_ids = list(mentor_ids)
    rows = (
        PairMember.objects.filter(
            role=BaseRole.MENTEE,
            left_on__isnull=True,
            pair__status__in=LIVE_STATUSES,
            pair__mentor_id__in=mentor_ids,
        )
        .exclude(pair_id__in=list(exclude_pair_ids))
        .values("pair__mentor_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {row["pair__mentor_id"]: row["n"] for row in rows}


def capacity_refusals(mentor: Person, *, adding: int, load: int | None = None, exclude_pair_id=None) -> list[str]:
    """The mentor can take `adding` more mentees (§3.4)? `load` when already counted."""
    if load is None:
        load = mentor_loads([mentor.pk], exclude_pair_ids=[exclude_pair_id] if exclude_pair_id else ()).get(
            mentor.pk, 0
        )
    capacity = mentor_capacity(mentor)
    if load + adding <= capacity:
        return []
    limit = (
        f"не больше {capacity} одновременно (п. 3.4 Положения)"
        if capacity == MENTOR_MAX_MENTEES
        else f"руководитель установил ему не больше {capacity} (п. 4.1 Положения)"
    )
    free = max(capacity - load, 0)
    return [
        f"Наставник {mentor.short_name} уже ведёт {count_noun(load, MENTEES)}, а наставляемых у одного наставника "
        f"{limit}; свободно мест: {free}, нужно: {adding}. Выберите другого наставника или завершите одну из его пар."
    ]


def consent_refusals(persons: Sequence[Person], *, on: datetime.date | None = None) -> list[str]:
    """§3.5: «с обязательным письменным согласием лица, назначаемого наставником, и лица, в отношении
    которого осуществляется наставничество»; for a minor a parent's consent (152-ФЗ). Consents are
    read from `person.consents.all()` (prefetch them)."""
    messages = []
    for person in persons:
        state = person.consent_state_on(on)
        if state.missing_kinds:
            kinds = "; ".join(label.lower() for label in state.missing_labels)
            messages.append(
                f"Нет согласия: {person.short_name} — {kinds}. Внесите согласие в карточке человека "
                "(п. 3.5 Положения: наставничество только с письменного согласия)."
            )
    return messages


def mentor_refusals(
    *, form: MentorshipForm, organization: Organization, mentor: Person, has_form: bool | None, on: datetime.date
) -> list[str]:
    """The mentor's side of `participant_refusals`: in the base of mentors with the form
    (`has_form`; None — not in the base), of a category and age the form allows, from the
    municipality, and from a partner enterprise (работодатель – …) or a college or university
    (студент – ученик). Matching calls it for each candidate without loading their records."""
    messages: list[str] = []
    code = form.code
    if has_form is None:
        messages.append(f"{mentor.short_name} нет в базе наставников. Включите его в базу из карточки человека.")
    elif not has_form:
        messages.append(
            f"У {mentor.short_name} в базе наставников нет формы «{form}». Добавьте её в запись наставника "
            "или выберите другого наставника."
        )
    refusal = form_refusal(person=mentor, role=BaseRole.MENTOR, form=form, on=on)
    if refusal:
        messages.append(refusal)
    mentor_org = mentor.organization
    if mentor_org.municipality_id != organization.municipality_id:
        messages.append(
            f"{mentor.short_name} из организации другого муниципалитета: наставник должен быть из "
            "организаций муниципалитета."
        )
    if code in EMPLOYER_FORMS and mentor_org.kind != OrganizationKind.PARTNER:
        messages.append(
            f"Форма «{form}»: наставник — представитель предприятия-партнёра, а {mentor.short_name} из "
            f"«{mentor_org}». Выберите наставника из базы предприятий-партнёров."
        )
    if code in UNDERGRADUATE_MENTOR_FORMS and mentor_org.kind not in (
        OrganizationKind.COLLEGE,
        OrganizationKind.UNIVERSITY,
    ):
        messages.append(
            f"Форма «{form}»: наставник — студент колледжа или вуза, а {mentor.short_name} из «{mentor_org}»."
        )
    return messages


def pairing_allowed(
    form_code: str, mentor_pk: int, mentor_birth: datetime.date, mentee_pk: int, mentee_birth: datetime.date
) -> bool:
    """The decision of `pairing_refusals` on bare values (matching asks it for thousands of pairs)."""
    if mentor_pk == mentee_pk:
        return False
    return not (form_code == FormCode.STUDENT_STUDENT and mentor_birth >= mentee_birth)


def pairing_refusals(*, form: MentorshipForm, mentor: Person, mentee: Person) -> list[str]:
    """What forbids this mentor with this mentee: no one mentors themselves; in «ученик – ученик»
    the mentor is older (seed 001 §3.1.4: «обучающийся старшей ступени»)."""
    if pairing_allowed(form.code, mentor.pk, mentor.birth_date, mentee.pk, mentee.birth_date):
        return []
    if mentee.pk == mentor.pk:
        return [f"{mentee.short_name} не может быть наставником самому себе."]
    return [
        f"Форма «{form}»: наставник — обучающийся старшей ступени, старше наставляемого (п. 3.1.4), "
        f"а даты рождения: {mentor.short_name} — {_date(mentor.birth_date)}, {mentee.short_name} — "
        f"{_date(mentee.birth_date)}. Выберите наставника старше."
    ]


def mentee_refusals(
    *, form: MentorshipForm, organization: Organization, mentee: Person, has_form: bool | None, on: datetime.date
) -> list[str]:
    """The mentee's side: in the base of mentees with the form, of the form's categories, of the
    pair's organization; in «учитель – учитель» a young specialist or a teacher new to it (§3.2.4)."""
    messages: list[str] = []
    if has_form is None:
        messages.append(f"{mentee.short_name} нет в базе наставляемых. Включите его в базу из карточки человека.")
    elif not has_form:
        messages.append(
            f"У {mentee.short_name} в базе наставляемых нет формы «{form}». Добавьте её в запись наставляемого."
        )
    refusal = form_refusal(person=mentee, role=BaseRole.MENTEE, form=form, on=on)
    if refusal:
        messages.append(refusal)
    if mentee.organization_id != organization.pk:
        messages.append(
            f"{mentee.short_name} из «{mentee.organization}», а пара — организации «{organization}»: "
            "наставляемых пары вносит их организация."
        )
    if form.code == FormCode.TEACHER_TEACHER and not (mentee.is_young_specialist(on) or mentee.is_new_employee(on)):
        messages.append(
            f"Форма «{form}»: наставляемый — молодой специалист со стажем 0–3 года или педагог, новый в "
            f"организации (п. 3.2.4), а у {mentee.short_name} "
            + (
                f"стаж {mentee.experience_years(on)} л. Укажите дату, с которой он работает в организации, "
                "если он пришёл недавно."
                if mentee.teaching_since
                else "не указано начало педагогической деятельности. Укажите его в карточке человека."
            )
        )
    return messages


def _has_form(person: Person, attribute: str, form: MentorshipForm) -> bool | None:
    record = getattr(person, attribute, None)
    if record is None:
        return None
    return form.pk in {f.pk for f in record.forms.all()}


def participant_refusals(
    *,
    form: MentorshipForm,
    organization: Organization,
    mentor: Person | None,
    mentees: Sequence[Person],
    on: datetime.date,
) -> list[str]:
    """Who may be in a pair of `form` in `organization`: both sides in their base with the form,
    of the categories and ages the form allows, the mentor from where the form takes them, no one
    mentoring themselves. Reads `mentor_record`/`mentee_record` with their forms and the persons'
    organizations (select_related / prefetch them)."""
    messages: list[str] = []
    if mentor is not None:
        messages += mentor_refusals(
            form=form,
            organization=organization,
            mentor=mentor,
            has_form=_has_form(mentor, "mentor_record", form),
            on=on,
        )
    if not mentees:
        messages.append("Добавьте хотя бы одного наставляемого.")
    seen = set()
    for mentee in mentees:
        if mentee.pk in seen:
            messages.append(f"{mentee.short_name} указан в паре дважды.")
            continue
        seen.add(mentee.pk)
        messages += mentee_refusals(
            form=form,
            organization=organization,
            mentee=mentee,
            has_form=_has_form(mentee, "mentee_record", form),
            on=on,
        )
        if mentor is not None:
            messages += pairing_refusals(form=form, mentor=mentor, mentee=mentee)
    return messages


def live_pair_refusals(*, form: MentorshipForm, mentees: Sequence[Person], exclude_pair_id=None) -> list[str]:
    """A mentee has at most one live pair of a form (docs/product.md «Form sense»)."""
    taken = (
        PairMember.objects.filter(
            role=BaseRole.MENTEE,
            left_on__isnull=True,
            person__in=[m.pk for m in mentees],
            pair__status__in=LIVE_STATUSES,
            pair__form=form,
        )
        .exclude(pair_id=exclude_pair_id)
        .values_list("person_id", "pair_id")
    )
    names = {m.pk: m.short_name for m in mentees}
    return [
        f"{names[person_id]} уже в действующей паре № {pair_id} формы «{form}»: у наставляемого одна пара каждой "
        "формы. Завершите ту пару или выберите другого наставляемого."
        for person_id, pair_id in taken
    ]


def mentor_visible_condition(user_scope) -> Q:
    """Persons a curator may choose as a mentor: their own scope's, and those of the municipality's
    partner enterprises, colleges and universities (docs/product.md «Mentors from outside the school»)."""
    if user_scope.is_superuser:
        return Q()
    return (
        Q(organization__in=user_scope.read_organization_ids)
        | Q(organization__municipality__in=user_scope.read_municipality_ids)
        | Q(organization__kind__in=PARTNER_KINDS, organization__municipality__in=user_scope.member_municipality_ids)
    )
