"""The support admin in a real browser under the Content-Security-Policy: signing in, searching,
an action from the changelist's action bar (admin JavaScript), a staff button on a change page
(each through its preview and reason), and lifting a sign-in pause. The `page` fixture fails
the test on any CSP violation."""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import AccountStatus, User
from accounts.roles import ensure_support_group

from .conftest import PASSWORD, act, axe

pytestmark = pytest.mark.browser


@pytest.fixture
def agent(transactional_db) -> User:
    user = User.objects.create_user("helper", "helper@example.com", PASSWORD, is_staff=True)
    user.groups.add(ensure_support_group())
    return user


def admin_sign_in(page: Page, user: User) -> None:
    page.goto(reverse("admin:login"))
    axe(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    act(page, page.get_by_role("button", name="Log in"), path=reverse("admin:index"))


def test_support_staff_work_in_the_admin_under_the_policy(page, agent, seller):
    admin_sign_in(page, agent)
    act(
        page,
        page.get_by_role("link", name="Seller accounts", exact=True),
        path=reverse("admin:accounts_selleraccount_changelist"),
    )
    page.get_by_role("textbox", name=re.compile("search", re.I)).fill(seller.sandbox.name)
    act(page, page.get_by_role("button", name="Search"))
    expect(page.get_by_role("link", name=seller.display_name)).to_be_visible()

    # The action bar: tick the row, choose an action, Go (admin/js/actions.js); the action's
    # preview asks for a reason.
    page.locator("input.action-select").first.check()
    page.get_by_role("combobox", name="Action").select_option(value="deactivate")
    act(page, page.get_by_role("button", name="Go", exact=True))
    page.get_by_label(re.compile("^Internal reason")).fill("Checking the admin under the CSP")
    act(page, page.locator("input[type=submit]").first)
    expect(page.locator(".messagelist")).to_contain_text("deactivated")
    seller.refresh_from_db()
    assert seller.status == AccountStatus.DEACTIVATED

    # The change page's own staff button, styled from a static file, and its preview.
    act(
        page,
        page.get_by_role("link", name=seller.display_name),
        path=reverse("admin:accounts_selleraccount_change", args=[seller.pk]),
    )
    button = page.get_by_role("button", name=re.compile("^Reactivate"))
    assert button.evaluate("b => getComputedStyle(b).paddingTop") == "6.4px"  # .4rem
    act(page, button)
    page.get_by_label(re.compile("^Internal reason")).fill("Back to normal")
    act(page, page.locator("input[type=submit]").first)
    expect(page.locator(".messagelist")).to_contain_text("active")
    seller.refresh_from_db()
    assert seller.status == AccountStatus.ACTIVE


def test_support_staff_lift_a_sign_in_pause(page, agent, seller, client):
    owner = seller.sandbox.owner.username
    for _ in range(5):
        client.post(reverse("login"), {"username": owner, "password": "wrong"})
    assert AccessAttempt.objects.filter(username=owner).exists()
    admin_sign_in(page, agent)
    act(
        page,
        page.get_by_role("link", name="Access attempts", exact=True),
        path=reverse("admin:axes_accessattempt_changelist"),
    )
    page.locator("input.action-select").first.check()
    page.get_by_role("combobox", name="Action").select_option(value="delete_selected")
    act(page, page.get_by_role("button", name="Go", exact=True))
    act(page, page.get_by_role("button", name=re.compile("Yes, I.m sure")))
    assert not AccessAttempt.objects.filter(username=owner).exists()
