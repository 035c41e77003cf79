"""`/healthz/`: the portal's liveness answer and the floor of the page bench.

It answers «ok» as plain text without a session, a user or a database query, so it measures
what Django itself costs under gunicorn (bench/web_bench.py compares every page with it) and
lets a container check see that the web process answers without loading the database.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """The web process is up and routes requests: «ok», nothing else."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
