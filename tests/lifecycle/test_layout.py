"""The layout every Seller Center page shares, read in few queries: the schedule's one query
gives the clock's events and the deletion banner, and the layout is computed once a request."""

from unittest import mock

import pytest

from accounts.models import SellerAccount
from lifecycle import selectors
from lifecycle.services.clock import schedule
from tests.lifecycle.helpers import REQUESTED, build_world, drive_to
from tests.web import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(trainee):
    return build_world(trainee)


def test_the_schedule_gives_each_account_its_own_open_request_and_the_events(world):
    world = drive_to(world, REQUESTED)
    pending = world.latest_request()
    plan = schedule(world.sandbox)
    assert plan.events == [(pending.link_expires_at, "the deletion link expires")]
    banner = plan.open_requests[world.account.pk]
    assert (banner.pk, banner.status, banner.link_expires_at) == (
        pending.pk,
        "pending",
        pending.link_expires_at,
    )
    assert banner.get_status_display() == pending.get_status_display()
    # A field the query did not read loads on access, correct rather than blank.
    assert banner.nonce == pending.nonce


def test_an_account_without_a_request_gets_no_banner_from_a_neighbours(world):
    """Two accounts in one sandbox: the page shows the primary one's request only."""
    second = SellerAccount.objects.create(sandbox=world.sandbox, display_name="Second")
    drive_to(world, REQUESTED)
    plan = schedule(world.sandbox)
    assert second.pk not in plan.open_requests
    assert selectors.layout_context(world.owner, world.sandbox, second)["open_deletion"] is None


def test_the_layout_is_computed_once_per_request(world, client):
    """The close page reads the open request from the layout the context processor uses."""
    drive_to(world, REQUESTED)
    client.force_login(world.owner)
    with mock.patch(
        "lifecycle.selectors.layout.schedule", side_effect=schedule, autospec=True
    ) as spy:
        response = client.get(url("close_account", world.sandbox))
    assert response.status_code == 200
    assert spy.call_count == 1
    assert response.context["request_open"].pk == world.latest_request().pk
    assert (
        b"A deletion request is already open (waiting for email confirmation)" in response.content
    )


def test_the_close_page_partial_still_reads_the_open_request(world, client):
    """A targeted htmx swap has no layout: the view asks for the request itself."""
    drive_to(world, REQUESTED)
    client.force_login(world.owner)
    response = client.get(url("close_account", world.sandbox), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["request_open"].pk == world.latest_request().pk
    assert "my_sandboxes" not in response.context


def test_a_sandbox_page_of_another_owner_or_without_an_account_is_404(world, client, other_trainee):
    client.force_login(other_trainee)
    assert client.get(url("dashboard", world.sandbox)).status_code == 404
    client.force_login(world.owner)
    world.account.delete()
    assert client.get(url("dashboard", world.sandbox)).status_code == 404
