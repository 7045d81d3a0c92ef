"""A deletion request closed before finalization: lapsed unconfirmed, or cancelled."""

from accounts.models import SellerAccount
from lifecycle.core import (
    Actor,
    Change,
    account_rows,
    apply,
    lifecycle_service,
    lock_account,
    lock_owned,
)
from lifecycle.models import DeletionRequest
from lifecycle.transitions import Action, Rows
from lifecycle.transitions.deletion import CANCEL_DELETION, LAPSE_DELETION

from .checklist import open_request


def _close(rows: Rows, target: str) -> Change:
    """The account returns to the status the request recorded (the core writes both)."""
    rows.deletion.closed_at = rows.now
    return Change(
        result=rows.request,
        request_fields=("closed_at", "updated"),
        params={"request_id": rows.deletion.pk},
    )


@lifecycle_service(Action.LAPSE_DELETION)
def lapse_deletion(*, actor: Actor, request: DeletionRequest | int) -> DeletionRequest:
    """The confirmation link expired unused: the account returns to where it was."""
    account, request = lock_owned(DeletionRequest, request)
    return apply(LAPSE_DELETION, account_rows(account, request=request), actor=actor, effect=_close)


@lifecycle_service(Action.CANCEL_DELETION)
def cancel_deletion(*, actor: Actor, account: SellerAccount) -> DeletionRequest:
    """Cancel before finalization: everything is as before and the emailed link stops working."""
    account = lock_account(account)
    request = open_request(account)
    if request is not None:
        request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
    return apply(
        CANCEL_DELETION, account_rows(account, request=request), actor=actor, effect=_close
    )
