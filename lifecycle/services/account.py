"""Account type and temporary deactivation (RULEBOOK §4, §5): only their side effects are here;
the rules are declared in `accounts.transitions.account`."""

from accounts.models import SellerAccount
from accounts.transitions.account import DEACTIVATE, REACTIVATE, SWITCH_TYPE
from accounts.types import Feature, has_feature, type_change_preview
from editions import registry as editions
from lifecycle.core import (
    Actor,
    Caused,
    Change,
    account_rows,
    apply,
    lifecycle_service,
    lock_account,
)
from lifecycle.transitions import Action, Rows
from shops.services.campaigns import paused_by
from studio.visibility import visibility_change


@lifecycle_service(Action.SWITCH_TYPE)
def switch_account_type(
    *, actor: Actor, account: SellerAccount, account_type: str, category: str = ""
) -> SellerAccount:
    """Switch to another type in any direction; losing business pauses active campaigns, each
    with its own event after the switch's."""
    account = lock_account(account)
    inputs = {"account_type": account_type, "category": category or "", "target": account_type}
    return apply(SWITCH_TYPE, account_rows(account, inputs=inputs), actor=actor, effect=_switch)


def _switch(rows: Rows, target: str) -> Change:
    account = rows.seller
    before = account.account_type
    edition = editions.of(rows.sandbox)
    preview = type_change_preview(before, target, edition=edition)
    paused: tuple[Caused, ...] = ()
    had_ads = has_feature(before, Feature.AD_CAMPAIGNS, edition=edition)
    if had_ads and not has_feature(target, Feature.AD_CAMPAIGNS, edition=edition):
        paused = paused_by(account, account.campaigns.all())  # each its own pause, after this
    account.category = rows.inputs["category"]
    return Change(
        result=account,
        fields=("category",),
        params={
            **preview,
            "category": account.category,
            "paused_campaigns": [caused.rows.subject.pk for caused in paused],
            **visibility_change(account, before, target),  # hidden, never deleted
        },
        caused=paused,
    )


@lifecycle_service(Action.DEACTIVATE)
def deactivate_account(*, actor: Actor, account: SellerAccount) -> SellerAccount:
    """Hide listings and stop new orders; orders already placed can still be shipped."""
    return apply(DEACTIVATE, account_rows(lock_account(account)), actor=actor)


@lifecycle_service(Action.REACTIVATE)
def reactivate_account(*, actor: Actor, account: SellerAccount) -> SellerAccount:
    return apply(REACTIVATE, account_rows(lock_account(account)), actor=actor)
