"""The one scoping entry point: what a user may see and change.

docs/product.md «Who uses it»: a coordinator sees every organization of their municipality, a
curator and a director their organization, an observer a set of municipalities, staff
everything. Every model holding organization data uses `ScopedQuerySet`, and every view,
form choice, export and admin page starts from `Model.objects.for_user(user)`. An object
outside the scope is simply not in the queryset, so views answer 404 for it.

Writes: a coordinator changes the data of their municipality, a curator that of their
organization; directors and observers read (their approvals come with pairs and plans).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from core.choices import Role

_CACHE_ATTR = "_mentorship_scope"


@dataclass(frozen=True)
class Scope:
    """The places a user holds roles in, as id sets (computed once per request)."""

    is_superuser: bool = False
    roles: frozenset[str] = frozenset()
    read_municipality_ids: frozenset[int] = frozenset()
    read_organization_ids: frozenset[int] = frozenset()
    write_municipality_ids: frozenset[int] = frozenset()
    write_organization_ids: frozenset[int] = frozenset()
    #: Municipalities of the organizations above: a curator sees their own municipality's name.
    member_municipality_ids: frozenset[int] = frozenset()

    @property
    def can_write_any(self) -> bool:
        return self.is_superuser or bool(self.write_municipality_ids or self.write_organization_ids)

    @property
    def is_municipal(self) -> bool:
        """Sees a whole municipality (coordinator or observer) or everything."""
        return self.is_superuser or bool(self.read_municipality_ids)

    def has_role(self, role: str) -> bool:
        return role in self.roles


def system_user():
    """The actor of management commands run by an administrator: sees and changes everything,
    and is journalled as «система» (it is never saved, so it can never log in)."""
    from django.contrib.auth import get_user_model

    return get_user_model()(username="system", is_superuser=True, is_active=True)


def get_scope(user) -> Scope:
    """The scope of `user`, cached on the user object for the length of a request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.pk is None:  # the system actor of commands
        return Scope(is_superuser=user.is_superuser)
    from core.models import RoleAssignment

    read_m, read_o, write_m, write_o, member_m, roles = set(), set(), set(), set(), set(), set()
    rows = RoleAssignment.objects.filter(user=user).values_list(
        "role", "municipality_id", "organization_id", "organization__municipality_id"
    )
    for role, municipality_id, organization_id, org_municipality_id in rows:
        roles.add(role)
        if municipality_id:
            read_m.add(municipality_id)
            if role == Role.COORDINATOR:
                write_m.add(municipality_id)
        if organization_id:
            read_o.add(organization_id)
            member_m.add(org_municipality_id)
            if role == Role.CURATOR:
                write_o.add(organization_id)
    scope = Scope(
        is_superuser=user.is_superuser,
        roles=frozenset(roles),
        read_municipality_ids=frozenset(read_m),
        read_organization_ids=frozenset(read_o),
        write_municipality_ids=frozenset(write_m),
        write_organization_ids=frozenset(write_o),
        member_municipality_ids=frozenset(member_m | read_m),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after roles change within one request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how its model reaches a municipality and an organization.

    The model names the lookups in `scope_municipality_path` and `scope_organization_path`
    (e.g. "organization__municipality" and "organization"); None means "not reachable".
    """

    def for_user(self, user, *, write: bool = False):
        scope = get_scope(user)
        if scope.is_superuser:
            return self.all()
        municipality_path = getattr(self.model, "scope_municipality_path", None)
        organization_path = getattr(self.model, "scope_organization_path", None)
        municipality_ids = scope.write_municipality_ids if write else scope.read_municipality_ids
        organization_ids = scope.write_organization_ids if write else scope.read_organization_ids
        if not write and getattr(self.model, "scope_members_see_municipality", False):
            municipality_ids = scope.member_municipality_ids
        condition = Q(pk__in=[])
        if municipality_path and municipality_ids:
            condition |= Q(**{f"{municipality_path}__in": municipality_ids})
        if organization_path and organization_ids:
            condition |= Q(**{f"{organization_path}__in": organization_ids})
        return self.filter(condition)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def can_write(user, obj) -> bool:
    """May `user` change `obj`? Asked of the database with the same paths as `for_user`."""
    if get_scope(user).is_superuser:
        return True
    if obj.pk is None:
        return False
    return type(obj)._default_manager.for_user(user, write=True).filter(pk=obj.pk).exists()


def ensure_can_write(user, obj) -> None:
    """Raise PermissionDenied (403) unless `user` may change the saved `obj`.

    Services call it after saving inside their transaction: an object that ends up
    outside the user's scope rolls the whole write back (house style (docs/style.md) habit 4).
    """
    if user is None:  # management commands and the demo loader act as the system
        return
    if not can_write(user, obj):
        raise PermissionDenied("Недостаточно прав для изменения этой записи.")
