"""A scenario's world is built through the services: history by moving the sandbox clock."""

from datetime import timedelta

import pytest
from django.urls import reverse

from lifecycle.errors import Code, LifecycleError
from lifecycle.models import DeletionRequest, TimelineEvent
from shops.models import Order, ShopLink
from tests.rulebook import rule
from training import moves, scenarios
from training.build import build_world

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _near(moment, expected, slack=timedelta(minutes=5)) -> bool:
    return abs(moment - expected) < slack


def test_link_ages_and_orders_are_placed_on_the_world_clock(trainee):
    built = build_world(scenarios.get("unlink-safely"), trainee=trainee)
    sandbox, now = built.sandbox, built.sandbox.now()
    assert sandbox.owner == trainee and sandbox.clock_offset >= 90 * DAY - timedelta(minutes=1)
    links = {link.shop.name: link for link in ShopLink.objects.filter(account=built.account)}
    assert _near(links["Juniper Goods"].linked_at, now - 90 * DAY)
    assert _near(links["Juniper Pop-up"].linked_at, now - 40 * DAY)
    assert built.account.account_type == "business" and built.account.category == "home_garden"
    placed = Order.objects.filter(account=built.account, shop__name="Juniper Pop-up")
    assert placed.count() == 4 and all(_near(o.placed_at, now - 12 * DAY) for o in placed)


def test_the_build_is_on_the_timeline_as_service_calls_before_the_baseline(trainee):
    built = build_world(scenarios.get("unlink-safely"), trainee=trainee)
    events = TimelineEvent.objects.filter(sandbox=built.sandbox).order_by("id")
    assert [e.action for e in events] == [
        "switch_type",
        "link_shop",
        "advance_clock",
        "link_shop",
        "advance_clock",
    ]
    assert built.baseline_event_id == events.last().pk


def test_unlink_history_is_made_by_unlinking_at_each_past_moment(trainee):
    built = build_world(scenarios.get("unlink-limits"), trainee=trainee)
    now = built.sandbox.now()
    links = ShopLink.objects.filter(shop__name="Juniper Pop-up").order_by("linked_at")
    ended = [link.unlinked_at for link in links if link.unlinked_at]
    assert len(links) == 4 and links.last().unlinked_at is None
    window = rule("UNLINK_WINDOW").days  # the file places them from the window's end
    for moment, days in zip(ended, (window - 20, window - 35, window - 50), strict=True):
        assert _near(moment, now - days * DAY)
    actions = TimelineEvent.objects.filter(sandbox=built.sandbox).values_list("action", flat=True)
    assert list(actions).count("unlink_shop") == 3 and list(actions).count("relink_shop") == 3


def test_a_support_world_belongs_to_a_seller_whose_deletion_is_scheduled(staff_user):
    built = build_world(scenarios.get("support-stop-deletion"), trainee=staff_user)
    assert built.owner != staff_user and built.sandbox.owner == built.owner
    request = DeletionRequest.objects.get(account=built.account)
    assert request.status == "scheduled" and built.account.status == "deletion_scheduled"
    assert _near(request.requested_at, built.sandbox.now() - 3 * DAY)
    assert built.owner.check_password(built.password)


def test_two_builds_for_one_trainee_get_two_sandboxes(trainee):
    scenario = scenarios.get("remove-app-access")
    first = build_world(scenario, trainee=trainee).sandbox
    second = build_world(scenario, trainee=trainee).sandbox
    assert first.name == "Remove a connected app's access · attempt 1"
    assert second.name == "Remove a connected app's access · attempt 2"


def test_the_world_clock_can_start_ahead_of_real_time(trainee):
    scenario = scenarios.get("remove-app-access")
    later = scenario.model_copy(
        update={"world": scenario.world.model_copy(update={"clock_days": 10})}
    )
    built = build_world(later, trainee=trainee)
    # 10 days ahead, then the 60 days since the shop was linked.
    assert built.sandbox.clock_offset >= 70 * DAY - timedelta(minutes=1)
    first = TimelineEvent.objects.filter(sandbox=built.sandbox).order_by("id").first()
    assert first.action == "advance_clock" and first.params["by_seconds"] == 10 * 86400


def test_support_attempts_are_named_by_trainee_and_attempt(staff_user, other_trainee):
    """Each support attempt's sandbox has a seller of its own: named by the agent who plays it and
    the attempt's number, the desk's search no longer lists identical rows (issue 23, item 5)."""
    from django.urls import reverse

    from tests.support_admin import client_for

    scenario = scenarios.get("support-stop-deletion")
    names = [build_world(scenario, trainee=staff_user).sandbox.name for _ in range(2)]
    assert names == [
        f"{scenario.title} · {staff_user.username} · attempt 1",
        f"{scenario.title} · {staff_user.username} · attempt 2",
    ]
    staff_user.is_superuser = True
    staff_user.save()
    html = client_for(staff_user).get(reverse("support:search"), {"q": "Maple Crafts"})
    assert all(name in html.content.decode() for name in names)


def test_the_worlds_past_is_the_scenarios_on_the_sandboxs_own_timeline(client, trainee):
    """Issue 21: the set-up steps showed the trainee as their actor on the Timeline page, as if
    the trainee had linked the shops and moved the clock before the attempt began."""
    scenario = scenarios.get("unlink-limits")
    built = build_world(scenario, trainee=trainee)
    events = TimelineEvent.objects.filter(sandbox=built.sandbox, id__lte=built.baseline_event_id)
    assert events.count() > 5
    assert set(events.values_list("actor_kind", "actor_label", "actor")) == {
        ("scenario", f"scenario: {scenario.title}", None)
    }
    client.force_login(trainee)
    page = client.get(reverse("timeline", args=[built.sandbox.pk])).content.decode()
    assert "Scenario set-up" in page and f"scenario: {scenario.title}" in page
    rows = page.split('id="timeline-rows"', 1)[1]
    assert "Scenario set-up" in rows and "Trainee<" not in rows
    # The trainee's own first move after the build is theirs again.
    moves.advance_clock(actor=moves.Actor.trainee(trainee), sandbox=built.sandbox, by=DAY)
    mine = TimelineEvent.objects.filter(sandbox=built.sandbox).latest("id")
    assert (mine.actor_kind, mine.actor_label) == ("trainee", trainee.username)


def test_the_scenario_acts_only_while_its_world_is_built(trainee):
    """Outside a build, the scenario's actor is refused, with its reason on the record."""
    built = build_world(scenarios.get("unlink-safely"), trainee=trainee)
    with pytest.raises(LifecycleError) as refused:
        moves.advance_clock(
            actor=moves.Actor.scenario("Unlink a shop safely"), sandbox=built.sandbox, by=DAY
        )
    assert refused.value.code == Code.NOT_ALLOWED_FOR_ACTOR
    assert refused.value.message == (
        "Only a scenario's set-up acts as the scenario, while its world is built."
    )
    assert TimelineEvent.objects.filter(sandbox=built.sandbox).latest("id").outcome == "refused"
