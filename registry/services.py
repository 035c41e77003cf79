"""Writes of the registry. Every rule of a record is here; views, the admin, imports and
management commands call these functions and nothing else to change the registry."""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from core.audit import audit_bulk, audit_line, audit_log, created_changes
from core.bulk import bulk_insert
from core.choices import AuditAction
from core.db import Fold
from core.russian import fold, plural_form
from core.scoping import can_write, ensure_can_write, get_scope
from core.services import delete_audited, save_audited
from core.uploads import validate_scan
from registry.choices import FORM_PARTICIPANTS, BaseRole, ConsentKind, PersonCategory
from registry.models import (
    Consent,
    Contingent,
    MenteeRecord,
    MentorRecord,
    MentorshipForm,
    Municipality,
    Organization,
    Person,
    years_ago,
)

_SPACES = re.compile(r"\s+")
BASE_NAMES = {MentorRecord: "базе наставников", MenteeRecord: "базе наставляемых"}
#: The `data` of the journal lines an import writes.
IMPORTED = {"import": True}


@lru_cache(maxsize=65536)  # imports repeat the same first names and patronymics
def normalize_name_part(value: str) -> str:
    """«  иванова-петрова » → «Иванова-Петрова»; «ИВАНОВ» → «Иванов»; «ДиКаприо» stays.

    Names typed in capitals or in lower case are brought to the usual form, so that the
    same person typed twice is recognised as one.
    """
    value = _SPACES.sub(" ", value or "").strip()

    def fix(word: str) -> str:
        if word.isupper() or word.islower():
            return word[:1].upper() + word[1:].lower()
        return word[:1].upper() + word[1:]

    return " ".join("-".join(fix(piece) for piece in word.split("-")) for word in value.split(" "))


def person_find_duplicate(
    *,
    last_name: str,
    first_name: str,
    middle_name: str,
    birth_date: datetime.date,
    organization_id: int,
    exclude_pk: int | None = None,
) -> Person | None:
    """The person already registered with this name, birth date and organization, if any."""
    # The expressions of the unique index person_identity_folded_unique, so the index answers.
    queryset = Person.objects.alias(
        last=Fold("last_name"), first=Fold("first_name"), middle=Fold("middle_name")
    ).filter(
        last=fold(normalize_name_part(last_name)),
        first=fold(normalize_name_part(first_name)),
        middle=fold(normalize_name_part(middle_name)),
        birth_date=birth_date,
        organization_id=organization_id,
    )
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset.select_related("organization").first()


def duplicate_message(person: Person) -> str:
    return (
        f"Такой человек уже есть: {person.full_name}, {date_format(person.birth_date, 'd.m.Y')}, "
        f"{person.organization} (запись № {person.pk}). Откройте существующую запись вместо новой."
    )


def person_identity(
    last_name: str, first_name: str, middle_name: str, birth_date: datetime.date | None, organization_id: int | None
) -> tuple:
    """What makes a person the same person: name (case ignored, «ё» read as «е»), birth date,
    organization — the identity the database enforces too (person_identity_folded_unique)."""
    return (
        fold(normalize_name_part(last_name)),
        fold(normalize_name_part(first_name)),
        fold(normalize_name_part(middle_name)),
        birth_date,
        organization_id,
    )


def person_clean(person: Person, *, today: datetime.date | None = None) -> None:
    """Normalise the names and class, and check the rules that need no database:
    a birth date in the past, plausible ages, a class only for students, a sensible start of
    teaching. Raises a ValidationError by field, in Russian. (`today` once for a whole import.)"""
    for field in ("last_name", "first_name", "middle_name"):
        setattr(person, field, normalize_name_part(getattr(person, field)))
    person.class_name = _SPACES.sub("", person.class_name or "").upper()
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if person.birth_date and person.birth_date > today:
        errors.setdefault("birth_date", []).append("Дата рождения не может быть в будущем.")
    elif person.birth_date and person.age(today) > 100:
        errors.setdefault("birth_date", []).append("Проверьте год рождения: возраст больше 100 лет.")
    elif person.category == PersonCategory.STUDENT and person.birth_date and person.age(today) < 5:
        errors.setdefault("birth_date", []).append("Обучающемуся не может быть меньше 5 лет: проверьте год рождения.")
    if person.class_name and person.category != PersonCategory.STUDENT:
        errors.setdefault("class_name", []).append("Класс указывается только для обучающихся.")
    if person.teaching_since:
        if person.teaching_since > today:
            errors.setdefault("teaching_since", []).append(
                "Начало педагогической деятельности не может быть в будущем."
            )
        elif person.birth_date and person.teaching_since < years_ago(-14, person.birth_date):
            errors.setdefault("teaching_since", []).append(
                "Начало педагогической деятельности раньше 14 лет от рождения: проверьте даты."
            )
    if errors:
        raise ValidationError(errors)


# Forms of mentorship a person may work in -------------------------------------------------

_CATEGORY_ORDER = {value: index for index, value in enumerate(PersonCategory.values)}


def form_refusal(*, person: Person, role: str, form: MentorshipForm, on: datetime.date | None = None) -> str | None:
    """Why `person` cannot be the `role` (mentor or mentee) of `form`, in Russian; None when they can.

    The categories and ages come from the Положение's portraits of the participants
    (registry.choices.FORM_PARTICIPANTS, seed 001 §3.1.4, §3.2.4, §3.3.4): a pupil is no mentee of
    «учитель – учитель», a 13-year-old no mentor of «ученик – ученик»."""
    rule = FORM_PARTICIPANTS.get(form.code)
    if rule is None:
        return None
    mentor = role == BaseRole.MENTOR
    side = "наставником" if mentor else "наставляемым"
    categories = rule.mentors if mentor else rule.mentees
    if person.category not in categories:
        allowed = " или ".join(
            str(PersonCategory(c).label).lower() for c in sorted(categories, key=_CATEGORY_ORDER.__getitem__)
        )
        actual = str(PersonCategory(person.category).label).lower() if person.category else "без категории"
        return f"Форма «{form}»: {side} в ней может быть только {allowed}, а {person.full_name} — {actual}."
    if mentor and rule.mentor_min_age and person.birth_date:
        age = person.age(on)
        if age < rule.mentor_min_age:
            return (
                f"Форма «{form}»: наставником в ней может быть обучающийся старшей ступени, от "
                f"{rule.mentor_min_age} лет, а {person.full_name} — {age} {plural_form(age, ('год', 'года', 'лет'))}."
            )
    return None


def eligible_forms(*, person: Person, role: str, forms=None) -> list[MentorshipForm]:
    """The forms (of `forms`, or all) in which `person` may be the `role`: what a form offers."""
    forms = MentorshipForm.objects.all() if forms is None else forms
    return [form for form in forms if form_refusal(person=person, role=role, form=form) is None]


def record_forms_validate(*, person: Person, role: str, forms) -> None:
    """Refuse the forms of a base record that do not fit the person, naming each (field «forms»)."""
    refusals = [message for form in forms if (message := form_refusal(person=person, role=role, form=form))]
    if refusals:
        raise ValidationError({"forms": refusals})


def _records_forms_refusals(person: Person) -> list[str]:
    """The forms of the person's base records that their (changed) category or birth date no longer fit."""
    if person.pk is None:
        return []
    refusals = []
    for role, model in ((BaseRole.MENTOR, MentorRecord), (BaseRole.MENTEE, MenteeRecord)):
        related = model.forms.field.related_query_name()  # "mentor_records" / "mentee_records"
        for form in MentorshipForm.objects.filter(**{f"{related}__person": person}):
            message = form_refusal(person=person, role=role, form=form)
            if message:
                refusals.append(f"{message} Сначала измените формы в записи в {BASE_NAMES[model]}.")
    return refusals


def person_validate(*, person: Person) -> None:
    """The rules of a person record. The same person is never entered twice (docs/product.md
    registry/): name + birth date + organization must be new, and the error names the match.
    A change of category or birth date must still fit the forms of the person's base records."""
    person_clean(person)
    refusals = _records_forms_refusals(person)
    if refusals:
        raise ValidationError({"category": refusals})
    if person.birth_date and person.organization_id:
        duplicate = person_find_duplicate(
            last_name=person.last_name,
            first_name=person.first_name,
            middle_name=person.middle_name,
            birth_date=person.birth_date,
            organization_id=person.organization_id,
            exclude_pk=person.pk,
        )
        if duplicate is not None:
            raise ValidationError(duplicate_message(duplicate), code="duplicate", params={"person_id": duplicate.pk})


def person_save(*, person: Person, user) -> Person:
    """Create or update a person after `person_validate`. The right to write into the
    organization is checked first, so the duplicate check never tells about another school."""
    _ensure_organizations_writable(user, {person.organization_id} if person.organization_id else set())
    person_validate(person=person)
    return save_audited(instance=person, user=user, revalidate=lambda: person_validate(person=person))


def person_delete(*, person: Person, user) -> None:
    delete_audited(instance=person, user=user)


def organization_save(*, organization: Organization, user) -> Organization:
    """Create or update an organization. Only a coordinator of its municipality (or staff)
    creates one; a curator may correct their own organization's details."""
    if organization.pk is None and user is not None:
        scope = get_scope(user)
        if not scope.is_superuser and organization.municipality_id not in scope.write_municipality_ids:
            raise PermissionDenied("Добавлять организации может только координатор муниципалитета.")
    organization.director_name = _SPACES.sub(" ", organization.director_name or "").strip()
    return save_audited(instance=organization, user=user)


#: The fields of an organization that its documents print (issue 10): its director may correct
#: them, though the rest of the organization's record is the curator's and the coordinator's.
ORGANIZATION_REQUISITES = (
    "director_name",
    "director_position",
    "address",
    "phone",
    "email",
    "inn",
    "place",
    "date_style",
    "order_number_pattern",
)


def _ensure_requisites_right(user, organization: Organization) -> None:
    """A writer of the organization (its curator, the coordinator) or its director."""
    if user is None or get_scope(user).can_approve(organization.pk):
        return
    ensure_can_write(user, organization)


@transaction.atomic
def organization_requisites_save(*, organization: Organization, user) -> Organization:
    """Change an organization's requisites for documents: its director's name and position, its
    contacts, the place, date style and number pattern of its orders (seed 000's header and
    signature). Issue 10: the curator edits them in the portal, and so does the director, who
    signs the orders; anything else of the record stays as it was stored (only the coordinator
    and the curator change it, through `organization_save`)."""
    stored = Organization.objects.select_for_update().get(pk=organization.pk)
    organization.director_name = _SPACES.sub(" ", organization.director_name or "").strip()
    if user is not None and not can_write(user, stored, database=True):
        changed = [
            name
            for name in (field.attname for field in Organization._meta.concrete_fields)
            if name not in ORGANIZATION_REQUISITES and getattr(stored, name) != getattr(organization, name)
        ]
        if changed:
            raise PermissionDenied("Руководитель меняет только реквизиты организации для документов.")
    return save_audited(instance=organization, user=user, ensure=_ensure_requisites_right)


@transaction.atomic
def municipality_save(*, municipality: Municipality, user) -> Municipality:
    """Change a municipality's requisites: the authority's full name for the header of its orders
    (seed 000: «Управление образования администрации г. Назарово»), its address and codes (seed
    003), its head who signs, the place, the kind of act (seed 004 issues a распоряжение), the date
    style and the number pattern. Issue 10: the coordinator of the municipality edits them in the
    portal; the admin saves through here too. Journalled."""
    municipality.head_name = _SPACES.sub(" ", municipality.head_name or "").strip()
    return save_audited(instance=municipality, user=user)


def organization_delete(*, organization: Organization, user) -> None:
    if user is not None:
        scope = get_scope(user)
        if not scope.is_superuser and organization.municipality_id not in scope.write_municipality_ids:
            raise PermissionDenied("Удалять организации может только координатор муниципалитета.")
    if organization.persons.exists():
        raise ValidationError(
            f"В организации «{organization}» есть люди ({organization.persons.count()}). "
            "Сначала перенесите или удалите их."
        )
    delete_audited(instance=organization, user=user)


def contingent_save(*, contingent: Contingent, user) -> Contingent:
    return save_audited(instance=contingent, user=user, parent=contingent.organization)


def contingent_delete(*, contingent: Contingent, user) -> None:
    delete_audited(instance=contingent, user=user, parent=contingent.organization)


def _record_rules(record: MentorRecord | MenteeRecord) -> None:
    """A person saved, in the base at most once, with no withdrawn consent."""
    person = record.person
    if person.pk is None:
        raise ValidationError("Сначала сохраните человека.")
    if record.pk is None and type(record).objects.filter(person=person).exists():
        raise ValidationError(
            f"{person.full_name} уже в {BASE_NAMES[type(record)]}: откройте запись и измените её.", code="duplicate"
        )
    from registry.selectors import withdrawn_persons

    if withdrawn_persons().filter(pk=person.pk).exists():
        raise ValidationError(
            f"{person.full_name} отозвал(а) согласие: включить в базу нельзя, пока не получено новое согласие."
        )


def mentor_record_clean(record: MentorRecord) -> None:
    """A date of training means the mentor is trained («обучен»)."""
    if record.trained_on and not record.is_trained:
        record.is_trained = True


def mentor_record_save(*, record: MentorRecord, user, forms: Iterable = (), topics: Iterable = ()) -> MentorRecord:
    """Enter a person into the base of mentors (seed 000 item 5), or change their entry."""
    _record_rules(record)
    mentor_record_clean(record)
    record_forms_validate(person=record.person, role=BaseRole.MENTOR, forms=list(forms))
    return save_audited(
        instance=record,
        user=user,
        parent=record.person,
        m2m={"forms": list(forms), "topics": list(topics)},
        revalidate=lambda: _record_rules(record),
    )


def mentor_record_delete(*, record: MentorRecord, user) -> None:
    delete_audited(instance=record, user=user, parent=record.person)


def mentee_record_save(*, record: MenteeRecord, user, forms: Iterable = (), requests: Iterable = ()) -> MenteeRecord:
    """Enter a person into the base of mentees with their request (seed 002 item 3.1)."""
    _record_rules(record)
    record_forms_validate(person=record.person, role=BaseRole.MENTEE, forms=list(forms))
    return save_audited(
        instance=record,
        user=user,
        parent=record.person,
        m2m={"forms": list(forms), "requests": list(requests)},
        revalidate=lambda: _record_rules(record),
    )


def mentee_record_delete(*, record: MenteeRecord, user) -> None:
    delete_audited(instance=record, user=user, parent=record.person)


def consent_validate(*, consent: Consent) -> None:
    """A parent's consent names the parent; dates are not in the future; a scan must be a PDF,
    JPEG or PNG of at most 10 MB (judged by content)."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if consent.signed_on and consent.signed_on > today:
        errors.setdefault("signed_on", []).append("Дата подписания не может быть в будущем.")
    if consent.withdrawn_on and consent.withdrawn_on > today:
        errors.setdefault("withdrawn_on", []).append("Дата отзыва не может быть в будущем.")
    if consent.kind == ConsentKind.PARENT and not (consent.representative_name or "").strip():
        errors.setdefault("representative_name", []).append(
            "Укажите ФИО родителя (законного представителя), подписавшего согласие."
        )
    if consent.kind != ConsentKind.PARENT and consent.representative_name:
        errors.setdefault("representative_name", []).append("ФИО представителя указывается только в согласии родителя.")
    if consent.scan and not getattr(consent.scan, "_committed", True):
        try:
            validate_scan(consent.scan.file)
            consent.scan.name = consent.scan.file.name
        except ValidationError as error:
            errors.setdefault("scan", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


def consent_save(*, consent: Consent, user) -> Consent:
    """Record a consent (seed 001 §3.5) after `consent_validate`."""
    consent_validate(consent=consent)
    return save_audited(instance=consent, user=user, parent=consent.person)


@transaction.atomic
def consent_withdraw(*, consent: Consent, user, on: datetime.date | None = None) -> Consent:
    """Withdraw a consent. docs/product.md: withdrawal takes the person out of every list and export
    and stops new pairs; the record and its history stay."""
    ensure_can_write(user, consent)
    if consent.withdrawn_on is not None:
        raise ValidationError(f"Согласие уже отозвано {date_format(consent.withdrawn_on, 'd.m.Y')}.")
    on = on or timezone.localdate()
    if on < consent.signed_on:
        raise ValidationError({"withdrawn_on": "Согласие нельзя отозвать раньше, чем оно подписано."})
    if on > timezone.localdate():
        raise ValidationError({"withdrawn_on": "Дата отзыва не может быть в будущем."})
    consent.withdrawn_on = on
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on"])
    audit_log(
        actor=user,
        action=AuditAction.WITHDRAW,
        obj=consent,
        parent=consent.person,
        changes={"дата отзыва": [None, date_format(on, "d.m.Y")]},
    )
    return consent


def consent_delete(*, consent: Consent, user) -> None:
    delete_audited(instance=consent, user=user, parent=consent.person)


# Bulk writes of imports ---------------------------------------------------------------------


def _ensure_organizations_writable(user, organization_ids: set[int]) -> None:
    if user is None or get_scope(user).is_superuser or not organization_ids:
        return
    allowed = set(
        Organization.objects.for_user(user, write=True).filter(pk__in=organization_ids).values_list("pk", flat=True)
    )
    if organization_ids - allowed:
        raise PermissionDenied("Недостаточно прав для изменения данных этой организации.")


@transaction.atomic
def persons_bulk_save(
    *, creates: list[Person], updates: list[tuple[Person, dict]], update_fields: list[str], user
) -> None:
    """Save an import's persons in one go. The rows were checked with `person_clean` and
    `person_identity` (the rules of `person_save`); this checks the scope, writes in bulk and
    journals every person created or changed, as `person_save` does one by one."""
    _ensure_organizations_writable(user, {p.organization_id for p in creates} | {p.organization_id for p, _ in updates})
    bulk_insert(Person, creates)
    if updates:
        now = timezone.now()
        for person, _ in updates:
            person.updated_at = now
        Person.objects.bulk_update([p for p, _ in updates], [*update_fields, "updated_at"], batch_size=1000)
    audit_bulk(
        itertools.chain(
            (
                audit_line(actor=user, action=AuditAction.CREATE, obj=p, changes=created_changes(p), data=IMPORTED)
                for p in creates
            ),
            (
                audit_line(actor=user, action=AuditAction.UPDATE, obj=p, changes=changes, data=IMPORTED)
                for p, changes in updates
            ),
        )
    )


@transaction.atomic
def records_bulk_save(
    *,
    model: type[MentorRecord] | type[MenteeRecord],
    creates: list[tuple[MentorRecord | MenteeRecord, dict[str, list]]],
    updates: list[tuple[MentorRecord | MenteeRecord, dict[str, list], dict]],
    update_fields: list[str],
    user,
) -> None:
    """Enter many persons into a base at once (an import of the base of mentors or mentees).

    A person whose consent stands withdrawn cannot enter a base (as in `mentor_record_save`)."""
    from registry.selectors import withdrawn_persons

    records = [r for r, _ in creates] + [r for r, _, _ in updates]
    _ensure_organizations_writable(user, {r.person.organization_id for r in records})
    withdrawn = set(withdrawn_persons().filter(pk__in=[r.person_id for r in records]).values_list("pk", flat=True))
    if withdrawn:
        names = ", ".join(sorted(r.person.full_name for r in records if r.person_id in withdrawn))
        raise ValidationError(f"Отозвали согласие, включить в базу нельзя: {names}.")
    bulk_insert(model, [r for r, _ in creates])
    if updates:
        model.objects.bulk_update([r for r, _, _ in updates], update_fields, batch_size=1000)
    m2m_rows: dict[str, list] = {}
    for record, m2m in [*creates, *((r, m) for r, m, _ in updates)]:
        for name, values in m2m.items():
            through = getattr(model, name).through
            source = f"{model._meta.model_name}_id"
            target = f"{getattr(model, name).field.related_model._meta.model_name}_id"
            m2m_rows.setdefault(name, []).extend(through(**{source: record.pk, target: v.pk}) for v in values)
    for name in {n for _, m in creates for n in m} | {n for _, m, _ in updates for n in m}:
        through = getattr(model, name).through
        source = f"{model._meta.model_name}_id"
        through.objects.filter(**{f"{source}__in": [r.pk for r, m, _ in updates if name in m]}).delete()
        through.objects.bulk_create(m2m_rows.get(name, []), batch_size=2000)
    entries = itertools.chain(
        (
            audit_line(
                actor=user,
                action=AuditAction.CREATE,
                obj=r,
                parent=r.person,
                data=IMPORTED,
                changes=created_changes(
                    r, m2m={str(model._meta.get_field(n).verbose_name): sorted(map(str, v)) for n, v in m.items()}
                ),
            )
            for r, m in creates
        ),
        (
            audit_line(actor=user, action=AuditAction.UPDATE, obj=r, parent=r.person, changes=changes, data=IMPORTED)
            for r, _, changes in updates
        ),
    )
    audit_bulk(entries)


@transaction.atomic
def consents_bulk_save(*, creates: list[Consent], updates: list[tuple[Consent, dict]], user) -> None:
    """Save an import's consents (Положение §3.5; 152-ФЗ) in one go, all or nothing.

    Every consent meets `consent_validate` again — the rules of `consent_save`: a parent's consent
    names the parent, the others name nobody, no date in the future — and the scope is checked; the
    rows are written in bulk and each consent journalled with its person, as `consent_save` does
    one by one. `updates` are stored consents with a corrected parent's name and their changes."""
    consents = [*creates, *(consent for consent, _ in updates)]
    _ensure_organizations_writable(user, {consent.person.organization_id for consent in consents})
    refusals = []
    for consent in consents:
        try:
            consent_validate(consent=consent)
        except ValidationError as error:
            refusals.extend(f"{consent.person.full_name}: {message}" for message in error.messages)
    if refusals:
        raise ValidationError(refusals)
    for consent in creates:
        consent.person_id = consent.person.pk
    bulk_insert(Consent, creates)
    if updates:
        Consent.objects.bulk_update([consent for consent, _ in updates], ["representative_name"], batch_size=1000)
    audit_bulk(
        itertools.chain(
            (
                audit_line(
                    actor=user,
                    action=AuditAction.CREATE,
                    obj=consent,
                    parent=consent.person,
                    changes=created_changes(consent),
                    data=IMPORTED,
                )
                for consent in creates
            ),
            (
                audit_line(
                    actor=user,
                    action=AuditAction.UPDATE,
                    obj=consent,
                    parent=consent.person,
                    changes=changes,
                    data=IMPORTED,
                )
                for consent, changes in updates
            ),
        )
    )
