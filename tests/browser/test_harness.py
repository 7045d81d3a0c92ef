"""The harness itself: axe-core fails a page with a serious problem and passes a clean one."""

import pytest
from django.urls import reverse

from .conftest import AxeViolation, axe, track_visits, unchecked_pages

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
