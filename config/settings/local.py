"""A developer's machine: base with DEBUG on unless the environment says otherwise.

`manage.py` uses it by default, so a bare `python manage.py …` works on a checkout; servers set
DJANGO_SETTINGS_MODULE=config.settings.production (wsgi.py defaults to it)."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: F403
