"""Requesting a deletion (RULEBOOK §5): the guards in order, then an email is owed."""

import secrets

from accounts.models import AccountStatus, SellerAccount
from lifecycle.conf import setting
from lifecycle.core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from lifecycle.errors import Code
from lifecycle.jobs import Job, enqueue
from lifecycle.models import DeletionRequest
from lifecycle.transitions import Action, transition_for

from .checklist import deletion_blockers, deletion_checklist, open_request


@lifecycle_service(Action.REQUEST_DELETION)
def request_deletion(
    *, actor: Actor, account: SellerAccount, password: str, acknowledged: bool
) -> DeletionRequest:
    """Start a deletion: guards, identity, then an email with a single-use link is owed."""
    account = lock_account(account)
    context = {"account": account}
    check_actor(actor, transition_for(Action.REQUEST_DELETION), account)
    existing = open_request(account)
    if existing is not None:
        return existing  # requested already: one request, one email
    if account.status not in (AccountStatus.ACTIVE, AccountStatus.DEACTIVATED):
        refuse(Code.ACCOUNT_DELETED, "This account was deleted already.", **context)
    checklist = deletion_checklist(account)
    blockers = deletion_blockers(account, checklist)
    if blockers:
        code, message, params = blockers[0]
        refuse(code, message, params=params, **context)
    if not acknowledged:
        refuse(
            Code.CONSEQUENCES_NOT_ACKNOWLEDGED,
            "Tick the box to confirm you understand what will be removed for good.",
            **context,
        )
    if not account.sandbox.owner.check_password(password or ""):
        refuse(
            Code.WRONG_PASSWORD,
            "That password is not right: enter your sign-in password to prove it is you.",
            **context,
        )
    now = account.sandbox.now()
    request = DeletionRequest.objects.create(
        account=account,
        previous_status=account.status,
        nonce=secrets.token_urlsafe(24),
        checklist=checklist,
        requested_at=now,
        link_expires_at=now + setting("DELETION_LINK_VALID_FOR"),
    )
    before = account.status
    account.status = AccountStatus.DELETION_REQUESTED
    account.save(update_fields=["status"])
    record(
        actor=actor,
        action=Action.REQUEST_DELETION,
        subject=account,
        before=before,
        after=account.status,
        account=account,
        params={
            "request_id": request.pk,
            "link_expires_at": request.link_expires_at.isoformat(),
            "checklist": checklist,
            "confirmation_email": "owed",
        },
    )
    # The row says the email is owed, so a broker that is down loses nothing: the sweep sends it.
    enqueue(Job.SEND_DELETION_CONFIRMATION, request.pk)
    return request
