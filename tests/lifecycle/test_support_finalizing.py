"""A clock move (or due work) that finalizes a deletion is a danger confirmation naming the
account(s) and what is removed; a bulk move over two finalizing sandboxes says "one at a time"
on the preview itself (issue 23, item 6). The preview's breadcrumb leads back to the case."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AccountStatus
from lifecycle.services import (
    Actor,
    advance_clock,
    confirm_deletion,
    deletion_token,
    request_deletion,
    send_deletion_confirmation,
)
from tests.lifecycle.helpers import SWEEP
from tests.lifecycle.jobs_helpers import ready_for_deletion
from tests.support_admin import post_action
from tests.test_page_text import visible_text
from tests.web import demo

PASSWORD = "correct-horse-9"
SANDBOX = "accounts.sandbox"


@pytest.fixture(autouse=True)
def _no_real_queue(queue):
    """Exports are requested without a broker."""


def finalizes_within_a_day(account, password: str = PASSWORD):
    """The account's deletion is confirmed and finalizes within the next sandbox day."""
    ready_for_deletion(account)
    actor = Actor.trainee(account.sandbox.owner)
    request = request_deletion(actor=actor, account=account, password=password, acknowledged=True)
    send_deletion_confirmation(actor=SWEEP, request=request)
    confirm_deletion(actor=actor, token=deletion_token(request), sandbox=account.sandbox)
    advance_clock(actor=SWEEP, sandbox=account.sandbox, by=timedelta(days=29, hours=12))
    return account


def almost_finalized(owner, name):
    sandbox = demo(owner, name=name, orders=3)
    finalizes_within_a_day(sandbox.account)
    return sandbox


def test_a_finalizing_move_is_a_danger_confirmation_naming_the_account_and_what_goes(lead, trainee):
    sandbox = almost_finalized(trainee, "Going")
    seller = sandbox.account
    html = post_action(lead, SANDBOX, "advance_one_day", [sandbox]).content.decode()
    text = visible_text(html)
    assert "This deletes a seller account for good" in text
    assert f"{seller.display_name} (Seller account #{seller.pk}" in text
    assert "3 orders with their lines and addresses" in text
    assert "support-danger" in html  # the button is the danger one, not the ordinary blue
    assert f"and delete {escape(seller.display_name)} for good" in html


def test_a_move_that_finalizes_nothing_is_no_danger(lead, trainee):
    sandbox = demo(trainee, name="Calm")
    html = post_action(lead, SANDBOX, "advance_one_day", [sandbox]).content.decode()
    assert "for good" not in visible_text(html) and "support-danger" not in html


def test_a_bulk_move_over_two_finalizing_sandboxes_says_one_at_a_time_on_the_preview(lead, trainee):
    first, second = almost_finalized(trainee, "One"), almost_finalized(trainee, "Two")
    html = post_action(lead, SANDBOX, "advance_one_day", [first, second]).content.decode()
    text = visible_text(html)
    assert "select one sandbox at a time" in text
    assert first.account.display_name in text and second.account.display_name in text
    assert 'name="typed_name"' not in html and 'name="confirm"' not in html  # no way on
    for sandbox in (first, second):
        sandbox.account.refresh_from_db()
        assert sandbox.account.status == AccountStatus.DELETION_SCHEDULED


def test_run_what_is_due_over_an_overdue_deletion_is_the_same_danger(lead, trainee):
    sandbox = almost_finalized(trainee, "Overdue")
    advance_clock(actor=SWEEP, sandbox=sandbox, by=timedelta(days=1))  # due, not yet swept
    html = post_action(lead, SANDBOX, "run_due_work_now", [sandbox]).content.decode()
    assert "This deletes a seller account for good" in visible_text(html)


def test_the_preview_started_from_the_case_leads_back_to_the_case(lead, trainee):
    sandbox = demo(trainee, name="Crumbs")
    case = reverse("support:case", args=[sandbox.account.pk])
    html = post_action(lead, SANDBOX, "advance_one_day", [sandbox], _next=case).content.decode()
    crumbs = html.split('class="breadcrumbs"')[1].split("</div>")[0]
    assert f'href="{case}"' in crumbs and "Case: " in crumbs
    assert reverse("admin:accounts_sandbox_changelist") not in crumbs


def _clock_buttons(lead, account) -> dict[str, str]:
    """The case page's clock buttons: label to the markup of its form."""
    forms = _case_html(lead, account).split('<form method="post" action="')
    return {
        label: form
        for form in forms
        for label in ("+1 day…", "+7 days…", "To the next event…")
        if f">{label}</button>" in form
    }


def _case_html(lead, account) -> str:
    return lead.get(reverse("support:case", args=[account.pk])).content.decode()


def test_the_case_page_s_finalizing_clock_buttons_are_danger_ones(lead, trainee):
    """The buttons, not only their preview, say which move finalizes (issue 23, item 20)."""
    sandbox = almost_finalized(trainee, "Going")
    buttons = _clock_buttons(lead, sandbox.account)
    assert set(buttons) == {"+1 day…", "+7 days…", "To the next event…"}
    for label, form in buttons.items():
        assert 'class="button support-danger"' in form, label
        assert "finalizes a deletion" in form, label
    page = visible_text(_case_html(lead, sandbox.account))
    assert f"A move in red finalizes the deletion of {sandbox.account.display_name}" in page


def test_the_case_page_s_clock_buttons_are_ordinary_while_nothing_finalizes(lead, trainee):
    sandbox = demo(trainee, name="Staying", orders=3)
    ready_for_deletion(sandbox.account)
    actor = Actor.trainee(trainee)
    request = request_deletion(
        actor=actor, account=sandbox.account, password=PASSWORD, acknowledged=True
    )
    send_deletion_confirmation(actor=SWEEP, request=request)
    confirm_deletion(actor=actor, token=deletion_token(request), sandbox=sandbox)
    # Finalizes in 30 days: within none of the moves but the next event's, if that is it.
    buttons = _clock_buttons(lead, sandbox.account)
    assert "support-danger" not in buttons["+1 day…"]
    assert "support-danger" not in buttons["+7 days…"]
    assert "finalizes a deletion" not in buttons["+7 days…"]
    page = visible_text(_case_html(lead, sandbox.account))
    assert "A move in red finalizes" not in page
