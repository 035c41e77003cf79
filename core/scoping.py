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
    #: The user's roles as the navbar lists them: «Куратор ЦМН: МБОУ «СОШ № 1»».
    labels: tuple[str, ...] = ()
    #: Organizations whose director the user is: they approve its pairs, plans and reports by
    #: order (Положение §3.6, §4.1), though they change nothing else there.
    approve_organization_ids: frozenset[int] = frozenset()

    @property
    def can_write_any(self) -> bool:
        return self.is_superuser or bool(self.write_municipality_ids or self.write_organization_ids)

    @property
    def is_municipal(self) -> bool:
        """Sees a whole municipality (coordinator or observer) or everything."""
        return self.is_superuser or bool(self.read_municipality_ids)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def can_approve(self, organization_id: int | None) -> bool:
        """Is the user the director of this organization (or staff)? §3.6: approval is theirs."""
        return self.is_superuser or organization_id in self.approve_organization_ids


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

    read_m, read_o, write_m, write_o, member_m, roles, labels = set(), set(), set(), set(), set(), set(), []
    approve_o = set()
    rows = RoleAssignment.objects.filter(user=user).order_by("pk")
    rows = rows.select_related("municipality", "organization").only(
        "role", "municipality__name", "organization__short_name", "organization__municipality_id"
    )
    for assignment in rows:
        role, municipality_id, organization_id = assignment.role, assignment.municipality_id, assignment.organization_id
        org_municipality_id = assignment.organization.municipality_id if organization_id else None
        labels.append(str(assignment))
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
            if role == Role.DIRECTOR:
                approve_o.add(organization_id)
    scope = Scope(
        is_superuser=user.is_superuser,
        roles=frozenset(roles),
        read_municipality_ids=frozenset(read_m),
        read_organization_ids=frozenset(read_o),
        write_municipality_ids=frozenset(write_m),
        write_organization_ids=frozenset(write_o),
        member_municipality_ids=frozenset(member_m | read_m),
        labels=tuple(labels),
        approve_organization_ids=frozenset(approve_o),
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


def _path_id(obj, path: str):
    """The id at the end of a scope path read from the object itself («organization__municipality»
    → obj.organization.municipality_id): no query when the relations are loaded (select_related)."""
    *relations, last = path.split("__")
    for name in relations:
        obj = getattr(obj, name)
        if obj is None:
            return None
    if last == "pk":
        return obj.pk
    return getattr(obj, obj._meta.get_field(last).attname)


def can_write(user, obj, *, database: bool = False) -> bool:
    """May `user` change `obj`? The same paths as `for_user(write=True)`.

    For a page (which buttons to show, 403 before a form) they are read from the object as loaded,
    against the scope's ids in memory: no query. `database=True` asks the database instead —
    what the services do before and after a write, where the stored row, not a possibly stale
    loaded one, must decide."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    if obj.pk is None:
        return False
    model = type(obj)
    if database:
        return model._default_manager.for_user(user, write=True).filter(pk=obj.pk).exists()
    municipality_path = getattr(model, "scope_municipality_path", None)
    organization_path = getattr(model, "scope_organization_path", None)
    if organization_path and _path_id(obj, organization_path) in scope.write_organization_ids:
        return True
    return bool(municipality_path) and _path_id(obj, municipality_path) in scope.write_municipality_ids


def ensure_can_write(user, obj) -> None:
    """Raise PermissionDenied (403) unless `user` may change the saved `obj`.

    Services call it after saving inside their transaction: an object that ends up
    outside the user's scope rolls the whole write back (house style (docs/style.md) habit 4).
    """
    if user is None:  # management commands and the demo loader act as the system
        return
    if not can_write(user, obj, database=True):
        raise PermissionDenied("Недостаточно прав для изменения этой записи.")
