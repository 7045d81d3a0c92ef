"""Videos (with their sounds and product links), the sound library and the audience tools.

What the account type does not unlock is shown as what switching would unlock, with the very
sentence the service refuses with; the services decide, the pages only ask them.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.types import Feature, has_feature
from editions import registry as editions
from lifecycle.transitions.base import lacks_feature
from lifecycle.web import SandboxRequest, act, bad_input, page, sandbox_page
from shops.models import Product

from . import selectors
from .forms import LiveSessionForm, ProductLinkForm, SoundForm
from .models import LiveSession, ProductLink, Video
from .services import (
    add_product_link,
    cancel_live_session,
    pick_sound,
    remove_product_link,
    schedule_live_session,
)


def _locked(account, feature: str) -> str:
    """The refusal sentence when the type lacks `feature`, or "" when it has it."""
    refusal = lacks_feature(account, feature)  # the actions' own feature gate
    return refusal.sentence if refusal else ""


# --- Videos and product links ---------------------------------------------------------------


def _videos_page(request: SandboxRequest) -> HttpResponse:
    account = request.account
    found = selectors.videos(account)
    for video in found:
        video.link_form = ProductLinkForm(  # type: ignore[attr-defined]  # for the template
            products=Product.objects.filter(account=account, shop_id=video.shop_id),
            auto_id=f"id_v{video.pk}_%s",
        )
    return page(
        request,
        "studio/videos.html",
        {
            "nav": "videos",
            "videos": found,
            "links_locked": _locked(account, Feature.PRODUCT_LINKS),
            "hidden": selectors.hidden_counts(account),
        },
    )


videos = sandbox_page(_videos_page)


def _video(request: SandboxRequest, video_id: int) -> Video:
    return get_object_or_404(Video, pk=video_id, account=request.account)


@sandbox_page
@require_POST
def link_add(request: SandboxRequest, video_id: int) -> HttpResponse:
    video = _video(request, video_id)
    products = Product.objects.filter(account=request.account, shop_id=video.shop_id)
    form = ProductLinkForm(request.POST, products=products)
    if not form.is_valid():
        return bad_input(request, lambda: _videos_page(request))
    return act(
        request,
        add_product_link,
        video=video,
        product=form.cleaned_data["product"],
        done=f"{form.cleaned_data['product'].title} is linked on “{video.title}”.",
        success_url=reverse("videos", args=[request.sandbox.pk]) + f"#video-{video.pk}",
        refused=lambda: _videos_page(request),
    )


@sandbox_page
@require_POST
def link_remove(request: SandboxRequest, video_id: int, link_id: int) -> HttpResponse:
    video = _video(request, video_id)
    link = get_object_or_404(ProductLink, pk=link_id, video=video)
    return act(
        request,
        remove_product_link,
        link=link,
        done=f"The product link is off “{video.title}”.",
        success_url=reverse("videos", args=[request.sandbox.pk]) + f"#video-{video.pk}",
        refused=lambda: _videos_page(request),
    )


# --- Sounds ---------------------------------------------------------------------------------


def _sounds_page(request: SandboxRequest) -> HttpResponse:
    account = request.account
    chosen = None
    wanted = request.GET.get("video") or request.POST.get("video")
    if wanted and str(wanted).isdigit():
        chosen = Video.objects.filter(pk=int(wanted), account=account).first()
    return page(
        request,
        "studio/sounds.html",
        {
            "nav": "videos",
            "library": selectors.sound_library(account),
            "video": chosen,
            "videos": selectors.videos(account),
            "full_library": has_feature(
                account.account_type,
                Feature.FULL_MUSIC_LIBRARY,
                edition=editions.of(account.sandbox),
            ),
        },
    )


sounds = sandbox_page(_sounds_page)


@sandbox_page
@require_POST
def video_sound(request: SandboxRequest, video_id: int) -> HttpResponse:
    video = _video(request, video_id)
    form = SoundForm(request.POST)
    if not form.is_valid():
        return bad_input(request, lambda: _sounds_page(request))
    return act(
        request,
        pick_sound,
        video=video,
        sound=form.cleaned_data["sound"],
        done=lambda v: f"“{v.title}” now plays {v.get_sound_title()}.",
        success_url=reverse("videos", args=[request.sandbox.pk]) + f"#video-{video.pk}",
        refused=lambda: _sounds_page(request),
    )


# --- Audience tools -------------------------------------------------------------------------


def _audience_page(request: SandboxRequest, form: LiveSessionForm | None = None) -> HttpResponse:
    account = request.account
    locked = _locked(account, Feature.AUDIENCE_TOOLS)
    context = {"nav": "audience", "locked": locked, "form": form or LiveSessionForm()}
    if not locked:
        context["followers"] = selectors.follower_insights(account)
        context["sessions"] = selectors.live_sessions(account)
    return page(request, "studio/audience.html", context)


audience = sandbox_page(_audience_page)


@sandbox_page
@require_POST
def live_schedule(request: SandboxRequest) -> HttpResponse:
    form = LiveSessionForm(request.POST)
    if not form.is_valid():
        return bad_input(request, lambda: _audience_page(request, form))
    return act(
        request,
        schedule_live_session,
        account=request.account,
        title=form.cleaned_data["title"],
        starts_at=form.cleaned_data["starts_at"],
        done=f"Live session “{form.cleaned_data['title']}” scheduled.",
        success_url=reverse("audience", args=[request.sandbox.pk]),
        refused=lambda: _audience_page(request, form),
    )


@sandbox_page
@require_POST
def live_cancel(request: SandboxRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(LiveSession, pk=session_id, account=request.account)
    return act(
        request,
        cancel_live_session,
        session=session,
        done=f"Live session “{session.title}” cancelled.",
        success_url=reverse("audience", args=[request.sandbox.pk]),
        refused=lambda: _audience_page(request),
    )
