"""The protocol side of a launch, on django-lti and pylti1p3: who is asking, and is it genuine.

django-lti's tool configuration makes a deployment row for any deployment ID a platform names;
here an unknown or switched-off deployment is refused instead, so a bad launch creates nothing.
"""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from lti_tool.models import Key, LtiDeployment
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException, OIDCException

from .problems import LaunchRefused, Problem, from_library

DEPLOYMENT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"


class ToolConfig(DjangoToolConfig):
    """Registrations by issuer and client ID; deployments only as registered and switched on."""

    def find_registration_by_params(self, iss: str, client_id: str, *args: Any, **kwargs: Any):
        try:
            return super().find_registration_by_params(iss, client_id, *args, **kwargs)
        except Key.DoesNotExist:
            raise LaunchRefused(Problem.NO_KEY) from None

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str | None, *args: Any, **kwargs: Any
    ) -> Deployment | None:
        lookups: dict[str, Any] = {
            "registration__issuer": iss,
            "registration__is_active": True,
            "deployment_id": deployment_id,
            "is_active": True,
        }
        if client_id is not None:
            lookups["registration__client_id"] = client_id
        self.deployment = LtiDeployment.objects.filter(**lookups).first()
        if self.deployment is None:
            return None
        return Deployment().set_deployment_id(deployment_id)


def login_response(request: HttpRequest, params: Any) -> HttpResponse:
    """Answer the platform's login initiation: back to its auth URL with a state and a nonce."""
    target = params.get("target_link_uri")
    if not target:
        raise LaunchRefused(Problem.MISSING_CLAIM, "the target link URI")
    oidc = DjangoOIDCLogin(request, ToolConfig(), launch_data_storage=DjangoCacheDataStorage())
    try:
        return oidc.redirect(target)
    except (OIDCException, LtiException) as err:
        raise from_library(str(err)) from None


def validated_launch(request: HttpRequest) -> DjangoMessageLaunch:
    """The launch posted to us, with every check of the library passed, or LaunchRefused."""
    launch = DjangoMessageLaunch(
        request, ToolConfig(), launch_data_storage=DjangoCacheDataStorage()
    )
    try:
        launch.validate()
    except LtiException as err:
        raise from_library(str(err)) from None
    return launch


def claims_for_log(request: HttpRequest) -> dict[str, str]:
    """What a refusal's log line names: the issuer and deployment the token claims, read
    without trusting it, never the token itself."""
    token = request.POST.get("id_token", "")
    body: dict[str, Any] = {}
    parts = token.split(".")
    if len(parts) == 3:
        try:
            decoded = json.loads(DjangoMessageLaunch.urlsafe_b64decode(parts[1]))
        except ValueError:
            decoded = None
        body = decoded if isinstance(decoded, dict) else {}
    iss = request.POST.get("iss") or request.GET.get("iss") or body.get("iss", "")
    deployment = body.get(DEPLOYMENT_CLAIM) or request.GET.get("lti_deployment_id", "")
    return {"issuer": str(iss)[:200], "deployment": str(deployment)[:200]}
