"""Background work of monitoring: the region view's snapshot computed again after a change
(monitoring.snapshots), by the worker (`manage.py worker`, which runs every task of the queue)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def refresh_dashboard_snapshot(name: str, user_id: int) -> dict:
    """Compute the snapshot `name` of the user's scope again (the user who asked: the figures are
    what their scope lets them see, stored under that scope's key). A user gone or deactivated
    meanwhile asks for nothing."""
    from monitoring.snapshots import compute_snapshot

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return {"status": "skipped"}
    snapshot = compute_snapshot(name, user)
    return {"status": "computed", "snapshot": snapshot.pk, "data_version": snapshot.data_version}
