"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against `live_server`.

Every page a test lands on must be checked with axe-core (`axe(page)`); the `page` fixtures fail
a test that navigated to a URL it never checked, and a test during which any page reported a
Content-Security-Policy violation (the `securitypolicyviolation` event). Screenshots go to
artifacts/screenshots/, and the README's ones also to docs/screenshots/.
"""

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# The jobs' own worker helpers: a worker thread on the test Redis, and a broker flush.
from tests.lifecycle.workers import celery_worker, flush_broker  # noqa: F401  (a fixture)

# Playwright's sync API keeps an event loop running in this thread, which makes Django refuse
# ORM calls from the test body unless told that this is safe (the loop never runs Django code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
# The README's pictures: refreshed in docs/ only on request (`make screenshots`), so a test run
# leaves the working tree clean; otherwise they land beside the other artifacts.
DOCS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_README_SCREENSHOTS") == "1"
    else ARTIFACTS / "readme"
)
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
BLOCKING_IMPACTS = ("serious", "critical")
PASSWORD = "browser-pass-9"


class AxeViolation(AssertionError):
    """axe-core found serious or critical accessibility problems on a page."""


def _describe(violations: list[dict]) -> str:
    """One block per rule: where it fails, and axe's advice once per distinct message."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl'].split('?')[0]})")
        advice: dict[str, list[str]] = {}
        for node in v["nodes"]:
            target = " >> ".join(t if isinstance(t, str) else json.dumps(t) for t in node["target"])
            summary = " ".join((node.get("failureSummary") or "").split())
            advice.setdefault(summary, []).append(target)
        for summary, targets in advice.items():
            shown = ", ".join(targets[:6]) + (
                f" and {len(targets) - 6} more" if len(targets) > 6 else ""
            )
            lines.append(f"    at {shown}")
            if summary:
                lines.append(f"       {summary[:400]}")
    return "\n".join(lines)


def _path(url: str) -> str:
    return urlparse(url).path


def axe(page: Page) -> list[dict]:
    """Run axe-core on the page; fail on a serious or critical violation; return the minor ones."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the driver, not as a <script> tag the page's policy would refuse.
        page.evaluate(AXE_JS.read_text())
    # No CSSOM preload: it re-reads @imported stylesheets by writing them into <style> tags,
    # which the page's CSP refuses (and reports); only the css-orientation-lock rule needs it.
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'], preload: false})",
    )
    checked = getattr(page, "_axe_checked", None)
    if checked is not None:
        checked.add(_path(page.url))
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        raise AxeViolation(f"axe-core on {_path(page.url)}:\n{_describe(blocking)}")
    return result["violations"]


def shoot(page: Page, name: str, *, docs: bool = False) -> Path:
    """Save a full-page screenshot as a test artifact; `docs` also keeps the README's copy."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    label = "phone" if width <= PHONE["width"] else "desktop"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}-{label}.png"
    page.screenshot(path=str(target), full_page=True, animations="disabled")
    if docs:  # the top of the page, as a reader of the README would first see it
        DOCS.mkdir(parents=True, exist_ok=True)
        page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / f"{name}.png"), animations="disabled")
    return target


def settle(page: Page) -> None:
    """Wait until the page is loaded and htmx has no request or swap in progress."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def is_poll(url: str) -> bool:
    """The poll by which every page follows background work (lifecycle/follow.py)."""
    return bool(re.search(r"/s/\d+/changes/", urlparse(url).path))


def act(page: Page, target, *, path: str | None = None) -> Page:
    """Click a link or button, wait for the server's answer to be on screen, then run axe.

    Works alike for boosted (htmx) and plain navigations; `path` is where the page should be.
    """
    origin = urlparse(page.url)
    with page.expect_response(
        lambda r: (
            r.url.startswith(f"{origin.scheme}://{origin.netloc}/")
            and r.request.resource_type in ("document", "xhr", "fetch")
            and not is_poll(r.url)  # the page's own follow-up poll is not the click's answer
        )
    ):
        target.click()
    settle(page)
    if path is not None:
        page.wait_for_url(re.compile(rf"^[^?#]*{re.escape(path)}([?#].*)?$"))
    axe(page)
    return page


def visit(page: Page, path: str) -> Page:
    """Open a page by its address, check that it answered, wait for it, then run axe."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    settle(page)
    axe(page)
    return page


def log_in(page: Page, username: str, password: str = PASSWORD, *, tour: bool = False) -> None:
    """Sign in through the login form, as a trainee would.

    The first-visit tour would cover the page of a new login; tests that do not look at it
    sign in as someone who has closed it already (`tour=True` keeps it).
    """
    if not tour:
        from accounts.models import User
        from training.cohorts.tour import dismiss_tour

        dismiss_tour(person=User.objects.get(username=username))
    page.goto(reverse("login"))
    axe(page)
    page.get_by_label(re.compile(r"\bUsername\b")).fill(username)
    page.get_by_label(re.compile(r"\bPassword\b")).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^(sign|log) ?in$", re.I)).click()
    assert _path(page.url) != reverse("login"), "the login form did not accept the credentials"
    axe(page)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: `make browser` runs npm ci")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def empty_broker(transactional_db) -> None:
    """No job left over from an earlier test waits on the test broker."""
    flush_broker()


def track_visits(page: Page, origin: str) -> Page:
    """Record every address of `origin` the page lands on, boosted (pushState) ones included."""
    page._axe_checked = set()
    page._visited = set()

    def landed(frame) -> None:
        if frame == page.main_frame and frame.url.startswith(origin):
            page._visited.add(_path(frame.url))

    page.on("framenavigated", landed)
    return page


def unchecked_pages(page: Page) -> set[str]:
    return page._visited - page._axe_checked


# Runs in every document before its own scripts: report each violation of the page's policy.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__reportCspViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${location.pathname}` +
    (e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : '') +
    (e.sample ? `: ${e.sample}` : ''));
});
"""


def watch_csp(context: BrowserContext) -> list[str]:
    """The list into which every page of the context reports its CSP violations."""
    violations: list[str] = []

    def report(violation: str) -> None:
        violations.append(violation)

    context.expose_function("__reportCspViolation", report)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    return violations


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Make pages (each in its own context, so its own cookies) at a given viewport size.

    At teardown, fail if a page navigated to a URL that axe never checked, or if any page
    reported a Content-Security-Policy violation.
    """
    made: list[tuple[BrowserContext, Page, list[str]]] = []

    def make(viewport: dict = DESKTOP) -> Page:
        context = browser.new_context(
            viewport=viewport,
            base_url=live_server.url,
            accept_downloads=True,
            is_mobile=viewport["width"] <= PHONE["width"],
            has_touch=viewport["width"] <= PHONE["width"],
        )
        context.set_default_timeout(10_000)
        violations = watch_csp(context)
        page = track_visits(context.new_page(), live_server.url)
        made.append((context, page, violations))
        return page

    yield make
    unchecked, violations = set(), set()
    for context, page, reported in made:
        unchecked |= unchecked_pages(page)
        violations.update(reported)
        context.close()
    if unchecked:
        pytest.fail(f"pages visited without an axe-core check: {sorted(unchecked)}")
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(sorted(violations)))


@pytest.fixture
def page(new_page) -> Page:
    return new_page(DESKTOP)


@pytest.fixture
def phone_page(new_page) -> Page:
    return new_page(PHONE)


@pytest.fixture
def seller(transactional_db):
    """A trainee with a small demo sandbox: a business account, one linked shop, no open orders."""
    from accounts.models import User
    from lifecycle.demo import DemoSizes, build_demo_sandbox

    user = User.objects.create_user("luna", "luna@example.com", PASSWORD)
    sizes = DemoSizes(products=6, customers=6, orders=8, inquiries=2, campaigns=0)
    sandbox = build_demo_sandbox(owner=user, name="Browser sandbox", sizes=sizes)
    return sandbox.account


@pytest.fixture
def signed_in(page, seller) -> Page:
    """A desktop page signed in through the login form, on the sandbox's Home page."""
    log_in(page, seller.sandbox.owner.username)
    sandbox = seller.sandbox
    act(
        page,
        page.get_by_role("link", name=sandbox.name),
        path=reverse("dashboard", args=[sandbox.pk]),
    )
    return page
