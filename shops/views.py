"""The Seller Center's shop tools: customers, campaigns and analytics (products, orders and
links have their own modules).

Only the shops linked to the account now are reachable here (RULEBOOK §3): unlinking hides their
tools and reports, relinking brings them back with the data that was kept.
"""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.types import Feature
from lifecycle import selectors
from lifecycle.transitions.base import lacks_feature
from lifecycle.web import SandboxRequest, act, bad_input, confirm, page, sandbox_page
from shops.forms import CampaignForm, ReplyForm
from shops.models import Campaign, CampaignStatus, Inquiry, Shop
from shops.services import (
    create_campaign,
    end_campaign,
    pause_campaign,
    reply_inquiry,
    start_campaign,
)
from shops.transitions.shop import campaign_moves_from
from studio import selectors as studio_selectors

PAGE_SIZE = 50


def _linked(request: SandboxRequest) -> list[int]:
    if not hasattr(request, "_linked_shop_ids"):
        request._linked_shop_ids = selectors.linked_shop_ids(request.account)
    return request._linked_shop_ids


# --- Customers and inquiries ----------------------------------------------------------------


def _customers_page(request: SandboxRequest, reply_form: tuple | None = None) -> HttpResponse:
    account = request.account
    customers = account.customers.annotate(order_count=Count("orders")).order_by("name", "id")
    inquiries = Inquiry.objects.filter(account=account).select_related("customer")
    return page(
        request,
        "shops/customers.html",
        {
            "nav": "customers",
            "customers": Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page")),
            "inquiries": inquiries,
            "reply_form": reply_form,
        },
    )


customers = sandbox_page(_customers_page)


@sandbox_page
@require_POST
def reply(request: SandboxRequest, inquiry_id: int) -> HttpResponse:
    inquiry = get_object_or_404(Inquiry, pk=inquiry_id, account=request.account)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return bad_input(request, lambda: _customers_page(request, (inquiry.pk, form)))
    return act(
        request,
        reply_inquiry,
        inquiry=inquiry,
        reply=form.cleaned_data["reply"],
        done="Reply sent to the customer.",
        success_url=reverse("customers", args=[request.sandbox.pk]),
        refused=lambda: _customers_page(request),
    )


# --- Marketing (campaigns) ------------------------------------------------------------------


def _linked_shops(request: SandboxRequest):
    return Shop.objects.filter(pk__in=_linked(request))


def _campaigns_page(request: SandboxRequest, form: CampaignForm | None = None) -> HttpResponse:
    account = request.account
    allowed = lacks_feature(account, Feature.AD_CAMPAIGNS) is None  # the actions' feature gate
    campaigns = list(
        Campaign.objects.filter(account=account, shop_id__in=_linked(request)).select_related(
            "shop"
        )
    )
    for campaign in campaigns:  # the buttons come from the declared campaign machine
        declared = campaign_moves_from(campaign.status)
        campaign.moves = [
            move
            for move, (svc, _) in CAMPAIGN_MOVES.items()
            if svc.action in declared  # type: ignore[attr-defined]  # set by lifecycle_service
        ]
    return page(
        request,
        "shops/campaigns.html",
        {
            "nav": "marketing",
            "campaigns": campaigns,
            "allowed": allowed,
            "linked": bool(_linked(request)),
            "form": form or CampaignForm(shops=_linked_shops(request)),
            "CampaignStatus": CampaignStatus,
        },
    )


campaigns = sandbox_page(_campaigns_page)


@sandbox_page
@require_POST
def campaign_create(request: SandboxRequest) -> HttpResponse:
    form = CampaignForm(request.POST, shops=_linked_shops(request))
    if not form.is_valid():
        return bad_input(request, lambda: _campaigns_page(request, form))
    return act(
        request,
        create_campaign,
        account=request.account,
        shop=form.cleaned_data["shop"],
        name=form.cleaned_data["name"],
        budget=form.cleaned_data["budget"],
        done=f"Campaign “{form.cleaned_data['name']}” created as a draft: start it when ready.",
        success_url=reverse("campaigns", args=[request.sandbox.pk]),
        refused=lambda: _campaigns_page(request, form),
    )


CAMPAIGN_MOVES = {
    "start": (start_campaign, "started"),
    "pause": (pause_campaign, "paused"),
    "end": (end_campaign, "ended"),
}


@sandbox_page
def campaign_move(request: SandboxRequest, campaign_id: int, move: str) -> HttpResponse:
    if move not in CAMPAIGN_MOVES:
        raise Http404("No such campaign action.")
    campaign = get_object_or_404(Campaign, pk=campaign_id, account=request.account)
    service, done = CAMPAIGN_MOVES[move]
    back = reverse("campaigns", args=[request.sandbox.pk])
    if request.method != "POST":
        if move != "end":
            return _campaigns_page(request)
        return confirm(
            request,
            title=f"End “{campaign.name}” for good?",
            consequences=[
                "The campaign stops spending and showing at once.",
                "An ended campaign cannot be started again; create a new one instead.",
            ],
            button="End campaign",
            cancel_url=back,
            context={"nav": "marketing"},
        )
    return act(
        request,
        service,
        campaign=campaign,
        done=f"{campaign.name}: {done}.",
        success_url=back,
        refused=lambda: _campaigns_page(request),
    )


# --- Analytics ------------------------------------------------------------------------------


@sandbox_page
def analytics(request: SandboxRequest) -> HttpResponse:
    return page(
        request,
        "shops/analytics.html",
        {
            "nav": "analytics",
            "stats": selectors.analytics(request.account),
            **studio_selectors.insights(request.account),  # creator and business only
        },
    )
