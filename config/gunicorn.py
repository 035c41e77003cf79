"""gunicorn's settings for the portal: `gunicorn -c config/gunicorn.py config.wsgi:application`.

Command-line options (--bind, --workers) still apply on top of these."""

import gc


def post_worker_init(worker):
    """Once a worker has loaded Django, the apps and the URLconf, move everything it holds out of
    the garbage collector's sight: those objects live as long as the worker, and a full collection
    would otherwise walk them all again (a 100 ms pause every few dozen requests, seen in the
    pages' p99 by bench/profile_pages.py)."""
    gc.freeze()
