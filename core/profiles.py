"""Role holders as documents name them: «Фамилия Имя Отчество» and a position.

Issue 10: every role holder has a full name (with patronymic) and a position, which documents use.
Django's user holds the surname and the first name; the patronymic and the position are in
`core.models.Profile`, made the first time they are needed.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from core.declension import initials_after, initials_before
from core.models import Profile, RoleAssignment
from core.scoping import get_scope


def profile_of(user) -> Profile:
    """The user's profile, created (empty) when there is none yet.

    A profile loaded along with the user (`select_related("profile")`) costs no query. Pages
    that only read use `full_name` and `position_of`, which never create one."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _created = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile


def stored_profile(user) -> Profile | None:
    """The profile if the user has one, without creating it (reads must not write)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def full_name(user) -> str:
    """«Белова Ольга Сергеевна»: surname, first name and patronymic; the login when no name is given."""
    profile = stored_profile(user)
    parts = (user.last_name, user.first_name, profile.middle_name if profile else "")
    return " ".join(part.strip() for part in parts if part and part.strip()) or user.get_username()


def _middle_name(user) -> str:
    profile = stored_profile(user)
    return profile.middle_name if profile else ""


def short_name(user) -> str:
    """«Белова О.\xa0С.»: the surname with initials, as a list or an order's text names a person."""
    if not user.last_name:
        return full_name(user)
    return initials_after(user.last_name, user.first_name, _middle_name(user))


def signature(user) -> str:
    """«О.\xa0С.\xa0Белова»: initials before the surname, as under a signature."""
    if not user.last_name:
        return full_name(user)
    return initials_before(user.last_name, user.first_name, _middle_name(user))


def position_of(user) -> str:
    profile = stored_profile(user)
    return profile.position if profile else ""


def role_holders(user) -> QuerySet:
    """The role holders `user` may see: for a coordinator or an observer, everyone who holds a role
    in their municipalities — its coordinators and observers, the curators and directors of its
    organizations; for a curator or a director, those of their organizations (their colleagues);
    staff see every user. As every list, scoped rather than forbidden.

    Each user comes once, with the profile and the role assignments (with their places) loaded;
    only the roles held in what `user` sees are shown (an observer of several municipalities
    shows this one's)."""
    scope = get_scope(user)
    users = get_user_model().objects.all()
    assignments = RoleAssignment.objects.select_related("municipality", "organization").order_by("role", "pk")
    if not scope.is_superuser:
        held = _held_in(scope.read_municipality_ids) | Q(organization_id__in=scope.read_organization_ids)
        assignments = assignments.filter(held)
        users = users.filter(pk__in=RoleAssignment.objects.filter(held).values("user_id"))
    return (
        users.select_related("profile")
        .prefetch_related(Prefetch("role_assignments", queryset=assignments))
        .order_by("last_name", "first_name", "username", "pk")
    )


def _held_in(municipality_ids) -> Q:
    """Role assignments over these municipalities or over their organizations."""
    return Q(municipality_id__in=municipality_ids) | Q(organization__municipality_id__in=municipality_ids)


def can_edit_holder(user, holder) -> bool:
    """May `user` change `holder`'s name and position? Their own always; a coordinator those who
    hold a role in their municipality; staff everyone. Observers read."""
    if user is None:
        return True  # the system (commands, the demo)
    scope = get_scope(user)
    if scope.is_superuser or user.pk == holder.pk:
        return True
    municipalities = scope.write_municipality_ids
    if not municipalities:
        return False
    return RoleAssignment.objects.filter(_held_in(municipalities), user=holder).exists()
