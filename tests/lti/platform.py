"""A real LTI 1.3 platform for the tests: `lti1p3platform`'s classes behind a few Django views.

The platform (an LMS's side) keeps its state in memory: its registration of the simulator,
its keys, the launches it offers (a course, a user, a link) and, for grades, its grade book.
The tests' browser steps go through Django's test client; the tool's own calls to the platform
(its key set, its token and grade endpoints) go over HTTP to the loopback server that serves
the same views (`conftest.platform_server`).

`KNOBS` bends one launch for the bad-input tests: sign with a key the platform does not
publish, an expired token, a claim left out, another deployment ID.
"""

import html
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from jwcrypto.jwk import JWK
from lti1p3platform.framework.django.oidc_login import DjangoAPIOIDCLogin
from lti1p3platform.framework.django.request import DjangoRequest
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration

CLIENT_ID = "simulator-tool"
DEPLOYMENT_ID = "deployment-1"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def _pem_pair() -> tuple[str, str]:
    key = JWK.generate(kty="RSA", size=2048)
    return (
        key.export_to_pem(private_key=True, password=None).decode(),
        key.export_to_pem().decode(),
    )


@dataclass
class Offer:
    """One launch the platform offers: who launches which link of which course."""

    sub: str
    roles: list[str]
    name: str = ""
    context_id: str = "course-101"
    context_title: str = "Seller onboarding 101"
    link_id: str = "link-1"
    custom: dict[str, str] = field(default_factory=dict)


@dataclass
class State:
    base_url: str = ""
    issuer: str = "https://lms.example.test"
    private_pem: str = ""
    public_pem: str = ""
    rogue_pem: str = ""
    offers: dict[str, Offer] = field(default_factory=dict)
    knobs: dict[str, Any] = field(default_factory=dict)
    tool_keys: dict[str, Any] = field(default_factory=dict)


PLATFORM = State()


def reset(base_url: str, tool_keys: dict[str, Any]) -> None:
    if not PLATFORM.private_pem:
        PLATFORM.private_pem, PLATFORM.public_pem = _pem_pair()
        PLATFORM.rogue_pem, _ = _pem_pair()
    PLATFORM.base_url = base_url
    PLATFORM.offers.clear()
    PLATFORM.knobs.clear()
    PLATFORM.tool_keys = tool_keys


def url(name: str) -> str:
    return f"{PLATFORM.base_url}/platform/{name}/"


class Conf(LTI1P3PlatformConfAbstract):
    """The platform's registration of the simulator (what an LMS admin fills in)."""

    def init_platform_config(self, **kwargs: Any) -> None:
        pass

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        tool = PLATFORM.base_url
        registration = (
            Registration()
            .set_iss(PLATFORM.knobs.get("issuer", PLATFORM.issuer))
            .set_client_id(CLIENT_ID)
            .set_deployment_id(PLATFORM.knobs.get("deployment_id", DEPLOYMENT_ID))
            .set_oidc_login_url(f"{tool}/lti/login/")
            .set_launch_url(f"{tool}/lti/launch/")
            .set_tool_key_set_url(f"{tool}/lti/jwks/")
            .set_platform_public_key(PLATFORM.public_pem)
            .set_platform_private_key(PLATFORM.private_pem)
        )
        if PLATFORM.tool_keys:
            registration.set_tool_key_set(PLATFORM.tool_keys)  # type: ignore[arg-type]
        return registration


class Login(DjangoAPIOIDCLogin):
    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["hint"]


class Launch(LTIAdvantageMessageLaunchAbstract):
    """The signed launch, posted by the learner's browser to the tool."""

    def prepare_launch(self, preflight_response: dict[str, Any]) -> None:
        offer = PLATFORM.offers[preflight_response["lti_message_hint"]]
        self.set_user_data(offer.sub, offer.roles, full_name=offer.name or None)
        self.set_resource_link_claim(offer.link_id, title="Simulator activity")
        self.set_launch_context_claim(
            offer.context_id, context_title=offer.context_title, context_label="S101"
        )
        if offer.custom:
            self.set_custom_parameters_claim(offer.custom)
        if "expires_in" in PLATFORM.knobs:
            self.set_id_token_expiration(PLATFORM.knobs["expires_in"])

    def get_launch_message(self, include_extra_claims: bool = True) -> dict[str, Any]:
        message = super().get_launch_message(include_extra_claims)
        for claim in PLATFORM.knobs.get("drop", ()):
            message.pop(claim, None)
        return message

    def generate_launch_request(self) -> Any:
        launch = super().generate_launch_request()
        if PLATFORM.knobs.get("rogue_key"):
            # Signed with a key the platform does not publish, under its published key's id.
            message, state = self.get_launch_data()
            assert self._registration is not None
            kid = self._registration.get_kid()
            launch = {
                "state": state,
                "id_token": Registration.encode_and_sign(
                    message, PLATFORM.rogue_pem, {"kid": kid}, expiration=300
                ),
            }
        return launch

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> HttpResponse:
        fields = "".join(
            f'<input type="hidden" name="{k}" value="{html.escape(str(launch_data[k]))}">'
            for k in ("id_token", "state")
        )
        return HttpResponse(
            f'<!doctype html><html lang="en"><head><title>Platform</title></head><body>'
            f'<form method="post" action="{html.escape(str(launch_data["launch_url"]))}">'
            f'{fields}<button type="submit">Open the activity</button></form></body></html>'
        )


def start(request: HttpRequest, hint: str) -> HttpResponse:
    """The course page's link: the platform starts the login at the tool."""
    login = Login(request, Conf())
    login.set_lti_message_hint(hint=hint)
    return login.initiate_login(PLATFORM.offers[hint].sub)


@csrf_exempt
def auth(request: HttpRequest) -> HttpResponse:
    """The platform's auth endpoint: the tool sends the browser back here with a nonce."""
    return Launch(DjangoRequest(request), Conf()).lti_launch()


def jwks(request: HttpRequest) -> JsonResponse:
    conf = Conf()
    conf.get_registration()
    return JsonResponse(conf.get_jwks())


urlpatterns = [
    path("platform/start/<str:hint>/", start),
    path("platform/auth/", auth),
    path("platform/jwks/", jwks),
]

FORM_FIELD = re.compile(r'name="(id_token|state)" value="([^"]*)"')
FORM_ACTION = re.compile(r'<form method="post" action="([^"]*)"')


def launch_form(page: str) -> tuple[str, dict[str, str]]:
    """The auto-posted form of the platform's launch page: where it goes and what it sends."""
    action = FORM_ACTION.search(page)
    assert action, page[:500]
    fields = {k: html.unescape(v) for k, v in FORM_FIELD.findall(page)}
    return html.unescape(action.group(1)), fields
