"""The first-visit tour in a real browser: it starts on its own, closing it is remembered for
the person, and the help menu brings it back."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from training.cohorts.models import TourState

from .conftest import log_in, shoot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_tour_starts_once_and_comes_back_from_the_help_menu(page, seller):
    owner = seller.sandbox.owner
    log_in(page, owner.username, tour=True)
    visit(page, reverse("dashboard", args=[seller.sandbox.pk]))
    popover = page.locator(".driver-popover")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("Welcome to your practice Seller Center")
    page.locator(".driver-popover-next-btn").click()
    expect(popover).to_contain_text("Account Settings holds the shop links")
    shoot(page, "tour-step")
    with page.expect_response(lambda r: r.url.endswith(reverse("tour_dismiss"))) as answer:
        page.locator(".driver-popover-close-btn").click()
    assert answer.value.status == 204
    expect(popover).to_have_count(0)
    assert TourState.objects.filter(person=owner).exists()

    visit(page, reverse("dashboard", args=[seller.sandbox.pk]))
    page.wait_for_timeout(300)  # time enough for a tour that would start on its own
    expect(popover).to_have_count(0)

    page.get_by_role("button", name="Help").click()
    page.get_by_role("button", name="Take the tour").click()
    expect(popover).to_be_visible()
    expect(popover).to_contain_text("Welcome")
    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)
    assert TourState.objects.filter(person=owner).count() == 1
