"""The Seller Center layout (top bar, clock, switcher, deletion banner) for any sandbox page.

Pages of `lifecycle.web.sandbox_page` have looked the sandbox up already; other pages under
/s/<sandbox_id>/ (the emailed links) get it here, for its owner only, and keep it on the request.
The layout is computed once per request (`selectors.request_layout`). Partials that htmx swaps
into a page need none of it.
"""

from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import cast

from django.http import HttpRequest

from editions import registry as editions
from editions.base import Edition

from .selectors import request_layout, rule_numbers, sandbox_account
from .services.clock import clock_reading
from .web import SandboxRequest, preparing_deletion, wants_partial


class RulesInForce(Mapping[str, int]):
    """`rules.unlink_limit` in a template: the number of the edition of the request's sandbox,
    read when the template asks (the view may load the sandbox after this processor ran); the
    default edition's on a page outside any sandbox."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def edition(self) -> Edition:
        """`rules.edition`: the edition itself (the top bar, the Help menu, "Why?" links)."""
        sandbox = getattr(self.request, "sandbox", None)
        return editions.of(sandbox) if sandbox is not None else editions.default()

    @cached_property
    def numbers(self) -> dict[str, int]:
        return rule_numbers(self.edition)

    def __getitem__(self, key: str) -> int:
        return self.numbers[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.numbers)

    def __len__(self) -> int:
        return len(self.numbers)


def seller_center(request: HttpRequest) -> dict:
    rules = {"rules": RulesInForce(request)}  # for partials too: they state the rules' numbers
    if wants_partial(request):
        return rules
    page = cast(SandboxRequest, request)  # once the sandbox is loaded below or by the view
    if getattr(request, "account", None) is None:
        match = request.resolver_match
        sandbox_id = match.kwargs.get("sandbox_id") if match else None
        if sandbox_id is None or not request.user.is_authenticated:
            return rules
        account = sandbox_account(request.user, sandbox_id)
        if account is None:
            return rules
        page.sandbox, page.account = account.sandbox, account
    # The clock's buttons name the reading they move from (a double click then counts once).
    reading = {"clock_reading": clock_reading(page.sandbox.clock_offset)}
    on_checklist = request.resolver_match and request.resolver_match.url_name == "close_account"
    preparing = preparing_deletion(page, page.sandbox, page.account)
    back = {"back_to_checklist": not on_checklist and preparing}
    return {**rules, **request_layout(page), **reading, **back}
