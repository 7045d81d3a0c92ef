"""Answering a customer's inquiry, once."""

from lifecycle.core import Actor, Change, account_rows, apply, lifecycle_service, lock_owned
from lifecycle.transitions import Action, Rows
from shops.models import Inquiry
from shops.transitions.shop import REPLY_INQUIRY


def _answer(rows: Rows, target: str) -> Change:
    inquiry = rows.subject
    inquiry.reply = rows.inputs["reply"]
    inquiry.replied_at = rows.now
    return Change(result=inquiry, fields=("reply", "replied_at"), params={"inquiry_id": inquiry.pk})


@lifecycle_service(Action.REPLY_INQUIRY)
def reply_inquiry(*, actor: Actor, inquiry: Inquiry | int, reply: str) -> Inquiry:
    """Answer a customer's inquiry once."""
    account, inquiry = lock_owned(Inquiry, inquiry)
    rows = account_rows(account, inquiry, inputs={"reply": (reply or "").strip()})
    return apply(REPLY_INQUIRY, rows, actor=actor, effect=_answer)
