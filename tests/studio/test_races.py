"""Two real threads on PostgreSQL act on one video or session at once (RULEBOOK §9).

The studio's services lock the account first, then the video or session, as every service does,
so the second waits for the first and then meets its result: a repeat changes nothing and writes
no event, and the done events chain.
"""

import pytest

from lifecycle.errors import LifecycleError
from lifecycle.models import Outcome, TimelineEvent
from lifecycle.services import Actor
from lifecycle.transitions import Action
from studio.models import ProductLink
from studio.services import add_product_link, cancel_live_session, pick_sound, remove_product_link
from studio.sounds import LIBRARY
from tests.lifecycle.test_races import assert_chain, race
from tests.studio.test_features import BUSINESS, world

pytestmark = pytest.mark.django_db(transaction=True)


def _done(account, action: str) -> list[TimelineEvent]:
    return list(
        TimelineEvent.objects.filter(account=account, action=action, outcome=Outcome.DONE).order_by(
            "id"
        )
    )


def test_the_same_studio_action_twice_at_once_is_applied_once(trainee):
    sandbox = world(trainee, BUSINESS)
    account, actor = sandbox.account, Actor.trainee(trainee)
    video = account.videos.filter(product_links=None).first()
    product = account.products.filter(shop=video.shop).first()

    first, second = race(
        lambda: add_product_link(actor=actor, video=video, product=product),
        lambda: add_product_link(actor=actor, video=video, product=product),
    )
    link = ProductLink.objects.get(video=video, product=product)
    assert first == second == link
    assert len(_done(account, Action.ADD_PRODUCT_LINK)) == 1

    assert race(
        lambda: remove_product_link(actor=actor, link=link.pk),
        lambda: remove_product_link(actor=actor, link=link.pk),
    ) == [None, None]
    assert not ProductLink.objects.filter(pk=link.pk).exists()
    assert len(_done(account, Action.REMOVE_PRODUCT_LINK)) == 1

    session = account.live_sessions.get()
    results = race(
        lambda: cancel_live_session(actor=actor, session=session.pk),
        lambda: cancel_live_session(actor=actor, session=session.pk),
    )
    assert [r.pk for r in results] == [session.pk, session.pk]
    assert len(_done(account, Action.CANCEL_LIVE)) == 1


def test_two_sounds_picked_at_once_chain_on_the_timeline(trainee):
    sandbox = world(trainee, BUSINESS)
    account, actor = sandbox.account, Actor.trainee(trainee)
    video = account.videos.first()
    start = video.sound
    one, two = [s.key for s in LIBRARY if s.commercial and s.key != start][:2]
    results = race(
        lambda: pick_sound(actor=actor, video=video, sound=one),
        lambda: pick_sound(actor=actor, video=video, sound=two),
    )
    assert not any(isinstance(r, LifecycleError) for r in results)
    video.refresh_from_db()
    done = _done(account, Action.PICK_SOUND)
    assert len(done) == 2 and video.sound in (one, two)
    assert_chain(done, start, video.sound)  # the second saw the first's sound as its "before"
