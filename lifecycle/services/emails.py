"""The emails a deletion request owes its owner: the confirmation link, reminders, the lapse notice.

Each is sent by a job, at most once: the request row says what was sent (its *_sent fields) and the
inbox's dedupe key stops a second copy even if two jobs race past that check.
"""

from datetime import timedelta
from typing import Any

from django.db import models
from django.urls import reverse

from accounts.models import Sandbox, SellerAccount
from editions.registry import rule
from lifecycle.core import Actor, lifecycle_service, lock_account, record
from lifecycle.datetimes import relative
from lifecycle.mail import send_platform_email
from lifecycle.models import DeletionRequest, DeletionStatus, InboxMessage
from lifecycle.transitions import Action
from lifecycle.wording import days_of

from .deletion import deletion_token
from .links import when


def email_owner(
    *,
    actor: Actor,
    account: SellerAccount,
    kind: str,
    subject: str,
    body: str,
    dedupe_key: str,
    links: list[dict[str, str]] | None = None,
    about: models.Model | None = None,
    params: dict[str, Any] | None = None,
) -> InboxMessage | None:
    """Send one email to the account's owner; record it (with `params` on its event); None when
    it was sent before."""
    message, sent = send_platform_email(
        sandbox=account.sandbox,
        account=account,
        kind=kind,
        to=account.contact_email or account.sandbox.owner.email,
        subject=subject,
        body=body,
        links=links,
        dedupe_key=dedupe_key,
    )
    if not sent:
        return None
    record(
        actor=actor,
        action=Action.SEND_EMAIL,
        subject=about or account,
        before="",
        after="sent",
        account=account,
        params={
            **(params or {}),
            "kind": kind,
            "message_id": message.pk,
            "to": message.to,
            "subject": subject,
        },
    )
    return message


def _lock_request(request: DeletionRequest | int) -> tuple[SellerAccount, DeletionRequest]:
    pk = request.pk if isinstance(request, DeletionRequest) else request
    account = lock_account(DeletionRequest.objects.values_list("account_id", flat=True).get(pk=pk))
    return account, DeletionRequest.objects.select_for_update().get(pk=pk)


@lifecycle_service(Action.SEND_EMAIL)
def send_deletion_confirmation(*, actor: Actor, request: DeletionRequest | int) -> bool:
    """Email the single-use confirmation link of a waiting request; False when nothing is owed."""
    account, request = _lock_request(request)
    if request.status != DeletionStatus.PENDING or request.confirmation_sent_at is not None:
        return False
    if account.sandbox.now() >= request.link_expires_at:
        # A job that ran late (the clock moved, the broker was down) sends no dead link: the
        # sweep lapses the request and the lapse notice says how to ask again.
        return False
    email_owner(
        actor=actor,
        account=account,
        dedupe_key=f"deletion-{request.pk}-confirm",
        **confirmation_email(account, request),
    )
    request.confirmation_sent_at = account.sandbox.now()
    request.save(update_fields=["confirmation_sent_at", "updated"])
    return True


def confirmation_email(account: SellerAccount, request: DeletionRequest) -> dict:
    """The confirmation email's kind, subject, body and link (sent by the job, resent by staff)."""

    url = reverse(
        "confirm_deletion",
        kwargs={"sandbox_id": account.sandbox_id, "token": deletion_token(request)},
    )
    grace = days_of(rule(account.sandbox, "DELETION_GRACE"))
    return {
        "kind": "deletion_confirmation",
        "subject": "Confirm the deletion of your seller account",
        "body": (
            f"A request to delete the seller account {account.display_name} was made. "
            "Nothing is removed until you confirm it with the link below; "
            f"the link works once, until {when(request.link_expires_at)}. "
            f"After confirmation the account is deleted {grace} "
            "later, and you can still cancel until then. If you did not ask for this, ignore "
            "this email: the request lapses on its own."
        ),
        "links": [{"label": "Confirm the deletion", "url": url}],
    }


def due_reminders(request: DeletionRequest, now, sandbox: Sandbox) -> list[timedelta]:
    """Reminders whose time has come and that were not sent, most imminent last (the request's
    sandbox's edition sets when they are)."""
    if request.status != DeletionStatus.SCHEDULED or now >= request.scheduled_for:
        return []
    sent = set(request.reminders_sent or [])
    return sorted(
        (
            before
            for before in rule(sandbox, "DELETION_REMINDERS")
            if now >= request.scheduled_for - before and int(before.total_seconds()) not in sent
        ),
        reverse=True,
    )


@lifecycle_service(Action.SEND_EMAIL)
def send_deletion_reminder(*, actor: Actor, request: DeletionRequest | int) -> bool:
    """Send the reminder that is due now. When several fell due at once (the clock jumped), only
    the most imminent is sent and the earlier ones count as covered."""
    account, request = _lock_request(request)
    now = account.sandbox.now()
    due = due_reminders(request, now, account.sandbox)
    scheduled_for = request.scheduled_for
    if not due or scheduled_for is None:  # a reminder is due only before a scheduled date
        return False
    before = due[-1]
    # The time left in words, rounded to the unit it ends on: sent on time (the clock moved to
    # the reminder), it is the rulebook's "7 days" or "1 day"; sent late, it is what is left.
    left = relative(scheduled_for, now)
    email_owner(
        actor=actor,
        account=account,
        kind="deletion_reminder",
        subject=f"Your seller account will be deleted {left}",
        body=(
            f"The seller account {account.display_name} is scheduled for deletion on "
            f"{when(scheduled_for)}. After that its shops, products, orders, customers "
            'and exports are gone for good. To keep the account, press "Cancel the deletion" '
            "in the banner at the top of any Seller Center page before then."
        ),
        dedupe_key=f"deletion-{request.pk}-reminder-{int(before.total_seconds())}",
    )
    request.reminders_sent = sorted(
        set(request.reminders_sent or []) | {int(b.total_seconds()) for b in due}
    )
    request.save(update_fields=["reminders_sent", "updated"])
    return True


@lifecycle_service(Action.SEND_EMAIL)
def send_lapse_notice(*, actor: Actor, request: DeletionRequest | int) -> bool:
    account, request = _lock_request(request)
    if request.status != DeletionStatus.LAPSED or request.lapse_notice_sent_at is not None:
        return False
    email_owner(
        actor=actor,
        account=account,
        kind="deletion_lapsed",
        subject="Your deletion request expired",
        body=(
            f"The deletion of the seller account {account.display_name} was not confirmed in "
            "time, so nothing was deleted and the account is back as it was. To delete it, "
            "make a new request from Account Settings."
        ),
        links=[
            {
                "label": "Start a new request",
                "url": reverse("close_account", args=[account.sandbox_id]),
            }
        ],
        dedupe_key=f"deletion-{request.pk}-lapsed",
    )
    request.lapse_notice_sent_at = account.sandbox.now()
    request.save(update_fields=["lapse_notice_sent_at", "updated"])
    return True
