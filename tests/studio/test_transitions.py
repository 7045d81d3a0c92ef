"""The studio's machines (a video's sound, a product link, a live session) as declared in
`studio.transitions` and applied by `lifecycle.core.apply`: each transition allowed,
and refused with its sentence, once on the timeline, on the subject it was about; who may act;
the repeats that change nothing; and the write guard watching the declared fields."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from lifecycle import transitions as t
from lifecycle.datetimes import when
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import Outcome, TimelineEvent
from lifecycle.services import (
    Actor,
    advance_clock,
    deactivate_account,
    switch_account_type,
    unlink_shop,
)
from lifecycle.transitions import Action
from shops.models import Product
from studio import transitions as studio_transitions
from studio.models import LiveSession, LiveStatus, ProductLink, Video
from studio.services import (
    add_product_link,
    cancel_live_session,
    pick_sound,
    remove_product_link,
    schedule_live_session,
)
from studio.sounds import LIBRARY, sound
from tests.engine_guard import WriteGuard, arranging
from tests.studio.test_features import BUSINESS, CLEARED, CREATOR, UNCLEARED, refused_with, world

STUDIO_ACTIONS = {
    Action.PICK_SOUND: "video",
    Action.ADD_PRODUCT_LINK: "product_link",
    Action.REMOVE_PRODUCT_LINK: "product_link",
    Action.SCHEDULE_LIVE: "live_session",
    Action.CANCEL_LIVE: "live_session",
}


def near(moment, other) -> bool:
    """Two readings of one sandbox clock a few instructions apart (it runs with real time)."""
    return abs(moment - other) < timedelta(seconds=5)


def latest(account) -> TimelineEvent:
    return TimelineEvent.objects.filter(account=account).first()


def unlinked_video(sandbox, trainee) -> Video:
    """A video of the demo's shop once the shop is unlinked (the clock moved past the cool-down)."""
    account = sandbox.account
    link = account.shop_links.get(unlinked_at=None)
    advance_clock(actor=Actor.trainee(trainee), sandbox=sandbox, by=timedelta(days=2))
    unlink_shop(actor=Actor.trainee(trainee), account=account, shop=link.shop, confirmed=True)
    return account.videos.filter(shop=link.shop).first()


def unlinked_product(account) -> tuple[Video, Product]:
    """A video without product links yet and a product of its shop."""
    video = account.videos.filter(product_links=None).first()
    return video, account.products.filter(shop=video.shop).first()


# --- The declaration ---------------------------------------------------------------------------


def test_the_studio_machines_and_transitions_are_declared_and_registered():
    assert {"video", "product_link", "live_session"} <= set(t.MACHINES)
    declared = {tr.action: tr for tr in studio_transitions.TRANSITIONS}
    assert {a: tr.machine for a, tr in declared.items()} == STUDIO_ACTIONS
    for action, transition in declared.items():
        assert t.BY_KEY[action] is transition
        assert transition.actors == t.PEOPLE and transition.account_statuses == (t.ACTIVE,)
        assert transition.event  # every studio action writes its event (and its refusals)
    assert t.MACHINES["live_session"].label(LiveStatus.SCHEDULED) == "Scheduled"
    # The videos and audience pages offer them, not the account's own pages.
    offered = {tr.machine for tr in t.account_actions_from(t.ACTIVE, t.TRAINEE)}
    assert not offered & set(STUDIO_ACTIONS.values())


def test_the_write_guard_watches_the_studio_declared_fields():
    columns = WriteGuard().columns
    assert columns["studio_video"] == {"sound"}
    assert columns["studio_livesession"] == {"status"}


def test_the_guard_notices_a_studio_state_written_outside_the_engine(trainee):
    sandbox = world(trainee, BUSINESS)
    guard = WriteGuard()
    with connection.execute_wrapper(guard), arranging():  # arranging: not the suite's guard
        Video.objects.filter(account=sandbox.account).update(sound=CLEARED.key)
        LiveSession.objects.filter(account=sandbox.account).update(status=LiveStatus.CANCELLED)
    assert [v.split(" ")[0] for v in guard.violations] == [
        "studio_video.sound",
        "studio_livesession.status",
    ]


def test_the_studio_services_write_their_states_through_the_engine(trainee):
    sandbox = world(trainee, CREATOR)
    actor, session = Actor.trainee(trainee), sandbox.account.live_sessions.get()
    video = sandbox.account.videos.exclude(sound=UNCLEARED.key).first()
    guard = WriteGuard()
    with connection.execute_wrapper(guard):
        pick_sound(actor=actor, video=video, sound=UNCLEARED.key)
        cancel_live_session(actor=actor, session=session)
    assert guard.violations == []
    video.refresh_from_db()
    session.refresh_from_db()
    assert (video.sound, session.status) == (UNCLEARED.key, LiveStatus.CANCELLED)


# --- Picking a sound ---------------------------------------------------------------------------


def test_picking_a_sound_writes_its_event_in_words(trainee):
    sandbox = world(trainee, CREATOR)
    account, actor = sandbox.account, Actor.trainee(trainee)
    video = account.videos.first()
    before = video.sound
    pick_sound(actor=actor, video=video, sound=UNCLEARED.key)
    video.refresh_from_db()
    assert video.sound == UNCLEARED.key
    event = latest(account)
    assert (event.action, event.outcome, event.subject_type, event.subject_id) == (
        Action.PICK_SOUND,
        Outcome.DONE,
        "video",
        video.pk,
    )
    assert (event.before, event.after) == (before, UNCLEARED.key)
    assert event.params == {
        "video_id": video.pk,
        "before_words": sound(before).title,
        "after_words": UNCLEARED.title,
    }


def test_picking_a_sound_for_a_video_without_one_says_no_sound(trainee):
    sandbox = world(trainee, CREATOR)
    video = sandbox.account.videos.first()
    with arranging():
        Video.objects.filter(pk=video.pk).update(sound="")
    pick_sound(actor=Actor.trainee(trainee), video=video, sound=CLEARED.key)
    event = latest(sandbox.account)
    assert (event.before, event.after) == ("", CLEARED.key)
    assert event.params["before_words"] == "No sound"


def test_picking_a_sound_needs_an_active_account(trainee):
    sandbox = world(trainee, CREATOR)
    account, actor = sandbox.account, Actor.trainee(trainee)
    deactivate_account(actor=actor, account=account)
    video = account.videos.first()
    refused_with(
        lambda: pick_sound(actor=actor, video=video, sound=UNCLEARED.key),
        Code.ACCOUNT_NOT_ACTIVE,
        "The account is deactivated: pick a sound needs an active account.",
        account,
    )
    event = latest(account)
    assert (event.subject_type, event.subject_id, event.before) == ("video", video.pk, video.sound)


def test_picking_a_sound_needs_the_shop_linked(trainee):
    sandbox = world(trainee, CREATOR)
    video = unlinked_video(sandbox, trainee)
    refused_with(
        lambda: pick_sound(actor=Actor.trainee(trainee), video=video, sound=UNCLEARED.key),
        Code.SHOP_NOT_LINKED,
        f"{video.shop.name} is not linked to this account: relink it in Account Settings to use "
        "its tools again.",
        sandbox.account,
    )


def test_an_unknown_sound_is_refused_with_its_sentence(trainee):
    sandbox = world(trainee, CREATOR)
    video = sandbox.account.videos.first()
    refused_with(
        lambda: pick_sound(actor=Actor.trainee(trainee), video=video, sound="no-such-sound"),
        Code.UNKNOWN_SOUND,
        "That sound is not in the library: pick one from it.",
        sandbox.account,
    )


def test_a_business_video_keeps_an_uncleared_sound_it_has_when_picked_again(trainee):
    """The repeat comes first: re-picking the sound a video has changes nothing, even when a
    business account could not pick it new (docs/rules.md: a video keeps the sound it had)."""
    sandbox = world(trainee, BUSINESS)
    video = sandbox.account.videos.first()
    with arranging():
        Video.objects.filter(pk=video.pk).update(sound=UNCLEARED.key)
    count = TimelineEvent.objects.count()
    assert pick_sound(actor=Actor.trainee(trainee), video=video, sound=UNCLEARED.key).pk == video.pk
    assert TimelineEvent.objects.count() == count


# --- Product links -----------------------------------------------------------------------------


def test_adding_and_removing_a_product_link_write_their_events(trainee):
    sandbox = world(trainee, BUSINESS)
    account, actor = sandbox.account, Actor.trainee(trainee)
    video, product = unlinked_product(account)
    link = add_product_link(actor=actor, video=video, product=product.pk)
    added = latest(account)
    assert (link.video_id, link.product_id) == (video.pk, product.pk)
    assert near(link.added_at, added.sandbox_time)  # the sandbox's time, not the real one
    assert (added.action, added.subject_type, added.subject_id, added.before, added.after) == (
        Action.ADD_PRODUCT_LINK,
        "video",
        video.pk,
        "none",
        "linked",
    )
    assert added.params == {
        "video_id": video.pk,
        "product_id": product.pk,
        "before_words": "No link",
        "after_words": f"Links to {product.title}",
    }
    count = TimelineEvent.objects.count()
    assert add_product_link(actor=actor, video=video, product=product) == link  # a repeat
    assert TimelineEvent.objects.count() == count

    assert remove_product_link(actor=actor, link=link.pk) is None
    assert not ProductLink.objects.filter(pk=link.pk).exists()
    removed = latest(account)
    assert (removed.action, removed.subject_id, removed.before, removed.after) == (
        Action.REMOVE_PRODUCT_LINK,
        video.pk,
        "linked",
        "none",
    )
    assert removed.params == {
        "video_id": video.pk,
        "before_words": f"Links to {product.title}",
        "after_words": "No link",
    }
    remove_product_link(actor=actor, link=link.pk)  # removed already: nothing more
    assert TimelineEvent.objects.count() == count + 1


def test_a_product_link_names_a_product_of_the_videos_shop(trainee):
    sandbox = world(trainee, BUSINESS)
    other = world(
        get_user_model().objects.create_user("other", "o@example.com", "pw-pw-pw-9"), BUSINESS
    )
    video, _product = unlinked_product(sandbox.account)
    foreign = other.account.products.first()
    refused_with(
        lambda: add_product_link(actor=Actor.trainee(trainee), video=video, product=foreign),
        Code.INPUT_REQUIRED,
        "Pick a product of the shop that posted the video.",
        sandbox.account,
    )
    assert not ProductLink.objects.filter(video=video).exists()


def test_a_product_link_needs_an_active_account_and_the_shop_linked(trainee):
    sandbox = world(trainee, BUSINESS)
    account, actor = sandbox.account, Actor.trainee(trainee)
    video, product = unlinked_product(account)
    kept = ProductLink.objects.filter(video__account=account).first()
    unlinked = unlinked_video(sandbox, trainee)
    shop_sentence = (
        f"{unlinked.shop.name} is not linked to this account: relink it in Account Settings to "
        "use its tools again."
    )
    refused_with(
        lambda: add_product_link(actor=actor, video=video, product=product),
        Code.SHOP_NOT_LINKED,
        shop_sentence,
        account,
    )
    deactivate_account(actor=actor, account=account)
    for call, label in (
        (lambda: add_product_link(actor=actor, video=video, product=product), "add product link"),
        (lambda: remove_product_link(actor=actor, link=kept), "remove product link"),
    ):
        refused_with(
            call,
            Code.ACCOUNT_NOT_ACTIVE,
            f"The account is deactivated: {label} needs an active account.",
            account,
        )
    assert ProductLink.objects.filter(pk=kept.pk).exists()


def test_a_hidden_product_link_is_out_of_reach_even_to_add_again(trainee):
    """A type without product links does not show them and cannot change them (docs/rules.md):
    adding a link it keeps hidden is refused like a new one, not answered as done."""
    sandbox = world(trainee, CREATOR)
    account = sandbox.account
    kept = ProductLink.objects.filter(video__account=account).select_related("video").first()
    refused_with(
        lambda: add_product_link(
            actor=Actor.trainee(trainee), video=kept.video, product=kept.product_id
        ),
        Code.FEATURE_NOT_IN_TYPE,
        "Product links come with a business account; this one is creator: switch the account "
        "type first.",
        account,
    )


# --- Live sessions -----------------------------------------------------------------------------


def test_scheduling_and_cancelling_a_live_session_write_their_events(trainee):
    sandbox = world(trainee, CREATOR)
    account, actor = sandbox.account, Actor.trainee(trainee)
    starts = sandbox.now() + timedelta(days=1)
    session = schedule_live_session(
        actor=actor, account=account, title="  Drop day ", starts_at=starts
    )
    scheduled = latest(account)
    assert (session.title, session.status) == ("Drop day", LiveStatus.SCHEDULED)
    assert near(session.scheduled_at, scheduled.sandbox_time)
    assert (scheduled.subject_type, scheduled.subject_id, scheduled.before, scheduled.after) == (
        "livesession",
        session.pk,
        "none",
        "scheduled",
    )
    assert scheduled.params == {"live_session_id": session.pk, "starts_at_words": when(starts)}
    count = TimelineEvent.objects.count()
    again = schedule_live_session(actor=actor, account=account, title="Drop day", starts_at=starts)
    assert again == session and TimelineEvent.objects.count() == count  # the form sent twice

    cancel_live_session(actor=actor, session=session.pk)
    session.refresh_from_db()
    cancelled = latest(account)
    assert session.status == LiveStatus.CANCELLED
    assert near(session.cancelled_at, cancelled.sandbox_time)
    assert (cancelled.action, cancelled.before, cancelled.after, cancelled.params) == (
        Action.CANCEL_LIVE,
        "scheduled",
        "cancelled",
        {"live_session_id": session.pk},
    )
    assert cancel_live_session(actor=actor, session=session) == session  # cancelled already
    assert TimelineEvent.objects.count() == count + 1


def test_a_live_session_needs_a_title_and_a_start(trainee):
    sandbox = world(trainee, CREATOR)
    for title, starts in (("   ", sandbox.now() + timedelta(days=1)), ("Q&A", None)):
        refused_with(
            lambda title=title, starts=starts: schedule_live_session(
                actor=Actor.trainee(trainee),
                account=sandbox.account,
                title=title,
                starts_at=starts,
            ),
            Code.INPUT_REQUIRED,
            "Give the live session a title and a start time.",
            sandbox.account,
        )


def test_a_live_session_in_the_past_is_refused_with_the_clock_in_words(trainee):
    sandbox = world(trainee, CREATOR)
    first = when(sandbox.now())
    with pytest.raises(LifecycleError) as err:
        schedule_live_session(
            actor=Actor.trainee(trainee),
            account=sandbox.account,
            title="Too late",
            starts_at=sandbox.now(),
        )
    # The clock in words, read by the service: the minute it ran in (it may have just turned).
    readings = {first, when(sandbox.now())}
    sentences = {
        f"A live session starts after the sandbox clock ({r}): pick a later time." for r in readings
    }
    assert err.value.code == Code.LIVE_IN_THE_PAST and err.value.message in sentences
    event = latest(sandbox.account)
    assert (event.outcome, event.code, event.message) == (
        Outcome.REFUSED,
        Code.LIVE_IN_THE_PAST,
        err.value.message,
    )
    # Nothing was scheduled: the refusal sits on the account, under the live-session machine, on
    # no session (it never existed), not on a session numbered like the account.
    assert (event.subject_type, event.subject_id) == ("live_session", None)
    assert event.account == sandbox.account
    assert sandbox.account.live_sessions.count() == 1  # the demo's own


def test_a_started_live_session_cannot_be_cancelled(trainee):
    sandbox = world(trainee, CREATOR)
    actor = Actor.trainee(trainee)
    session = sandbox.account.live_sessions.get()
    advance_clock(actor=actor, sandbox=sandbox, by=session.starts_at - sandbox.now())
    refused_with(
        lambda: cancel_live_session(actor=actor, session=session),
        Code.INVALID_STATE,
        "This live session has started already: there is nothing left to cancel.",
        sandbox.account,
    )
    session.refresh_from_db()
    assert session.status == LiveStatus.SCHEDULED
    event = latest(sandbox.account)
    assert (event.subject_type, event.subject_id, event.before) == (
        "livesession",
        session.pk,
        "scheduled",
    )


def test_live_sessions_need_an_active_account(trainee):
    sandbox = world(trainee, CREATOR)
    account, actor = sandbox.account, Actor.trainee(trainee)
    session = account.live_sessions.get()
    deactivate_account(actor=actor, account=account)
    later = sandbox.now() + timedelta(days=1)
    for call, label in (
        (
            lambda: schedule_live_session(actor=actor, account=account, title="Q", starts_at=later),
            "schedule live session",
        ),
        (lambda: cancel_live_session(actor=actor, session=session), "cancel live session"),
    ):
        refused_with(
            call,
            Code.ACCOUNT_NOT_ACTIVE,
            f"The account is deactivated: {label} needs an active account.",
            account,
        )


def test_a_hidden_live_session_cannot_be_cancelled(trainee):
    sandbox = world(trainee, CREATOR)
    session = sandbox.account.live_sessions.get()
    switch_account_type(
        actor=Actor.trainee(trainee), account=sandbox.account, account_type="personal"
    )
    refused_with(
        lambda: cancel_live_session(actor=Actor.trainee(trainee), session=session),
        Code.FEATURE_NOT_IN_TYPE,
        "Audience-building tools come with a creator or business account; this one is personal: "
        "switch the account type first.",
        sandbox.account,
    )


# --- Who may act -------------------------------------------------------------------------------


def _calls(sandbox):
    account = sandbox.account
    video, product = unlinked_product(account)
    kept = ProductLink.objects.filter(video__account=account).first()
    session = account.live_sessions.get()
    later = sandbox.now() + timedelta(days=1)
    new_sound = next(s for s in LIBRARY if s.commercial and s.key != video.sound).key
    return {
        Action.PICK_SOUND: lambda a: pick_sound(actor=a, video=video, sound=new_sound),
        Action.ADD_PRODUCT_LINK: lambda a: add_product_link(actor=a, video=video, product=product),
        Action.REMOVE_PRODUCT_LINK: lambda a: remove_product_link(actor=a, link=kept),
        Action.SCHEDULE_LIVE: lambda a: schedule_live_session(
            actor=a, account=account, title="Q&A", starts_at=later
        ),
        Action.CANCEL_LIVE: lambda a: cancel_live_session(actor=a, session=session),
    }


def _state(account) -> tuple:
    return (
        list(Video.objects.filter(account=account).values_list("pk", "sound")),
        list(ProductLink.objects.filter(video__account=account).values_list("pk", flat=True)),
        list(account.live_sessions.values_list("pk", "status")),
    )


def _stranger(staff_user):
    return Actor.trainee(get_user_model().objects.create_user("stranger", "s@example.com", "pw-9x"))


# Who is refused whatever the action: a background job (not among the declared actor kinds),
# support staff without a reason, a trainee in another trainee's sandbox; and the sentence.
OUTSIDERS = {
    "job": (
        lambda staff_user: Actor.job("sweep"),
        Code.NOT_ALLOWED_FOR_ACTOR,
        "Only support staff or the account owner can {label}.",
    ),
    "staff without a reason": (
        lambda staff_user: Actor.staff(staff_user),
        Code.REASON_REQUIRED,
        "Give a reason: every staff action is recorded with why it was taken.",
    ),
    "another trainee": (
        _stranger,
        Code.NOT_YOUR_SANDBOX,
        "This sandbox belongs to another trainee.",
    ),
}


@pytest.mark.parametrize("who", list(OUTSIDERS))
@pytest.mark.parametrize("action", list(STUDIO_ACTIONS))
def test_an_actor_outside_the_declaration_is_refused(trainee, staff_user, action, who):
    sandbox = world(trainee, BUSINESS)
    make, code, sentence = OUTSIDERS[who]
    actor = make(staff_user)
    before = _state(sandbox.account)
    refused_with(
        lambda: _calls(sandbox)[action](actor),
        code,
        sentence.format(label=Action(action).label.lower()),
        sandbox.account,
    )
    assert _state(sandbox.account) == before  # nothing changed but the refusal on the timeline
    assert latest(sandbox.account).actor_kind == actor.kind


@pytest.mark.parametrize("action", list(STUDIO_ACTIONS))
def test_staff_with_a_reason_may_act_and_the_reason_is_recorded(trainee, staff_user, action):
    sandbox = world(trainee, BUSINESS)
    _calls(sandbox)[action](Actor.staff(staff_user, reason="Trainee asked for help"))
    event = latest(sandbox.account)
    assert (event.action, event.outcome, event.actor_kind) == (action, Outcome.DONE, "staff")
    assert event.params["reason"] == "Trainee asked for help"
