"""The tool's endpoints a learning platform calls: login initiation, launch, key set.

A refused launch gets a page saying what is wrong and whom to ask (status 400), and one log
line naming the problem, the issuer and the deployment, never the token."""

import logging

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import Key

from . import services, tool
from .problems import LaunchRefused, words

log = logging.getLogger(__name__)

BACKEND = "django.contrib.auth.backends.ModelBackend"


def refused(request: HttpRequest, err: LaunchRefused, *, step: str) -> HttpResponse:
    where = tool.claims_for_log(request)
    log.warning(
        "LTI %s refused: %s%s (issuer %r, deployment %r)",
        step,
        err.problem.value,
        f" [{err.detail}]" if err.detail else "",
        where["issuer"],
        where["deployment"],
    )
    return render(request, "lti/problem.html", {"refusal": words(err)}, status=400)


@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def login_initiation(request: HttpRequest) -> HttpResponse:
    """Step one of a launch (OpenID Connect third-party login): the platform names itself."""
    params = request.POST if request.method == "POST" else request.GET
    try:
        return tool.login_response(request, params)
    except LaunchRefused as err:
        return refused(request, err, step="login")


@csrf_exempt
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    """Step two: the platform posts the signed launch; the person lands where they belong."""
    try:
        message_launch = tool.validated_launch(request)
        landing = services.land(message_launch)
    except LaunchRefused as err:
        return refused(request, err, step="launch")
    login(request, landing.person, backend=BACKEND)
    return redirect(landing.url)


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The tool's public keys (made and rotated by `manage.py rotate_keys`)."""
    return JsonResponse(Key.objects.as_jwks())
