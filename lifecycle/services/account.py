"""Account type and temporary deactivation (RULEBOOK §4, §5): only their side effects are here;
the rules are declared in `lifecycle.transitions.account`."""

from accounts.models import SellerAccount
from accounts.types import Feature, has_feature, type_change_preview
from lifecycle.core import Actor, Change, account_rows, apply, lifecycle_service, lock_account
from lifecycle.transitions import Action, Rows
from lifecycle.transitions.account import DEACTIVATE, REACTIVATE, SWITCH_TYPE
from shops.models import Campaign, CampaignStatus
from studio.visibility import visibility_change


@lifecycle_service(Action.SWITCH_TYPE)
def switch_account_type(
    *, actor: Actor, account: SellerAccount, account_type: str, category: str = ""
) -> SellerAccount:
    """Switch to another type in any direction; losing business pauses active campaigns."""
    account = lock_account(account)
    inputs = {"account_type": account_type, "category": category or "", "target": account_type}
    return apply(SWITCH_TYPE, account_rows(account, inputs=inputs), actor=actor, effect=_switch)


def _switch(rows: Rows, target: str) -> Change:
    account, before = rows.account, rows.account.account_type
    preview = type_change_preview(before, target)
    paused: list[int] = []
    if has_feature(before, Feature.AD_CAMPAIGNS) and not has_feature(target, Feature.AD_CAMPAIGNS):
        paused = list(account.campaigns.active().values_list("pk", flat=True))
        Campaign.objects.filter(pk__in=paused).update(status=CampaignStatus.PAUSED)
    account.category = rows.inputs["category"]
    return Change(
        result=account,
        fields=("category",),
        params={
            **preview,
            "category": account.category,
            "paused_campaigns": paused,
            **visibility_change(account, before, target),  # hidden, never deleted
        },
    )


@lifecycle_service(Action.DEACTIVATE)
def deactivate_account(*, actor: Actor, account: SellerAccount) -> SellerAccount:
    """Hide listings and stop new orders; orders already placed can still be shipped."""
    return apply(DEACTIVATE, account_rows(lock_account(account)), actor=actor)


@lifecycle_service(Action.REACTIVATE)
def reactivate_account(*, actor: Actor, account: SellerAccount) -> SellerAccount:
    return apply(REACTIVATE, account_rows(lock_account(account)), actor=actor)
