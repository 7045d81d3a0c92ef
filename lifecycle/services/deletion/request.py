"""Requesting a deletion (RULEBOOK §5): the guards in order, then an email is owed."""

import secrets

from accounts.models import SellerAccount
from editions.registry import rule
from lifecycle.core import (
    Actor,
    Change,
    FollowUp,
    account_rows,
    apply,
    lifecycle_service,
    lock_account,
)
from lifecycle.jobs import Job
from lifecycle.models import DeletionRequest
from lifecycle.transitions import Action, Rows
from lifecycle.transitions.deletion import REQUEST_DELETION, deletion_checklist

from .checklist import open_request


@lifecycle_service(Action.REQUEST_DELETION)
def request_deletion(
    *, actor: Actor, account: SellerAccount, password: str, acknowledged: bool
) -> DeletionRequest:
    """Start a deletion: guards, identity, then an email with a single-use link is owed."""
    account = lock_account(account)
    rows = account_rows(
        account,
        inputs={"password": password, "acknowledged": acknowledged},
        request=open_request(account),
    )
    return apply(REQUEST_DELETION, rows, actor=actor, effect=_open)


def _open(rows: Rows, target: str) -> Change:
    account, now = rows.seller, rows.now
    checklist = rows.memo.get("checklist") or deletion_checklist(account)
    rows.request = request = DeletionRequest.objects.create(
        account=account,
        previous_status=account.status,
        nonce=secrets.token_urlsafe(24),
        checklist=checklist,
        requested_at=now,
        link_expires_at=now + rule(rows.sandbox, "DELETION_LINK_VALID_FOR"),
    )
    return Change(
        result=request,
        params={
            "request_id": request.pk,
            "link_expires_at": request.link_expires_at.isoformat(),
            "checklist": checklist,
            "confirmation_email": "owed",
        },
        # The row says the email is owed, so a broker that is down loses nothing: the sweep
        # sends it.
        jobs=(FollowUp(Job.SEND_DELETION_CONFIRMATION, (request.pk,)),),
    )
