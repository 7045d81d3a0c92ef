"""The layout at phone width and the lifecycle diagram, measured in a real browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lifecycle.services import Actor, confirm_deletion, deletion_token, request_deletion

from .conftest import PASSWORD, PHONE, act, log_in, shoot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_at_phone_width_the_clock_is_one_menu_of_moves(new_page, seller):
    page = new_page(PHONE)
    log_in(page, seller.sandbox.owner.username)
    visit(page, reverse("orders", args=[seller.sandbox.pk]))
    # The row of buttons is for wide screens; here one control shows the time.
    expect(page.get_by_test_id("sandbox-clock")).to_be_hidden()
    menu = page.get_by_test_id("clock-menu")
    summary = menu.locator("summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(seller.sandbox.now().strftime("%Y"))
    assert summary.bounding_box()["height"] < 40  # one line, not a block of buttons
    summary.click()
    moves = menu.get_by_role("button")
    expect(moves).to_have_count(5)  # +1 hour, +1 day, +7 days, +30 days, next event
    act(
        page,
        menu.get_by_role("button", name="+7 days"),
        path=reverse("orders", args=[seller.sandbox.pk]),
    )
    seller.sandbox.refresh_from_db()
    assert seller.sandbox.clock_offset.days == 7


def test_the_deletion_banner_stays_in_view_at_phone_width(new_page, seller):
    request_deletion(
        actor=Actor.trainee(seller.sandbox.owner),
        account=seller,
        password=PASSWORD,
        acknowledged=True,
    )
    page = new_page(PHONE)
    log_in(page, seller.sandbox.owner.username)
    visit(page, reverse("timeline", args=[seller.sandbox.pk]))
    banner = page.get_by_test_id("deletion-banner")
    expect(banner).to_be_in_viewport()
    page.mouse.wheel(0, 5000)  # scrolled to the bottom of a long page, it is still there
    page.wait_for_function("() => window.scrollY > 100")
    expect(banner).to_be_in_viewport()
    expect(banner.get_by_role("button", name="Cancel the deletion")).to_be_in_viewport()
    shoot(page, "deletion-banner-scrolled")


# Boxes of the diagram as drawn: every label, every state box, and the current state's mark.
DIAGRAM_BOXES_JS = """() => {
  const box = e => { const b = e.getBBox(); return {x: b.x, y: b.y, w: b.width, h: b.height}; };
  const svg = document.querySelector('[data-testid=state-diagram]');
  return {
    labels: [...svg.querySelectorAll('text.edge-label')]
      .map(e => ({text: e.textContent, ...box(e)})),
    nodes: [...svg.querySelectorAll('g.node')].map(g => ({
      state: g.dataset.state, rect: box(g.querySelector('rect')),
      texts: [...g.querySelectorAll('text')].map(box)})),
    current: [...svg.querySelectorAll('g.node.current')].map(g => g.dataset.state),
  };
}"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and (a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])
    )


def _inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x"] >= outer["x"]
        and inner["y"] >= outer["y"]
        and inner["x"] + inner["w"] <= outer["x"] + outer["w"]
        and inner["y"] + inner["h"] <= outer["y"] + outer["h"]
    )


def _diagram_problems(drawn: dict) -> list[str]:
    problems = []
    labels = drawn["labels"]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if _overlap(a, b):
                problems.append(f"label {a['text']!r} overlaps label {b['text']!r}")
        for node in drawn["nodes"]:
            if _overlap(a, node["rect"]):
                problems.append(f"label {a['text']!r} overlaps the {node['state']} box")
    for node in drawn["nodes"]:
        for text in node["texts"]:
            if not _inside(text, node["rect"]):
                problems.append(f"a text of the {node['state']} box sticks out of it")
    return problems


def test_the_checker_of_the_diagram_can_fail():
    """The measurements below can fail: overlapping labels and a mark outside its box are found."""
    rect = {"x": 0, "y": 0, "w": 100, "h": 40}
    drawn = {
        "labels": [
            {"text": "A", "x": 200, "y": 0, "w": 50, "h": 16},
            {"text": "B", "x": 230, "y": 8, "w": 50, "h": 16},
        ],
        "nodes": [
            {"state": "active", "rect": rect, "texts": [{"x": 90, "y": 5, "w": 30, "h": 10}]}
        ],
    }
    assert len(_diagram_problems(drawn)) == 2


@pytest.mark.parametrize("state", ["active", "deletion_requested", "deletion_scheduled"])
def test_the_diagram_has_no_overlapping_labels_and_marks_the_state_inside_its_box(
    page, seller, state
):
    actor = Actor.trainee(seller.sandbox.owner)
    if state != "active":
        request = request_deletion(
            actor=actor, account=seller, password=PASSWORD, acknowledged=True
        )
        if state == "deletion_scheduled":
            confirm_deletion(actor=actor, token=deletion_token(request))
    log_in(page, seller.sandbox.owner.username)
    visit(page, reverse("lifecycle_map", args=[seller.sandbox.pk]))
    drawn = page.evaluate(DIAGRAM_BOXES_JS)
    assert drawn["current"] == [state]
    assert len(drawn["labels"]) >= 8 and len(drawn["nodes"]) == 5
    assert not _diagram_problems(drawn)
    # The two cancels from "scheduled" say where each one goes back to.
    texts = [label["text"] for label in drawn["labels"]]
    assert "Cancel → Active" in texts and "Cancel → Deactivated" in texts
    shoot(page, f"lifecycle-map-{state}")


# Whether the element is the one on top at its own centre (nothing covers it).
ON_TOP_JS = """e => { const r = e.getBoundingClientRect();
  const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return top === e || e.contains(top); }"""


def test_the_deletion_banner_does_not_cover_the_open_account_menu(new_page, seller):
    """The sticky banner (z-index 1020) sat over the account menu (1000): Profile, Account
    Settings and Change password could not be clicked once a deletion was requested."""
    request_deletion(
        actor=Actor.trainee(seller.sandbox.owner),
        account=seller,
        password=PASSWORD,
        acknowledged=True,
    )
    page = new_page()
    log_in(page, seller.sandbox.owner.username)
    visit(page, reverse("timeline", args=[seller.sandbox.pk]))
    expect(page.get_by_test_id("deletion-banner")).to_be_visible()
    page.get_by_role("button", name=seller.sandbox.owner.username).click()
    for name in ("Profile", "Account Settings", "Change password"):
        item = page.get_by_role("link", name=name, exact=True).and_(page.locator(".dropdown-item"))
        expect(item).to_be_visible()
        assert item.evaluate(ON_TOP_JS), f"{name} is covered"
    act(page, page.locator(".dropdown-item", has_text="Account Settings"))
