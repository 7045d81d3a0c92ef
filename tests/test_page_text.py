"""No page shows a raw code, Python's timedelta text, a repr or money with more than two decimals.

The pages are the ones the HTML checker renders (every Seller Center page of a live sandbox, the
way out and the deleted account); what is tested is the text a trainee reads, hover titles too.
"""

import re
from html.parser import HTMLParser

import pytest

from accounts.models import AccountStatus
from accounts.types import AccountType
from lifecycle.models import DeletionStatus, ExportStatus
from lifecycle.transitions import Action
from shops.models import CampaignStatus, ListingStatus, OrderStatus
from tests.test_html_validity import closing_and_deleted, seller_center

# Codes with an underscore cannot be mistaken for an English word on a page.
CODES = sorted(
    {
        value
        for choices in (
            AccountStatus,
            AccountType,
            OrderStatus,
            ListingStatus,
            CampaignStatus,
            ExportStatus,
            DeletionStatus,
            Action,
        )
        for value in choices.values
        if "_" in value
    }
)
PROBLEMS = {
    "a raw code": re.compile(r"\b(" + "|".join(map(re.escape, CODES)) + r")\b"),
    "timedelta text": re.compile(r"\b\d+ days?, \d{1,2}:\d{2}:\d{2}|\b\d{1,2}:\d{2}:\d{2}\.\d+"),
    "a repr": re.compile(r"<[A-Z]\w+: |object at 0x|QuerySet \["),
    "money with more than two decimals": re.compile(r"(?<![\d.])\d+\.\d{3,}(?![\d.])"),
}


@pytest.fixture(autouse=True)
def _no_real_queue(queue):
    """Exports are requested without a broker."""


class _Text(HTMLParser):
    """The words of a page a person sees: its text and its hover titles, not its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "alt", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def problems_in(text: str) -> list[str]:
    found = []
    for what, pattern in PROBLEMS.items():
        for match in pattern.finditer(text):
            start = max(match.start() - 40, 0)
            found.append(f"{what}: …{text[start : match.end() + 40]}…")
    return found


def test_the_checker_finds_each_problem():
    page = (
        "<p>Status: deletion_requested</p><p title='in 6 days, 23:59:59.5'>x</p>"
        "<p>&lt;Order: #4&gt;</p><p>Total 12.3456</p><script>var a = 'sold_out';</script>"
    )
    found = problems_in(visible_text(page))
    assert [f.split(":")[0] for f in found] == [
        "a raw code",
        "timedelta text",
        "a repr",
        "money with more than two decimals",
    ]
    assert not problems_in(visible_text("<p>Tue 1 Dec 2026, 07:15 · 12.50 · in 6 days</p>"))


def test_no_page_shows_codes_timedeltas_reprs_or_long_money(client, trainee):
    client.force_login(trainee)
    pages = seller_center(client, trainee) + closing_and_deleted(client, trainee)
    assert len(pages) > 30
    report = {}
    for page in pages:
        found = problems_in(visible_text(page.render()))
        if found:
            report[page.name] = found[:3]
    assert not report, report
