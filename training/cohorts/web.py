"""What the trainer pages share: the cohort lookup (404 unless you run it) and the refusal path."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from lifecycle.errors import LifecycleError
from lifecycle.web import SignedInRequest

from .models import Cohort
from .roles import is_trainer


class CohortRequest(SignedInRequest):
    """A request of a `cohort_page` view, which loaded the trainer's cohort onto it (for the
    type checker; at run time it is Django's request)."""

    cohort: Cohort


def trainer_page(view: Callable) -> Callable:
    """Signed in and in the Trainers group, or 403."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_trainer(request.user):
            raise PermissionDenied("These pages are for trainers.")
        return view(request, *args, **kwargs)

    return wrapped


def cohort_page(view: Callable) -> Callable:
    """A trainer's own cohort, or 404: a cohort someone else runs is simply not there."""

    @trainer_page
    @functools.wraps(view)
    def wrapped(request: CohortRequest, cohort_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        request.cohort = get_object_or_404(Cohort, pk=cohort_id, trainers=request.user)
        return view(request, *args, **kwargs)

    return wrapped


def act(
    request: HttpRequest,
    service: Callable,
    *,
    done: str | Callable[[Any], str],
    success_url: str | Callable[[Any], str],
    refused: Callable[[], HttpResponse],
    **kwargs: Any,
) -> HttpResponse:
    """One service as the signed-in person; redirect, or the page again with 409 and the reason."""
    try:
        result = service(actor=request.user, **kwargs)
    except LifecycleError as err:
        messages.error(request, err.message)
        response = refused()
        response.status_code = 409
        return response
    messages.success(request, done(result) if callable(done) else done)
    return redirect(success_url(result) if callable(success_url) else success_url)


def invalid(request: HttpRequest, page: Callable[[], HttpResponse]) -> HttpResponse:
    messages.error(request, "Check the highlighted fields and try again.")
    response = page()
    response.status_code = 400
    return response
