"""Field types shared by the scenario schema: each names what it expects when it refuses."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from accounts.models import AccountStatus, ConnectedApp
from accounts.types import AccountType, Category
from editions import registry as editions
from lifecycle.errors import Code
from lifecycle.transitions import Action
from shops.models import CampaignStatus, ListingStatus, OrderStatus


class Strict(BaseModel):
    """Unknown keys are refused, so a misspelt field never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def one_of(name: str, values: list[str]) -> AfterValidator:
    allowed = sorted(values)

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"expected {name}, one of: {', '.join(allowed)} (got {value!r})")
        return value

    return AfterValidator(check)


ActionName = Annotated[str, one_of("a timeline action", list(Action.values))]
CodeName = Annotated[str, one_of("a refusal code", [c.value for c in Code])]
StatusName = Annotated[str, one_of("an account status", list(AccountStatus.values))]
TypeName = Annotated[str, one_of("an account type", list(AccountType.values))]
EditionKey = Annotated[str, one_of("an edition of the rules", list(editions.editions()))]
# What a scenario file that names no edition is written for: the rules it was written under.
WRITTEN_FOR = ("source-article",)
CategoryName = Annotated[str, one_of("a category", list(Category.values))]
AppName = Annotated[str, one_of("a connected app", list(ConnectedApp.values))]
ListingName = Annotated[str, one_of("a listing status", list(ListingStatus.values))]
OrderStatusName = Annotated[str, one_of("an order status", list(OrderStatus.values))]
CampaignStatusName = Annotated[str, one_of("a campaign status", list(CampaignStatus.values))]
