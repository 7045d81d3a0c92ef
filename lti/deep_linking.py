"""Deep linking: an instructor adding the activity picks a scenario; the link goes back to the
platform with its title, the scenario as a custom parameter and a line item out of 100.

The launch is checked like any other (`tool.validated_launch`); its nonce is used up here,
and the launch's id waits in the instructor's session until they pick."""

from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from lti_tool.utils import get_launch_from_request
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.lineitem import LineItem
from pylti1p3.message_launch import MessageLaunch

from training.cohorts import catalogue

from . import services
from .grades import SCORE_MAXIMUM
from .problems import LaunchRefused, Problem

SESSION_KEY = "lti_deep_link_launch"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


def offered() -> list[Any]:
    """What a course can link to: the sellers' scenarios (a platform's learners have no
    support-staff login, so the support desk's scenarios are not offered)."""
    scenarios = catalogue.scenarios()
    return [scenarios[slug] for slug in catalogue.assignable(scenarios)]


def begin(request: HttpRequest, message_launch: MessageLaunch) -> None:
    """An instructor's deep-linking request: remembered in their session until they pick."""
    data: dict[str, Any] = dict(message_launch.get_launch_data())
    if not services.is_instructor(data.get(services.ROLES_CLAIM) or []):
        raise LaunchRefused(Problem.UNSUPPORTED, "adding an activity, which instructors do")
    if not (data.get(DL_SETTINGS) or {}).get("deep_link_return_url"):
        raise LaunchRefused(Problem.MISSING_CLAIM, "the deep linking return URL")
    with transaction.atomic():
        services.consume_nonce(str(data.get("nonce", "")))
    request.session[SESSION_KEY] = message_launch.get_launch_id()


def answer(request: HttpRequest, slug: str) -> tuple[str, str]:
    """The signed answer for the platform (its return URL, the JWT) linking to `slug`."""
    launch_id = request.session.get(SESSION_KEY)
    if not launch_id:
        raise LaunchRefused(Problem.NO_STATE)
    try:
        launch = get_launch_from_request(request, launch_id).get_message_launch()
    except LtiException:
        raise LaunchRefused(Problem.EXPIRED) from None
    scenario = {s.slug: s for s in offered()}.get(slug)
    if scenario is None:
        raise LaunchRefused(Problem.SCENARIO_GONE, slug)
    resource = (
        DeepLinkResource()
        .set_url(request.build_absolute_uri(reverse("lti_launch")))
        .set_title(scenario.title)
        .set_custom_params({services.SCENARIO_PARAM: scenario.slug})
        .set_lineitem(
            LineItem()
            .set_label(scenario.title)
            .set_score_maximum(SCORE_MAXIMUM)
            .set_resource_id(scenario.slug)
            .set_tag("simulator-score")
        )
    )
    deep_link = launch.get_deep_link()
    jwt = deep_link.get_response_jwt([resource])
    return_url = str(dict(launch.get_launch_data())[DL_SETTINGS]["deep_link_return_url"])
    del request.session[SESSION_KEY]
    return return_url, jwt


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
