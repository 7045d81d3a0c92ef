"""Secrets that must never be shown to staff or written to a log: one place that hides them.

The deletion confirmation token travels in the emailed link's path (`/close/confirm/<token>/`).
The link's first hop moves it into the session and redirects to a path without it; what still
names it (the inbox row staff can read, the access and request log lines of that first hop)
goes through `redact`.
"""

import logging
import re
from typing import Any

HIDDEN = "[hidden]"
# The token segment of a confirmation link: signed base64 with ':' separators.
_TOKEN_IN_PATH = re.compile(r"(/close/confirm/)(?!" + re.escape(HIDDEN) + r")[^/\s?#\"'<>]+")


# A deleted account's timeline keeps its events with these blanked (finalization's scrub, and any
# event written about the account after it).
REDACTED = "[removed]"
# Keys of timeline parameters that may hold personal details; finalization blanks them.
# A tracking number leads to a customer's parcel and address, so it counts as personal.
PERSONAL_KEYS = frozenset(
    {
        "display_name",
        "contact_email",
        "email",
        "customer",
        "customer_name",
        "address",
        "to",
        "tracking_number",
    }
)


def scrub_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """An event's parameters with the personal ones blanked."""
    return {key: (REDACTED if key in PERSONAL_KEYS else v) for key, v in (params or {}).items()}


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
