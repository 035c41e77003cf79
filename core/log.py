"""Logging helpers named by settings.LOGGING."""

from __future__ import annotations

import logging


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class OneLineRefusals(logging.Filter):
    """A refusal (a 4xx that Django logs with its exception: PermissionDenied, a bad request) as
    one line — who, which path, why — without the traceback (issue 6 §3).

    A refusal is the portal doing its job (a curator following a link to another school's
    record), not a failure to debug; a 5xx keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is None or not 400 <= status < 500 or not record.exc_info:
            return True
        exception = record.exc_info[1]
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        path = request.path.encode("unicode_escape").decode("ascii") if request is not None else "?"
        record.msg = "Refused %s: user=%s path=%s reason=%s"
        record.args = (status, who, path, _one_line(exception) or type(exception).__name__)
        record.exc_info = None
        record.exc_text = None
        return True
