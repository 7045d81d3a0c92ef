"""Controls that can only be refused are shown disabled, with the reason (issue 8, item 10).

The offer is asked of the declared transition's guards (`lifecycle.core.offer`), so its reason is
the very sentence the action answers with; the action still refuses when sent, and the refusal is
on the timeline. Each offer is tested refused and allowed.
"""

import re
from datetime import timedelta

import pytest
from django.utils.html import escape

from lifecycle.conf import setting
from lifecycle.errors import Code, LifecycleError
from lifecycle.exporting import build_export
from lifecycle.models import ExportJob, Outcome, TimelineEvent
from lifecycle.selectors import deletion_offer, export_offer, unlink_offer
from lifecycle.services import (
    Actor,
    advance_clock,
    fail_export,
    link_shop,
    request_deletion,
    request_export,
    resend_export,
    start_export,
    unlink_shop,
)
from lifecycle.transitions import Action
from shops.models import OrderStatus
from tests.engine_guard import arranging
from tests.rulebook import rule
from tests.shops.factories import OrderFactory
from tests.web import url

from .helpers import PASSWORD
from .jobs_helpers import SWEEP
from .test_export_recovery import silence

pytestmark = pytest.mark.usefixtures("own_media", "queue")

HOUR = timedelta(hours=1)


def move(world, by: timedelta) -> None:
    advance_clock(actor=world.actor, sandbox=world.sandbox, by=by)
    world.refresh()


def refusal_of(call) -> LifecycleError:
    with pytest.raises(LifecycleError) as refused:
        call()
    return refused.value


def unlink(world, shop):
    return unlink_shop(actor=world.actor, account=world.account, shop=shop, confirmed=True)


def the_unlink_offer(world, shop):
    world.refresh()
    return unlink_offer(world.account, shop, shop.live_link())


# --- Unlink: the 24-hour cool-down and the 3-in-180-days limit ---------------------------------


def test_unlink_during_the_cooldown_is_offered_refused_with_the_refusals_sentence(world):
    link = link_shop(actor=world.actor, account=world.account, shop=world.spare)
    offered = the_unlink_offer(world, world.spare)
    assert not offered.enabled and offered.code == Code.UNLINK_TOO_SOON
    assert offered.changes_at == link.linked_at + rule("UNLINK_COOLDOWN")

    err = refusal_of(lambda: unlink(world, world.spare))
    assert (err.code, err.message) == (Code.UNLINK_TOO_SOON, offered.reason)
    assert err.details["next_allowed_at"] == offered.changes_at

    move(world, rule("UNLINK_COOLDOWN") + HOUR)
    assert the_unlink_offer(world, world.spare).enabled


def test_unlink_at_the_limit_is_offered_refused_until_the_oldest_unlink_ages_out(world):
    shop = world.spare
    for _ in range(rule("UNLINK_LIMIT")):
        link_shop(actor=world.actor, account=world.account, shop=shop)
        move(world, rule("UNLINK_COOLDOWN") + HOUR)
        unlink(world, shop)
    link_shop(actor=world.actor, account=world.account, shop=shop)
    move(world, rule("UNLINK_COOLDOWN") + HOUR)
    offered = the_unlink_offer(world, shop)
    assert not offered.enabled and offered.code == Code.UNLINK_LIMIT_REACHED
    err = refusal_of(lambda: unlink(world, shop))
    assert (err.code, err.message) == (Code.UNLINK_LIMIT_REACHED, offered.reason)
    assert err.details["next_allowed_at"] == offered.changes_at

    move(world, offered.changes_at - world.sandbox.now() + HOUR)
    assert the_unlink_offer(world, shop).enabled


def test_an_unlink_offer_does_not_ask_for_the_confirmation_the_next_step_asks(world):
    offered = the_unlink_offer(world, world.shop)
    assert offered.enabled and offered.reason == ""
    err = refusal_of(
        lambda: unlink_shop(
            actor=world.actor, account=world.account, shop=world.shop, confirmed=False
        )
    )
    assert err.code == Code.CONFIRMATION_REQUIRED  # the action still asks for it


# --- Export my data: one in flight, one new per 24 hours ---------------------------------------


def test_export_offer_refused_in_flight_then_during_the_cooldown_then_allowed(world):
    assert export_offer(world.account).enabled
    queued = request_export(actor=world.actor, account=world.account)
    offered = export_offer(world.account)
    assert offered.code == Code.EXPORT_IN_FLIGHT and offered.changes_at is None
    err = refusal_of(lambda: request_export(actor=world.actor, account=world.account))
    assert err.message == offered.reason

    build_export(queued.pk)
    offered = export_offer(world.account)
    assert offered.code == Code.EXPORT_TOO_SOON
    assert offered.changes_at == queued.requested_at + rule("EXPORT_COOLDOWN")
    err = refusal_of(lambda: request_export(actor=world.actor, account=world.account))
    assert (err.code, err.message) == (Code.EXPORT_TOO_SOON, offered.reason)

    move(world, rule("EXPORT_COOLDOWN") + HOUR)
    assert export_offer(world.account).enabled


# --- Request deletion: blocked by orders awaiting shipment and running campaigns ---------------


def awaiting_order(world):
    with arranging():  # set-up: an order placed by a customer, not an action of the seller
        return OrderFactory(
            account=world.account, shop=world.shop, status=OrderStatus.AWAITING_SHIPMENT
        )


def test_deletion_offer_refused_while_an_order_awaits_shipment(world):
    assert deletion_offer(world.account).enabled  # the password and the tick are the form's
    order = awaiting_order(world)
    offered = deletion_offer(world.account)
    assert offered.code == Code.ORDERS_AWAITING_SHIPMENT and f"#{order.number}" in offered.reason
    err = refusal_of(
        lambda: request_deletion(
            actor=world.actor, account=world.account, password=PASSWORD, acknowledged=True
        )
    )
    assert (err.code, err.message) == (Code.ORDERS_AWAITING_SHIPMENT, offered.reason)


# --- The pages: a disabled control, its reason beside it, the refusal still on the timeline ----


def described_control(html: str, label: str) -> str:
    """The text of the element a disabled control named `label` is described by."""
    button = re.search(
        rf'<button[^>]*disabled[^>]*aria-describedby="([^"]+)"[^>]*>{re.escape(label)}</button>',
        html,
    )
    assert button, f"no disabled {label!r} control described by its reason"
    reason = re.search(rf'id="{button.group(1)}"[^>]*>(.*?)</p>', html, re.S)
    assert reason, f"the reason {button.group(1)!r} of {label!r} is not on the page"
    return re.sub(r"<[^>]+>", "", reason.group(1))


def last_refusal(world, action: str) -> TimelineEvent:
    return TimelineEvent.objects.filter(sandbox=world.sandbox, action=action).latest("id")


@pytest.mark.parametrize("page", ["linked_accounts", "profile"])
def test_the_unlink_control_is_disabled_during_the_cooldown(signed_in, world, page):
    link_shop(actor=world.actor, account=world.account, shop=world.spare)
    offered = the_unlink_offer(world, world.spare)
    html = signed_in.get(url(page, world.sandbox)).content.decode()
    assert escape(offered.reason) in described_control(html, "Unlink…")
    assert "Possible again in 1 day." in described_control(html, "Unlink…")
    # The shop that may be unlinked keeps its link to the confirmation step.
    assert url("unlink_shop", world.sandbox, world.shop.pk) in html

    posted = signed_in.post(url("unlink_shop", world.sandbox, world.spare.pk), {"confirmed": "1"})
    assert posted.status_code == 409
    refused = last_refusal(world, Action.UNLINK_SHOP)
    assert (refused.outcome, refused.code) == (Outcome.REFUSED, Code.UNLINK_TOO_SOON)


def test_export_my_data_is_disabled_during_its_cooldown(signed_in, world):
    build_export(request_export(actor=world.actor, account=world.account).pk)
    offered = export_offer(world.account)
    html = signed_in.get(url("exports", world.sandbox)).content.decode()
    assert escape(offered.reason) in described_control(html, "Export my data")
    assert 'action="' + url("request_export", world.sandbox) not in html

    posted = signed_in.post(url("request_export", world.sandbox))
    assert posted.status_code == 409
    refused = last_refusal(world, Action.REQUEST_EXPORT)
    assert (refused.outcome, refused.code) == (Outcome.REFUSED, Code.EXPORT_TOO_SOON)


def test_export_my_data_is_a_button_when_allowed(signed_in, world):
    html = signed_in.get(url("exports", world.sandbox)).content.decode()
    assert 'action="' + url("request_export", world.sandbox) in html
    assert 'data-testid="refused-control"' not in html


def test_request_deletion_is_disabled_while_blocked(signed_in, world):
    awaiting_order(world)
    offered = deletion_offer(world.account)
    html = signed_in.get(url("close_account", world.sandbox)).content.decode()
    assert escape(offered.reason) in described_control(html, "Request deletion")

    posted = signed_in.post(
        url("request_deletion", world.sandbox), {"password": PASSWORD, "acknowledged": "on"}
    )
    assert posted.status_code == 409
    refused = last_refusal(world, Action.REQUEST_DELETION)
    assert (refused.outcome, refused.code) == (Outcome.REFUSED, Code.ORDERS_AWAITING_SHIPMENT)


def test_request_deletion_is_a_button_when_nothing_blocks(signed_in, world):
    html = signed_in.get(url("close_account", world.sandbox)).content.decode()
    assert re.search(
        r'<button class="btn btn-danger" type="submit">Request deletion</button>', html
    )
    assert 'data-testid="refused-control"' not in html


def test_the_map_offers_the_status_actions_asked_of_their_guards(world):
    from lifecycle.selectors import available_actions
    from lifecycle.services import confirm_deletion

    from .helpers import REQUESTED_EXPIRED, drive_to

    drive_to(world, REQUESTED_EXPIRED)  # the link expired; the sweep has not lapsed it yet
    actions = {a.transition.action: a for a in available_actions(world.account)}
    assert actions[Action.CANCEL_DELETION].enabled
    confirm = actions[Action.CONFIRM_DELETION]
    assert not confirm.enabled
    err = refusal_of(lambda: confirm_deletion(actor=world.actor, token=world.token()))
    assert (err.code, err.message) == (Code.TOKEN_EXPIRED, confirm.reason)


def test_the_unlink_confirmation_step_shows_the_refusal_instead_of_a_live_button(signed_in, world):
    link_shop(actor=world.actor, account=world.account, shop=world.spare)
    offered = the_unlink_offer(world, world.spare)
    html = signed_in.get(url("unlink_shop", world.sandbox, world.spare.pk)).content.decode()
    assert escape(offered.reason) in described_control(html, "Unlink shop")
    assert '<button class="btn btn-danger ms-auto" type="submit">' not in html
    allowed = signed_in.get(url("unlink_shop", world.sandbox, world.shop.pk)).content.decode()
    assert '<button class="btn btn-danger ms-auto" type="submit">Unlink shop</button>' in allowed


def test_a_finished_export_row_also_updates_the_export_control(signed_in, world):
    """The polled row of an export that finished carries the control out of band: the button
    disabled while it was prepared now gives the cool-down's reason, without a reload."""
    job = request_export(actor=world.actor, account=world.account)
    polled = {"HTTP_HX_REQUEST": "true"}
    running = signed_in.get(url("export_job", world.sandbox, job.pk), **polled).content.decode()
    assert "new-export-control" not in running
    build_export(job.pk)
    done = signed_in.get(url("export_job", world.sandbox, job.pk), **polled).content.decode()
    assert '<div id="new-export-control" data-hx-swap-oob="true">' in done
    assert escape(export_offer(world.account).reason) in described_control(done, "Export my data")


def failed_export(world):
    job = request_export(actor=world.actor, account=world.account)
    fail_export(actor=Actor.job("sweep"), export=job, reason="The builder stopped.")
    return job


def test_retry_is_disabled_while_another_export_is_in_flight(signed_in, world):
    failed = failed_export(world)
    with arranging():  # set-up: a second export in flight beside the failed one
        other = ExportJob.objects.create(account=world.account, requested_at=world.sandbox.now())
    html = signed_in.get(url("exports", world.sandbox)).content.decode()
    reason = described_control(html, "Retry")
    assert f"Export #{other.number} is being prepared: wait for it to finish first." in reason
    assert 'action="' + url("retry_export", world.sandbox, failed.pk) not in html

    posted = signed_in.post(url("retry_export", world.sandbox, failed.pk))
    assert posted.status_code == 409
    refused = last_refusal(world, Action.RETRY_EXPORT)
    assert (refused.outcome, refused.code) == (Outcome.REFUSED, Code.EXPORT_IN_FLIGHT)


def test_retry_is_a_button_when_allowed(signed_in, world):
    failed = failed_export(world)
    html = signed_in.get(url("exports", world.sandbox)).content.decode()
    assert 'action="' + url("retry_export", world.sandbox, failed.pk) in html


def test_an_export_sent_again_says_why_it_is_queued_again(signed_in, world):
    job = request_export(actor=world.actor, account=world.account)
    html = signed_in.get(url("exports", world.sandbox)).content.decode()
    assert "sent again" not in html
    # Its builder started, then fell silent; the sweep's own resend says why (on its event).
    start_export(export=job)
    silence(job)
    resend_export(actor=SWEEP, export=job)
    html = signed_in.get(url("export_job", world.sandbox, job.pk)).content.decode()
    limit = setting("EXPORT_MAX_RESENDS")
    assert (
        f"The background job building it stopped, so it was sent again (1 of {limit}): "
        "it finishes by itself." in html
    )


def test_the_polled_export_control_says_when_it_changes_as_the_page_does(signed_in, world):
    """The control swapped in out of band names the time the cool-down ends, as on a reload."""
    job = request_export(actor=world.actor, account=world.account)
    build_export(job.pk)
    page = signed_in.get(url("exports", world.sandbox)).content.decode()
    polled = signed_in.get(url("export_job", world.sandbox, job.pk), HTTP_HX_REQUEST="true")
    assert "Possible again in 1 day." in described_control(page, "Export my data")
    assert "Possible again in 1 day." in described_control(
        polled.content.decode(), "Export my data"
    )
