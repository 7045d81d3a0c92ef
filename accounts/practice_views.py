"""Renaming and deleting a trainee's own free-play sandbox, from their home page.

Each view loads the sandbox for its owner only (404 otherwise) and calls one service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Sandbox
from lifecycle.errors import LifecycleError
from lifecycle.services.practice import delete_sandbox, rename_sandbox
from lifecycle.web import SignedInRequest, actor


def _own(request: SignedInRequest, sandbox_id: int) -> Sandbox:
    return get_object_or_404(Sandbox, pk=sandbox_id, owner=request.user, removed_at=None)


def _home_with(request: SignedInRequest, err: LifecycleError) -> HttpResponse:
    from accounts.views import sandbox_list

    messages.error(request, err.message)
    response = sandbox_list(request)
    response.status_code = 409
    return response


@login_required
@require_POST
def sandbox_rename(request: SignedInRequest, sandbox_id: int) -> HttpResponse:
    sandbox = _own(request, sandbox_id)
    try:
        renamed = rename_sandbox(
            actor=actor(request), sandbox=sandbox, name=request.POST.get("name", "")
        )
    except LifecycleError as err:
        return _home_with(request, err)
    messages.success(request, f"The sandbox is now called {renamed.name}.")
    return redirect("sandbox_list")


@login_required
def sandbox_delete(request: SignedInRequest, sandbox_id: int) -> HttpResponse:
    sandbox = _own(request, sandbox_id)
    if request.method != "POST":
        context = {
            "title": f"Delete the sandbox {sandbox.name}?",
            "consequences": [
                "Its seller account, shops, orders, exports, inbox and timeline are removed.",
                "This cannot be undone; your other sandboxes stay as they are.",
            ],
            "button": "Delete the sandbox",
            "cancel_url": reverse("sandbox_list"),
        }
        return render(request, "accounts/sandbox_delete.html", context)
    try:
        delete_sandbox(actor=actor(request), sandbox=sandbox)
    except LifecycleError as err:
        return _home_with(request, err)
    messages.success(request, f"{sandbox.name} is deleted.")
    return redirect("sandbox_list")
