"""Read an attempt's facts from its sandbox: the timeline after the world was built, and the
world's state now. The only part of grading that touches the database."""

from datetime import timedelta

from django.db.models import Count

from accounts.models import Sandbox, SellerAccount
from lifecycle.actions import Action, label_of
from lifecycle.models import TimelineEvent
from shops.models import Order, Product, Shop, ShopLink

from .actions import TrainingAction
from .facts import Fact, FinalState
from .grading import days_and_hours

ACCOUNT_LABEL = "Seller account #"  # how the timeline labels an account (no personal details)


def said(e: TimelineEvent, label: str, account_name: str) -> str:
    """The event in the trainee's words: the account by its name, a clock move in days and hours,
    no sandbox name."""
    if e.action == Action.ADVANCE_CLOCK:
        moved = timedelta(seconds=(e.params or {}).get("by_seconds", 0))
        return f"Move the clock forward {days_and_hours(moved)}"
    subject = e.subject_label
    if subject.startswith(ACCOUNT_LABEL) and account_name:
        subject = account_name
    elif e.subject_type == "sandbox":
        subject = ""
    return f"{label}: {subject}".rstrip(": ")


def _account_name(sandbox: Sandbox) -> str:
    return (
        SellerAccount.objects.filter(sandbox=sandbox)
        .order_by("id")
        .values_list("display_name", flat=True)
        .first()
        or ""
    )


def events_after(
    sandbox: Sandbox,
    baseline_event_id: int,
    *,
    upto: int | None = None,
    account_name: str | None = None,
) -> list[Fact]:
    """The facts of the events after `baseline_event_id` (up to `upto`, when given: the world's
    set-up is the events up to the baseline). `account_name` names the account in the words of
    the events (the scenario's name for it: a deleted account's own name is gone)."""
    rows = (
        TimelineEvent.objects.filter(sandbox=sandbox, id__gt=baseline_event_id)
        .exclude(action__in=TrainingAction.values)  # the attempt's own events are not graded
        .order_by("id")
    )
    if upto is not None:
        rows = rows.filter(id__lte=upto)
    name = _account_name(sandbox) if account_name is None else account_name
    return [
        Fact(
            id=e.id,
            action=e.action,
            at=e.sandbox_time,
            outcome=e.outcome,
            code=e.code,
            actor_kind=e.actor_kind,
            subject_type=e.subject_type,
            subject_label=e.subject_label,
            before=e.before,
            after=e.after,
            params=e.params or {},
            message=e.message,
            label=label_of(e.action),
            said=said(e, label_of(e.action), name),
        )
        for e in rows
    ]


def final_state(sandbox: Sandbox) -> FinalState:
    sandbox = Sandbox.objects.get(pk=sandbox.pk)  # the clock as it is now
    account = sandbox.account
    assert account is not None  # nosec B101  # a scenario's sandbox holds its account
    linked = set(
        ShopLink.objects.filter(account=account, unlinked_at__isnull=True).values_list(
            "shop_id", flat=True
        )
    )
    shops = {
        pk_name[1]: pk_name[0] in linked
        for pk_name in Shop.objects.filter(sandbox=sandbox).values_list("pk", "name")
    }
    apps: dict[str, bool] = {}
    for grant in account.app_authorizations.order_by("granted_at", "id"):
        apps[grant.app] = apps.get(grant.app, False) or grant.revoked_at is None
    counted = Order.objects.filter(account=account).values("status").annotate(n=Count("id"))
    orders = {row["status"]: row["n"] for row in counted}
    return FinalState(
        now=sandbox.now(),
        account_status=account.status,
        account_type=account.account_type,
        category=account.category,
        shops=shops,
        apps=apps,
        listings=dict(Product.objects.filter(account=account).values_list("sku", "listing_status")),
        campaigns=dict(account.campaigns.values_list("name", "status")),
        orders=orders,
    )
