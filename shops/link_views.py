"""Account Settings -> Linked accounts: link, relink and unlink a shop (RULEBOOK §3).

Both unlink paths (this page and Profile -> Shop Settings) post here and run the same service.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.views import profile_page as _profile_page
from lifecycle import selectors
from lifecycle.services import link_shop, relink_shop, unlink_shop
from lifecycle.web import SandboxRequest, act, actor, confirm, page, sandbox_page
from lifecycle.wording import count
from shops.models import Shop


def _links_page(request: SandboxRequest) -> HttpResponse:
    return page(
        request,
        "shops/linked_accounts.html",
        {
            "nav": "settings",
            "tab": "links",
            "shops": selectors.shop_link_states(request.account, actor(request)),
        },
    )


linked_accounts = sandbox_page(_links_page)


def _back_to(request: SandboxRequest) -> str:
    name = "profile" if request.POST.get("from", request.GET.get("from")) == "profile" else None
    return reverse(name or "linked_accounts", args=[request.sandbox.pk])


@sandbox_page
@require_POST
def link(request: SandboxRequest, shop_id: int) -> HttpResponse:
    shop = get_object_or_404(Shop, pk=shop_id, sandbox=request.sandbox)
    relinking = request.POST.get("relink") == "1"
    return act(
        request,
        relink_shop if relinking else link_shop,
        account=request.account,
        shop=shop,
        done=f"{shop.name} is linked: its orders, products, campaigns and analytics are back.",
        success_url=_back_to(request),
        refused=lambda: _links_page(request),
    )


@sandbox_page
def unlink(request: SandboxRequest, shop_id: int) -> HttpResponse:
    shop = get_object_or_404(Shop, pk=shop_id, sandbox=request.sandbox)
    if request.method != "POST":
        states = selectors.shop_link_states(request.account, actor(request))
        state = next(s for s in states if s.shop == shop)
        return confirm(
            request,
            title=f"Unlink {shop.name}?",
            consequences=[
                "The shop's orders, products, campaigns and analytics disappear from the Seller "
                "Center at once.",
                "Its active campaigns are paused.",
                "Nothing is deleted: relink the shop later and everything comes back.",
                f"Unlinks used: {state.unlinks_used} in {count(state.window_days, 'day')}.",
            ],
            button="Unlink shop",
            cancel_url=_back_to(request),
            hidden={"confirmed": "1", "from": request.GET.get("from", "")},
            extra="shops/partials/unlink_export_offer.html",
            context={
                "nav": "settings",
                "state": state,
                "refused_offer": state.unlink
                if state.unlink and not state.unlink.enabled
                else None,
                "exported_recently": selectors.export_downloaded_recently(request.account),
            },
        )
    refused = _profile_page if request.POST.get("from") == "profile" else _links_page
    return act(
        request,
        unlink_shop,
        account=request.account,
        shop=shop,
        confirmed=request.POST.get("confirmed") == "1",
        done=f"{shop.name} is unlinked. Its data is kept; relink it any time.",
        success_url=_back_to(request),
        refused=lambda: refused(request),
    )
