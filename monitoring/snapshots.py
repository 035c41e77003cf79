"""The region's home page from a snapshot: stale while revalidating (issue 9 §6).

The issue's target is «the coordinator's dashboard ≤ 300 ms for a municipality and ≤ 2 s for the
region» of «1,300 organizations, 700,000 people, 200,000 pairs». The region view's figures (the
registry's, the pairs', the coverage of two academic years, the roadmaps', the indicators') take
several seconds to compute, and the per-process cache of `core.cache` does not help: in a busy
region someone writes every few seconds, and the observer would practically always compute them.

So the region view reads a `DashboardSnapshot` of its scope, kept in the database (every web
process sees it) and computed by the background worker:

- a snapshot computed from the current data (no journal line since, the same day) is shown as it is;
- a snapshot behind the data but younger than `DASHBOARD_SNAPSHOT_MAX_AGE` (15 minutes) is shown
  with «данные на HH:MM», and the page asks the worker to compute it again without waiting
  (`monitoring.tasks.refresh_dashboard_snapshot`; one request at a time, again after
  `REFRESH_RETRY` if the worker has not answered);
- with no snapshot at all (the first visit ever), or one behind the data and older than the bound
  (the worker is stopped), the page computes the figures itself and stores them.

So an observer sees figures at most 15 minutes behind the data, and says so on the page; the
municipal coordinator's page (one municipality) computes its figures live (core.cache).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.cache import data_version, scope_key
from mentorship import selectors as pair_selectors
from monitoring.dashboard import dashboard, dashboard_data
from monitoring.models import DashboardSnapshot
from registry import selectors
from registry.models import Organization

logger = logging.getLogger(__name__)

#: The snapshot of the region view.
REGION = "region"
#: The shape of a snapshot's data: raise it when `region_figures` changes.
FORMAT_VERSION = 1
#: A request for a refresh the worker has not answered within this time is made again.
REFRESH_RETRY = datetime.timedelta(minutes=2)


def max_age() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.DASHBOARD_SNAPSHOT_MAX_AGE)


def region_figures(user) -> dict:
    """Every figure of the region view's home page, as JSON data: the registry's and the pairs'
    tiles, the number of organizations, the dashboard (monitoring.dashboard)."""
    return {
        "summary": selectors.registry_summary(user=user),
        "organization_count": Organization.objects.for_user(user).count(),
        "pairs": pair_selectors.pair_summary(user),
        "dashboard": dashboard_data(dashboard(user)),
    }


COMPUTE = {REGION: region_figures}


@dataclass
class Shown:
    """What a page shows: the figures, when they were computed, and whether they are behind the
    data (then a refresh has been asked for)."""

    data: dict
    computed_at: datetime.datetime
    behind: bool

    @property
    def today(self) -> bool:
        return timezone.localtime(self.computed_at).date() == timezone.localdate()


def compute_snapshot(name: str, user) -> DashboardSnapshot:
    """Compute the figures for the user's scope and store them (the worker's task, and a page with
    no usable snapshot). The data version is taken before the computation: a write meanwhile makes
    the snapshot behind at once."""
    version = data_version(user)
    today = timezone.localdate()
    data = COMPUTE[name](user)
    snapshot, _ = DashboardSnapshot.objects.update_or_create(
        name=name,
        scope_key=scope_key(user),
        defaults={
            "data": data,
            "data_version": version,
            "computed_on": today,
            "computed_at": timezone.now(),
            "refresh_requested_at": None,
            "format_version": FORMAT_VERSION,
        },
    )
    return snapshot


def is_behind(snapshot: DashboardSnapshot, user) -> bool:
    """Was anything written since the snapshot's computation began (or is it another day's)?"""
    return snapshot.data_version != data_version(user) or snapshot.computed_on != timezone.localdate()


def request_refresh(snapshot: DashboardSnapshot, user) -> bool:
    """Ask the worker to compute the snapshot again, unless that was asked within `REFRESH_RETRY`:
    the claim is one UPDATE, so two pages at once enqueue one task."""
    from monitoring.tasks import refresh_dashboard_snapshot

    now = timezone.now()
    claimed = (
        DashboardSnapshot.objects.filter(pk=snapshot.pk)
        .filter(Q(refresh_requested_at__isnull=True) | Q(refresh_requested_at__lt=now - REFRESH_RETRY))
        .update(refresh_requested_at=now)
    )
    if not claimed:
        return False
    try:
        refresh_dashboard_snapshot.enqueue(name=snapshot.name, user_id=user.pk)
    except Exception:  # the page still shows the snapshot; the next visit asks again
        logger.exception("Could not enqueue the refresh of snapshot %s", snapshot.pk)
        DashboardSnapshot.objects.filter(pk=snapshot.pk).update(refresh_requested_at=None)
        return False
    return True


def snapshot_figures(name: str, user) -> Shown:
    """The figures of the user's scope from its snapshot, stale while revalidating (the module's
    docstring): at most two or three short queries when a usable snapshot exists."""
    snapshot = DashboardSnapshot.objects.filter(
        name=name, scope_key=scope_key(user), format_version=FORMAT_VERSION
    ).first()
    if snapshot is not None and is_behind(snapshot, user):
        if timezone.now() - snapshot.computed_at > max_age():
            snapshot = None  # too old to show: computed below
        else:
            request_refresh(snapshot, user)
            return Shown(snapshot.data, snapshot.computed_at, behind=True)
    if snapshot is None:
        snapshot = compute_snapshot(name, user)
    return Shown(snapshot.data, snapshot.computed_at, behind=False)
