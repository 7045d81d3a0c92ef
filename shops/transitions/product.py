"""A product's machine (RULEBOOK §5): its listing status, and editing its title, price and stock.

Like the shop's other tools it runs only for a shop linked now (`shop.shop_linked`) and in every
account status but deleted: pausing sales by listing is the alternative to closing.
"""

from decimal import Decimal, InvalidOperation
from typing import cast

from lifecycle.actions import Action
from lifecycle.errors import Code
from lifecycle.transitions.base import (
    CHOSEN,
    NOT_DELETED,
    PEOPLE,
    SAME,
    Done,
    Kind,
    Machine,
    Refusal,
    Rows,
    Subject,
    Transition,
    account_in,
    deleted,
)
from shops.models import ListingStatus, Product
from shops.transitions.shop import shop_linked

# --- Listings ----------------------------------------------------------------------------------

LISTING = Machine(
    "listing",
    tuple(ListingStatus.values),
    lambda rows: rows.subject.listing_status,
    model=Product,
    field="listing_status",
    with_account=True,
    labels=dict(ListingStatus.choices),
    tones={
        ListingStatus.ACTIVE: "text-bg-success",
        ListingStatus.SOLD_OUT: "text-bg-warning",
        "": "text-bg-secondary",
    },
    kind=Kind(lambda rows: rows.subject),
    subject=Subject(Product, "product", lambda product: f"{product.title} ({product.sku})"),
)


def known_listing_status(rows: Rows) -> Refusal | None:
    if rows.inputs["status"] in ListingStatus.values:
        return None
    return Refusal(Code.UNKNOWN_LISTING_STATUS, "Choose active, sold out or removed.")


def stock_for_active(rows: Rows) -> Refusal | None:
    product = rows.subject
    if rows.inputs["status"] != ListingStatus.ACTIVE or product.stock > 0:
        return None
    return Refusal(
        Code.LISTING_NEEDS_STOCK,
        f"{product.title} has no stock: edit the product to add stock, then list it again.",
    )


CHANGE_LISTING = Transition(
    Action.CHANGE_LISTING,
    "listing",
    tuple(ListingStatus.values),
    CHOSEN,
    PEOPLE,
    gate=account_in(NOT_DELETED, lambda rows: deleted()),
    inputs=(known_listing_status,),
    done=lambda rows: (
        Done(rows.subject) if rows.subject.listing_status == rows.inputs["status"] else None
    ),
    guards=(shop_linked, stock_for_active),
    event="listing",
)

# --- Editing a product ---------------------------------------------------------------------------

# The model's own limits (a CharField's max_length is always set).
TITLE_LENGTH = cast(int, Product._meta.get_field("title").max_length)
PRICE_DIGITS = Product._meta.get_field("price").max_digits
PRICE_PLACES = Product._meta.get_field("price").decimal_places


def _price(value) -> Decimal | None:
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    exponent = price.as_tuple().exponent  # an int for a finite number
    if not price.is_finite() or price < 0 or not isinstance(exponent, int):
        return None
    if -exponent > PRICE_PLACES:
        return None
    if price.quantize(Decimal(1)).adjusted() >= PRICE_DIGITS - PRICE_PLACES:
        return None
    return price.quantize(Decimal(1).scaleb(-PRICE_PLACES))


MOST_STOCK = 1_000_000


def _stock(value) -> int | None:
    text = str(value).strip()
    return int(text) if text.isdigit() and int(text) <= MOST_STOCK else None


def product_values(rows: Rows) -> Refusal | None:
    """The edit's title, price and stock, checked.

    The edit itself leaves the listing status as it is; what stock does to the listing (sold out
    at zero, back on sale when restocked) is the listing's own transition, which the edit causes
    (`shops.services.product_edits`).
    """
    title = " ".join(str(rows.inputs["title"] or "").split())
    if not title or len(title) > TITLE_LENGTH:
        return Refusal(
            Code.INPUT_REQUIRED, f"Give the product a title of 1 to {TITLE_LENGTH} characters."
        )
    price = _price(rows.inputs["price"])
    if price is None:
        return Refusal(
            Code.INPUT_REQUIRED,
            "Enter the price as an amount of zero or more, with at most two decimals.",
        )
    stock = _stock(rows.inputs["stock"])
    if stock is None:
        return Refusal(
            Code.INPUT_REQUIRED, f"Enter the stock as a whole number from 0 to {MOST_STOCK:,}."
        )
    rows.memo.update(title=title, price=price, stock=stock)
    return None


def _edited_already(rows: Rows) -> Done | None:
    product, memo = rows.subject, rows.memo
    same = (product.title, product.price, product.stock) == (
        memo["title"],
        memo["price"],
        memo["stock"],
    )
    return Done(product) if same else None


EDIT_PRODUCT = Transition(
    Action.EDIT_PRODUCT,
    "listing",
    tuple(ListingStatus.values),
    SAME,  # the listing status moves by CHANGE_LISTING, which a change of stock may cause
    PEOPLE,
    gate=account_in(NOT_DELETED, lambda rows: deleted()),
    inputs=(product_values,),
    done=_edited_already,  # a double click saves nothing twice
    guards=(shop_linked,),
    event="listing",
)


MACHINES = (LISTING,)
TRANSITIONS = (CHANGE_LISTING, EDIT_PRODUCT)
