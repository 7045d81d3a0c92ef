"""Answering a customer's inquiry, once."""

from lifecycle.core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from lifecycle.errors import Code
from lifecycle.transitions import COMMERCE, Action
from shops.models import Inquiry

from .checks import check_status


@lifecycle_service(Action.REPLY_INQUIRY)
def reply_inquiry(*, actor: Actor, inquiry: Inquiry | int, reply: str) -> Inquiry:
    """Answer a customer's inquiry once."""
    pk = inquiry.pk if isinstance(inquiry, Inquiry) else inquiry
    account = lock_account(Inquiry.objects.values_list("account_id", flat=True).get(pk=pk))
    inquiry = Inquiry.objects.select_for_update().get(pk=pk)
    state = "answered" if inquiry.replied_at else "open"
    context = {"account": account, "subject": inquiry, "machine": "inquiry", "state": state}
    check_actor(actor, COMMERCE[Action.REPLY_INQUIRY], account)
    reply = (reply or "").strip()
    if inquiry.replied_at is not None and inquiry.reply == reply:
        return inquiry
    check_status(account, Action.REPLY_INQUIRY, context)
    if inquiry.replied_at is not None:
        refuse(
            Code.INVALID_STATE,
            "This inquiry was answered already: the customer has your reply.",
            **context,
        )
    if not reply:
        refuse(Code.INPUT_REQUIRED, "Write a reply before sending it.", **context)
    inquiry.reply = reply
    inquiry.replied_at = account.sandbox.now()
    inquiry.save(update_fields=["reply", "replied_at"])
    record(
        actor=actor,
        action=Action.REPLY_INQUIRY,
        subject=inquiry,
        machine="inquiry",
        before="open",
        after="answered",
        account=account,
        params={"inquiry_id": inquiry.pk},
    )
    return inquiry
