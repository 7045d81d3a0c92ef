"""The studio's machines (RULEBOOK §4): a video's sound, a product link, a live session.

Each needs an active account and, but for sounds, a feature of its type (`accounts.types`); a
video is one of its shop's tools, out of reach while the shop is unlinked (§3). What a type does
not unlock is kept but out of reach (docs/rules.md): sending again an action whose result holds
on a hidden link or session is refused with the type's sentence, not answered as done.
"""

from collections.abc import Callable
from typing import Any

from accounts.models import SellerAccount
from accounts.types import Feature, has_feature
from editions import registry as editions
from lifecycle.actions import Action, label_of
from lifecycle.errors import Code
from lifecycle.transitions.base import (
    ACTIVE,
    CHOSEN,
    PEOPLE,
    Done,
    Guard,
    Kind,
    Machine,
    Refusal,
    Rows,
    Transition,
    account_in,
    in_type,
    lacks_feature,
    needs_active,
    when,
)
from lifecycle.transitions.registry import register
from shops.transitions.shop import shop_linked
from studio.models import LiveSession, LiveStatus, ProductLink, Video
from studio.sounds import LIBRARY
from studio.sounds import sound as find_sound


def _studio_gate(action: str) -> Guard:
    """`The account is deactivated: pick a sound needs an active account.` (any other status)."""
    what = f"{label_of(action).lower()} needs an active account"
    return account_in((ACTIVE,), needs_active(what))


def shown_already(feature: str, found: Callable[[Rows], Any]) -> Callable[[Rows], Done | None]:
    """The result holds already (`found` is not None) and the type shows it: a repeat."""

    def done(rows: Rows) -> Done | None:
        held = found(rows)
        if held is None or lacks_feature(rows.seller, feature):
            return None  # a hidden one goes on to the source, refused by `in_type`
        return Done(held)

    return done


def _studio(action: str, machine: str, sources: tuple[str, ...], target: str, **more) -> Transition:
    return Transition(
        action,
        machine,
        sources,
        target,
        PEOPLE,
        gate=_studio_gate(action),
        event=machine,
        **more,
    )


# --- A video's sound ---------------------------------------------------------------------------

NO_SOUND = ""
VIDEO = Machine(
    "video",
    (NO_SOUND, *(s.key for s in LIBRARY)),
    lambda rows: rows.subject.sound,
    model=Video,
    field="sound",
    labels={NO_SOUND: "No sound", **{s.key: s.title for s in LIBRARY}},
    kind=Kind(lambda rows: rows.subject, lambda rows: "video"),
)


def sound_refusal(account: SellerAccount, key: str) -> str:
    """Why this account's type may not put this sound on a video, or "" when it may."""
    chosen = find_sound(key)
    if chosen is None or chosen.commercial:
        return ""
    edition = editions.of(account.sandbox)
    if has_feature(account.account_type, Feature.FULL_MUSIC_LIBRARY, edition=edition):
        return ""
    return (
        f"“{chosen.title}” is not cleared for commercial use, and a business account picks "
        "from commercial sounds only: choose a sound marked commercial."
    )


def a_library_sound(rows: Rows) -> Refusal | None:
    if find_sound(rows.inputs["target"]) is not None:
        return None
    return Refusal(Code.UNKNOWN_SOUND, "That sound is not in the library: pick one from it.")


def cleared_for_type(rows: Rows) -> Refusal | None:
    """A business account picks commercial sounds only; a video keeps one it had before."""
    sentence = sound_refusal(rows.seller, rows.inputs["target"])
    return Refusal(Code.SOUND_NOT_COMMERCIAL, sentence) if sentence else None


PICK_SOUND = _studio(
    Action.PICK_SOUND,
    "video",
    VIDEO.states,
    CHOSEN,  # inputs["target"]: the sound's key
    inputs=(a_library_sound,),
    done=lambda rows: Done(rows.subject) if rows.subject.sound == rows.inputs["target"] else None,
    guards=(shop_linked, cleared_for_type),
)

# --- A product link on a video -----------------------------------------------------------------
# The subject is the video; `memo["product"]` the product asked for (None: not one of the video's
# shop) and `memo["link"]` its link on the video, both read by the service under its locks.

NO_LINK, LINKED = "none", "linked"
PRODUCT_LINK = Machine(
    "product_link",
    (NO_LINK, LINKED),
    lambda rows: LINKED if rows.memo.get("link") is not None else NO_LINK,
    model=ProductLink,
    core_writes=False,  # the state is the link's row: the service creates or deletes it
    labels={NO_LINK: "No link", LINKED: "Linked"},
    kind=Kind(lambda rows: rows.subject, lambda rows: "product_link"),  # the video's events
)


def a_product_of_the_shop(rows: Rows) -> Refusal | None:
    if rows.memo.get("product") is not None:
        return None
    return Refusal(Code.INPUT_REQUIRED, "Pick a product of the shop that posted the video.")


_LINKS = in_type(Feature.PRODUCT_LINKS)
_the_link = lambda rows: rows.memo.get("link")  # noqa: E731

ADD_PRODUCT_LINK = _studio(
    Action.ADD_PRODUCT_LINK,
    "product_link",
    (NO_LINK,),
    LINKED,
    inputs=(a_product_of_the_shop,),
    done=shown_already(Feature.PRODUCT_LINKS, _the_link),
    wrong_state=_LINKS,  # linked already but hidden by the type
    guards=(_LINKS, shop_linked),
)
REMOVE_PRODUCT_LINK = _studio(
    Action.REMOVE_PRODUCT_LINK,
    "product_link",
    (LINKED,),
    NO_LINK,
    done=lambda rows: Done(None) if rows.memo.get("link") is None else None,  # removed already
    guards=(_LINKS,),
)

# --- A live session ----------------------------------------------------------------------------
# Scheduling's subject is the account (the session does not exist yet); cancelling's the session.

NO_SESSION = "none"
SCHEDULED, CANCELLED = LiveStatus.SCHEDULED.value, LiveStatus.CANCELLED.value
LIVE_SESSION = Machine(
    "live_session",
    (NO_SESSION, SCHEDULED, CANCELLED),
    lambda rows: rows.subject.status if isinstance(rows.subject, LiveSession) else NO_SESSION,
    model=LiveSession,
    field="status",
    labels={NO_SESSION: "No live session", **dict(LiveStatus.choices)},
    # The session's events, or the account's while it does not exist yet (a refused scheduling).
    kind=Kind(lambda rows: rows.subject, lambda rows: "live_session"),
)


def title_and_start(rows: Rows) -> Refusal | None:
    if rows.inputs["title"] and rows.inputs["starts_at"] is not None:
        return None
    return Refusal(Code.INPUT_REQUIRED, "Give the live session a title and a start time.")


def starts_later(rows: Rows) -> Refusal | None:
    if rows.inputs["starts_at"] > rows.now:
        return None
    return Refusal(
        Code.LIVE_IN_THE_PAST,
        f"A live session starts after the sandbox clock ({when(rows.now)}): pick a later time.",
    )


def not_started(rows: Rows) -> Refusal | None:
    if rows.subject.starts_at > rows.now:
        return None
    return Refusal(
        Code.INVALID_STATE,
        "This live session has started already: there is nothing left to cancel.",
    )


def _same_session(rows: Rows) -> LiveSession | None:
    """The same form sent twice: a scheduled session with this title and start."""
    return rows.seller.live_sessions.filter(
        title=rows.inputs["title"], starts_at=rows.inputs["starts_at"], status=SCHEDULED
    ).first()


def _cancelled(rows: Rows) -> LiveSession | None:
    return rows.subject if rows.subject.status == CANCELLED else None


_AUDIENCE = in_type(Feature.AUDIENCE_TOOLS)

SCHEDULE_LIVE = _studio(
    Action.SCHEDULE_LIVE,
    "live_session",
    (NO_SESSION,),
    SCHEDULED,
    inputs=(title_and_start,),
    done=shown_already(Feature.AUDIENCE_TOOLS, _same_session),
    guards=(_AUDIENCE, starts_later),
)
CANCEL_LIVE = _studio(
    Action.CANCEL_LIVE,
    "live_session",
    (SCHEDULED,),
    CANCELLED,
    done=shown_already(Feature.AUDIENCE_TOOLS, _cancelled),
    wrong_state=_AUDIENCE,  # cancelled already but hidden by the type
    guards=(_AUDIENCE, not_started),
)

MACHINES = (VIDEO, PRODUCT_LINK, LIVE_SESSION)
TRANSITIONS = (PICK_SOUND, ADD_PRODUCT_LINK, REMOVE_PRODUCT_LINK, SCHEDULE_LIVE, CANCEL_LIVE)

register(*MACHINES, other=TRANSITIONS)  # offered on the videos and audience pages
