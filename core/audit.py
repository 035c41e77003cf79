"""Audit from the service: one call records who did what to which object.

Services call `audit_log` inside their transaction, so a write that rolls back leaves no
journal line, and a bulk import or a management command is journalled like a form.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Iterable
from functools import cache
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.choices import AuditAction
from core.models import AuditEntry


@cache
def _audited_fields(model: type[models.Model]) -> tuple[tuple[str, str, str, dict | None], ...]:
    """(label, attribute, kind, choices) of the fields a journal shows, worked out once per model."""
    exclude = set(getattr(model, "audit_exclude", ()))
    fields = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in exclude:
            continue
        if field.choices:
            kind, choices = "choice", {value: str(label) for value, label in field.flatchoices}
        elif isinstance(field, models.ForeignKey):
            kind, choices = "fk", None
        elif isinstance(field, models.FileField):
            kind, choices = "file", None
        else:
            kind, choices = "value", None
        fields.append((str(field.verbose_name), field.name if kind == "fk" else field.attname, kind, choices))
    return tuple(fields)


def _shown(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def snapshot(instance: models.Model, *, m2m: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record as a person reads it: {field label: shown value}, ids left out."""
    values = {}
    for label, attribute, kind, choices in _audited_fields(type(instance)):
        value = getattr(instance, attribute)
        if kind == "choice":
            value = choices.get(value, value) if value not in (None, "") else None
        elif kind == "fk":
            value = str(value) if value is not None else None
        elif kind == "file":
            value = value.name or None
        else:
            value = _shown(value)
        values[label] = value
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


#: What a journal line cannot store or should not show: NUL (PostgreSQL's jsonb and text refuse
#: it), lone surrogates (they cannot be encoded as UTF-8) and the other control characters
#: (tab and line breaks are text).
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def storable(value: Any) -> Any:
    """`value` with every unstorable character of its texts (keys included) replaced by U+FFFD.

    A journal line records what a user typed (an export's filters, a user name tried at the
    login page): whatever that was, the line must be written, or the action fails with a 500."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\N{REPLACEMENT CHARACTER}", value)
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [storable(item) for item in value]
    return value


def cut(text: str, limit: int) -> str:
    """`text` shortened to `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[:limit] + "…"


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
        changes=storable(changes or {}),
        data=storable(data or {}),
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = storable(object_repr or str(obj))[:300]
    elif object_repr:
        entry.object_repr = storable(object_repr)[:300]
    if parent is not None:
        entry.parent_content_type = ContentType.objects.get_for_model(parent)
        entry.parent_object_id = str(parent.pk)
    return entry


def audit_log(**kwargs) -> AuditEntry:
    """Journal one action now (arguments as `audit_entry`)."""
    entry = audit_entry(**kwargs)
    entry.save()
    return entry


#: Journal lines are built and written this many at a time, so an import of 100,000 rows never
#: holds 100,000 of them in memory.
AUDIT_BATCH = 2000


class AuditLine(NamedTuple):
    """A journal line not yet written: what an import collects by the thousand (no model instance)."""

    actor_id: int | None
    action: str
    content_type_id: int | None
    object_id: str
    object_repr: str
    parent_content_type_id: int | None
    parent_object_id: str
    changes: dict
    data: dict


def _content_type_id(model: type[models.Model]) -> int:
    # Django's ContentType cache, which is cleared when the table is rebuilt (never our own).
    return ContentType.objects.get_for_model(model).pk


def audit_line(*, actor, action: str, obj: models.Model, parent: models.Model | None = None,
               changes: dict | None = None, data: dict | None = None) -> AuditLine:  # fmt: skip
    return AuditLine(
        actor.pk if actor is not None and actor.is_authenticated and actor.pk else None,
        action,
        _content_type_id(type(obj)),
        str(obj.pk),
        str(obj)[:300],
        _content_type_id(type(parent)) if parent is not None else None,
        str(parent.pk) if parent is not None else "",
        changes or {},
        data or {},
    )


@cache
def _line_getters() -> tuple:
    """How each COPY column of the journal is taken from an AuditLine, in the table's order."""
    from operator import itemgetter

    from core.bulk import column_plan, json_text

    plan, columns = column_plan(AuditEntry)
    getters = []
    for attname, _, _ in plan:
        if attname == "created_at":
            getters.append(None)  # the time of writing
        elif attname in ("changes", "data"):
            index = AuditLine._fields.index(attname)
            getters.append(lambda line, i=index: json_text(line[i]))
        else:
            getters.append(itemgetter(AuditLine._fields.index(attname)))
    return tuple(getters), columns


def audit_bulk(lines: Iterable[AuditLine]) -> int:
    """Write many journal lines (an import's), in batches; on PostgreSQL through COPY."""
    from django.db import connection
    from django.utils import timezone

    from core.bulk import copy_rows, reserve_ids

    written = 0
    now = timezone.now()
    iterator = iter(lines)
    while batch := list(itertools.islice(iterator, AUDIT_BATCH)):
        if connection.vendor == "postgresql":
            getters, columns = _line_getters()
            with connection.cursor() as cursor:
                ids = reserve_ids(cursor, AuditEntry, len(batch))
                rows = (
                    [pk, *(now if get is None else get(line) for get in getters)]
                    for pk, line in zip(ids, batch, strict=True)
                )
                copy_rows(cursor, AuditEntry, columns, rows)
        else:
            AuditEntry.objects.bulk_create([AuditEntry(**line._asdict()) for line in batch], batch_size=500)
        written += len(batch)
    return written


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


def audit_delete(*, actor, instance: models.Model, parent=None, m2m=None, data=None) -> AuditEntry:
    values = snapshot(instance, m2m=m2m)
    changes = {label: [value, None] for label, value in values.items() if value not in (None, [], False)}
    return audit_log(actor=actor, action=AuditAction.DELETE, obj=instance, parent=parent, changes=changes, data=data)
