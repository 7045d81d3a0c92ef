"""What the account type allows on the shop's videos, enforced (RULEBOOK §4).

Every service has the shape of the lifecycle ones: keyword-only with an actor, one transaction
with the account row locked, guards that refuse with a sentence, one timeline event. Which type
has which feature is declared once in `accounts.types`; these services only ask it.
"""

from datetime import datetime

from accounts.models import AccountStatus, SellerAccount
from accounts.types import Feature, feature_refusal, has_feature
from lifecycle.actions import Action
from lifecycle.core import Actor, check_person, lifecycle_service, lock_account, record, refuse
from lifecycle.datetimes import when
from lifecycle.errors import Code
from lifecycle.transitions import PEOPLE, SAME, Transition
from shops.models import Product, Shop, ShopLink

from .models import LiveSession, LiveStatus, ProductLink, Video
from .sounds import sound as find_sound

ACTIVE_ONLY = (AccountStatus.ACTIVE,)
# Who may do each and in which account statuses: content work needs an active account.
STUDIO: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(Action.PICK_SOUND, "video", ACTIVE_ONLY, SAME, PEOPLE),
        Transition(Action.ADD_PRODUCT_LINK, "product_link", ACTIVE_ONLY, SAME, PEOPLE),
        Transition(Action.REMOVE_PRODUCT_LINK, "product_link", ACTIVE_ONLY, SAME, PEOPLE),
        Transition(Action.SCHEDULE_LIVE, "live_session", ACTIVE_ONLY, SAME, PEOPLE),
        Transition(Action.CANCEL_LIVE, "live_session", ACTIVE_ONLY, SAME, PEOPLE),
    )
}


def _check(actor: Actor, action: str, account: SellerAccount, context: dict) -> None:
    check_person(actor, account.sandbox, **context)
    if actor.kind not in STUDIO[action].actors:
        refuse(
            Code.NOT_ALLOWED_FOR_ACTOR,
            f"Only the account owner or support staff can {STUDIO[action].label.lower()}.",
            **context,
        )
    if account.status not in STUDIO[action].sources:
        refuse(
            Code.ACCOUNT_NOT_ACTIVE,
            f"The account is {account.get_status_display().lower()}: "
            f"{STUDIO[action].label.lower()} needs an active account.",
            **context,
        )


def check_shop_linked(account: SellerAccount, shop_id: int, context: dict) -> None:
    """A shop's videos are its tools: out of reach while it is unlinked (RULEBOOK §3)."""
    if not ShopLink.objects.filter(account=account, shop_id=shop_id, unlinked_at=None).exists():
        name = Shop.objects.values_list("name", flat=True).get(pk=shop_id)
        refuse(
            Code.SHOP_NOT_LINKED,
            f"{name} is not linked to this account: relink it in Account Settings to use its "
            "tools again.",
            **context,
        )


def _check_feature(account: SellerAccount, feature: str, context: dict) -> None:
    if not has_feature(account.account_type, feature):
        refuse(Code.FEATURE_NOT_IN_TYPE, feature_refusal(feature, account.account_type), **context)


def _lock_video(video: Video | int) -> tuple[SellerAccount, Video]:
    pk = video.pk if isinstance(video, Video) else video
    account = lock_account(Video.objects.values_list("account_id", flat=True).get(pk=pk))
    return account, Video.objects.select_for_update().get(pk=pk)


def sound_refusal(account_type: str, key: str) -> str:
    """Why this type may not put this sound on a video, or "" when it may."""
    chosen = find_sound(key)
    if chosen is None or chosen.commercial or has_feature(account_type, Feature.FULL_MUSIC_LIBRARY):
        return ""
    return (
        f"“{chosen.title}” is not cleared for commercial use, and a business account picks "
        "from commercial sounds only: choose a sound marked commercial."
    )


@lifecycle_service(Action.PICK_SOUND)
def pick_sound(*, actor: Actor, video: Video | int, sound: str) -> Video:
    """Put a sound of the library on a video: the full library, or commercial ones for business."""
    account, video = _lock_video(video)
    context = {"account": account, "subject": video, "machine": "video", "state": video.sound}
    _check(actor, Action.PICK_SOUND, account, context)
    chosen = find_sound(sound)
    if chosen is None:
        refuse(Code.UNKNOWN_SOUND, "That sound is not in the library: pick one from it.", **context)
    check_shop_linked(account, video.shop_id, context)
    if video.sound == chosen.key:
        return video  # picked already
    refusal = sound_refusal(account.account_type, chosen.key)
    if refusal:
        refuse(Code.SOUND_NOT_COMMERCIAL, refusal, **context)
    before = find_sound(video.sound)
    video.sound = chosen.key
    video.save(update_fields=["sound"])
    record(
        actor=actor,
        action=Action.PICK_SOUND,
        subject=video,
        machine="video",
        before=before.key if before else "",
        after=chosen.key,
        account=account,
        params={
            "video_id": video.pk,
            "before_words": before.title if before else "No sound",
            "after_words": chosen.title,
        },
    )
    return video


@lifecycle_service(Action.ADD_PRODUCT_LINK)
def add_product_link(*, actor: Actor, video: Video | int, product: Product | int) -> ProductLink:
    """Tag one of the shop's products on its video (business accounts only)."""
    account, video = _lock_video(video)
    product_id = product.pk if isinstance(product, Product) else product
    context = {"account": account, "subject": video, "machine": "product_link", "state": "none"}
    _check(actor, Action.ADD_PRODUCT_LINK, account, context)
    _check_feature(account, Feature.PRODUCT_LINKS, context)
    check_shop_linked(account, video.shop_id, context)
    product = Product.objects.filter(pk=product_id, account=account, shop_id=video.shop_id).first()
    if product is None:
        refuse(
            Code.INPUT_REQUIRED,
            "Pick a product of the shop that posted the video.",
            **context,
        )
    existing = video.product_links.filter(product=product).first()
    if existing is not None:
        return existing  # linked already
    link = ProductLink.objects.create(video=video, product=product, added_at=account.sandbox.now())
    record(
        actor=actor,
        action=Action.ADD_PRODUCT_LINK,
        subject=video,
        machine="product_link",
        before="none",
        after="linked",
        account=account,
        params={
            "video_id": video.pk,
            "product_id": product.pk,
            "before_words": "No link",
            "after_words": f"Links to {product.title}",
        },
    )
    return link


@lifecycle_service(Action.REMOVE_PRODUCT_LINK)
def remove_product_link(*, actor: Actor, link: ProductLink | int) -> None:
    """Take a product off a video. Only a business account sees its links, so only it can."""
    pk = link.pk if isinstance(link, ProductLink) else link
    row = ProductLink.objects.filter(pk=pk).values_list("video_id", flat=True).first()
    if row is None:
        return  # removed already
    account, video = _lock_video(row)
    context = {"account": account, "subject": video, "machine": "product_link", "state": "linked"}
    _check(actor, Action.REMOVE_PRODUCT_LINK, account, context)
    _check_feature(account, Feature.PRODUCT_LINKS, context)
    link = ProductLink.objects.select_for_update().select_related("product").filter(pk=pk).first()
    if link is None:
        return  # removed by a request that held the lock first
    title = link.product.title
    link.delete()
    record(
        actor=actor,
        action=Action.REMOVE_PRODUCT_LINK,
        subject=video,
        machine="product_link",
        before="linked",
        after="none",
        account=account,
        params={
            "video_id": video.pk,
            "before_words": f"Links to {title}",
            "after_words": "No link",
        },
    )


@lifecycle_service(Action.SCHEDULE_LIVE)
def schedule_live_session(
    *, actor: Actor, account: SellerAccount | int, title: str, starts_at: datetime
) -> LiveSession:
    """Announce a live session at a later sandbox time (creator and business accounts)."""
    account = lock_account(account)
    context = {"account": account, "machine": "live_session", "state": "none"}
    _check(actor, Action.SCHEDULE_LIVE, account, context)
    _check_feature(account, Feature.AUDIENCE_TOOLS, context)
    title = (title or "").strip()
    if not title or starts_at is None:
        refuse(Code.INPUT_REQUIRED, "Give the live session a title and a start time.", **context)
    now = account.sandbox.now()
    if starts_at <= now:
        refuse(
            Code.LIVE_IN_THE_PAST,
            f"A live session starts after the sandbox clock ({when(now)}): pick a later time.",
            **context,
        )
    duplicate = account.live_sessions.filter(
        title=title[:120], starts_at=starts_at, status=LiveStatus.SCHEDULED
    ).first()
    if duplicate is not None:
        return duplicate  # the same form sent twice
    session = LiveSession.objects.create(
        account=account, title=title[:120], starts_at=starts_at, scheduled_at=now
    )
    record(
        actor=actor,
        action=Action.SCHEDULE_LIVE,
        subject=session,
        machine="live_session",
        before="none",
        after=LiveStatus.SCHEDULED,
        account=account,
        params={"live_session_id": session.pk, "starts_at_words": when(starts_at)},
    )
    return session


@lifecycle_service(Action.CANCEL_LIVE)
def cancel_live_session(*, actor: Actor, session: LiveSession | int) -> LiveSession:
    pk = session.pk if isinstance(session, LiveSession) else session
    account = lock_account(LiveSession.objects.values_list("account_id", flat=True).get(pk=pk))
    session = LiveSession.objects.select_for_update().get(pk=pk)
    context = {
        "account": account,
        "subject": session,
        "machine": "live_session",
        "state": session.status,
    }
    _check(actor, Action.CANCEL_LIVE, account, context)
    _check_feature(account, Feature.AUDIENCE_TOOLS, context)
    if session.status == LiveStatus.CANCELLED:
        return session
    now = account.sandbox.now()
    if session.starts_at <= now:
        refuse(
            Code.INVALID_STATE,
            "This live session has started already: there is nothing left to cancel.",
            **context,
        )
    session.status, session.cancelled_at = LiveStatus.CANCELLED, now
    session.save(update_fields=["status", "cancelled_at"])
    record(
        actor=actor,
        action=Action.CANCEL_LIVE,
        subject=session,
        machine="live_session",
        before=LiveStatus.SCHEDULED,
        after=LiveStatus.CANCELLED,
        account=account,
        params={"live_session_id": session.pk},
    )
    return session
