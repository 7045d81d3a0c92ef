"""What the account type allows on the shop's videos (RULEBOOK §4), as the studio's machines in
`studio.transitions` declare: a video's sound, its product links, live sessions.

Each service locks its rows (the account first, as every service does, then the video, link or
session) and hands them to `lifecycle.core.apply`, which checks the declaration and writes the
event; the services keep only their side effects and the event's words.
"""

from datetime import datetime

from accounts.models import SellerAccount
from lifecycle.actions import Action
from lifecycle.core import (
    Actor,
    Change,
    account_rows,
    apply,
    lifecycle_service,
    lock_account,
    lock_owned,
)
from lifecycle.datetimes import when
from lifecycle.transitions import Rows
from shops.models import Product
from studio import transitions as declared
from studio.transitions import sound_refusal

from .models import LiveSession, ProductLink, Video
from .sounds import sound as find_sound

__all__ = [
    "add_product_link",
    "cancel_live_session",
    "pick_sound",
    "remove_product_link",
    "schedule_live_session",
    "sound_refusal",
]


def _pk(row, model) -> int:
    return row.pk if isinstance(row, model) else row


# --- A video's sound ---------------------------------------------------------------------------


def _pick(rows: Rows, target: str) -> Change:
    video, before, chosen = rows.subject, find_sound(rows.subject.sound), find_sound(target)
    return Change(
        result=video,
        params={
            "video_id": video.pk,
            "before_words": before.title if before else "No sound",
            "after_words": chosen.title if chosen else "No sound",
        },
    )


@lifecycle_service(Action.PICK_SOUND)
def pick_sound(*, actor: Actor, video: Video | int, sound: str) -> Video:
    """Put a sound of the library on a video: the full library, or commercial ones for business."""
    account, video = lock_owned(Video, video)
    rows = account_rows(account, video, inputs={"target": sound})
    return apply(declared.PICK_SOUND, rows, actor=actor, effect=_pick)


# --- Product links -----------------------------------------------------------------------------


def _add(rows: Rows, target: str) -> Change:
    video, product = rows.subject, rows.memo["product"]
    link = ProductLink.objects.create(video=video, product=product, added_at=rows.now)
    return Change(
        result=link,
        params={
            "video_id": video.pk,
            "product_id": product.pk,
            "before_words": "No link",
            "after_words": f"Links to {product.title}",
        },
    )


@lifecycle_service(Action.ADD_PRODUCT_LINK)
def add_product_link(*, actor: Actor, video: Video | int, product: Product | int) -> ProductLink:
    """Tag one of the shop's products on its video (business accounts only)."""
    account, video = lock_owned(Video, video)
    found = Product.objects.filter(
        pk=_pk(product, Product), account=account, shop_id=video.shop_id
    ).first()
    link = None
    if found is not None:
        link = ProductLink.objects.select_for_update().filter(video=video, product=found).first()
    rows = account_rows(account, video, memo={"product": found, "link": link})
    return apply(declared.ADD_PRODUCT_LINK, rows, actor=actor, effect=_add)


def _remove(rows: Rows, target: str) -> Change:
    video, link = rows.subject, rows.memo["link"]
    title = link.product.title
    link.delete()
    return Change(
        params={
            "video_id": video.pk,
            "before_words": f"Links to {title}",
            "after_words": "No link",
        },
    )


@lifecycle_service(Action.REMOVE_PRODUCT_LINK)
def remove_product_link(*, actor: Actor, link: ProductLink | int) -> None:
    """Take a product off a video. Only a business account sees its links, so only it can."""
    pk = _pk(link, ProductLink)
    video_id = ProductLink.objects.filter(pk=pk).values_list("video_id", flat=True).first()
    if video_id is None:
        return None  # removed already: nothing names whose video it was
    account, video = lock_owned(Video, video_id)
    # None when a request that held the locks first removed it: the repeat the core answers.
    found = ProductLink.objects.select_for_update().select_related("product").filter(pk=pk)
    rows = account_rows(account, video, memo={"link": found.first()})
    return apply(declared.REMOVE_PRODUCT_LINK, rows, actor=actor, effect=_remove)


# --- Live sessions -----------------------------------------------------------------------------


def _schedule(rows: Rows, target: str) -> Change:
    inputs = rows.inputs
    session = LiveSession.objects.create(
        account=rows.seller,
        title=inputs["title"],
        starts_at=inputs["starts_at"],
        scheduled_at=rows.now,
    )
    return Change(
        result=session,
        subject=session,
        params={"live_session_id": session.pk, "starts_at_words": when(inputs["starts_at"])},
    )


@lifecycle_service(Action.SCHEDULE_LIVE)
def schedule_live_session(
    *, actor: Actor, account: SellerAccount | int, title: str, starts_at: datetime
) -> LiveSession:
    """Announce a live session at a later sandbox time (creator and business accounts)."""
    inputs = {"title": (title or "").strip()[:120], "starts_at": starts_at}
    rows = account_rows(lock_account(account), inputs=inputs)
    return apply(declared.SCHEDULE_LIVE, rows, actor=actor, effect=_schedule)


def _cancel(rows: Rows, target: str) -> Change:
    session = rows.subject
    session.cancelled_at = rows.now
    return Change(result=session, fields=("cancelled_at",), params={"live_session_id": session.pk})


@lifecycle_service(Action.CANCEL_LIVE)
def cancel_live_session(*, actor: Actor, session: LiveSession | int) -> LiveSession:
    """Call off a scheduled live session before it starts."""
    account, session = lock_owned(LiveSession, session)
    return apply(declared.CANCEL_LIVE, account_rows(account, session), actor=actor, effect=_cancel)
