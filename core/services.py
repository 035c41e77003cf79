"""The shared write path: validate, save, check the scope, journal — in one transaction.

Every app's services end in `save_audited` / `delete_audited`, so no form, admin action,
import or command can write a record without its rules, its scope check and its audit line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector

from core.audit import audit_delete, audit_log, audit_save, snapshot
from core.choices import AuditAction
from core.models import Profile
from core.profiles import can_edit_holder, profile_of
from core.scoping import ensure_can_write


def _m2m_labels(instance: models.Model, m2m: dict[str, Iterable] | None, *, stored: bool) -> dict[str, list[str]]:
    labels = {}
    for name, values in (m2m or {}).items():
        field = instance._meta.get_field(name)
        objects = getattr(instance, name).all() if stored else values
        labels[str(field.verbose_name)] = sorted(str(obj) for obj in objects)
    return labels


CONFLICT_MESSAGE = (
    "Запись не сохранена: её только что изменили в другом окне или это сделал другой пользователь. "
    "Обновите страницу, проверьте данные и сохраните снова."
)


def lost_race_error(instance: models.Model, revalidate: Callable[[], None] | None = None) -> ValidationError:
    """The ValidationError for a write the database refused after the checks had passed: another
    request saved the same person (or organization, or record) in between.

    The checks are run again, now that the other row is visible, so the person reads the same
    message as if they had come second: the service's own (`revalidate`, which names the match),
    else the model's constraint message, else a plain «try again»."""
    try:
        if revalidate is not None:
            revalidate()
        instance.validate_constraints()
        instance.validate_unique()
    except ValidationError as error:
        return error
    return ValidationError(CONFLICT_MESSAGE, code="conflict")


def delete_files_on_commit(files: Iterable) -> None:
    """Remove stored files once the transaction that dropped them commits (and never if it rolls
    back): personal data must not outlive its record (152-ФЗ), nor a record lose its file early."""
    for file in files:
        storage, name = file.storage, file.name
        if name:
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


@transaction.atomic
def save_audited(
    *,
    instance: models.Model,
    user,
    parent: models.Model | None = None,
    m2m: dict[str, Iterable] | None = None,
    revalidate: Callable[[], None] | None = None,
    ensure: Callable[[object, models.Model], None] = ensure_can_write,
) -> models.Model:
    """Create or update `instance` for `user`: full_clean, save, set many-to-many values, then
    require the result to be in the user's write scope (or roll back), and journal the change.

    A unique rule that a concurrent request broke between the checks and the save (the database's
    unique index refuses the row) becomes the usual ValidationError (`lost_race_error`), never a 500.

    `ensure(user, obj)` is the right checked before and after the write: the user's write scope
    unless a service names another (a director's approval, which is not a right to edit)."""
    before = None
    stored = None
    if instance.pk is not None and not instance._state.adding:
        stored = type(instance)._default_manager.get(pk=instance.pk)
        ensure(user, stored)
        before = snapshot(stored, m2m=_m2m_labels(stored, m2m, stored=True))
    instance.full_clean()
    file_fields = [field for field in instance._meta.concrete_fields if isinstance(field, models.FileField)]
    new_files = [
        field.attname
        for field in file_fields
        if getattr(instance, field.attname) and not getattr(instance, field.attname)._committed
    ]
    try:
        try:
            with transaction.atomic():  # a savepoint: the transaction stays usable after a refusal
                instance.save()
        except IntegrityError as error:
            raise lost_race_error(instance, revalidate) from error
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
        ensure(user, instance)
    except Exception:
        # The row rolls back with the transaction; a file already written must go too.
        for attname in new_files:
            getattr(instance, attname).delete(save=False)
        raise
    if stored is not None:
        # A replaced or cleared file (a new scan of a consent) leaves the disk once the change is kept.
        delete_files_on_commit(
            getattr(stored, field.attname)
            for field in file_fields
            if getattr(stored, field.attname)
            and getattr(stored, field.attname).name != getattr(instance, field.attname).name
        )
    audit_save(
        actor=user, instance=instance, before=before, parent=parent, m2m=_m2m_labels(instance, m2m, stored=False)
    )
    return instance


@dataclass
class DeletionPlan:
    """What deleting a record takes with it (the confirmation page lists it, the service journals it).

    `objects`: every record the database would delete along, the record itself first;
    `protected`: records that forbid the deletion (PROTECT), when there are any."""

    root: models.Model
    objects: list[models.Model] = field(default_factory=list)
    protected: list[models.Model] = field(default_factory=list)

    @property
    def cascaded(self) -> list[models.Model]:
        return [obj for obj in self.objects if obj is not self.root]

    def groups(self, limit: int = 10) -> list[tuple[str, int, list[str]]]:
        """(verbose name plural, count, the first `limit` names) of the cascaded records, by kind."""
        by_model: dict[type, list[models.Model]] = {}
        for obj in self.cascaded:
            by_model.setdefault(type(obj), []).append(obj)
        return [
            (str(model._meta.verbose_name_plural).capitalize(), len(objs), [str(obj) for obj in objs[:limit]])
            for model, objs in by_model.items()
        ]


def deletion_plan(instance: models.Model) -> DeletionPlan:
    """Collect what `instance.delete()` would delete, as Django's own deletion does (the admin's
    confirmation page uses the same Collector). Rows of many-to-many links are left out: they are
    part of the record they belong to, whose journal line lists them."""
    collector = Collector(using=router.db_for_write(type(instance), instance=instance), origin=instance)
    plan = DeletionPlan(root=instance, objects=[instance])
    try:
        collector.collect([instance])
    except (ProtectedError, RestrictedError) as error:
        plan.protected = list(getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ()))
        return plan
    found: list[models.Model] = []
    for model, objects in collector.data.items():
        found.extend(obj for obj in objects if not model._meta.auto_created)
    for queryset in collector.fast_deletes:
        if not queryset.model._meta.auto_created:
            found.extend(queryset)
    key = lambda obj: (obj._meta.label, obj.pk)  # noqa: E731
    plan.objects += sorted((obj for obj in found if key(obj) != key(instance)), key=key)
    return plan


def _all_m2m_labels(instance: models.Model) -> dict[str, list[str]]:
    return {
        str(field.verbose_name): sorted(str(obj) for obj in getattr(instance, field.name).all())
        for field in instance._meta.many_to_many
    }


@transaction.atomic
def delete_audited(*, instance: models.Model, user, parent: models.Model | None = None) -> DeletionPlan:
    """Delete `instance` and what cascades with it, journalling every record that goes (the
    person's consents and base records, not just «удалён человек») and removing their files
    (scans) once the transaction commits. 152-ФЗ: personal data does not outlive its record."""
    ensure_can_write(user, instance)
    plan = deletion_plan(instance)
    if plan.protected:
        raise ProtectedError("Запись нельзя удалить: на неё ссылаются другие записи.", plan.protected)
    audit_delete(actor=user, instance=instance, parent=parent, m2m=_all_m2m_labels(instance))
    for obj in plan.cascaded:
        audit_delete(actor=user, instance=obj, parent=instance, m2m=_all_m2m_labels(obj), data={"cascade": True})
    files = [
        getattr(obj, field.attname)
        for obj in plan.objects
        for field in obj._meta.concrete_fields
        if isinstance(field, models.FileField) and getattr(obj, field.attname)
    ]
    instance.delete()
    delete_files_on_commit(files)
    return plan


#: The parts of a role holder's name and post a profile form changes, with their journal labels.
PROFILE_LABELS = {
    "last_name": "Фамилия",
    "first_name": "Имя",
    "middle_name": "Отчество",
    "position": "Должность",
}


@transaction.atomic
def profile_save(*, holder, user, last_name: str, first_name: str, middle_name: str = "", position: str = "") -> object:
    """Change a role holder's name and position (issue 10: every role holder has a full name with
    patronymic and a position, which documents use). The holder changes their own, a coordinator
    those of the role holders of their municipality, staff anyone's (`core.profiles.can_edit_holder`);
    passwords and roles stay with the admin. Journalled as a change of the user."""
    if not can_edit_holder(user, holder):
        raise PermissionDenied("Недостаточно прав для изменения данных этого пользователя.")
    values = {
        "last_name": " ".join((last_name or "").split()),
        "first_name": " ".join((first_name or "").split()),
        "middle_name": " ".join((middle_name or "").split()),
        "position": " ".join((position or "").split()),
    }
    errors = {}
    if not values["last_name"]:
        errors["last_name"] = "Укажите фамилию: документы называют человека по ФИО."
    if not values["first_name"]:
        errors["first_name"] = "Укажите имя: документы называют человека по ФИО."
    user_model = get_user_model()
    limits = {
        "last_name": user_model._meta.get_field("last_name").max_length,
        "first_name": user_model._meta.get_field("first_name").max_length,
        "middle_name": Profile._meta.get_field("middle_name").max_length,
        "position": Profile._meta.get_field("position").max_length,
    }
    for name, limit in limits.items():
        if len(values[name]) > limit:
            errors[name] = f"Не длиннее {limit} символов."
    if errors:
        raise ValidationError(errors)
    profile = profile_of(holder)
    before = {
        "last_name": holder.last_name,
        "first_name": holder.first_name,
        "middle_name": profile.middle_name,
        "position": profile.position,
    }
    changes = {
        PROFILE_LABELS[name]: [before[name] or None, values[name] or None]
        for name in values
        if before[name] != values[name]
    }
    if not changes:
        return holder
    holder.last_name, holder.first_name = values["last_name"], values["first_name"]
    holder.save(update_fields=["last_name", "first_name"])
    profile.middle_name, profile.position = values["middle_name"], values["position"]
    profile.save(update_fields=["middle_name", "position"])
    audit_log(actor=user, action=AuditAction.UPDATE, obj=holder, changes=changes)
    return holder
