"""The harness itself: axe-core fails a page with a serious problem and passes a clean one."""

import pytest

from .conftest import AxeViolation, axe

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
