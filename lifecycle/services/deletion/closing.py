"""A deletion request closed before finalization: lapsed unconfirmed, or cancelled."""

from accounts.models import AccountStatus, SellerAccount
from lifecycle.core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from lifecycle.errors import Code
from lifecycle.models import (
    DeletionRequest,
    DeletionStatus,
)
from lifecycle.services.links import when
from lifecycle.transitions import Action, transition_for

from .checklist import open_request


def _close(
    *, actor: Actor, account: SellerAccount, request: DeletionRequest, action: str, status: str
) -> DeletionRequest:
    before = account.status
    request.status = status
    request.closed_at = account.sandbox.now()
    request.save(update_fields=["status", "closed_at", "updated"])
    account.status = request.previous_status
    account.save(update_fields=["status"])
    record(
        actor=actor,
        action=action,
        subject=account,
        before=before,
        after=account.status,
        account=account,
        params={"request_id": request.pk},
    )
    return request


@lifecycle_service(Action.LAPSE_DELETION)
def lapse_deletion(*, actor: Actor, request: DeletionRequest | int) -> DeletionRequest:
    """The confirmation link expired unused: the account returns to where it was."""
    pk = request.pk if isinstance(request, DeletionRequest) else request
    account = lock_account(DeletionRequest.objects.values_list("account_id", flat=True).get(pk=pk))
    request = DeletionRequest.objects.select_for_update().get(pk=pk)
    context = {"account": account}
    check_actor(actor, transition_for(Action.LAPSE_DELETION), account)
    if request.status == DeletionStatus.LAPSED:
        return request
    if request.status != DeletionStatus.PENDING:
        refuse(Code.REQUEST_CLOSED, "Only a request waiting for its email can lapse.", **context)
    if account.sandbox.now() < request.link_expires_at:
        refuse(
            Code.NOT_DUE,
            f"The confirmation link is valid until {when(request.link_expires_at)}.",
            **context,
        )
    request = _close(
        actor=actor,
        account=account,
        request=request,
        action=Action.LAPSE_DELETION,
        status=DeletionStatus.LAPSED,
    )
    return request


@lifecycle_service(Action.CANCEL_DELETION)
def cancel_deletion(*, actor: Actor, account: SellerAccount) -> DeletionRequest:
    """Cancel before finalization: everything is as before and the emailed link stops working."""
    account = lock_account(account)
    context = {"account": account}
    check_actor(actor, transition_for(Action.CANCEL_DELETION), account)
    request = open_request(account)
    if request is None:
        last = account.deletion_requests.first()
        if last is not None and last.status == DeletionStatus.CANCELLED:
            return last  # cancelled already
        if account.status == AccountStatus.DELETED:
            refuse(
                Code.ACCOUNT_DELETED,
                "The account was deleted already: a deletion cannot be undone.",
                **context,
            )
        refuse(Code.NO_OPEN_REQUEST, "There is no deletion request to cancel.", **context)
    request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
    return _close(
        actor=actor,
        account=account,
        request=request,
        action=Action.CANCEL_DELETION,
        status=DeletionStatus.CANCELLED,
    )
