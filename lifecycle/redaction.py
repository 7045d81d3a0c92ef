"""Secrets that must never be shown to staff or written to a log: one place that hides them.

Tokens travel in the paths of emailed and shared links: the deletion confirmation
(`/close/confirm/<token>/`), the password reset and set-password link
(`/password/reset/<uid>/<token>/`), the email verification link (`/email/verify/<uid>/<token>/`)
and a cohort's invitation link (`/join/<token>/`). Each link's first hop takes the token off the
address where it can (Django's reset moves it into the session); what still names it (the inbox
row staff can read, the access and request log lines of that first hop) goes through `redact`.
"""

import logging
import re
from typing import Any

HIDDEN = "[hidden]"
_SEGMENT = r"[^/\s?#\"'<>]+"
# What comes before the token segment of each token-bearing path.
_TOKEN_PREFIXES = (
    r"/close/confirm/",  # signed base64 with ':' separators
    r"/password/reset/" + _SEGMENT + r"/(?!set-password/)",  # Django's own token-less step
    r"/email/verify/" + _SEGMENT + "/",
    r"/join/",
)
_TOKEN_IN_PATH = re.compile(
    r"((?:" + "|".join(_TOKEN_PREFIXES) + r"))(?!" + re.escape(HIDDEN) + r")" + _SEGMENT
)


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
    """The text with every token of a link's path replaced by [hidden]."""
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
