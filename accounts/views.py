"""Sandboxes and Account Settings: seller profile, account type, connected apps, pause.

Each mutating view is POST-only (its GET shows the confirmation, where one is needed), calls one
lifecycle service and redirects; a refusal re-renders the page with 409.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.forms import AccountTypeForm, SandboxForm
from accounts.models import ConnectedApp, Sandbox, SellerAccount
from accounts.types import AccountType, feature_matrix
from editions import registry as editions
from lifecycle import selectors
from lifecycle.services import (
    Actor,
    create_sandbox,
    deactivate_account,
    grant_app_access,
    reactivate_account,
    remove_app_access,
    switch_account_type,
)
from lifecycle.transitions import TRAINEE, account_actions_from
from lifecycle.web import (
    SandboxRequest,
    SignedInRequest,
    act,
    actor,
    bad_input,
    confirm,
    page,
    same_site_path,
    sandbox_page,
)
from studio.selectors import switch_consequences, switch_counts
from training.cohorts.joining import open_login_invitations
from training.cohorts.progress import trainee_assignments

# --- Sandboxes ------------------------------------------------------------------------------


def _sandbox_list(request: SignedInRequest, form: SandboxForm) -> HttpResponse:
    # Free play only: a sandbox built for an attempt is reached from its scenario.
    sandboxes = Sandbox.objects.filter(
        owner=request.user, attempts__isnull=True, removed_at=None
    ).prefetch_related(Prefetch("accounts", queryset=SellerAccount.objects.order_by("id")))
    context = {
        "sandboxes": sandboxes,
        "form": form,
        "assigned": trainee_assignments(request.user),
        "cohort_invitations": list(open_login_invitations(request.user)),
    }
    return render(request, "accounts/sandbox_list.html", context)


@login_required
def sandbox_list(request: SignedInRequest) -> HttpResponse:
    return _sandbox_list(request, SandboxForm(owner=request.user))


@login_required
@require_POST
def sandbox_create(request: SignedInRequest) -> HttpResponse:
    form = SandboxForm(request.POST, owner=request.user)
    if not form.is_valid():
        return bad_input(request, lambda: _sandbox_list(request, form))
    name = form.cleaned_data["name"]
    try:
        sandbox = create_sandbox(
            actor=Actor.trainee(request.user), name=name, edition=form.cleaned_data["edition"]
        )
    except IntegrityError:
        # A double click: the other request took the name between our check and our insert.
        # The service is one transaction, so nothing of this one remains; the form says why.
        form.add_error("name", "You already have a sandbox with that name.")
        return bad_input(request, lambda: _sandbox_list(request, form))
    messages.success(request, f"Sandbox “{sandbox.name}” is ready: a demo seller to practise on.")
    return redirect("dashboard", sandbox.pk)


# --- Account Settings -----------------------------------------------------------------------


@sandbox_page
def seller_profile(request: SandboxRequest) -> HttpResponse:
    return page(request, "accounts/seller_profile.html", {"nav": "settings", "tab": "profile"})


def profile_page(request: SandboxRequest) -> HttpResponse:
    """Profile → Shop Settings: the second way to unlink a shop (RULEBOOK §3)."""
    return page(
        request,
        "accounts/profile.html",
        {"nav": "settings", "shops": selectors.shop_link_states(request.account, actor(request))},
    )


profile = sandbox_page(profile_page)


def _account_type_page(
    request: SandboxRequest, form: AccountTypeForm, wanted: str = ""
) -> HttpResponse:
    account = request.account
    edition = editions.of(request.sandbox)
    counted = switch_counts(account)  # one query for every type compared
    comparison = [
        {"type": value, "label": kind.label, "change": switch_consequences(account, value, counted)}
        for value, kind in edition.account_types.items()
        if value != account.account_type
    ]
    chosen = (
        switch_consequences(account, wanted, counted)
        if wanted in edition.account_types and wanted != account.account_type
        else None
    )
    return page(
        request,
        "accounts/account_type.html",
        {
            "nav": "settings",
            "tab": "type",
            "form": form,
            "matrix": feature_matrix(account.account_type, edition=edition),
            "comparison": comparison,
            "chosen": chosen,
        },
    )


@sandbox_page
def account_type(request: SandboxRequest) -> HttpResponse:
    account = request.account
    if request.method != "POST":
        wanted = request.GET.get("type") or account.account_type
        form = AccountTypeForm(initial=AccountTypeForm.initial_for(account, wanted))
        return _account_type_page(request, form, wanted)
    form = AccountTypeForm(request.POST)
    if not form.is_valid():
        return bad_input(
            request, lambda: _account_type_page(request, form, request.POST.get("account_type", ""))
        )
    new_type = form.cleaned_data["account_type"]
    return act(
        request,
        switch_account_type,
        account=account,
        account_type=new_type,
        category=form.cleaned_data["category"],
        done=f"The account is now {AccountType(new_type).label.lower()}.",
        success_url=reverse("account_type", args=[request.sandbox.pk]),
        refused=lambda: _account_type_page(request, form, new_type),
    )


def _apps_page(request: SandboxRequest) -> HttpResponse:
    return page(
        request,
        "accounts/connected_apps.html",
        {"nav": "settings", "tab": "apps", "apps": selectors.connected_apps(request.account)},
    )


connected_apps = sandbox_page(_apps_page)


def _app_label(app: str) -> str:
    """The app the URL names; an app the Seller Center does not know is a page that is not there."""
    if app not in ConnectedApp.values:
        raise Http404("No such app.")
    return ConnectedApp(app).label


@sandbox_page
def remove_app(request: SandboxRequest, app: str) -> HttpResponse:
    label = _app_label(app)
    back = reverse("connected_apps", args=[request.sandbox.pk])
    if request.method != "POST":
        return confirm(
            request,
            title=f"Remove {label}'s access?",
            consequences=[
                f"{label} stops reading or changing this account's data at once.",
                "Anything it set up on its side stays there; you can grant access again later.",
            ],
            button="Remove access",
            cancel_url=back,
            context={"nav": "settings"},
        )
    return act(
        request,
        remove_app_access,
        account=request.account,
        app=app,
        done=f"{label}: removed.",
        success_url=back,
        refused=lambda: _apps_page(request),
    )


@sandbox_page
@require_POST
def grant_app(request: SandboxRequest, app: str) -> HttpResponse:
    label = _app_label(app)
    return act(
        request,
        grant_app_access,
        account=request.account,
        app=app,
        done=f"{label}: connected.",
        success_url=reverse("connected_apps", args=[request.sandbox.pk]),
        refused=lambda: _apps_page(request),
    )


def _close_or_pause_page(request: SandboxRequest) -> HttpResponse:
    # What the transition table lets the owner do from the current status, not a status check.
    actions = {t.action for t in account_actions_from(request.account.status, TRAINEE)}
    return page(
        request,
        "accounts/close_or_pause.html",
        {"nav": "settings", "tab": "close", "actions": actions},
    )


close_or_pause = sandbox_page(_close_or_pause_page)


@sandbox_page
def deactivate(request: SandboxRequest) -> HttpResponse:
    back = reverse("close_or_pause", args=[request.sandbox.pk])
    if request.method != "POST":
        return confirm(
            request,
            title="Deactivate the account for now?",
            consequences=[
                "Your listings are hidden and customers cannot place new orders.",
                "Orders already placed stay yours to ship.",
                "Nothing is deleted; reactivate whenever you are ready.",
            ],
            button="Deactivate",
            cancel_url=back,
            context={"nav": "settings"},
        )
    return act(
        request,
        deactivate_account,
        account=request.account,
        done="The account is deactivated: listings are hidden until you reactivate it.",
        success_url=back,
        refused=lambda: _close_or_pause_page(request),
    )


@sandbox_page
@require_POST
def reactivate(request: SandboxRequest) -> HttpResponse:
    return act(
        request,
        reactivate_account,
        account=request.account,
        done="The account is active again: listings are visible.",
        # Back to the page that offered it (the account type page, while deactivated).
        success_url=same_site_path(request, request.POST.get("next"))
        or reverse("close_or_pause", args=[request.sandbox.pk]),
        refused=lambda: _close_or_pause_page(request),
    )
