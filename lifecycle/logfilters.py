"""Log filters of the settings' LOGGING that are not about secrets (those are in redaction.py)."""

import logging


class ForbiddenWithoutTracebackFilter(logging.Filter):
    """A refused page (403) is an expected answer, not a defect: Django logs each one with the
    PermissionDenied's traceback, a screenful per refusal in `make run`'s log. The line stays;
    its traceback goes. Other errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
