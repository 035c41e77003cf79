"""Production settings: base plus the security that `check --deploy` asks for."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEVELOPMENT

if DEVELOPMENT:
    raise ImproperlyConfigured("config.settings.production must run with DEBUG off.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the portal's host names in production.")

DEMO_DATA_ALLOWED = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Persistent database connections (issue 6 §6) ---------------------------------------------
# Opening a PostgreSQL connection for every request (CONN_MAX_AGE=0, base's default) costs a
# TCP/auth round trip and backend start-up per page. In production each gunicorn worker keeps
# its connection for CONN_MAX_AGE seconds (default 60), and checks it before reusing it after
# an idle period, so a restarted database costs one failed ping, not one failed request.
from .base import DATABASES  # noqa: E402

DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
