"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against `live_server`.

Every page a test lands on must be checked with axe-core (`axe(page)`); the `page` fixtures fail
a test that navigated to a URL it never checked. Screenshots go to artifacts/screenshots/, and
the README's ones also to docs/screenshots/.
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
DOCS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
BLOCKING_IMPACTS = ("serious", "critical")
PASSWORD = "browser-pass-9"


class AxeViolation(AssertionError):
    """axe-core found serious or critical accessibility problems on a page."""


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl'].split('?')[0]})")
        for node in v["nodes"][:5]:
            target = " ".join(
                json.dumps(t) if not isinstance(t, str) else t for t in node["target"]
            )
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more elements")
    return "\n".join(lines)


def _path(url: str) -> str:
    return urlparse(url).path


def axe(page: Page) -> list[dict]:
    """Run axe-core on the page; fail on a serious or critical violation; return the minor ones."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})",
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
    if docs:
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / f"{name}.png"), animations="disabled")
    return target


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a trainee would."""
    page.goto(reverse("login"))
    axe(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^(sign|log) ?in$", re.I)).click()
    assert _path(page.url) != reverse("login"), "the login form did not accept the credentials"


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


@pytest.fixture(scope="session")
def celery_worker() -> Iterator[None]:
    """A real Celery worker in a thread of this process, on the test Redis.

    It shares the test database, so its tests need `django_db(transaction=True)` (committed rows).
    """
    import celery.contrib.testing.tasks  # noqa: F401  (registers the ping used at start-up)
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.control.purge()  # nothing left over from an earlier run
    with start_worker(app, pool="solo", concurrency=1, loglevel="WARNING", shutdown_timeout=30):
        yield


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Make pages (each in its own context, so its own cookies) at a given viewport size.

    At teardown, fail if a page navigated to a URL that axe never checked.
    """
    made: list[tuple[BrowserContext, Page]] = []

    def make(viewport: dict = DESKTOP) -> Page:
        context = browser.new_context(
            viewport=viewport,
            base_url=live_server.url,
            accept_downloads=True,
            is_mobile=viewport["width"] <= PHONE["width"],
            has_touch=viewport["width"] <= PHONE["width"],
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        page._axe_checked = set()
        page._visited = set()
        page.on(
            "framenavigated",
            lambda frame: (
                frame == page.main_frame
                and frame.url.startswith(live_server.url)
                and page._visited.add(_path(frame.url))
            ),
        )
        made.append((context, page))
        return page

    yield make
    unchecked = set()
    for context, page in made:
        unchecked |= page._visited - page._axe_checked
        context.close()
    if unchecked:
        pytest.fail(f"pages visited without an axe-core check: {sorted(unchecked)}")


@pytest.fixture
def page(new_page) -> Page:
    return new_page(DESKTOP)


@pytest.fixture
def phone_page(new_page) -> Page:
    return new_page(PHONE)
