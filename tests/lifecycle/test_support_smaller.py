"""The support desk's smaller defects (issue 23, item 7), each as it was met."""

import pytest
from django.urls import reverse

from lifecycle.selectors.links import ShopLinkState
from lifecycle.services import Actor, cancel_deletion, fail_export, request_deletion, request_export
from tests.lifecycle.test_support_finalizing import _no_real_queue  # noqa: F401
from tests.support_admin import post_action
from tests.test_page_text import visible_text
from tests.web import demo

PASSWORD = "correct-horse-9"


@pytest.fixture
def sandbox(trainee):
    return demo(trainee, orders=0, campaigns=0)


def test_the_retry_form_does_not_mention_telling_the_seller(lead, sandbox):
    job = request_export(actor=Actor.trainee(sandbox.owner), account=sandbox.account)
    fail_export(actor=Actor.job("build_export"), export=job, reason="The disk was full.")
    html = post_action(lead, "lifecycle.exportjob", "retry_for_seller", [job]).content.decode()
    assert "tell" not in visible_text(html).lower() and 'name="tell_seller"' not in html


def test_unlinks_past_the_limit_never_read_4_of_3():
    state = ShopLinkState(
        shop=None,
        state="linked",
        link=None,
        ever_linked_here=True,
        unlinks_in_window=4,
        unlink_limit=3,
        window_days=180,
        next_unlink_at=None,
        can_unlink_now=False,
        actions=[],
    )
    assert "4 of 3" not in state.unlinks_used and "over the limit of 3" in state.unlinks_used
    assert ShopLinkState(**{**state.__dict__, "unlinks_in_window": 2}).unlinks_used == "2 of 3"


def test_an_export_failure_is_not_shown_as_done(client, trainee, sandbox, lead):
    job = request_export(actor=Actor.trainee(sandbox.owner), account=sandbox.account)
    fail_export(actor=Actor.job("build_export"), export=job, reason="The disk was full.")
    client.force_login(trainee)
    html = client.get(reverse("timeline", args=[sandbox.pk]) + "?action=export_failed")
    row = visible_text(html.content.decode()).rsplit("Export failed", 1)[1]
    assert row.split("The disk was full.")[0].strip().endswith("Failed")
    case = lead.get(reverse("support:case", args=[sandbox.account.pk]) + "?action=export_failed")
    assert "Failed" in visible_text(case.content.decode()).rsplit("Export failed", 1)[1][:80]


def test_the_deletion_card_says_what_happened_to_the_last_request(lead, trainee, sandbox):
    actor = Actor.trainee(trainee)
    request_deletion(actor=actor, account=sandbox.account, password=PASSWORD, acknowledged=True)
    cancel_deletion(actor=actor, account=sandbox.account)
    text = visible_text(
        lead.get(reverse("support:case", args=[sandbox.account.pk])).content.decode()
    )
    assert "cancelled on" in text and "(sandbox time): nothing was removed" in text
    assert "No open deletion request." not in text


def test_the_sandbox_list_says_which_times_are_real(lead, sandbox):
    text = visible_text(lead.get(reverse("admin:accounts_sandbox_changelist")).content.decode())
    assert "Created (real time)" in text and "Simulated now (sandbox time)" in text
