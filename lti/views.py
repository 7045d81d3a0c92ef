"""The tool's endpoints a learning platform calls: login initiation, launch, key set.

A refused launch gets a page saying what is wrong and whom to ask (status 400), and one log
line naming the problem, the issuer and the deployment, never the token."""

import logging

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import Key

from . import deep_linking, services, tool
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
        if message_launch.is_deep_link_launch():
            deep_linking.begin(request, message_launch)
            return render(request, "lti/picker.html", {"scenarios": deep_linking.offered()})
        landing = services.land(message_launch)
    except LaunchRefused as err:
        return refused(request, err, step="launch")
    login(request, landing.person, backend=BACKEND)
    return redirect(landing.url)


@require_POST
def deep_link_pick(request: HttpRequest) -> HttpResponse:
    """The instructor picked a scenario: the signed link goes back to their platform."""
    try:
        return_url, jwt = deep_linking.answer(request, request.POST.get("scenario", ""))
    except LaunchRefused as err:
        return refused(request, err, step="deep linking")
    response = render(request, "lti/deep_link_return.html", {"url": return_url, "jwt": jwt})
    # The answer is a form posted to the platform: this page's policy lets it go there.
    response._csp_update = {"form-action": [deep_linking.origin(return_url)]}  # type: ignore[attr-defined]
    return response


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The tool's public keys (made and rotated by `manage.py rotate_keys`)."""
    return JsonResponse(Key.objects.as_jwks())
