"""Every main page at desktop and phone widths: no serious axe violation, nothing wider than the
screen, and a screenshot of each kept as a test artifact (the dashboard also for the README)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, log_in, shoot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN_PAGES = [
    "dashboard",
    "products",
    "orders",
    "customers",
    "campaigns",
    "analytics",
    "exports",
    "inbox",
    "timeline",
    "linked_accounts",
    "account_type",
    "close_account",
    "lifecycle_map",
]


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
    too_wide = {}
    for name in MAIN_PAGES:
        visit(page, reverse(name, args=[demo_account.sandbox.pk]))
        expect(page.locator("main h1").first).to_be_visible()
        shoot(page, name, docs=name == "dashboard" and viewport == DESKTOP)
        sticking_out = page.evaluate(OVERFLOW_JS)
        if sticking_out:
            too_wide[name] = sticking_out
    assert not too_wide, f"wider than a {viewport['width']}px screen: {too_wide}"
