"""Secrets that must never be shown to staff or written to a log: one place that hides them.

The deletion confirmation token travels in the emailed link's path (`/close/confirm/<token>/`).
The link's first hop moves it into the session and redirects to a path without it; what still
names it (the inbox row staff can read, the access and request log lines of that first hop)
goes through `redact`.
"""

import logging
import re

HIDDEN = "[hidden]"
# The token segment of a confirmation link: signed base64 with ':' separators.
_TOKEN_IN_PATH = re.compile(r"(/close/confirm/)(?!" + re.escape(HIDDEN) + r")[^/\s?#\"'<>]+")


def redact(text: str) -> str:
    """The text with every confirmation token replaced by [hidden]."""
    return _TOKEN_IN_PATH.sub(r"\1" + HIDDEN, text)


class RedactSecretsFilter(logging.Filter):
    """A logging filter that rewrites a record's message so no token reaches a handler.

    Django's request warnings and runserver's access lines put the request path in the
    arguments, so the message is formatted here and the arguments dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
