"""Account type and temporary deactivation (RULEBOOK §4, §5)."""

from accounts.models import AccountStatus, SellerAccount
from accounts.types import (
    TYPES_NEEDING_CATEGORY,
    AccountType,
    Category,
    Feature,
    has_feature,
    type_change_preview,
)
from lifecycle.errors import Code
from lifecycle.transitions import Action, transition_for
from shops.models import Campaign, CampaignStatus
from studio.visibility import visibility_change

from ._core import Actor, check_actor, lifecycle_service, lock_account, record, refuse


def _status_phrase(account: SellerAccount) -> str:
    return account.get_status_display().lower()


@lifecycle_service(Action.SWITCH_TYPE)
def switch_account_type(
    *, actor: Actor, account: SellerAccount, account_type: str, category: str = ""
) -> SellerAccount:
    """Switch to another type in any direction; losing business pauses active campaigns."""
    account = lock_account(account)
    context = {"account": account, "machine": "account_type", "state": account.account_type}
    check_actor(actor, transition_for(Action.SWITCH_TYPE), account)
    if account_type not in AccountType.values:
        refuse(Code.UNKNOWN_TYPE, "Choose personal, creator or business.", **context)
    category = category or ""
    if account_type in TYPES_NEEDING_CATEGORY and not category:
        refuse(
            Code.CATEGORY_REQUIRED,
            f"A {AccountType(account_type).label.lower()} account needs a category: pick one "
            "from the list.",
            **context,
        )
    if category and category not in Category.values:
        refuse(Code.UNKNOWN_CATEGORY, "That category is not on the list: pick one.", **context)
    if category and account_type not in TYPES_NEEDING_CATEGORY:
        refuse(
            Code.CATEGORY_NOT_ALLOWED,
            "A personal account has no category: leave it empty.",
            **context,
        )
    if account.account_type == account_type and account.category == category:
        return account  # nothing changes
    if account.status != AccountStatus.ACTIVE:
        refuse(
            Code.ACCOUNT_NOT_ACTIVE,
            f"The account is {_status_phrase(account)}: the type can be switched only while "
            "it is active.",
            **context,
        )
    before = account.account_type
    preview = type_change_preview(before, account_type)
    paused: list[int] = []
    if has_feature(before, Feature.AD_CAMPAIGNS) and not has_feature(
        account_type, Feature.AD_CAMPAIGNS
    ):
        paused = list(
            account.campaigns.filter(status=CampaignStatus.ACTIVE).values_list("pk", flat=True)
        )
        Campaign.objects.filter(pk__in=paused).update(status=CampaignStatus.PAUSED)
    account.account_type = account_type
    account.category = category
    account.save(update_fields=["account_type", "category"])
    record(
        actor=actor,
        action=Action.SWITCH_TYPE,
        subject=account,
        machine="account_type",
        before=before,
        after=account_type,
        account=account,
        params={
            **preview,
            "category": category,
            "paused_campaigns": paused,
            **visibility_change(account, before, account_type),  # hidden, never deleted
        },
    )
    return account


def _set_status(
    *, actor: Actor, account: SellerAccount, action: str, source: str, target: str
) -> SellerAccount:
    account = lock_account(account)
    context = {"account": account}
    check_actor(actor, transition_for(action), account)
    if account.status == target:
        return account  # the same request twice changes nothing
    if account.status != source:
        done = "deactivated" if target == AccountStatus.DEACTIVATED else "reactivated"
        refuse(
            Code.INVALID_STATE,
            f"The account is {_status_phrase(account)}: only {source} accounts can be {done}.",
            **context,
        )
    account.status = target
    account.save(update_fields=["status"])
    record(
        actor=actor, action=action, subject=account, before=source, after=target, account=account
    )
    return account


@lifecycle_service(Action.DEACTIVATE)
def deactivate_account(*, actor: Actor, account: SellerAccount) -> SellerAccount:
    """Hide listings and stop new orders; orders already placed can still be shipped."""
    return _set_status(
        actor=actor,
        account=account,
        action=Action.DEACTIVATE,
        source=AccountStatus.ACTIVE,
        target=AccountStatus.DEACTIVATED,
    )


@lifecycle_service(Action.REACTIVATE)
def reactivate_account(*, actor: Actor, account: SellerAccount) -> SellerAccount:
    return _set_status(
        actor=actor,
        account=account,
        action=Action.REACTIVATE,
        source=AccountStatus.DEACTIVATED,
        target=AccountStatus.ACTIVE,
    )
