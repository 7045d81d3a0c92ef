"""Row ids written outside the foreign keys, and how a copy renumbers them.

A copied row gets a new id, so whatever names an old id must name the new one: an event's
subject, the ids an event's params carry ("request_id", a cause's "event_id"), an inbox
message's links (their URL names the sandbox and the export; a confirmation link is a signed
token naming the request), the "#12" of a label or a sentence, and a message's dedupe key.
An id of a row the sandbox does not hold (the sandbox a demo reset replaced) stays as it was.
"""

import re
from collections.abc import Callable
from typing import Any

from django.core import signing
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

# A param or URL keyword `<name>_id` names a row of this model (else the model called <name>).
ALIASES = {
    "account": "accounts.selleraccount",
    "authorization": "accounts.appauthorization",
    "request": "lifecycle.deletionrequest",
    "deletion": "lifecycle.deletionrequest",
    "export": "lifecycle.exportjob",
    "message": "lifecycle.inboxmessage",
    "event": "lifecycle.timelineevent",
    "link": "shops.shoplink",
    "live_session": "studio.livesession",
    "sandbox": "accounts.sandbox",
}
# Params whose value is an id (or a list of ids) without the `_id` ending.
PARAM_KEYS = {
    "announcement": "lifecycle.timelineevent",  # an announcement is named by its queued event
    "paused_campaigns": "shops.campaign",
}
# An event's subject_type: a row's own, or the name of a machine whose subject is the account.
SUBJECTS = {
    "shop": "shops.shop",
    "product": "shops.product",
    "app": "accounts.appauthorization",
    "inquiry": "shops.inquiry",
    "sandbox": "accounts.sandbox",
    "export": "lifecycle.exportjob",
}
ACCOUNT = "accounts.selleraccount"
# "#12" in a label or a sentence, after the words naming its row.
# (An export's "#2" is its number in its sandbox, copied with it: it is not renumbered.)
NUMBERED = re.compile(r"\b(Seller account|Inquiry|Deletion request) #(\d+)")
NUMBERED_MODELS = {
    "Seller account": ACCOUNT,
    "Inquiry": "shops.inquiry",
    "Deletion request": "lifecycle.deletionrequest",
}
DEDUPE = (
    (re.compile(r"^(export-)(\d+)(-.*)$"), "lifecycle.exportjob"),
    (re.compile(r"^(deletion-)(\d+)(-.*)$"), "lifecycle.deletionrequest"),
    (re.compile(r"^(support-event-)(\d+)()$"), "lifecycle.timelineevent"),
    (re.compile(r"^(announce-)(\d+)(-.*)$"), "lifecycle.timelineevent"),
)
ANNOUNCE_CUSTOMER = re.compile(r"^(announce-\d+-customer-)(\d+)$")


class Renumbering:
    """Old id to new id, per model label, of one copy."""

    def __init__(self, model_names: dict[str, str]):
        self.ids: dict[str, dict[int, int]] = {}
        self._by_name = model_names  # "order" -> "shops.order", for the held models

    def new(self, label: str | None, old: Any) -> Any:
        if label is None or not isinstance(old, int) or isinstance(old, bool):
            return old
        return self.ids.get(label, {}).get(old, old)

    def label_of_name(self, name: str) -> str | None:
        return ALIASES.get(name) or self._by_name.get(name.replace("_", ""))

    # -- the kinds of reference ------------------------------------------------------------
    def subject(self, subject_type: str, subject_id: int | None) -> int | None:
        label = SUBJECTS.get(subject_type) or self._by_name.get(subject_type) or ACCOUNT
        return self.new(label, subject_id)

    def text(self, value: str) -> str:
        if "#" not in value:
            return value
        return NUMBERED.sub(
            lambda m: f"{m[1]} #{self.new(NUMBERED_MODELS[m[1]], int(m[2]))}", value
        )

    def dedupe_key(self, value: str) -> str:
        match = ANNOUNCE_CUSTOMER.match(value)
        if match:
            value = f"{match[1]}{self.new('shops.customer', int(match[2]))}"
        for pattern, label in DEDUPE:
            match = pattern.match(value)
            if match:
                return f"{match[1]}{self.new(label, int(match[2]))}{match[3]}"
        return value

    def url(self, value: str) -> str:
        path, mark, query = value.partition("?")
        try:
            found = resolve(path)
        except Resolver404:
            return value
        kwargs = {key: self._keyword(key, arg) for key, arg in found.kwargs.items()}
        try:
            return reverse(found.view_name, kwargs=kwargs) + mark + query
        except NoReverseMatch:
            return value

    def _keyword(self, key: str, arg: Any) -> Any:
        if key.endswith("_id"):
            return self.new(self.label_of_name(key[:-3]), arg)
        if key == "token":
            return self.token(arg)
        return arg

    def token(self, token: str) -> str:
        """A deletion confirmation token, signed again for the copied request."""
        from lifecycle.services.deletion.confirmation import TOKEN_SALT

        try:
            data = signing.loads(token, salt=TOKEN_SALT)
        except signing.BadSignature:
            return token
        data["r"] = self.new("lifecycle.deletionrequest", data.get("r"))
        return signing.dumps(data, salt=TOKEN_SALT)

    def json(self, value: Any, key: str = "") -> Any:
        """Ids in a JSON value: under `<name>_id` keys and PARAM_KEYS, URLs under "url"."""
        if isinstance(value, dict):
            return {k: self.json(v, k) for k, v in value.items()}
        label = PARAM_KEYS.get(key) or (
            self.label_of_name(key[:-3]) if key.endswith("_id") else None
        )
        if isinstance(value, list):
            if label:
                return [self.new(label, item) for item in value]
            return [self.json(item) for item in value]
        if label:
            return self.new(label, value)
        if isinstance(value, str):
            return self.url(value) if key == "url" else self.text(value)
        return value


Rewriter = Callable[[Renumbering, Any], Any]
