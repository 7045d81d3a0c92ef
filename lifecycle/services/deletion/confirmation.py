"""The emailed single-use link: signing it, reading it back, confirming with it."""

import secrets
from typing import Any

from django.core import signing

from accounts.models import AccountStatus
from lifecycle.conf import setting
from lifecycle.core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from lifecycle.errors import Code
from lifecycle.models import (
    DeletionRequest,
    DeletionStatus,
)
from lifecycle.services.links import when
from lifecycle.transitions import Action, transition_for

TOKEN_SALT = "lifecycle.deletion-confirmation"


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


def confirmation_refusal(request: DeletionRequest, now) -> tuple[Code, str] | None:
    """Why the emailed link of `request` no longer confirms anything at `now`, if it does not.

    The link page asks this before it offers the button; the service refuses with it.
    """
    if request.confirmed_at is not None:
        # After a cancel or the finalization the date is no longer a schedule: do not claim one.
        scheduled = (
            f": the deletion is scheduled for {when(request.scheduled_for)}"
            if request.status == DeletionStatus.SCHEDULED
            else f", and the request was {request.get_status_display().lower()} since"
        )
        return Code.TOKEN_USED, f"This link was used already{scheduled}."
    if request.status != DeletionStatus.PENDING:
        return (
            Code.REQUEST_CLOSED,
            f"This deletion request was {request.get_status_display().lower()}: the link no "
            "longer works. Start a new request if you still want to delete the account.",
        )
    if now >= request.link_expires_at:
        return (
            Code.TOKEN_EXPIRED,
            f"This link expired at {when(request.link_expires_at)}: request the deletion again.",
        )
    return None


@lifecycle_service(Action.CONFIRM_DELETION)
def confirm_deletion(*, actor: Actor, token: str, sandbox: Any = None) -> DeletionRequest:
    """Confirm through the emailed link: the deletion is scheduled after the grace period."""
    loaded = _load_token(token)
    request = None
    if loaded is not None:
        request = DeletionRequest.objects.filter(pk=loaded[0]).first()
    if request is None or not secrets.compare_digest(request.nonce, loaded[1]):
        refuse(
            Code.TOKEN_INVALID,
            "This confirmation link is not valid: open the latest email in your inbox.",
            sandbox=sandbox,
        )
    account = lock_account(request.account_id)
    request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
    context = {"account": account}
    check_actor(actor, transition_for(Action.CONFIRM_DELETION), account)
    now = account.sandbox.now()
    refusal = confirmation_refusal(request, now)
    if refusal is not None:
        refuse(*refusal, **context)
    request.status = DeletionStatus.SCHEDULED
    request.confirmed_at = now
    request.scheduled_for = now + setting("DELETION_GRACE")
    request.save(update_fields=["status", "confirmed_at", "scheduled_for", "updated"])
    account.status = AccountStatus.DELETION_SCHEDULED
    account.save(update_fields=["status"])
    record(
        actor=actor,
        action=Action.CONFIRM_DELETION,
        subject=account,
        before=AccountStatus.DELETION_REQUESTED,
        after=account.status,
        account=account,
        params={"request_id": request.pk, "scheduled_for": request.scheduled_for.isoformat()},
    )
    return request
