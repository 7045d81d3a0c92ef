"""Every Seller Center page at desktop and phone widths: no serious axe violation, nothing wider
than the screen, at phone width a header of at most 80 px, and a screenshot of each kept as a
test artifact (some also for the README)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, log_in, shoot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every page of the Seller Center that takes only the sandbox in its address.
MAIN_PAGES = [
    "dashboard",
    "products",
    "videos",
    "sounds",
    "orders",
    "customers",
    "campaigns",
    "analytics",
    "audience",
    "exports",
    "inbox",
    "timeline",
    "seller_profile",
    "linked_accounts",
    "account_type",
    "connected_apps",
    "close_or_pause",
    "profile",
    "close_account",
    "lifecycle_map",
]
README_PAGES = {"dashboard", "timeline", "account_type"}
HEADER_MAX_PX = 80  # at phone width: the header leaves the screen to the page


@pytest.fixture
def demo_account(transactional_db):
    """The full demo sandbox (200 orders), so the screenshots look like a working shop."""
    from accounts.models import User
    from lifecycle.demo import build_demo_sandbox

    from .conftest import PASSWORD

    user = User.objects.create_user("demo-trainee", "demo@example.com", PASSWORD)
    return build_demo_sandbox(owner=user, name="Demo shop").account


# The widest elements that stick out past the right edge of the screen, named for the report.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];  // sub-pixel rounding
  // Clipped by a scrolling ancestor, unless positioned out of it (absolute escapes a static one).
  const clipped = e => {
    let escaping = ['absolute', 'fixed'].includes(getComputedStyle(e).position);
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (escaping && style.position === 'static') continue;  // not its containing block
      if (style.overflowX !== 'visible') return true;
      escaping = ['absolute', 'fixed'].includes(style.position);
    }
    return false;
  };
  const out = e => e.getBoundingClientRect().right > width + 1 && !clipped(e);
  const found = [...document.body.querySelectorAll('*')].filter(out)
    .filter(e => ![...e.children].some(out)).slice(0, 3);
  if (!found.length) return [`the page (${document.documentElement.scrollWidth - width}px)`];
  return found.map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (typeof e.className === 'string' && e.className.trim() ?
        '.' + e.className.trim().split(/\\s+/).join('.') : '') +
      ` (${Math.round(e.getBoundingClientRect().right - width)}px)`);
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_main_pages_pass_axe_fit_the_screen_and_are_photographed(new_page, demo_account, viewport):
    page = new_page(viewport)
    log_in(page, demo_account.sandbox.owner.username)
    too_wide, too_tall = {}, {}
    for name in MAIN_PAGES:
        visit(page, reverse(name, args=[demo_account.sandbox.pk]))
        expect(page.locator("main h1").first).to_be_visible()
        shoot(page, name, docs=name in README_PAGES and viewport == DESKTOP)
        sticking_out = page.evaluate(OVERFLOW_JS)
        if sticking_out:
            too_wide[name] = sticking_out
        header = page.locator("body > header").bounding_box()
        assert header is not None and header["height"] > 30, name  # measured, not absent
        if viewport == PHONE and header["height"] > HEADER_MAX_PX:
            too_tall[name] = round(header["height"])
    assert not too_wide, f"wider than a {viewport['width']}px screen: {too_wide}"
    assert not too_tall, f"header taller than {HEADER_MAX_PX}px at phone width: {too_tall}"
