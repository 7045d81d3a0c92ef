"""The harness itself: axe-core fails a page with a serious problem and passes a clean one, and
a page that breaks its Content-Security-Policy is reported."""

import pytest
from django.urls import reverse

from .conftest import AxeViolation, axe, track_visits, unchecked_pages, watch_csp

pytestmark = pytest.mark.browser

CLEAN = """<!doctype html><html lang="en"><head><title>Clean</title></head>
<body><main><h1>Orders</h1><img src="data:," alt="A mug"></main></body></html>"""
BROKEN = """<!doctype html><html lang="en"><head><title>Broken</title></head>
<body><main><h1>Orders</h1><img src="data:,"><button></button></main></body></html>"""


@pytest.fixture
def blank(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_axe_passes_a_clean_page(blank):
    blank.set_content(CLEAN)
    assert axe(blank) == []


def test_axe_fails_on_serious_and_critical_violations_and_names_them(blank):
    blank.set_content(BROKEN)
    with pytest.raises(AxeViolation) as failure:
        axe(blank)
    report = str(failure.value)
    assert "[critical] image-alt" in report
    assert "[critical] button-name" in report
    assert "at img" in report


@pytest.mark.django_db(transaction=True)
def test_a_page_landed_on_without_an_axe_check_is_reported(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = track_visits(context.new_page(), live_server.url)
    try:
        page.goto(reverse("login"))
        assert unchecked_pages(page) == {reverse("login")}
        axe(page)
        assert unchecked_pages(page) == set()
    finally:
        context.close()


POLICY = "default-src 'self'; img-src data:; script-src 'self'; style-src 'self'"
INLINE_EVERYTHING = """<!doctype html><html lang="en"><head><title>Inline</title>
<style>p { color: red }</style></head><body><main><h1>Inline</h1>
<p style="color: blue">styled</p><script>document.title = 'ran'</script></main></body></html>"""


def test_a_page_that_breaks_its_policy_is_reported_and_a_clean_one_is_not(browser):
    context = browser.new_context()
    violations = watch_csp(context)
    page = context.new_page()
    try:
        served = {"/inline": INLINE_EVERYTHING, "/clean": CLEAN}
        page.route(
            "http://csp.test/**",
            lambda route: route.fulfill(
                body=served[route.request.url.removeprefix("http://csp.test")],
                headers={"Content-Type": "text/html", "Content-Security-Policy": POLICY},
            ),
        )
        page.goto("http://csp.test/clean")
        axe(page)
        assert violations == []
        page.goto("http://csp.test/inline")
        page.wait_for_function("() => true")
        axe(page)  # the driver's own evaluation is not refused by the page's policy
        assert page.title() == "Inline"  # the inline script did not run
        blocked = " | ".join(violations)
        assert "script-src" in blocked and "style-src" in blocked, blocked
    finally:
        context.close()
