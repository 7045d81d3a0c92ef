"""A shop's link to a seller account (RULEBOOK §3): linked, unlinked, relinked."""

from datetime import datetime

from editions.registry import rule
from lifecycle.actions import Action
from lifecycle.errors import Code
from lifecycle.transitions.base import (
    ACTIVE,
    JOB,
    NOT_DELETED,
    PEOPLE,
    Done,
    Kind,
    Machine,
    Refusal,
    Rows,
    Subject,
    Transition,
    account_in,
    asks,
    deleted,
    hours,
    needs_active,
    when,
)
from lifecycle.wording import count
from shops.models import Shop, ShopLink

LINKED, UNLINKED = "linked", "unlinked"
LINK_STATES = (UNLINKED, LINKED)

LINK = Machine(
    "link",
    LINK_STATES,
    lambda rows: LINKED if rows.link else UNLINKED,
    model=ShopLink,
    field="unlinked_at",
    core_writes=False,
    labels={LINKED: "Linked", UNLINKED: "Unlinked"},
    kind=Kind(lambda rows: rows.subject),
    subject=Subject(Shop, "shop", lambda shop: shop.name),
)


def unlinks_in_window(shop: Shop, now: datetime) -> list[ShopLink]:
    """The shop's unlinks counted against the limit, oldest first."""
    since = now - rule(shop.sandbox, "UNLINK_WINDOW")
    return list(shop.links.filter(unlinked_at__gt=since).order_by("unlinked_at"))


def cooldown_ends(shop: Shop, link: ShopLink) -> datetime:
    """When the cool-down after linking ends: the link may be ended from then on."""
    return link.linked_at + rule(shop.sandbox, "UNLINK_COOLDOWN")


def limit_lifts(shop: Shop, recent: list[ShopLink]) -> datetime | None:
    """When the oldest of the limit's unlinks (`unlinks_in_window`) ages out, if the limit is
    reached now; None when it is not."""
    limit = rule(shop.sandbox, "UNLINK_LIMIT")
    if len(recent) < limit:
        return None
    return recent[len(recent) - limit].unlinked_at + rule(shop.sandbox, "UNLINK_WINDOW")


def next_unlink_allowed_at(shop: Shop, link: ShopLink, now: datetime) -> datetime:
    """The earliest sandbox time at which this link may be ended under both limits: the one
    answer the guards (`cooldown_over`, `under_the_limit`) and the pages give."""
    lifts = limit_lifts(shop, unlinks_in_window(shop, now))
    ends = cooldown_ends(shop, link)
    return max(ends, lifts) if lifts is not None else ends


def link_action_for(*, shop: Shop, account) -> str:
    """Linking a shop this account had before is a relink (§3); one it never had is a link."""
    return Action.RELINK_SHOP if shop.links.filter(account=account).exists() else Action.LINK_SHOP


def _linked_here(rows: Rows) -> bool:
    return rows.link is not None and rows.link.account_id == rows.seller.pk


# --- Guards ------------------------------------------------------------------------------------


def same_sandbox(rows: Rows) -> Refusal | None:
    if rows.subject.sandbox_id != rows.seller.sandbox_id:
        return Refusal(Code.SHOP_OTHER_SANDBOX, "That shop is in another sandbox.")
    return None


def linked_elsewhere(rows: Rows) -> Refusal:
    return Refusal(
        Code.SHOP_LINKED_ELSEWHERE,
        f"{rows.subject.name} is linked to another seller account: unlink it there first.",
    )


def been_linked_here(rows: Rows) -> Refusal | None:
    if link_action_for(shop=rows.subject, account=rows.seller) == Action.RELINK_SHOP:
        return None
    return Refusal(
        Code.NEVER_LINKED,
        f"{rows.subject.name} was never linked to this account: link it instead.",
    )


# Support staff holding it may unlink past the cool-down and the 180-day limit (with a reason).
OVERRIDE_UNLINK_LIMITS = "shops.override_unlink_limits_shop"


def _overriding(rows: Rows) -> bool:
    return bool(rows.inputs.get("override"))


def override_permitted(rows: Rows) -> Refusal | None:
    """An override of the limits needs its own permission, on top of the unlink's."""
    if not _overriding(rows) or (rows.actor is not None and rows.actor.may(OVERRIDE_UNLINK_LIMITS)):
        return None
    return Refusal(
        Code.OVERRIDE_NOT_PERMITTED,
        "Only support staff with the override permission can go past this limit.",
    )


@asks
def confirmed(rows: Rows) -> Refusal | None:
    if rows.inputs.get("confirmed"):
        return None
    return Refusal(
        Code.CONFIRMATION_REQUIRED,
        "Confirm that you want to unlink: the shop's tools and reports stop at once.",
    )


def limit_refusal(rows: Rows) -> Refusal | None:
    """The cool-down's or the 180-day limit's refusal of this unlink now, if either refuses."""
    return _cooldown_refusal(rows) or _limit_refusal(rows)


def cooldown_over(rows: Rows) -> Refusal | None:
    return None if _overriding(rows) else _cooldown_refusal(rows)


def under_the_limit(rows: Rows) -> Refusal | None:
    return None if _overriding(rows) else _limit_refusal(rows)


def _cooldown_refusal(rows: Rows) -> Refusal | None:
    ends = cooldown_ends(rows.subject, rows.live_link)
    if rows.now >= ends:
        return None
    return Refusal(
        Code.UNLINK_TOO_SOON,
        f"A shop can be unlinked only {count(hours(rows.sandbox, 'UNLINK_COOLDOWN'), 'hour')} "
        f"after it was linked: try again after {when(ends)}.",
        next_allowed_at=ends,
    )


def _limit_refusal(rows: Rows) -> Refusal | None:
    recent = unlinks_in_window(rows.subject, rows.now)
    allowed_at = limit_lifts(rows.subject, recent)
    if allowed_at is None:
        return None
    days = rule(rows.sandbox, "UNLINK_WINDOW").days
    return Refusal(
        Code.UNLINK_LIMIT_REACHED,
        f"{rows.subject.name} was unlinked {count(len(recent), 'time')} in the last "
        f"{count(days, 'day')}, the "
        f"most allowed: the next unlink is possible after {when(allowed_at)}.",
        next_allowed_at=allowed_at,
    )


def _linked_already(rows: Rows) -> Done | None:
    return Done(rows.link) if _linked_here(rows) else None


def _unlinked_already(rows: Rows) -> Done | None:
    if rows.link is not None:
        return None
    last = rows.subject.links.filter(account=rows.seller).first()
    return Done(last) if last is not None else None


def _not_linked_here(rows: Rows) -> Refusal:
    return Refusal(Code.SHOP_NOT_LINKED, f"{rows.subject.name} is not linked to this account.")


_LINK_GATE = account_in((ACTIVE,), needs_active("only an active account can link a shop"))

LINK_SHOP = Transition(
    Action.LINK_SHOP,
    "link",
    (UNLINKED,),
    LINKED,
    PEOPLE,
    gate=_LINK_GATE,
    inputs=(same_sandbox,),
    done=_linked_already,
    wrong_state=linked_elsewhere,
    event="link",
)
RELINK_SHOP = Transition(
    Action.RELINK_SHOP,
    "link",
    (UNLINKED,),
    LINKED,
    PEOPLE,
    gate=_LINK_GATE,
    inputs=(same_sandbox,),
    done=_linked_already,
    wrong_state=linked_elsewhere,
    guards=(been_linked_here,),
    event="link",
)
UNLINK_SHOP = Transition(
    Action.UNLINK_SHOP,
    "link",
    (LINKED,),
    UNLINKED,
    PEOPLE,
    gate=account_in(NOT_DELETED, lambda rows: deleted()),
    done=_unlinked_already,
    # Unlinking needs the shop linked to this account, checked before the account's status.
    source_of=lambda rows: LINKED if _linked_here(rows) else UNLINKED,
    wrong_state=_not_linked_here,
    gate_first=False,
    # With the override (staff with OVERRIDE_UNLINK_LIMITS) the limits are not checked.
    guards=(confirmed, override_permitted, cooldown_over, under_the_limit),
    event="link",
    destructive=True,
)

# A link ended by the account's deletion (caused by `finalize_deletion`, the sweep's): the same
# action on the shop's timeline as an unlink, with none of the person's limits or confirmation.
END_LINK = Transition(
    Action.UNLINK_SHOP,
    "link",
    (LINKED,),
    UNLINKED,
    frozenset({JOB}),
    wrong_state=_not_linked_here,
    event="link",
    name="end_link",
)

MACHINES = (LINK,)
TRANSITIONS = (LINK_SHOP, UNLINK_SHOP, RELINK_SHOP)
CAUSED = (END_LINK,)  # applied only as another transition's effect
