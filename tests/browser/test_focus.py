"""Focus you can see (WCAG 2.4.7 Focus Visible, 2.4.11 Focus Not Obscured): the keyboard tabs
through each kind of page, and every element that takes the focus shows an outline of at least
2 px and is not covered by anything (a sticky banner, an open menu)."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from lifecycle.services import Actor, request_deletion

from .conftest import PASSWORD, PHONE, log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_STOPS = 90  # tab stops walked per page (the longest page here has fewer)

# The focused element: whether it shows an outline, and whether it is the one on top at the
# middle of its visible part (a covered element is hidden under something else).
FOCUSED_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const left = Math.max(r.left, 0), right = Math.min(r.right, innerWidth);
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
  let covered = null;
  if (right > left && bottom > top) {
    const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
    const labelled = e.labels && [...e.labels].some(l => l.contains(hit));
    if (!(hit && (hit === e || e.contains(hit) || labelled))) {
      covered = hit ? hit.outerHTML.slice(0, 80) : 'nothing';
    }
  } else {
    covered = 'off screen';
  }
  return {
    what: e.outerHTML.slice(0, 100),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    covered,
  };
}"""


def walk(page: Page, where: str) -> list[str]:
    """Tab from the top of the page through its stops; the problems found, one line each."""
    # No smooth scrolling: each element is measured where the browser scrolled it to.
    page.emulate_media(reduced_motion="reduce")
    # From the page's first stop, the "Skip to content" link, reached by the keyboard.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator('a[href="#main"]').first.focus()
    page.keyboard.press("Shift+Tab")
    problems, seen = [], []
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None or (seen and focused["what"] == seen[0]):
            break  # back at the start: every stop was visited
        seen.append(focused["what"])
        if not focused["outline"]:
            problems.append(f"{where}: no visible focus outline on {focused['what']}")
        if focused["covered"]:
            problems.append(f"{where}: {focused['what']} is covered by {focused['covered']}")
    assert len(seen) > 3, f"{where}: the keyboard reached only {seen}"
    return problems


@pytest.fixture
def deleting(seller):
    """The seller with a deletion requested: the sticky banner and its Cancel are on every page."""
    request_deletion(
        actor=Actor.trainee(seller.sandbox.owner),
        account=seller,
        password=PASSWORD,
        acknowledged=True,
    )
    return seller


def test_every_kind_of_page_shows_where_the_keyboard_is(new_page, deleting):
    from training.cohorts.demo import demo_trainer
    from training.cohorts.services import create_cohort

    sandbox = deleting.sandbox
    problems: list[str] = []
    page = new_page()
    visit(page, reverse("login"))
    problems += walk(page, "sign-in")
    log_in(page, sandbox.owner.username)
    for name, path in [
        ("your sandboxes", reverse("sandbox_list")),
        ("home", reverse("dashboard", args=[sandbox.pk])),
        ("orders", reverse("orders", args=[sandbox.pk])),
        ("close the account", reverse("close_account", args=[sandbox.pk])),
        ("account settings", reverse("seller_profile", args=[sandbox.pk])),
        ("you are here", reverse("lifecycle_map", args=[sandbox.pk])),
        ("training", reverse("training")),
    ]:
        visit(page, path)
        problems += walk(page, name)

    trainer = demo_trainer()
    trainer.set_password(PASSWORD)
    trainer.save()
    cohort = create_cohort(actor=trainer, name="Focus class")
    coach = new_page()
    log_in(coach, trainer.username)
    for name, path in [
        ("cohorts", reverse("trainer_cohort_list")),
        ("cohort", reverse("trainer_cohort", args=[cohort.pk])),
    ]:
        visit(coach, path)
        problems += walk(coach, name)
    assert not problems, "\n".join(problems)


def test_the_tours_close_button_shows_its_focus(new_page, seller):
    page = new_page()
    log_in(page, seller.sandbox.owner.username, tour=True)
    visit(page, reverse("dashboard", args=[seller.sandbox.pk]))
    close = page.locator(".driver-popover-close-btn")
    expect(close).to_be_visible()
    close.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, as :focus-visible sees it
    focused = page.evaluate(FOCUSED_JS)
    assert focused and "driver-popover-close-btn" in focused["what"], focused
    assert focused["outline"], focused


def test_at_phone_width_the_clock_menu_closes_when_the_focus_leaves_it(new_page, deleting):
    page = new_page(PHONE)
    log_in(page, deleting.sandbox.owner.username)
    visit(page, reverse("dashboard", args=[deleting.sandbox.pk]))
    menu = page.get_by_test_id("clock-menu")
    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    problems = []
    for _ in range(12):  # through the menu's moves and on past it
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused and focused["covered"]:
            problems.append(f"{focused['what']} is covered by {focused['covered']}")
        if not menu.evaluate("m => m.contains(document.activeElement)"):
            break
    assert not menu.evaluate("m => m.open"), "the clock menu stayed open after the focus left it"
    assert not problems, "\n".join(problems)
    assert walk(page, "home at phone width") == []
