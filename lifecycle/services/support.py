"""What only the support desk does: tell the seller, keep notes, and the overrides.

Every function here takes a staff actor whose reason is required (`check_person`) and lands on
each event written. The overrides (resend the confirmation email, retry a failed export for the
seller) each need their own permission on top of the action's, checked here, not in the admin.
"""

from collections.abc import Callable
from typing import Any

from accounts.models import Sandbox, SellerAccount
from lifecycle.core import (
    Actor,
    check_override,
    check_person,
    lifecycle_service,
    lock_account,
    lock_sandbox,
    record,
    refuse,
)
from lifecycle.errors import Code
from lifecycle.models import (
    ActorKind,
    DeletionRequest,
    DeletionStatus,
    ExportJob,
    InboxMessage,
    Outcome,
    SupportNote,
    TimelineEvent,
)
from lifecycle.transitions import Action

from .due import sweep_sandbox
from .emails import confirmation_email, email_owner
from .exports import retry_export
from .links import when

RESEND_CONFIRMATION = "accounts.resend_confirmation_selleraccount"
RETRY_EXPORT_FOR_SELLER = "accounts.retry_export_selleraccount"


def _staff_only(actor: Actor, sandbox: Sandbox, **context: Any) -> None:
    check_person(actor, sandbox, **context)
    if actor.kind != ActorKind.STAFF:
        refuse(Code.NOT_ALLOWED_FOR_ACTOR, "Only support staff can do this.", **context)


# --- Telling the seller ---------------------------------------------------------------------

# What the seller reads after a staff action, in the simulator's words; the agent's message to
# the seller follows. The agent's internal reason is never part of it (RULEBOOK §11).
NOTICES: dict[str, tuple[str, str]] = {
    Action.CANCEL_DELETION: (
        "Support cancelled the deletion of your seller account",
        "Support staff cancelled the deletion of the seller account {account}. Nothing will be "
        "removed and the link in the earlier email no longer works. The account is {status}.",
    ),
    Action.UNLINK_SHOP: (
        "Support unlinked {subject} from your seller account",
        "Support staff unlinked {subject} from the seller account {account}. Its tools and "
        "reports have left the Seller Center and its active campaigns are paused; its data is "
        "kept, and you can link it again from Account Settings.",
    ),
    Action.REACTIVATE: (
        "Support reactivated your seller account",
        "Support staff reactivated the seller account {account}: your listings are visible "
        "again and new orders can come in.",
    ),
    Action.DEACTIVATE: (
        "Support deactivated your seller account",
        "Support staff deactivated the seller account {account}: your listings are hidden and "
        "no new orders come in. Orders already placed can still be shipped. You can reactivate "
        "the account from Account Settings.",
    ),
}


def can_tell_seller(action: str) -> bool:
    return action in NOTICES


@lifecycle_service(Action.SEND_EMAIL)
def tell_seller(*, actor: Actor, event: TimelineEvent, message: str) -> InboxMessage | None:
    """Email the owner what staff did (the event) and the agent's message; once per event.

    The message is kept on the email's event (`seller_message`), which the seller's timeline
    shows; the internal reason stays on the record only."""
    if event.account_id is None:
        raise ValueError("This event is on no seller's timeline: there is nobody to tell.")
    account = lock_account(event.account_id)
    _staff_only(actor, account.sandbox, account=account)
    subject, body = NOTICES[event.action]
    words = {
        "account": account.display_name,
        "subject": event.subject_label,
        "status": account.get_status_display().lower(),
    }
    message = message.strip()
    if not message:
        refuse(Code.REASON_REQUIRED, "Write the message the seller gets.", account=account)
    return email_owner(
        actor=actor,
        account=account,
        kind=f"support_{event.action}",
        subject=subject.format(**words),
        body=body.format(**words) + f"\n\nSupport's message: {message}",
        dedupe_key=f"support-event-{event.pk}",
        about=account,
        params={"seller_message": message},
    )


def act_for_seller(
    *, actor: Actor, account: SellerAccount, action: str, run: Callable[[], Any], message: str
) -> tuple[TimelineEvent | None, InboxMessage | None]:
    """Run one staff action (a service call), then, given a message, tell the seller about it.

    Returns the action's event (None when it changed nothing: a repeat) and the email sent.
    A refusal raises before anything is sent.
    """
    mark = TimelineEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    run()
    event = (
        TimelineEvent.objects.filter(
            id__gt=mark, account=account, action=action, actor=actor.user, outcome=Outcome.DONE
        )
        .order_by("id")
        .first()
    )
    sent = None
    if event is not None and message.strip() and can_tell_seller(action):
        sent = tell_seller(actor=actor, event=event, message=message)
    return event, sent


# --- A staff action without its right ---------------------------------------------------------


def right_names(rights: list[str]) -> list[str]:
    """The permissions' own names ("Can reset a demo sandbox"), in the order given."""
    from django.contrib.auth.models import Permission

    found = {
        f"{p.content_type.app_label}.{p.codename}": p.name
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[r.split(".", 1)[1] for r in rights]
        )
    }
    return [found.get(r, r) for r in rights]


def refuse_missing_right(
    *,
    actor: Actor,
    action: str,
    title: str,
    subject: Any,
    account: SellerAccount | None,
    sandbox: Sandbox,
    rights: list[str],
) -> TimelineEvent:
    """Record a staff action posted without its right (a crafted form: the admin offers only
    the actions the agent may take) on the subject's timeline, which the seller's pages never
    show (refused staff attempts are the staff's record). Returns the refusal."""
    names = " and ".join(f"“{name}”" for name in right_names(rights))
    state = account.status if account is not None else str(sandbox.clock_offset)
    return record(
        actor=actor,
        action=action,
        subject=subject,
        account=account,
        sandbox=sandbox,
        before=state,
        after=state,
        outcome=Outcome.REFUSED,
        code=str(Code.MISSING_RIGHT),
        message=f"“{title}” needs the right {names}, which this agent does not have: "
        "a lead can grant it.",
        params={"missing_rights": rights},
    )


# --- Internal notes ---------------------------------------------------------------------------


def add_note(*, actor: Actor, account: SellerAccount, text: str) -> SupportNote:
    """Keep an internal note with the case. The trainee never sees it."""
    if actor.kind != ActorKind.STAFF or actor.user is None or not actor.user.is_staff:
        raise PermissionError("Only support staff write notes.")
    text = text.strip()
    if not text:
        raise ValueError("A note needs some text.")
    return SupportNote.objects.create(
        account=account,
        author=actor.user,
        author_label=actor.label,
        text=text,
        sandbox_time=account.sandbox.now(),
    )


# --- Overrides --------------------------------------------------------------------------------


@lifecycle_service(Action.RESEND_CONFIRMATION)
def resend_deletion_confirmation(*, actor: Actor, account: SellerAccount) -> InboxMessage | None:
    """Send the waiting request's confirmation link again (the seller lost the email)."""
    account = lock_account(account)
    context = {"account": account}
    _staff_only(actor, account.sandbox, **context)
    check_override(actor, RESEND_CONFIRMATION, **context)
    request = (
        DeletionRequest.objects.select_for_update()
        .filter(account=account, status=DeletionStatus.PENDING)
        .first()
    )
    if request is None:
        refuse(
            Code.NO_OPEN_REQUEST,
            "No deletion request is waiting for its confirmation email.",
            **context,
        )
    if account.sandbox.now() >= request.link_expires_at:
        refuse(
            Code.TOKEN_EXPIRED,
            f"The confirmation link expired on {when(request.link_expires_at)}: the request "
            "lapses; the seller can make a new one.",
            **context,
        )
    resent = TimelineEvent.objects.filter(
        account=account, action=Action.RESEND_CONFIRMATION, outcome=Outcome.DONE
    ).count()
    message = email_owner(
        actor=actor,
        account=account,
        dedupe_key=f"deletion-{request.pk}-confirm-again-{resent + 1}",
        **confirmation_email(account, request),
    )
    record(
        actor=actor,
        action=Action.RESEND_CONFIRMATION,
        subject=account,
        before=account.status,
        after=account.status,
        account=account,
        params={"request_id": request.pk, "message_id": message.pk if message else None},
    )
    return message


@lifecycle_service(Action.RETRY_EXPORT)
def retry_export_for_seller(*, actor: Actor, export: ExportJob | int) -> ExportJob:
    """Retry a failed export on the seller's behalf: the seller's own retry, by staff."""
    pk = export.pk if isinstance(export, ExportJob) else export
    account = lock_account(ExportJob.objects.values_list("account_id", flat=True).get(pk=pk))
    context = {"account": account}
    _staff_only(actor, account.sandbox, **context)
    check_override(actor, RETRY_EXPORT_FOR_SELLER, **context)
    return retry_export(actor=actor, export=pk)


# --- The clock's due work ---------------------------------------------------------------------


@lifecycle_service(Action.RUN_DUE_WORK)
def _record_run_due(*, actor: Actor, sandbox: Sandbox) -> Sandbox:
    sandbox = lock_sandbox(sandbox)
    state = str(sandbox.clock_offset)
    check_person(actor, sandbox, sandbox=sandbox, subject=sandbox, state=state)
    record(
        actor=actor,
        action=Action.RUN_DUE_WORK,
        subject=sandbox,
        sandbox=sandbox,
        before=state,
        after=state,
    )
    return sandbox


def run_due_work_now(*, actor: Actor, sandbox: Sandbox, reason: str = "") -> list[str]:
    """Staff press "Run what is due now": the event names who pressed it, then the sweep runs
    (its own events are the background job's, as when the scheduler runs it)."""
    # lifecycle_service's wrapper takes `reason=` (it travels with the actor): not in the signature.
    sandbox = _record_run_due(actor=actor, sandbox=sandbox, reason=reason)  # type: ignore[call-arg]
    return sweep_sandbox(sandbox=sandbox)
