"""Requesting, confirming, lapsing, cancelling and finalizing an account deletion (RULEBOOK §5)."""

import secrets
from typing import Any

from django.core import signing
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import AccountStatus, SellerAccount
from lifecycle.conf import setting
from lifecycle.errors import Code
from lifecycle.jobs import enqueue
from lifecycle.models import (
    DeletionRequest,
    DeletionStatus,
    ExportJob,
    InboxMessage,
    TimelineEvent,
)
from lifecycle.transitions import LINKED, UNLINKED, Action, transition_for
from shops.models import (
    Campaign,
    CampaignStatus,
    Customer,
    Inquiry,
    Order,
    OrderStatus,
    Product,
    Shop,
    ShopLink,
)
from studio.models import LiveSession, Video

from ._core import Actor, check_actor, lifecycle_service, lock_account, record, refuse
from .links import when

TOKEN_SALT = "lifecycle.deletion-confirmation"
DELETED_NAME = "Deleted seller"
REDACTED = "[removed]"
# Keys of timeline parameters that may hold personal details; finalization blanks them.
# A tracking number leads to a customer's parcel and address, so it counts as personal.
PERSONAL_KEYS = frozenset(
    {
        "display_name",
        "contact_email",
        "email",
        "customer",
        "customer_name",
        "address",
        "to",
        "tracking_number",
    }
)


def deletion_token(request: DeletionRequest) -> str:
    """The signed value of the confirmation link. It names the request and its one-time nonce."""
    return signing.dumps({"r": request.pk, "n": request.nonce}, salt=TOKEN_SALT)


def deletion_checklist(account: SellerAccount) -> dict[str, Any]:
    """The checklist shown before a request, and recorded with it."""
    awaiting = list(
        account.orders.filter(status=OrderStatus.AWAITING_SHIPMENT)
        .order_by("number")
        .values_list("number", flat=True)
    )
    active_campaigns = list(
        account.campaigns.filter(status=CampaignStatus.ACTIVE).values_list("name", flat=True)
    )
    return {
        "orders_awaiting_shipment": awaiting,
        "active_campaigns": active_campaigns,
        "data_exported": account.exports.filter(downloaded_at__isnull=False).exists(),
        "customers_notified": account.customers_notified_at is not None,
    }


def open_request(account: SellerAccount) -> DeletionRequest | None:
    return account.deletion_requests.filter(
        status__in=[DeletionStatus.PENDING, DeletionStatus.SCHEDULED]
    ).first()


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(f"#{n}" for n in numbers[:5])
    return shown + (f" and {len(numbers) - 5} more" if len(numbers) > 5 else "")


def _unreachable_shops(account: SellerAccount) -> list[str]:
    """Shops not linked now that hold orders awaiting shipment: their orders are out of the
    Seller Center's reach until the shop is relinked (RULEBOOK §3)."""
    return list(
        Shop.objects.filter(orders__account=account, orders__status=OrderStatus.AWAITING_SHIPMENT)
        .exclude(
            pk__in=ShopLink.objects.filter(account=account, unlinked_at__isnull=True).values(
                "shop_id"
            )
        )
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )


def deletion_blockers(
    account: SellerAccount, checklist: dict[str, Any]
) -> list[tuple[Code, str, dict[str, Any]]]:
    """The hard blocks of a deletion request (code, sentence, parameters), in the order the
    service checks them. The lifecycle map shows the first one too, so it never disagrees."""
    blockers: list[tuple[Code, str, dict[str, Any]]] = []
    awaiting = checklist["orders_awaiting_shipment"]
    if awaiting:
        orders = "1 order is" if len(awaiting) == 1 else f"{len(awaiting)} orders are"
        unreachable = _unreachable_shops(account)
        relink = (
            f"; relink {' and '.join(unreachable)} in Account Settings to reach "
            f"{'its' if len(unreachable) == 1 else 'their'} orders"
            if unreachable
            else ""
        )
        blockers.append(
            (
                Code.ORDERS_AWAITING_SHIPMENT,
                f"{orders} still awaiting shipment ({_numbers(awaiting)}): ship or cancel them "
                f"first{relink}.",
                {"orders": awaiting},
            )
        )
    campaigns = checklist["active_campaigns"]
    if campaigns:
        count = "1 campaign is" if len(campaigns) == 1 else f"{len(campaigns)} campaigns are"
        blockers.append(
            (
                Code.CAMPAIGNS_ACTIVE,
                f"{count} still running ({', '.join(campaigns[:5])}): end them first.",
                {},
            )
        )
    return blockers


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
    enqueue("send_deletion_confirmation_task", request.pk)
    return request


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


@lifecycle_service(Action.FINALIZE_DELETION)
def finalize_deletion(
    *, actor: Actor, account: SellerAccount | int, purge: bool = True
) -> SellerAccount:
    """Remove the account's commerce data for good; keep a tombstone and a scrubbed timeline.

    With purge=False (the sweep) the bulk rows are only counted here, and removed after the
    commit by `purge_deleted_account` in short batches, so no transaction holds locks for long.
    """
    account = lock_account(account)
    context = {"account": account}
    check_actor(actor, transition_for(Action.FINALIZE_DELETION), account)
    if account.status == AccountStatus.DELETED:
        return account
    request = open_request(account)
    if account.status != AccountStatus.DELETION_SCHEDULED or request is None:
        refuse(
            Code.INVALID_STATE,
            "Only an account whose deletion was confirmed can be finalized.",
            **context,
        )
    now = account.sandbox.now()
    if now < request.scheduled_for:
        refuse(
            Code.NOT_DUE,
            f"The deletion is scheduled for {when(request.scheduled_for)}.",
            **context,
        )
    _record_side_effects(actor=actor, account=account, now=now)
    removed = purge_account_data(account, bulk=purge)
    request.status = DeletionStatus.FINALIZED
    request.closed_at = now
    request.save(update_fields=["status", "closed_at", "updated"])
    account.status = AccountStatus.DELETED
    account.display_name = DELETED_NAME
    account.contact_email = ""
    account.deleted_at = now
    account.save(
        update_fields=[
            "status",
            "display_name",
            "contact_email",
            "deleted_at",
        ]
    )
    scrub_timeline(account)
    record(
        actor=actor,
        action=Action.FINALIZE_DELETION,
        subject=account,
        before=AccountStatus.DELETION_SCHEDULED,
        after=AccountStatus.DELETED,
        account=account,
        params={"request_id": request.pk, "removed": removed},
    )
    return account


def _record_side_effects(*, actor: Actor, account: SellerAccount, now) -> None:
    """End the account's shop links and app grants, each with its own event.

    Without these events a shop's (or an app's) timeline would still end in "linked"
    ("connected") while it no longer is, and its next event would not follow on from it.
    """
    for link in ShopLink.objects.filter(account=account, unlinked_at__isnull=True).select_related(
        "shop"
    ):
        link.unlinked_at = now
        link.save(update_fields=["unlinked_at"])
        record(
            actor=actor,
            action=Action.UNLINK_SHOP,
            subject=link.shop,
            before=LINKED,
            after=UNLINKED,
            account=account,
            params={"link_id": link.pk, "reason": "account deleted"},
        )
    for grant in account.app_authorizations.filter(revoked_at__isnull=True):
        record(
            actor=actor,
            action=Action.REMOVE_APP_ACCESS,
            subject=account,
            machine=f"app:{grant.app}",
            before="connected",
            after="disconnected",
            account=account,
            params={"app": grant.app, "authorization_id": grant.pk, "reason": "account deleted"},
        )


def bulk_data(account: SellerAccount | int) -> list[tuple[str, QuerySet]]:
    """The account's commerce rows that can be many, in an order that deletes no row twice."""
    pk = account.pk if isinstance(account, SellerAccount) else account
    return [
        ("orders", Order.objects.filter(account_id=pk)),
        ("inquiries", Inquiry.objects.filter(account_id=pk)),
        ("customers", Customer.objects.filter(account_id=pk)),
        ("campaigns", Campaign.objects.filter(account_id=pk)),
        ("products", Product.objects.filter(account_id=pk)),
        # The shop's videos (their product links go with them) and live sessions.
        ("videos", Video.objects.filter(account_id=pk)),
        ("live_sessions", LiveSession.objects.filter(account_id=pk)),
    ]


def purge_account_data(account: SellerAccount, *, bulk: bool = True) -> dict[str, int]:
    """Delete the account's data; return how many of each kind went (or, with bulk=False, will
    go: the bulk rows are then counted and left to `purge_deleted_account`)."""
    removed: dict[str, int] = {}
    for export in account.exports.exclude(file=""):
        export.file.delete(save=False)
    for label, queryset in bulk_data(account):
        removed[label] = queryset.count()
        if bulk:
            queryset.delete()
    for label, queryset in (
        ("exports", ExportJob.objects.filter(account=account)),
        ("inbox", InboxMessage.objects.filter(account=account)),
        ("app_authorizations", account.app_authorizations.all()),
    ):
        removed[label] = queryset.count()
        queryset.delete()
    return removed


def purge_deleted_account(account_id: int, *, batch_size: int | None = None) -> int:
    """Remove a deleted account's remaining rows, one short transaction per batch.

    Each batch takes rows with SKIP LOCKED, so two workers purging the same account share the
    rows instead of waiting on each other. Returns how many top-level rows went.
    """
    batch_size = batch_size or setting("PURGE_BATCH_SIZE")
    if not SellerAccount.objects.filter(pk=account_id, status=AccountStatus.DELETED).exists():
        return 0  # only a finalized account is purged
    total = 0
    for _label, queryset in bulk_data(account_id):
        while True:
            with transaction.atomic():
                ids = list(
                    queryset.select_for_update(skip_locked=True)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:batch_size]
                )
                if not ids:
                    break
                queryset.model.objects.filter(pk__in=ids).delete()
                total += len(ids)
    return total


def scrub_timeline(account: SellerAccount) -> None:
    """Blank the personal details in the account's events; the events themselves stay."""
    for event in TimelineEvent.objects.filter(account=account, scrubbed=False).only("params"):
        params = {
            key: (REDACTED if key in PERSONAL_KEYS else value)
            for key, value in (event.params or {}).items()
        }
        TimelineEvent.objects.filter(pk=event.pk).update(params=params, scrubbed=True)
