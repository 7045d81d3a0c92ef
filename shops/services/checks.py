"""What the shop's services check before their own rules: the account's status and the link."""

from accounts.models import AccountStatus, SellerAccount
from lifecycle.core import refuse
from lifecycle.errors import Code
from lifecycle.transitions import COMMERCE
from shops.models import Shop, ShopLink


def check_status(account: SellerAccount, action: str, context: dict) -> None:
    transition = COMMERCE[action]
    if account.status == AccountStatus.DELETED:
        refuse(Code.ACCOUNT_DELETED, "This account was deleted; nothing can change.", **context)
    if account.status not in transition.sources:
        refuse(
            Code.ACCOUNT_NOT_ACTIVE,
            f"The account is {account.get_status_display().lower()}: "
            f"{transition.label.lower()} needs an active account.",
            **context,
        )


def check_shop_linked(account: SellerAccount, shop_id: int, context: dict) -> None:
    """An unlinked shop's tools are out of the Seller Center's reach until it is relinked (§3)."""
    if not ShopLink.objects.live().filter(account=account, shop_id=shop_id).exists():
        name = Shop.objects.values_list("name", flat=True).get(pk=shop_id)
        refuse(
            Code.SHOP_NOT_LINKED,
            f"{name} is not linked to this account: relink it in Account Settings to use its "
            "tools again.",
            **context,
        )
