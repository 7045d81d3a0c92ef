"""Account Settings in a browser: unlink and relink a shop; switch the account type and back."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lifecycle.models import TimelineEvent
from lifecycle.transitions import Action
from shops.models import ShopLink

from .conftest import act

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _settings(page, seller, tab: str):
    """Open Account Settings from the side navigation, then one of its tabs."""
    nav = page.get_by_role("navigation", name="Seller Center")
    act(page, nav.get_by_role("link", name="Account Settings"))
    sandbox = seller.sandbox.pk
    act(page, page.get_by_role("link", name=tab, exact=True), path=_tab_url(tab, sandbox))


def _tab_url(tab: str, sandbox: int) -> str:
    name = {"Linked accounts": "linked_accounts", "Account type": "account_type"}[tab]
    return reverse(name, args=[sandbox])


def test_unlink_then_relink_a_shop_through_the_confirmation_dialog(signed_in, seller):
    page = signed_in
    shop = seller.shop_links.get(unlinked_at__isnull=True).shop
    _settings(page, seller, "Linked accounts")
    row = page.get_by_role("row", name=re.compile(re.escape(shop.name)))
    expect(row).to_contain_text("Linked")
    expect(row).to_contain_text("0 of 3")

    act(page, row.get_by_role("link", name=re.compile("^Unlink")))
    dialog = page.locator("#confirm-dialog")
    expect(dialog.get_by_role("heading")).to_contain_text(f"Unlink {shop.name}")
    expect(dialog.get_by_test_id("consequences")).to_contain_text("analytics")
    expect(dialog.get_by_test_id("export-offer")).to_be_visible()  # no export in the last 7 days
    assert ShopLink.objects.filter(shop=shop, unlinked_at__isnull=True).exists()  # not yet

    act(
        page,
        dialog.get_by_role("button", name="Unlink shop"),
        path=_tab_url("Linked accounts", seller.sandbox.pk),
    )
    expect(page.get_by_role("alert").or_(page.locator("#messages"))).to_contain_text("unlinked")
    row = page.get_by_role("row", name=re.compile(re.escape(shop.name)))
    expect(row).to_contain_text("Not linked")
    expect(row).to_contain_text("1 of 3")
    assert not ShopLink.objects.filter(shop=shop, unlinked_at__isnull=True).exists()

    act(page, row.get_by_role("button", name=re.compile("^Relink")))
    row = page.get_by_role("row", name=re.compile(re.escape(shop.name)))
    expect(row).to_contain_text("Linked since")
    expect(row).to_contain_text("1 of 3")
    assert ShopLink.objects.get(shop=shop, unlinked_at__isnull=True).account == seller
    actions = list(TimelineEvent.objects.order_by("id").values_list("action", "outcome"))
    assert actions[-2:] == [(Action.UNLINK_SHOP, "done"), (Action.RELINK_SHOP, "done")]


def test_switch_to_business_with_a_category_and_back(signed_in, seller):
    from accounts.types import AccountType
    from lifecycle.services import Actor, switch_account_type

    switch_account_type(
        actor=Actor.trainee(seller.sandbox.owner), account=seller, account_type=AccountType.PERSONAL
    )
    page = signed_in
    _settings(page, seller, "Account type")
    comparison = page.get_by_test_id("type-comparison")
    business = comparison.locator(".card", has=page.get_by_role("heading", name="Business"))
    expect(business).to_contain_text("Ad campaigns")
    expect(business).to_contain_text("Full music library")  # what is lost, named before

    page.get_by_role("radio", name="Business").check()
    page.get_by_role("combobox", name=re.compile("Category")).select_option(label="Fitness")
    act(page, page.get_by_role("button", name="Confirm the switch"))
    expect(page.get_by_test_id("account-type")).to_have_text("Business · Fitness")
    seller.refresh_from_db()
    assert (seller.account_type, seller.category) == ("business", "fitness")

    page.get_by_role("radio", name="Personal").check()
    page.get_by_role("combobox", name=re.compile("Category")).select_option("")
    act(page, page.get_by_role("button", name="Confirm the switch"))
    expect(page.get_by_test_id("account-type")).to_have_text("Personal")
    seller.refresh_from_db()
    assert (seller.account_type, seller.category) == ("personal", "")
    switches = TimelineEvent.objects.filter(action=Action.SWITCH_TYPE, outcome="done")
    assert [(e.before, e.after) for e in switches.order_by("id")] == [
        ("business", "personal"),
        ("personal", "business"),
        ("business", "personal"),
    ]


def test_unlink_from_profile_shop_settings_shows_on_linked_accounts_and_timeline(signed_in, seller):
    page = signed_in
    sandbox = seller.sandbox.pk
    shop = seller.shop_links.get(unlinked_at__isnull=True).shop
    page.get_by_role("button", name=seller.sandbox.owner.username).click()  # the user menu
    act(page, page.get_by_role("link", name="Profile"), path=reverse("profile", args=[sandbox]))
    shop_settings = page.get_by_role("region", name="Shop Settings")
    row = shop_settings.get_by_role("row", name=re.compile(re.escape(shop.name)))
    expect(row).to_contain_text("Linked since")

    act(
        page,
        row.get_by_role("link", name=re.compile("^Unlink")),
        path=reverse("unlink_shop", args=[sandbox, shop.pk]),
    )
    dialog = page.locator("#confirm-dialog")
    expect(dialog.get_by_role("heading")).to_contain_text(f"Unlink {shop.name}")
    keep = dialog.get_by_role("link", name="Keep things as they are")
    expect(keep).to_have_attribute("href", reverse("profile", args=[sandbox]))
    assert ShopLink.objects.filter(shop=shop, unlinked_at__isnull=True).exists()  # not yet

    act(
        page,
        dialog.get_by_role("button", name="Unlink shop"),
        path=reverse("profile", args=[sandbox]),  # back where the unlink started
    )
    expect(page.locator("#messages")).to_contain_text(f"{shop.name} is unlinked")
    row = shop_settings.get_by_role("row", name=re.compile(re.escape(shop.name)))
    expect(row).to_contain_text("Not linked")
    assert not ShopLink.objects.filter(shop=shop, unlinked_at__isnull=True).exists()

    # The other way in shows the same state at once.
    _settings(page, seller, "Linked accounts")
    row = page.get_by_role("row", name=re.compile(re.escape(shop.name)))
    expect(row).to_contain_text("Not linked")
    expect(row).to_contain_text("1 of 3")
    expect(row.get_by_role("button", name=re.compile("^Relink"))).to_be_visible()

    nav = page.get_by_role("navigation", name="Seller Center")
    act(page, nav.get_by_role("link", name="Timeline"), path=reverse("timeline", args=[sandbox]))
    newest = page.locator("#timeline-rows tbody tr").first
    expect(newest).to_contain_text("Unlink shop")
    expect(newest).to_contain_text(shop.name)
    expect(newest).to_contain_text("Done")
    event = TimelineEvent.objects.filter(account=seller).order_by("id").last()
    assert (event.action, event.outcome) == (Action.UNLINK_SHOP, "done")
