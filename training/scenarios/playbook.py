"""The body of every step a script can take: each calls the service its page calls.

The steps on the shop's goods (orders, inquiries, products, the studio) are in
`playbook_commerce`. What a background job would do next (build the export, send the
confirmation email, send the announcement, run what the clock made due) is run at once, by the
same job functions, so a script needs no worker. `player` is a `training.script.Player`;
`actor` is who takes the step.
"""

from datetime import timedelta

from lifecycle.errors import Code, LifecycleError
from lifecycle.transitions import Action
from shops.models import Campaign, Shop
from shops.transitions.link import link_action_for
from training import moves

from .steps import span, step, words

JOB = moves.Actor.job("scenario script")


def _shop(player, name: str) -> Shop:
    return Shop.objects.get(sandbox=player.sandbox, name=name)


def _campaign(player, name: str) -> Campaign:
    return Campaign.objects.filter(account=player.account, name=name).latest("id")


def _deletion(player, link: str):
    requests = player.account.deletion_requests.order_by("id")
    return requests.first() if link == "first" else requests.last()


def _which_link(step) -> str:
    return "the first (oldest) email" if step.link == "first" else "the newest email"


# --- Data exports ----------------------------------------------------------------------------


@step("request_export", say=lambda s: "Data exports → ask for an export of the account's data")
def request_export(player, step, actor):
    job = moves.request_export(actor=actor, account=player.account)
    moves.build_export(job.pk)


@step("download_export", say=lambda s: "Data exports → download the export once it is ready")
def download_export(player, step, actor):
    moves.record_download(actor=actor, export=player.account.exports.order_by("-id").first())


@step("retry_export", say=lambda s: "Data exports → retry the failed export")
def retry_export(player, step, actor):
    job = moves.retry_export(actor=actor, export=player.account.exports.order_by("-id").first())
    moves.build_export(job.pk)


# --- Shops -----------------------------------------------------------------------------------


@step(
    "link_shop",
    needs=("shop",),
    say=lambda s: f"Account Settings → Linked accounts → link {s.shop}",
)
def link_shop(player, step, actor):
    shop = _shop(player, step.shop)
    relink = link_action_for(shop=shop, account=player.account) == Action.RELINK_SHOP
    service = moves.relink_shop if relink else moves.link_shop
    service(actor=actor, account=player.account, shop=shop)


def _unlink_said(s) -> str:
    if s.page == "shop_settings":
        return f"Profile → Shop Settings → unlink {s.shop} (confirm)"
    return f"Account Settings → Linked accounts → unlink {s.shop} (confirm)"


@step(
    "unlink_shop",
    needs=("shop",),
    say=_unlink_said,
    staff=lambda s: f"Support admin → unlink {s.shop}, with the reason: {s.reason}",
)
def unlink_shop(player, step, actor):
    shop = _shop(player, step.shop)
    moves.unlink_shop(actor=actor, account=player.account, shop=shop, confirmed=True)


# --- The clock ---------------------------------------------------------------------------------


@step(
    "advance_clock",
    needs=("hours",),
    say=lambda s: f"Move the sandbox clock forward {span(s.hours)}",
    staff=lambda s: f"Support desk → the sandbox → move its clock {span(s.hours)}",
)
def advance_clock(player, step, actor):
    moves.advance_clock(actor=actor, sandbox=player.sandbox, by=timedelta(hours=step.hours))
    moves.sweep_sandbox(sandbox=player.sandbox)


@step("clock_to_next_event", say=lambda s: "The clock → move to the next scheduled event")
def clock_to_next_event(player, step, actor):
    moves.advance_clock(actor=actor, sandbox=player.sandbox, to_next=True)
    moves.sweep_sandbox(sandbox=player.sandbox)


# --- The account -------------------------------------------------------------------------------


def _switch_said(s) -> str:
    category = f" ({s.category.replace('_', ' ')})" if s.category else ""
    return f"Account Settings → Account type → switch to {s.type}{category}"


@step("switch_type", needs=("type",), say=_switch_said)
def switch_type(player, step, actor):
    moves.switch_account_type(
        actor=actor, account=player.account, account_type=step.type, category=step.category or ""
    )


@step(
    "deactivate",
    say=lambda s: "Close or pause the account → deactivate",
    staff=lambda s: f"Support admin → deactivate the account, with the reason: {s.reason}",
)
def deactivate(player, step, actor):
    moves.deactivate_account(actor=actor, account=player.account)


@step(
    "reactivate",
    say=lambda s: "Close or pause the account → reactivate",
    staff=lambda s: f"Support admin → reactivate the account, with the reason: {s.reason}",
)
def reactivate(player, step, actor):
    moves.reactivate_account(actor=actor, account=player.account)


@step(
    "remove_app_access",
    needs=("app",),
    say=lambda s: f"Account Settings → Connected apps → remove {words(s.app)}",
)
def remove_app_access(player, step, actor):
    moves.remove_app_access(actor=actor, account=player.account, app=step.app)


@step(
    "grant_app_access",
    needs=("app",),
    say=lambda s: f"Account Settings → Connected apps → grant {words(s.app)}",
)
def grant_app_access(player, step, actor):
    moves.grant_app_access(actor=actor, account=player.account, app=step.app)


# --- Campaigns -------------------------------------------------------------------------------


@step(
    "create_campaign",
    needs=("shop", "name"),
    say=lambda s: f"Marketing → create the campaign {s.name} for {s.shop}",
)
def create_campaign(player, step, actor):
    moves.create_campaign(
        actor=actor,
        account=player.account,
        shop=_shop(player, step.shop),
        name=step.name,
        budget=step.budget,
    )


@step("start_campaign", needs=("name",), say=lambda s: f"Marketing → start {s.name}")
def start_campaign(player, step, actor):
    moves.start_campaign(actor=actor, campaign=_campaign(player, step.name))


@step("pause_campaign", needs=("name",), say=lambda s: f"Marketing → pause {s.name}")
def pause_campaign(player, step, actor):
    moves.pause_campaign(actor=actor, campaign=_campaign(player, step.name))


@step("end_campaign", needs=("name",), say=lambda s: f"Marketing → end {s.name}")
def end_campaign(player, step, actor):
    moves.end_campaign(actor=actor, campaign=_campaign(player, step.name))


# --- Closing the account -----------------------------------------------------------------------


@step("notify_customers", say=lambda s: "Close or pause the account → notify customers")
def notify_customers(player, step, actor):
    queued = moves.queue_customer_notice(actor=actor, account=player.account)
    moves.notify_customers(actor=JOB, account=player.account, announcement=queued.pk)


@step(
    "request_deletion",
    say=lambda s: "Close the account → password, tick the box, request deletion",
)
def request_deletion(player, step, actor):
    request = moves.request_deletion(
        actor=actor, account=player.account, password=player.password, acknowledged=True
    )
    moves.send_deletion_confirmation(actor=JOB, request=request)


@step(
    "open_link",
    say=lambda s: f"Inbox → {_which_link(s)} about the deletion → open its link",
)
def open_link(player, step, actor):
    """The confirmation page as the link opens it: a used, closed or expired link is refused, and
    the refusal is on the record (open_confirmation_link, as the page calls it)."""
    request = _deletion(player, step.link)
    if request is None:
        raise LifecycleError(Code.TOKEN_INVALID, "There is no confirmation email to open.")
    moves.open_confirmation_link(
        actor=actor, token=moves.deletion_token(request), sandbox=player.sandbox
    )


@step(
    "confirm_deletion",
    say=lambda s: f"Inbox → {_which_link(s)} about the deletion → confirm the deletion",
)
def confirm_deletion(player, step, actor):
    request = _deletion(player, step.link)
    if request is None:
        raise LifecycleError(Code.TOKEN_INVALID, "There is no confirmation email to open.")
    moves.confirm_deletion(actor=actor, token=moves.deletion_token(request))


@step(
    "cancel_deletion",
    say=lambda s: "Cancel the deletion (banner on every page)",
    staff=lambda s: (
        f"Support desk → the seller's case → cancel the deletion, with the reason: {s.reason}"
    ),
)
def cancel_deletion(player, step, actor):
    moves.cancel_deletion(actor=actor, account=player.account)


# The steps of the shop's goods (orders, inquiries, products, studio) are in their own module.
from . import playbook_commerce  # noqa: E402,F401
