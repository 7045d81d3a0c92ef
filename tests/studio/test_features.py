"""RULEBOOK §4 feature by feature and type by type: the service and the page allow or refuse,
with the same sentence; switching type and back hides and shows again, deleting nothing."""

from datetime import timedelta

import pytest
from django.utils.html import escape

from accounts.types import AccountType, Feature, feature_refusal
from editions import registry
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import TimelineEvent
from lifecycle.services import Actor, switch_account_type
from lifecycle.transitions import Action
from shops.services import create_campaign
from studio.models import LiveSession, ProductLink
from studio.selectors import audience_insights, content_insights, follower_insights
from studio.services import (
    add_product_link,
    cancel_live_session,
    pick_sound,
    remove_product_link,
    schedule_live_session,
)
from studio.sounds import LIBRARY
from tests.engine_guard import arranging
from tests.web import demo, url

PERSONAL, CREATOR, BUSINESS = AccountType.PERSONAL, AccountType.CREATOR, AccountType.BUSINESS
TYPES = [PERSONAL, CREATOR, BUSINESS]
UNCLEARED = next(s for s in LIBRARY if not s.commercial)
CLEARED = next(s for s in LIBRARY if s.commercial)


@pytest.fixture
def signed_in(client, trainee):
    client.force_login(trainee)
    return client


def world(trainee, account_type: str):
    """A demo sandbox (business) switched to `account_type` through the service."""
    sandbox = demo(trainee, rows=6)
    if account_type != BUSINESS:
        category = "art" if account_type == CREATOR else ""
        switch_account_type(
            actor=Actor.trainee(trainee),
            account=sandbox.account,
            account_type=account_type,
            category=category,
        )
    sandbox.account.refresh_from_db()
    return sandbox


def refused_with(call, code: Code, sentence: str, account) -> None:
    count = TimelineEvent.objects.filter(account=account).count()
    with pytest.raises(LifecycleError) as err:
        call()
    assert err.value.code == code and err.value.message == sentence
    event = TimelineEvent.objects.filter(account=account).first()
    assert TimelineEvent.objects.filter(account=account).count() == count + 1
    assert (event.outcome, event.code, event.message) == ("refused", code, sentence)


# --- Sounds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("account_type", TYPES)
def test_sounds_full_library_but_commercial_only_for_business(trainee, account_type):
    sandbox = world(trainee, account_type)
    actor = Actor.trainee(trainee)
    video = sandbox.account.videos.first()
    with arranging():  # no sound yet, so the first pick below changes it
        video.sound = ""
        video.save(update_fields=["sound"])
    pick_sound(actor=actor, video=video, sound=CLEARED.key)  # every type may
    video.refresh_from_db()
    assert video.sound == CLEARED.key
    if account_type == BUSINESS:
        sentence = (
            f"“{UNCLEARED.title}” is not cleared for commercial use, and a business account "
            "picks from commercial sounds only: choose a sound marked commercial."
        )
        refused_with(
            lambda: pick_sound(actor=actor, video=video, sound=UNCLEARED.key),
            Code.SOUND_NOT_COMMERCIAL,
            sentence,
            sandbox.account,
        )
        video.refresh_from_db()
        assert video.sound == CLEARED.key  # unchanged
    else:
        pick_sound(actor=actor, video=video, sound=UNCLEARED.key)
        video.refresh_from_db()
        assert video.sound == UNCLEARED.key
        event = TimelineEvent.objects.filter(action=Action.PICK_SOUND).first()
        assert (event.before, event.after) == (CLEARED.key, UNCLEARED.key)
        pick_sound(actor=actor, video=video, sound=UNCLEARED.key)  # a repeat is a no-op
        assert TimelineEvent.objects.filter(action=Action.PICK_SOUND).count() == 2


@pytest.mark.parametrize("account_type", TYPES)
def test_sound_library_page_locks_uncleared_sounds_for_business(signed_in, trainee, account_type):
    sandbox = world(trainee, account_type)
    video = sandbox.account.videos.first()
    body = signed_in.get(url("sounds", sandbox, query=f"video={video.pk}")).content.decode()
    reason = f"“{UNCLEARED.title}” is not cleared for commercial use"
    assert (escape(reason) in body) == (account_type == BUSINESS)
    assert ('data-testid="commercial-only"' in body) == (account_type == BUSINESS)
    response = signed_in.post(url("pick_sound", sandbox, video.pk), {"sound": UNCLEARED.key})
    assert response.status_code == (409 if account_type == BUSINESS else 302)


def test_an_unknown_sound_is_bad_input(signed_in, trainee):
    sandbox = world(trainee, CREATOR)
    video = sandbox.account.videos.first()
    with pytest.raises(LifecycleError) as err:
        pick_sound(actor=Actor.trainee(trainee), video=video, sound="no-such-sound")
    assert err.value.code == Code.UNKNOWN_SOUND


# --- Analytics (audience and content insights) ------------------------------------------------


@pytest.mark.parametrize("account_type", TYPES)
def test_insights_for_creator_and_business_only(signed_in, trainee, account_type):
    sandbox = world(trainee, account_type)
    account = sandbox.account
    body = signed_in.get(url("analytics", sandbox)).content.decode()
    if account_type == PERSONAL:
        sentence = feature_refusal(Feature.ANALYTICS, PERSONAL, edition=registry.default())
        assert sentence == (
            "Audience and content analytics come with a creator or business account; this one "
            "is personal: switch the account type first."
        )
        for read in (audience_insights, content_insights):
            with pytest.raises(LifecycleError) as err:
                read(account)
            assert err.value.message == sentence
        assert 'data-testid="insights-outline"' in body and escape(sentence) in body
        assert 'data-testid="audience-insights"' not in body
        assert "buyers ordered more than once" not in body  # the outline, not the figures
    else:
        assert audience_insights(account)["buyers"] >= 0
        assert len(content_insights(account)) == 5
        assert 'data-testid="audience-insights"' in body
        assert 'data-testid="content-insights"' in body
        assert 'data-testid="insights-outline"' not in body


# --- Audience tools -------------------------------------------------------------------------


@pytest.mark.parametrize("account_type", TYPES)
def test_audience_tools_for_creator_and_business_only(signed_in, trainee, account_type):
    sandbox = world(trainee, account_type)
    account, actor = sandbox.account, Actor.trainee(trainee)
    later = sandbox.now() + timedelta(days=2)
    body = signed_in.get(url("audience", sandbox)).content.decode()
    if account_type == PERSONAL:
        sentence = feature_refusal(Feature.AUDIENCE_TOOLS, PERSONAL, edition=registry.default())
        refused_with(
            lambda: schedule_live_session(
                actor=actor, account=account, title="Q&A", starts_at=later
            ),
            Code.FEATURE_NOT_IN_TYPE,
            sentence,
            account,
        )
        with pytest.raises(LifecycleError):
            follower_insights(account)
        assert escape(sentence) in body and 'data-testid="unlocks"' in body
        assert 'data-testid="follower-insights"' not in body
        response = signed_in.post(
            url("schedule_live", sandbox),
            {"title": "Q&A", "starts_at": later.strftime("%Y-%m-%dT%H:%M")},
        )
        assert response.status_code == 409
    else:
        assert 'data-testid="follower-insights"' in body
        assert follower_insights(account)["videos"] == 6
        session = schedule_live_session(actor=actor, account=account, title="Q&A", starts_at=later)
        assert session.status == "scheduled"
        cancel_live_session(actor=actor, session=session)
        session.refresh_from_db()
        assert session.status == "cancelled"
        actions = list(
            TimelineEvent.objects.filter(account=account)
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions[-2:] == [Action.SCHEDULE_LIVE, Action.CANCEL_LIVE]


def test_a_live_session_starts_after_the_sandbox_clock(trainee):
    sandbox = world(trainee, CREATOR)
    with pytest.raises(LifecycleError) as err:
        schedule_live_session(
            actor=Actor.trainee(trainee),
            account=sandbox.account,
            title="Too late",
            starts_at=sandbox.now() - timedelta(hours=1),
        )
    assert err.value.code == Code.LIVE_IN_THE_PAST and "pick a later time" in err.value.message


# --- Product links --------------------------------------------------------------------------


@pytest.mark.parametrize("account_type", TYPES)
def test_product_links_for_business_only(signed_in, trainee, account_type):
    sandbox = world(trainee, account_type)
    account, actor = sandbox.account, Actor.trainee(trainee)
    video = account.videos.last()  # the demo links the first three videos only
    product = account.products.first()
    body = signed_in.get(url("videos", sandbox)).content.decode()
    if account_type == BUSINESS:
        link = add_product_link(actor=actor, video=video, product=product)
        assert add_product_link(actor=actor, video=video, product=product) == link  # repeat
        assert 'data-testid="product-links"' in body and "Link product" in body
        remove_product_link(actor=actor, link=link)
        assert not ProductLink.objects.filter(pk=link.pk).exists()
    else:
        sentence = feature_refusal(Feature.PRODUCT_LINKS, account_type, edition=registry.default())
        assert sentence.startswith("Product links come with a business account; this one is")
        refused_with(
            lambda: add_product_link(actor=actor, video=video, product=product),
            Code.FEATURE_NOT_IN_TYPE,
            sentence,
            account,
        )
        assert escape(sentence) in body and 'data-testid="product-links"' not in body
        kept = ProductLink.objects.filter(video__account=account).first()
        refused_with(
            lambda: remove_product_link(actor=actor, link=kept),
            Code.FEATURE_NOT_IN_TYPE,
            sentence,
            account,
        )
        response = signed_in.post(
            url("add_product_link", sandbox, video.pk), {"product": product.pk}
        )
        assert response.status_code == 409


# --- Ad campaigns (as before) -----------------------------------------------------------------


@pytest.mark.parametrize("account_type", TYPES)
def test_ad_campaigns_for_business_only(trainee, account_type):
    sandbox = world(trainee, account_type)
    account = sandbox.account
    shop = account.shop_links.get(unlinked_at=None).shop
    make = lambda: create_campaign(  # noqa: E731
        actor=Actor.trainee(trainee), account=account, shop=shop, name="Drop", budget="10"
    )
    if account_type == BUSINESS:
        assert make().status == "draft"
    else:
        refused_with(
            make,
            Code.FEATURE_NOT_IN_TYPE,
            feature_refusal(Feature.AD_CAMPAIGNS, account_type, edition=registry.default()),
            account,
        )


# --- Switching and back -----------------------------------------------------------------------


def test_losing_business_hides_links_and_switching_back_shows_them_again(signed_in, trainee):
    sandbox = world(trainee, BUSINESS)
    account, actor = sandbox.account, Actor.trainee(trainee)
    links = set(ProductLink.objects.filter(video__account=account).values_list("pk", flat=True))
    assert len(links) == 6
    first = ProductLink.objects.select_related("product").get(pk=min(links))
    assert escape(first.product.title) in signed_in.get(url("videos", sandbox)).content.decode()

    confirm = signed_in.get(url("account_type", sandbox, query="type=personal")).content.decode()
    assert 'data-testid="switch-consequences"' in confirm
    assert "6 product links hidden, not deleted" in confirm
    assert "1 live session hidden, not cancelled" in confirm
    assert "1 active campaign paused" in confirm

    switch_account_type(actor=actor, account=account, account_type=PERSONAL)
    event = TimelineEvent.objects.filter(action=Action.SWITCH_TYPE).first()
    assert event.params["hidden_product_links"] == 6
    assert event.params["hidden_live_sessions"] == 1
    body = signed_in.get(url("videos", sandbox)).content.decode()
    assert 'data-testid="hidden-links"' in body and 'data-testid="product-links"' not in body
    assert (
        set(ProductLink.objects.filter(video__account=account).values_list("pk", flat=True))
        == links
    )
    assert LiveSession.objects.filter(account=account, status="scheduled").count() == 1
    timeline = signed_in.get(url("timeline", sandbox)).content.decode()
    assert "Business → Personal" in timeline and "6 product links hidden" in timeline

    confirm = signed_in.get(url("account_type", sandbox, query="type=business")).content.decode()
    assert "6 product links shown again" in confirm
    switch_account_type(actor=actor, account=account, account_type=BUSINESS, category="art")
    event = TimelineEvent.objects.filter(action=Action.SWITCH_TYPE).first()
    assert event.params["shown_product_links"] == 6
    body = signed_in.get(url("videos", sandbox)).content.decode()
    assert escape(first.product.title) in body and 'data-testid="hidden-links"' not in body
    audience = signed_in.get(url("audience", sandbox)).content.decode()
    assert "Live: studio questions and answers" in audience


def test_the_account_type_page_shows_the_matrix_with_the_current_column(signed_in, trainee):
    sandbox = world(trainee, CREATOR)
    response = signed_in.get(url("account_type", sandbox))
    matrix = response.context["matrix"]
    assert [t["current"] for t in matrix["types"]] == [False, True, False]
    cells = {row["area"].key: [c["text"] for c in row["cells"]] for row in matrix["rows"]}
    assert cells == {
        "sounds": ["Full library", "Full library", "Commercial sounds only"],
        "analytics": ["No", "Yes", "Yes"],
        "audience": ["No", "Yes", "Yes"],
        "product_links": ["No", "No", "Yes"],
        "ad_campaigns": ["No", "No", "Yes"],
    }
    body = response.content.decode()
    assert 'data-testid="feature-matrix"' in body and 'aria-current="true"' in body


def test_view_counts_are_written_with_thousands_separators(signed_in, trainee):
    sandbox = world(trainee, BUSINESS)
    video = sandbox.account.videos.first()
    with arranging():  # set-up: a video that did well
        type(video).objects.filter(pk=video.pk).update(views=18549)
    for name in ("videos", "analytics"):
        body = signed_in.get(url(name, sandbox)).content.decode()
        assert "18,549 views" in body and "18549" not in body, name
