"""The shared write path: validate, save, check the scope, journal — in one transaction.

Every app's services end in `save_audited` / `delete_audited`, so no form, admin action,
import or command can write a record without its rules, its scope check and its audit line.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction

from core.audit import audit_delete, audit_save, snapshot
from core.scoping import ensure_can_write


def _m2m_labels(instance: models.Model, m2m: dict[str, Iterable] | None, *, stored: bool) -> dict[str, list[str]]:
    labels = {}
    for name, values in (m2m or {}).items():
        field = instance._meta.get_field(name)
        objects = getattr(instance, name).all() if stored else values
        labels[str(field.verbose_name)] = sorted(str(obj) for obj in objects)
    return labels


@transaction.atomic
def save_audited(
    *,
    instance: models.Model,
    user,
    parent: models.Model | None = None,
    m2m: dict[str, Iterable] | None = None,
) -> models.Model:
    """Create or update `instance` for `user`: full_clean, save, set many-to-many values, then
    require the result to be in the user's write scope (or roll back), and journal the change."""
    before = None
    if instance.pk is not None and not instance._state.adding:
        stored = type(instance)._default_manager.get(pk=instance.pk)
        ensure_can_write(user, stored)
        before = snapshot(stored, m2m=_m2m_labels(stored, m2m, stored=True))
    instance.full_clean()
    new_files = [
        field.attname
        for field in instance._meta.concrete_fields
        if isinstance(field, models.FileField)
        and getattr(instance, field.attname)
        and not getattr(instance, field.attname)._committed
    ]
    instance.save()
    try:
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
        ensure_can_write(user, instance)
    except Exception:
        # The row rolls back with the transaction; a file already written must go too.
        for attname in new_files:
            getattr(instance, attname).delete(save=False)
        raise
    audit_save(
        actor=user, instance=instance, before=before, parent=parent, m2m=_m2m_labels(instance, m2m, stored=False)
    )
    return instance


@transaction.atomic
def delete_audited(*, instance: models.Model, user, parent: models.Model | None = None, m2m_names=()) -> None:
    ensure_can_write(user, instance)
    m2m = {name: getattr(instance, name).all() for name in m2m_names}
    audit_delete(actor=user, instance=instance, parent=parent, m2m=_m2m_labels(instance, m2m, stored=False))
    instance.delete()
