"""Log-in: the lock-out after repeated failures, said in Russian, and the journal of failures.

django-axes counts the failures (by user name and by address, settings AXES_*) and refuses a
locked-out log-in before the password is checked. This module turns its refusal into the login
page with a message that says until when (issue 6 §3), and journals every failed log-in.
"""

from __future__ import annotations

import datetime
import math

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.template.response import TemplateResponse
from django.utils import timezone

from core.audit import audit_log, cut
from core.choices import AuditAction
from core.templatetags.portal import plural_form

#: The user name a journal line keeps (Django's user names are at most 150 characters).
USERNAME_MAX = 150


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check for log-ins through the web.

    A log-in without a request (a management command, a shell, a test checking a password) is
    nobody guessing passwords over the network: it goes on to ModelBackend unchecked, where
    django-axes would raise. Every page that logs a user in (ours, the admin's) passes its
    request, so every web log-in is checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request) -> str | None:
    """The address a request came from (AXES_CLIENT_IP_CALLABLE, and the journal's).

    Behind TRUSTED_PROXY_COUNT reverse proxies it is the entry that the outermost proxy added to
    X-Forwarded-For, counted from the right: the entries before it are whatever the client sent,
    and trusting them would let anyone lock anybody out or escape a lock-out."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_ends_at(request, username: str | None) -> datetime.datetime:
    """When the lock-out that holds `request` ends: the last failure of each locked-out count
    (the user name's, the address's) plus AXES_COOLOFF_TIME, the later of them."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_cool_off, get_credentials, get_failure_limit

    credentials = get_credentials(username)
    cool_off = get_cool_off(request)
    limit = get_failure_limit(request, credentials)
    handler = AxesProxyHandler.get_implementation()
    ends = []
    for attempts in handler.get_user_attempts(request, credentials):
        counted = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if counted["failures"] and counted["failures"] >= limit:
            ends.append(counted["last"] + cool_off)
    return max(ends, default=timezone.now() + cool_off)


def lockout_message(request, username: str | None) -> str:
    """«Слишком много неудачных попыток входа. Попробуйте снова через 15 минут, после 14:35.»"""
    ends = lockout_ends_at(request, username)
    if ends.second or ends.microsecond:
        # Rounded up to the minute, so that a try after the minute named is let through.
        ends = ends.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    minutes = max(1, math.ceil((ends - timezone.now()).total_seconds() / 60))
    unit = plural_form(minutes, ("минуту", "минуты", "минут"))
    return (
        "Слишком много неудачных попыток входа. "
        f"Попробуйте снова через {minutes} {unit}, после {timezone.localtime(ends):%H:%M}."
    )


class LockoutMessageMixin:
    """An authentication form that tells a locked-out user until when, instead of «wrong password»."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                message = lockout_message(self.request, self.cleaned_data.get("username"))
                raise ValidationError(message, code="locked_out") from None
            raise


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Неверное имя пользователя или пароль. Проверьте раскладку клавиатуры и Caps Lock.",
    }


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page, as the form rendered it with the lock-out message,
    answered with 429 Too Many Requests; never django-axes' bare English text."""
    if original_response is not None and getattr(original_response, "status_code", None) == 200:
        original_response.status_code = 429
        return original_response
    # A log-in through anything but the login pages: the portal's login page says it.
    username = (credentials or {}).get("username")
    form = LoginForm(request, data={"username": username or ""})
    form.cleaned_data = {}
    form.add_error(None, ValidationError(lockout_message(request, username), code="locked_out"))
    response = TemplateResponse(request, "registration/login.html", {"form": form}, status=429)
    return response.render()


def journal_failed_login(sender, credentials: dict, request=None, **kwargs) -> None:
    """Receiver of `user_login_failed`: one journal line per failed log-in, with the user name
    tried and the address, never the password (Django has already masked it in `credentials`)."""
    username = credentials.get("username")
    username = cut(str(username), USERNAME_MAX) if username is not None else ""
    audit_log(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_repr=username,
        data={
            "username": username,
            "ip_address": client_address(request) if request is not None else None,
            "path": cut(request.path, 200) if request is not None else None,
            "locked_out": bool(getattr(request, "axes_locked_out", False)),
        },
    )
