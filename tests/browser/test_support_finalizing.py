"""In a real browser: a clock move that finalizes a deletion is a danger confirmation naming the
account and what goes (issue 23, item 6), and the case timeline's pager passes axe-core's
link-in-text-block (item 7)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import DESKTOP, PASSWORD, act, visit
from .test_support_desk import admin_log_in, agent  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def finalizing(seller):
    """The seller's deletion is confirmed and finalizes within the next sandbox day."""
    from tests.lifecycle.test_support_finalizing import finalizes_within_a_day

    return finalizes_within_a_day(seller, PASSWORD)


def test_a_finalizing_clock_move_is_a_danger_confirmation(new_page, agent, finalizing):  # noqa: F811
    page = new_page(DESKTOP)
    admin_log_in(page, agent.username)
    case = reverse("support:case", args=[finalizing.pk])
    visit(page, case)
    act(page, page.get_by_role("button", name="+1 day…"))
    box = page.get_by_role("region", name="This deletes a seller account for good")
    expect(box).to_be_visible()
    expect(box).to_contain_text(f"{finalizing.display_name} (Seller account #{finalizing.pk}")
    expect(box).to_contain_text("orders with their lines and addresses")
    confirm = page.get_by_role("button", name=re.compile("and delete .* for good"))
    blue = page.locator("#searchbar, .button:not(.support-danger)").first
    assert confirm.evaluate("e => getComputedStyle(e).backgroundColor") != blue.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    page.get_by_label(re.compile("^Internal reason")).fill("The trainee asked to see the end")
    page.get_by_label(re.compile("^Type the account")).fill(finalizing.display_name)
    act(page, confirm, path=case)
    expect(page.get_by_text("Finalized").first).to_be_visible()


def test_the_case_timeline_pager_passes_axe(new_page, agent, seller):  # noqa: F811
    from lifecycle.services import Actor, advance_clock

    for _ in range(30):  # more events than one page of the case's timeline
        advance_clock(
            actor=Actor.trainee(seller.sandbox.owner), sandbox=seller.sandbox, by=timedelta(hours=1)
        )
    page = new_page(DESKTOP)
    admin_log_in(page, agent.username)
    visit(page, reverse("support:case", args=[seller.pk]))  # axe runs on every visit
    older = page.get_by_role("link", name="Older")
    expect(older).to_be_visible()
    act(page, older)
