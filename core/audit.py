"""Audit from the service: one call records who did what to which object.

Services call `audit_log` inside their transaction, so a write that rolls back leaves no
journal line, and a bulk import or a management command is journalled like a form.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.formats import date_format

from core.choices import AuditAction
from core.models import AuditEntry


def _display(field: models.Field, instance: models.Model) -> Any:
    if field.choices:
        return getattr(instance, f"get_{field.name}_display")()
    if isinstance(field, models.ForeignKey):
        related = getattr(instance, field.name, None)
        return str(related) if related is not None else None
    value = field.value_from_object(instance)
    if isinstance(value, FieldFile):
        return value.name or None
    if hasattr(value, "isoformat"):
        return date_format(value, "d.m.Y") if not hasattr(value, "hour") else value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value if value != "" else None
    return str(value)


def snapshot(instance: models.Model, *, m2m: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record as a person reads it: {field label: shown value}, ids left out."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in getattr(instance, "audit_exclude", ()):
            continue
        values[str(field.verbose_name)] = _display(field, instance)
    for label, value in (m2m or {}).items():
        values[label] = value
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{label: [before, after]} for the labels whose value changed."""
    return {
        label: [before.get(label), after.get(label)]
        for label in after.keys() | before.keys()
        if before.get(label) != after.get(label)
    }


def audit_entry(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    parent: models.Model | None = None,
    changes: dict | None = None,
    data: dict | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """An unsaved journal line (bulk writers collect them and save them in one go)."""
    entry = AuditEntry(
        # The system actor of commands is not a saved user: its lines say «система».
        actor=actor if actor is not None and actor.is_authenticated and actor.pk else None,
        action=action,
        changes=changes or {},
        data=data or {},
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = (object_repr or str(obj))[:300]
    elif object_repr:
        entry.object_repr = object_repr[:300]
    if parent is not None:
        entry.parent_content_type = ContentType.objects.get_for_model(parent)
        entry.parent_object_id = str(parent.pk)
    return entry


def audit_log(**kwargs) -> AuditEntry:
    """Journal one action now (arguments as `audit_entry`)."""
    entry = audit_entry(**kwargs)
    entry.save()
    return entry


def audit_bulk(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def created_changes(instance: models.Model, *, m2m: dict[str, Any] | None = None) -> dict[str, list[Any]]:
    """{label: [None, value]} for the filled fields of a new record."""
    return {
        label: [None, value] for label, value in snapshot(instance, m2m=m2m).items() if value not in (None, [], False)
    }


def audit_save(*, actor, instance: models.Model, before: dict | None, parent=None, m2m=None) -> AuditEntry | None:
    """Journal a create (before is None) or an update (only when something changed)."""
    if before is None:
        changes = created_changes(instance, m2m=m2m)
        return audit_log(actor=actor, action=AuditAction.CREATE, obj=instance, parent=parent, changes=changes)
    after = snapshot(instance, m2m=m2m)
    changes = diff(before, after)
    if not changes:
        return None
    return audit_log(actor=actor, action=AuditAction.UPDATE, obj=instance, parent=parent, changes=changes)


def audit_delete(*, actor, instance: models.Model, parent=None, m2m=None) -> AuditEntry:
    values = snapshot(instance, m2m=m2m)
    changes = {label: [value, None] for label, value in values.items() if value not in (None, [], False)}
    return audit_log(actor=actor, action=AuditAction.DELETE, obj=instance, parent=parent, changes=changes)
