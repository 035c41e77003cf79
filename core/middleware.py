"""Middleware of the portal: what the browser may keep, and how long a session lasts.

Issue 6 §3: pages and files with personal data must stay out of every cache (a shared computer
in a staff room, the back button after logging out, a proxy), and a session left idle must end.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import FileResponse
from django.utils.cache import add_never_cache_headers


def is_download(response) -> bool:
    """A file the browser saves (an export, a scan, a template, an error report)."""
    return isinstance(response, FileResponse) or response.get("Content-Disposition", "").startswith("attachment")


class NoStoreMiddleware:
    """`Cache-Control: no-store` (with Django's `max-age=0, no-cache, must-revalidate, private`
    and an `Expires` in the past) on every response to a signed-in user and on every download.

    Static files never come here: WhiteNoise answers them before, with their long caching. No
    `Pragma: no-cache`: it only speaks to HTTP/1.0 caches, and `no-store` is what browsers obey."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or is_download(response):
            add_never_cache_headers(response)
        return response


#: The session key holding when the session's expiry was last moved (seconds since the epoch).
REFRESHED_AT = "_refreshed_at"


def mark_session_refreshed(sender, request, user, **kwargs) -> None:
    """Receiver of `user_logged_in`: logging in saves the session, with its expiry, anyway."""
    if request is not None and hasattr(request, "session"):
        request.session[REFRESHED_AT] = int(time.time())


class SessionRefreshMiddleware:
    """Sliding expiry at the price of one session write every SESSION_REFRESH_SECONDS.

    A session ends SESSION_COOKIE_AGE (the idle time) after it was last saved. Saving it on
    every request (SESSION_SAVE_EVERY_REQUEST) would cost a database write per page; instead the
    session of a signed-in user is marked changed when its expiry was last moved longer than
    SESSION_REFRESH_SECONDS ago, so an active user's session lives on, and an idle one ends
    between (idle time − refresh interval) and the idle time after the last request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(REFRESHED_AT)
            if not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS or now < last:
                request.session[REFRESHED_AT] = now
        return self.get_response(request)
