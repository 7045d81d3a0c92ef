"""The invitation link: sign up (or join with one's login) and land in the cohort."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from lifecycle.errors import LifecycleError

from .errors import CohortCode
from .forms import SignUpForm
from .joining import (
    accept_login_invitation,
    decline_login_invitation,
    join_through_invitation,
    sign_up_through_invitation,
    usable_invitation,
)
from .models import Invitation, LoginInvitation

# A link that will never work again is gone (410); a full one might get a seat back (409).
REFUSAL_STATUS: dict[str, int] = {
    CohortCode.INVITATION_EXPIRED: 410,
    CohortCode.INVITATION_REVOKED: 410,
    CohortCode.INVITATION_FULL: 409,
    CohortCode.ALREADY_IN_COHORT: 409,
}


def _refused(request: HttpRequest, err: LifecycleError, cohort=None) -> HttpResponse:
    return render(
        request,
        "training/join_refused.html",
        {"reason": err.message, "cohort": cohort},
        status=REFUSAL_STATUS.get(err.code, 409),
    )


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = usable_invitation(token)
    except Invitation.DoesNotExist as err:
        raise Http404("No such invitation.") from err
    except LifecycleError as err:
        return _refused(request, err)
    cohort = invitation.cohort
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                join_through_invitation(actor=request.user, invitation=invitation)
            except LifecycleError as err:
                return _refused(request, err, cohort)
            messages.success(request, f"Welcome to {cohort.name}.")
            return redirect("sandbox_list")
        return render(request, "training/join.html", {"cohort": cohort, "invitation": invitation})
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = sign_up_through_invitation(
                invitation=invitation,
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except LifecycleError as err:  # the last seat went while the form was being filled
            return _refused(request, err, cohort)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to {cohort.name}, {person.username}.")
        return redirect("sandbox_list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/join.html",
        {"cohort": cohort, "invitation": invitation, "form": form},
        status=status,
    )


def _answer(request: HttpRequest, invitation_id: int, service, done: str) -> HttpResponse:
    """Only the invited person's own, still open invitation is there (404 for anyone else's)."""
    invitation = get_object_or_404(
        LoginInvitation.objects.select_related("cohort"),
        pk=invitation_id,
        person=request.user,
        answered_at__isnull=True,
    )
    try:
        service(actor=request.user, invitation=invitation)
    except LifecycleError as err:
        messages.error(request, err.message)
        return redirect("sandbox_list")
    messages.success(request, done.format(cohort=invitation.cohort.name))
    return redirect("sandbox_list")


@login_required
@require_POST
def login_invitation_accept(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _answer(request, invitation_id, accept_login_invitation, "Welcome to {cohort}.")


@login_required
@require_POST
def login_invitation_decline(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _answer(
        request,
        invitation_id,
        decline_login_invitation,
        "You declined {cohort}: you are not in it, and its trainers see none of your work.",
    )
