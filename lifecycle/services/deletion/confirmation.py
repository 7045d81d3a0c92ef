"""The emailed single-use link: signing it, reading it back, confirming with it."""

import secrets
from typing import Any

from django.core import signing

from editions.registry import rule
from lifecycle.core import (
    Actor,
    Change,
    account_rows,
    apply,
    check_person,
    lifecycle_service,
    lock_account,
    refuse,
)
from lifecycle.errors import Code
from lifecycle.models import DeletionRequest
from lifecycle.transitions import Action, Rows
from lifecycle.transitions.deletion import CONFIRM_DELETION, confirmation_refusal

__all__ = [
    "TOKEN_SALT",
    "confirm_deletion",
    "confirmation_refusal",
    "deletion_token",
    "open_confirmation_link",
    "request_for_token",
]

TOKEN_SALT = "lifecycle.deletion-confirmation"  # nosec B105  # a signing namespace, not a secret


def deletion_token(request: DeletionRequest) -> str:
    """The signed value of the confirmation link. It names the request and its one-time nonce."""
    return signing.dumps({"r": request.pk, "n": request.nonce}, salt=TOKEN_SALT)


def _load_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        return int(data["r"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def request_for_token(token: str) -> DeletionRequest | None:
    """The request a confirmation link names, if its signature and nonce are right."""
    loaded = _load_token(token)
    if loaded is None:
        return None
    request = DeletionRequest.objects.select_related("account").filter(pk=loaded[0]).first()
    if request is None or not secrets.compare_digest(request.nonce, loaded[1]):
        return None
    return request


INVALID = "This confirmation link is not valid: open the latest email in your inbox."


def _named_request(token: str, sandbox: Any) -> DeletionRequest:
    """The request the link names, in the sandbox it was opened in; a forged link (or another
    sandbox's) is refused on that sandbox's timeline, and only logged when it names none."""
    request = request_for_token(token)
    sandbox_pk = sandbox.pk if hasattr(sandbox, "pk") else sandbox
    if request is None or (sandbox_pk is not None and request.account.sandbox_id != sandbox_pk):
        refuse(Code.TOKEN_INVALID, INVALID, sandbox=sandbox)
    return request


@lifecycle_service(Action.CONFIRM_DELETION)
def confirm_deletion(*, actor: Actor, token: str, sandbox: Any = None) -> DeletionRequest:
    """Confirm through the emailed link: the deletion is scheduled after the grace period."""
    request = _named_request(token, sandbox)
    account = lock_account(request.account_id)
    request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
    return apply(
        CONFIRM_DELETION, account_rows(account, request=request), actor=actor, effect=_schedule
    )


@lifecycle_service(Action.CONFIRM_DELETION)
def open_confirmation_link(*, actor: Actor, token: str, sandbox: Any = None) -> DeletionRequest:
    """Open the emailed link (its page, before the button): the request it would confirm.

    A link that no longer confirms anything (used, expired, its request closed) is refused as
    the confirmation would be, and recorded on the account's timeline, so opening an expired
    link is on the record even though nothing was pressed. Opening a usable link writes nothing.
    """
    request = _named_request(token, sandbox)
    account = lock_account(request.account_id)
    check_person(actor, account.sandbox, account=account)
    request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
    refusal = confirmation_refusal(request, account.sandbox.now())
    if refusal is not None:
        refuse(
            refusal.code,
            refusal.sentence,
            account=account,
            params={"request_id": request.pk, "opened": True},
        )
    return request


def _schedule(rows: Rows, target: str) -> Change:
    request = rows.deletion
    request.confirmed_at = rows.now
    request.scheduled_for = scheduled_for = rows.now + rule(rows.sandbox, "DELETION_GRACE")
    return Change(
        result=request,
        request_fields=("confirmed_at", "scheduled_for", "updated"),
        params={"request_id": request.pk, "scheduled_for": scheduled_for.isoformat()},
    )
