"""The Seller Center layout (top bar, clock, switcher, deletion banner) for any sandbox page.

Pages of `lifecycle.web.sandbox_page` have looked the sandbox up already; other pages under
/s/<sandbox_id>/ (the emailed links) get it here, for its owner only. Partials that htmx swaps
into a page need none of it.
"""

from django.http import HttpRequest

from accounts.models import Sandbox, SellerAccount

from .selectors import layout_context, rule_numbers
from .services.clock import clock_reading
from .web import wants_partial


def seller_center(request: HttpRequest) -> dict:
    rules = {"rules": rule_numbers()}  # for partials too: they state the rulebook's numbers
    if wants_partial(request):
        return rules
    sandbox = getattr(request, "sandbox", None)
    account = getattr(request, "account", None)
    if sandbox is None:
        match = request.resolver_match
        sandbox_id = match.kwargs.get("sandbox_id") if match else None
        if sandbox_id is None or not request.user.is_authenticated:
            return rules
        sandbox = Sandbox.objects.filter(pk=sandbox_id, owner=request.user, removed_at=None).first()
        account = SellerAccount.objects.filter(sandbox=sandbox).primary()
        if account is None:
            return rules
    # The clock's buttons name the reading they move from (a double click then counts once).
    reading = {"clock_reading": clock_reading(sandbox.clock_offset)}
    return {**rules, **layout_context(request.user, sandbox, account), **reading}
