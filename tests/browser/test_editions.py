"""The rules in force in a browser (issue 24, item 4): a refused control's "Why?" opens the rules
page of the sandbox's edition at the rule behind it, and the Help menu leads there too; axe-core
passes on each page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from shops.models import Shop
from tests.rulebook import hours_of

from .conftest import act, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_why_opens_the_rule_behind_a_refused_unlink(signed_in, seller):
    page = signed_in
    sandbox = seller.sandbox.pk
    linked = seller.shop_links.get(unlinked_at__isnull=True).shop
    spare = Shop.objects.filter(sandbox_id=sandbox).exclude(pk=linked.pk).first()
    visit(page, reverse("linked_accounts", args=[sandbox]))
    row = page.get_by_role("row", name=re.compile(re.escape(spare.name)))
    act(page, row.get_by_role("button", name=re.compile("^(Link|Relink)")))
    row = page.get_by_role("row", name=re.compile(re.escape(spare.name)))
    rules = reverse("edition_rules", args=[seller.sandbox.edition])
    act(page, row.get_by_role("link", name=re.compile("^Why?")), path=rules)
    assert page.url.endswith("#unlink-cooldown")
    rule = page.locator("#unlink-cooldown")
    expect(rule).to_contain_text(f"A shop can be unlinked only {hours_of('UNLINK_COOLDOWN')}")
    expect(rule).to_contain_text("A published platform rule (rulebook §3)")


def test_the_help_menu_and_the_top_bar_lead_to_the_rules_in_force(signed_in, seller):
    page = signed_in
    visit(page, reverse("dashboard", args=[seller.sandbox.pk]))
    rules = reverse("edition_rules", args=[seller.sandbox.edition])
    expect(page.get_by_test_id("edition")).to_have_text("Source article")
    page.get_by_role("button", name="Help").click()
    act(page, page.get_by_role("link", name="Rules in force: Source article"), path=rules)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The rules of the edition “Source article”"
    )
