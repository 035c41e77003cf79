"""Figures of a page kept for a minute per scope, and computed again as soon as the data change.

A home page's figures aggregate the whole registry of a municipality (thousands of people, their
consents and bases): too much to compute for every visit. Every write of the portal is journalled
(core.audit: services, imports, the admin), so the newest journal line tells whether anything
changed: a figure is kept under the id of that line, and a write gives the next visitor a new key
and fresh figures. One cheap query per request asks for it (the primary key's index).

The timeout bounds what the key cannot see: a change committed after a later journal line was
(two writes at once), and a page that depends on the date (ages) — the date is in the key too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.models import AuditEntry
from core.scoping import get_scope

T = TypeVar("T")
_VERSION_ATTR = "_mentorship_data_version"


def data_version(user) -> int:
    """The id of the newest journal line, asked once per request (kept on the user object, as the
    scope is)."""
    version = getattr(user, _VERSION_ATTR, None)
    if version is None:
        version = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        setattr(user, _VERSION_ATTR, version)
    return version


def scope_key(user) -> str:
    """The digest of everything the user's scope lets them see and do (roles, the municipalities
    and organizations read, written and approved): users with the same key see the same figures,
    and a user of another scope never gets another key's."""
    scope = get_scope(user)
    parts = (
        scope.is_superuser,
        sorted(scope.roles),
        sorted(scope.read_municipality_ids),
        sorted(scope.read_organization_ids),
        sorted(scope.write_municipality_ids),
        sorted(scope.write_organization_ids),
        sorted(scope.approve_organization_ids),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_for_scope(name: str, user, compute: Callable[[], T]) -> T:
    """`compute()`, or its value from the cache while neither the data, the user's scope nor the
    date have changed (at most `settings.FIGURES_CACHE_SECONDS`)."""
    key = f"figures:{name}:{scope_key(user)}:{timezone.localdate().isoformat()}:{data_version(user)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.FIGURES_CACHE_SECONDS)
    return value
