""" "Choose personal" in a browser (issue 8, item 6): from a creator account with a category, the
comparison card's button opens the switch form ready to send, and "Confirm the switch" works."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import SellerAccount
from lifecycle.services import Actor, switch_account_type

from .conftest import act, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choose_personal_then_confirm_the_switch(signed_in, seller):
    switch_account_type(
        actor=Actor.trainee(seller.sandbox.owner),
        account=seller,
        account_type="creator",
        category="art",
    )
    page = signed_in
    visit(page, reverse("account_type", args=[seller.sandbox.pk]))
    personal = page.get_by_test_id("type-comparison").locator(
        ".card", has=page.get_by_role("heading", name="Personal")
    )
    act(page, personal.get_by_role("link", name="Choose personal"))
    expect(page.get_by_role("radio", name="Personal")).to_be_checked()
    expect(page.get_by_role("combobox", name=re.compile("Category"))).to_have_value("")

    act(page, page.get_by_role("button", name="Confirm the switch"))
    expect(page.locator("#messages")).to_contain_text("The account is now personal")
    expect(page.get_by_test_id("account-type")).to_have_text("Personal")
    account = SellerAccount.objects.get(pk=seller.pk)
    assert (account.account_type, account.category) == ("personal", "")
