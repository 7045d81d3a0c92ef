"""What a locked-out sign-in sees (django-axes calls `locked_out`): when to try again, and why.

A lock covers one username from one address (settings.AXES_LOCKOUT_PARAMETERS), so the page
says that signing in from elsewhere, or support staff, can get the person in before then.
"""

from datetime import datetime

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def retry_at(request: HttpRequest, username: str) -> datetime | None:
    """When the lock of this username from this address lifts (the last failure + cool-off)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    last = (
        AccessAttempt.objects.filter(
            username=username, ip_address=getattr(request, "axes_ip_address", None)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    return (last or timezone.now()) + cool_off


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    username = get_client_username(request, credentials) or ""
    until = retry_at(request, username)
    minutes = None
    if until is not None:
        minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "retry_at": until,
        "minutes": minutes,
        "admin": request.path.startswith("/admin/"),
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
