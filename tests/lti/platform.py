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
from lti1p3platform.framework.django.response import wrap_json_resp
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
)

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
    deep_link: bool = False  # an instructor adding an activity (a deep-linking request)


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
    # The grade book: per line item (the link's id), per user (sub), the last score taken.
    grade_book: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    content_items: list[dict[str, Any]] = field(default_factory=list)  # links the tool returned
    roster: list[dict[str, Any]] = field(default_factory=list)  # the course's members (NRPS)


PLATFORM = State()


def reset(base_url: str, tool_keys: dict[str, Any]) -> None:
    if not PLATFORM.private_pem:
        PLATFORM.private_pem, PLATFORM.public_pem = _pem_pair()
        PLATFORM.rogue_pem, _ = _pem_pair()
    PLATFORM.base_url = base_url
    PLATFORM.offers.clear()
    PLATFORM.knobs.clear()
    PLATFORM.grade_book.clear()
    PLATFORM.content_items.clear()
    PLATFORM.roster.clear()
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
            .set_deeplink_launch_url(f"{tool}/lti/launch/")
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
        self.set_ags(
            lineitems_url=f"{PLATFORM.base_url}/platform/lineitems",
            lineitem_url=lineitem_url(offer.link_id),
            allow_creating_lineitems=False,
        )
        self.set_nrps(f"{PLATFORM.base_url}/platform/memberships/{offer.context_id}")
        if offer.deep_link:
            self.set_dl(url("deep-link-return"), title="Add an activity")
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
            f'<!doctype html><html lang="en"><head><title>Platform</title></head><body><main>'
            f"<h1>Seller onboarding 101</h1>"
            f'<form method="post" action="{html.escape(str(launch_data["launch_url"]))}">'
            f'{fields}<button type="submit">Open the activity</button></form></main></body></html>'
        )


def lineitem_url(link_id: str) -> str:
    return f"{PLATFORM.base_url}/platform/lineitems/{link_id}"


class GradeBook(AssignmentsGradesService):
    """The platform's Assignment and Grade Services: one line item per link; scores kept by
    user, an older timestamp than the one kept refused (as the specification asks)."""

    def update_score(self, line_item_id: str, score: Any) -> UpdateScoreStatus:
        column = PLATFORM.grade_book.setdefault(line_item_id, {})
        kept = column.get(score["userId"])
        if kept and kept["timestamp"] > score["timestamp"]:
            return UpdateScoreStatus.OLD_TIMESTAMP
        column[score["userId"]] = score
        return UpdateScoreStatus.SUCCESS

    def get_results(self, line_item_id: str, page: int = 1, limit: Any = None, user_id: Any = None):
        column = PLATFORM.grade_book.get(line_item_id, {})
        results = [
            {
                "userId": user,
                "resultScore": s["scoreGiven"],
                "resultMaximum": s["scoreMaximum"],
                "comment": s.get("comment", ""),
                "scoreOf": lineitem_url(line_item_id),
            }
            for user, s in column.items()
            if user_id is None or user == user_id
        ]
        return {"content": results, "has_next": False, "next": None}

    def find_lineitems(self, *args: Any, **kwargs: Any) -> Any:
        return {"content": [], "has_next": False, "next": None}

    def find_lineitem(self, line_item_id: str) -> Any:
        return {"id": lineitem_url(line_item_id), "scoreMaximum": 100, "label": line_item_id}

    def create_lineitem(self, creation_data: Any) -> Any:
        raise NotImplementedError

    def update_lineitem(self, update_data: Any) -> Any:
        raise NotImplementedError

    def delete_lineitem(self, line_item_id: str) -> None:
        raise NotImplementedError


class Roster(NamesRoleProvisioningService):
    def get_member_data_page(self, *args: Any, **kwargs: Any) -> Any:
        return {"content": [dict(m) for m in PLATFORM.roster], "has_next": False, "next": None}

    def get_context_by_id(self) -> Context:
        return Context(id="course-101", label="S101", title="Seller onboarding 101")


def memberships(request: HttpRequest, context_id: str) -> HttpResponse:
    if unavailable := down():
        return unavailable
    conf = Conf()
    conf.get_registration()
    url = f"{PLATFORM.base_url}/platform/memberships/{context_id}"
    return wrap_json_resp(Roster(DjangoRequest(request), conf, url).handle_get_members())


def down() -> HttpResponse | None:
    if PLATFORM.knobs.get("down"):
        return HttpResponse("The learning platform is down for maintenance.", status=503)
    return None


@csrf_exempt
def token(request: HttpRequest) -> HttpResponse:
    """The platform's OAuth2 token endpoint (client credentials with a signed assertion)."""
    if unavailable := down():
        return unavailable
    conf = Conf()
    conf.get_registration()
    return JsonResponse(conf.get_access_token(request.POST.dict()))


@csrf_exempt
def scores(request: HttpRequest, item: str) -> HttpResponse:
    if unavailable := down():
        return unavailable
    conf = Conf()
    conf.get_registration()
    book = GradeBook(DjangoRequest(request), conf, f"{PLATFORM.base_url}/platform/lineitems")
    return wrap_json_resp(book.handle_update_score(item))


@csrf_exempt
def deep_link_return(request: HttpRequest) -> HttpResponse:
    """Where the tool sends the instructor back with the links they picked (signed by it)."""
    conf = Conf()
    conf.get_registration()
    PLATFORM.content_items.extend(conf.validate_deeplinking_resp(request.POST.dict()))
    return HttpResponse(
        '<!doctype html><html lang="en"><head><title>Platform</title></head><body><main>'
        "<h1>The activity was added to the course.</h1></main></body></html>"
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
    path("platform/token/", token),
    path("platform/deep-link-return/", deep_link_return),
    path("platform/memberships/<str:context_id>", memberships),
    path("platform/lineitems/<str:item>/scores", scores),
]

FORM_FIELD = re.compile(r'name="(id_token|state)" value="([^"]*)"')
FORM_ACTION = re.compile(r'<form method="post" action="([^"]*)"')


def launch_form(page: str) -> tuple[str, dict[str, str]]:
    """The auto-posted form of the platform's launch page: where it goes and what it sends."""
    action = FORM_ACTION.search(page)
    assert action, page[:500]
    fields = {k: html.unescape(v) for k, v in FORM_FIELD.findall(page)}
    return html.unescape(action.group(1)), fields
