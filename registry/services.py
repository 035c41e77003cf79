"""Writes of the registry. Every rule of a record is here; views, the admin, imports and
management commands call these functions and nothing else to change the registry."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from core.audit import audit_log
from core.choices import AuditAction
from core.scoping import ensure_can_write, get_scope
from core.services import delete_audited, save_audited
from core.uploads import validate_scan
from registry.choices import ConsentKind, PersonCategory
from registry.models import Consent, Contingent, MenteeRecord, MentorRecord, Organization, Person

_SPACES = re.compile(r"\s+")


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
    queryset = Person.objects.filter(
        last_name__iexact=normalize_name_part(last_name),
        first_name__iexact=normalize_name_part(first_name),
        middle_name__iexact=normalize_name_part(middle_name),
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


def _person_rules(person: Person) -> None:
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if person.birth_date and person.birth_date > today:
        errors.setdefault("birth_date", []).append("Дата рождения не может быть в будущем.")
    if person.birth_date and person.age(today) > 100:
        errors.setdefault("birth_date", []).append("Проверьте год рождения: возраст больше 100 лет.")
    if person.category == PersonCategory.STUDENT and person.birth_date and person.age(today) < 5:
        errors.setdefault("birth_date", []).append("Обучающемуся не может быть меньше 5 лет: проверьте год рождения.")
    if person.class_name and person.category != PersonCategory.STUDENT:
        errors.setdefault("class_name", []).append("Класс указывается только для обучающихся.")
    if person.teaching_since:
        if person.teaching_since > today:
            errors.setdefault("teaching_since", []).append(
                "Начало педагогической деятельности не может быть в будущем."
            )
        elif person.birth_date and person.teaching_since < person.birth_date.replace(year=person.birth_date.year + 14):
            errors.setdefault("teaching_since", []).append(
                "Начало педагогической деятельности раньше 14 лет от рождения: проверьте даты."
            )
    if errors:
        raise ValidationError(errors)


def person_validate(*, person: Person) -> None:
    """The rules of a person record. The same person is never entered twice (DESIGN.md
    registry/): name + birth date + organization must be new, and the error names the match."""
    for field in ("last_name", "first_name", "middle_name"):
        setattr(person, field, normalize_name_part(getattr(person, field)))
    person.class_name = _SPACES.sub("", person.class_name or "").upper()
    _person_rules(person)
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
    """Create or update a person after `person_validate`."""
    person_validate(person=person)
    return save_audited(instance=person, user=user)


def person_delete(*, person: Person, user) -> None:
    delete_audited(instance=person, user=user)


def organization_save(*, organization: Organization, user) -> Organization:
    """Create or update an organization. Only a coordinator of its municipality (or staff)
    creates one; a curator may correct their own organization's details."""
    if organization.pk is None and user is not None:
        scope = get_scope(user)
        if not scope.is_superuser and organization.municipality_id not in scope.write_municipality_ids:
            raise PermissionDenied("Добавлять организации может только координатор муниципалитета.")
    return save_audited(instance=organization, user=user)


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


def _record_rules(person: Person) -> None:
    if person.pk is None:
        raise ValidationError("Сначала сохраните человека.")
    if Person.objects.filter(pk=person.pk).with_consent_state().filter(consent_withdrawn=True).exists():
        raise ValidationError(
            f"{person.full_name} отозвал(а) согласие: включить в базу нельзя, пока не получено новое согласие."
        )


def mentor_record_save(*, record: MentorRecord, user, forms: Iterable = (), topics: Iterable = ()) -> MentorRecord:
    """Enter a person into the base of mentors (seed 000 item 5), or change their entry."""
    _record_rules(record.person)
    if record.trained_on and not record.is_trained:
        record.is_trained = True
    return save_audited(
        instance=record, user=user, parent=record.person, m2m={"forms": list(forms), "topics": list(topics)}
    )


def mentor_record_delete(*, record: MentorRecord, user) -> None:
    delete_audited(instance=record, user=user, parent=record.person, m2m_names=("forms", "topics"))


def mentee_record_save(*, record: MenteeRecord, user, forms: Iterable = (), requests: Iterable = ()) -> MenteeRecord:
    """Enter a person into the base of mentees with their request (seed 002 item 3.1)."""
    _record_rules(record.person)
    return save_audited(
        instance=record, user=user, parent=record.person, m2m={"forms": list(forms), "requests": list(requests)}
    )


def mentee_record_delete(*, record: MenteeRecord, user) -> None:
    delete_audited(instance=record, user=user, parent=record.person, m2m_names=("forms", "requests"))


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
    """Withdraw a consent. DESIGN.md: withdrawal takes the person out of every list and export
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
