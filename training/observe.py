"""Read an attempt's facts from its sandbox: the timeline after the world was built, and the
world's state now. The only part of grading that touches the database."""

from django.db.models import Count

from accounts.models import Sandbox
from lifecycle.actions import label_of
from lifecycle.models import TimelineEvent
from shops.models import Order, Product, Shop, ShopLink

from .actions import TrainingAction
from .facts import Fact, FinalState


def events_after(sandbox: Sandbox, baseline_event_id: int) -> list[Fact]:
    rows = (
        TimelineEvent.objects.filter(sandbox=sandbox, id__gt=baseline_event_id)
        .exclude(action__in=TrainingAction.values)  # the attempt's own events are not graded
        .order_by("id")
    )
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
        )
        for e in rows
    ]


def final_state(sandbox: Sandbox) -> FinalState:
    sandbox = Sandbox.objects.get(pk=sandbox.pk)  # the clock as it is now
    account = sandbox.account
    linked = set(
        ShopLink.objects.filter(account=account, unlinked_at__isnull=True).values_list(
            "shop_id", flat=True
        )
    )
    shops = {
        pk_name[1]: pk_name[0] in linked
        for pk_name in Shop.objects.filter(sandbox=sandbox).values_list("pk", "name")
    }
    apps = {}
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
