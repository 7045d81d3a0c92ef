"""Play a script of steps (a reference solution, or a careless run) on a built world.

Each step calls the service its page calls. What a background job would do next (build the
export, send the confirmation email, send the announcement, run what the clock made due) is run
at once, by the same job functions, so a script needs no worker.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from accounts.models import Sandbox, SellerAccount, User
from lifecycle.errors import LifecycleError
from shops.models import Campaign, Order, OrderStatus, Product, Shop

from . import moves
from .scenarios.steps import Step

JOB = moves.Actor.job("scenario script")


@dataclass
class Player:
    sandbox: Sandbox
    seller: moves.Actor
    password: str
    staff: moves.Actor | None = None
    refusals: list[str] = field(default_factory=list)

    @property
    def account(self) -> SellerAccount:
        return SellerAccount.objects.filter(sandbox=self.sandbox).order_by("id").first()


def _shop(player: Player, name: str) -> Shop:
    return Shop.objects.get(sandbox=player.sandbox, name=name)


def _campaign(player: Player, name: str) -> Campaign:
    return Campaign.objects.filter(account=player.account, name=name).order_by("-id").first()


def _latest_export(player: Player):
    return player.account.exports.order_by("-id").first()


def _awaiting(player: Player) -> list[Order]:
    return list(Order.objects.filter(account=player.account, status=OrderStatus.AWAITING_SHIPMENT))


def _do(player: Player, step: Step, actor: moves.Actor) -> None:  # noqa: C901  (a dispatch)
    account = player.account
    do = step.do
    if do == "request_export":
        job = moves.request_export(actor=actor, account=account)
        moves.build_export(job.pk)
    elif do == "download_export":
        moves.record_download(actor=actor, export=_latest_export(player))
    elif do == "link_shop":
        moves.link_shop(actor=actor, account=account, shop=_shop(player, step.shop))
    elif do == "unlink_shop":
        moves.unlink_shop(
            actor=actor, account=account, shop=_shop(player, step.shop), confirmed=True
        )
    elif do == "advance_clock":
        moves.advance_clock(actor=actor, sandbox=player.sandbox, by=timedelta(hours=step.hours))
        moves.sweep_sandbox(sandbox=player.sandbox)
    elif do == "switch_type":
        moves.switch_account_type(
            actor=actor, account=account, account_type=step.type, category=step.category or ""
        )
    elif do == "create_campaign":
        moves.create_campaign(
            actor=actor,
            account=account,
            shop=_shop(player, step.shop),
            name=step.name,
            budget=step.budget,
        )
    elif do in ("start_campaign", "end_campaign"):
        service = moves.start_campaign if do == "start_campaign" else moves.end_campaign
        service(actor=actor, campaign=_campaign(player, step.name))
    elif do == "ship_orders":
        for order in _awaiting(player):
            moves.ship_order(actor=actor, order=order, tracking_number=f"TRK-{order.number}")
    elif do == "cancel_orders":
        for order in _awaiting(player):
            moves.cancel_order(actor=actor, order=order)
    elif do == "notify_customers":
        queued = moves.queue_customer_notice(actor=actor, account=account)
        moves.notify_customers(actor=JOB, account=account, announcement=queued.pk)
    elif do == "request_deletion":
        request = moves.request_deletion(
            actor=actor, account=account, password=player.password, acknowledged=True
        )
        moves.send_deletion_confirmation(actor=JOB, request=request)
    elif do == "confirm_deletion":
        request = account.deletion_requests.order_by("-id").first()
        moves.confirm_deletion(actor=actor, token=moves.deletion_token(request))
    elif do == "cancel_deletion":
        moves.cancel_deletion(actor=actor, account=account)
    elif do == "deactivate":
        moves.deactivate_account(actor=actor, account=account)
    elif do == "reactivate":
        moves.reactivate_account(actor=actor, account=account)
    elif do == "change_listing":
        product = Product.objects.get(account=account, sku=step.sku)
        moves.change_listing_status(actor=actor, product=product, status=step.status)
    elif do == "remove_app_access":
        moves.remove_app_access(actor=actor, account=account, app=step.app)
    else:  # grant_app_access
        moves.grant_app_access(actor=actor, account=account, app=step.app)


def play(player: Player, steps: list[Step]) -> Player:
    """Run every step; a refused step is on the timeline (as a trainee's would be) and the
    script goes on, so a careless run shows what its refusals cost."""
    for step in steps:
        actor = player.staff if step.by == "staff" else player.seller
        if actor is None:
            raise ValueError(f"the step {step.do} needs a support agent to play it")
        if step.reason:
            actor = actor.because(step.reason)
        try:
            _do(player, step, actor)
        except LifecycleError as err:
            player.refusals.append(f"{step.do}: {err.message}")
    return player


def staff_player(user: User) -> moves.Actor:
    return moves.Actor.staff(user)
