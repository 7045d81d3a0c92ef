"""The test platform served over loopback, and the simulator's registration of it."""

import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.test import Client
from lti_tool.models import Key, LtiDeployment

from lti.models import Platform
from tests.lti import platform
from training.cohorts import catalogue


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def platform_server() -> Iterator[str]:
    """The platform's endpoints at a loopback address (the same Django, in a thread). Its
    views keep their state in memory, so the tests' unfinished transactions do not matter."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def scenario_slug() -> str:
    """A scenario a course's learners can play."""
    return next(iter(catalogue.assignable(catalogue.scenarios())))


@pytest.fixture
def registered(db, platform_server, settings) -> Platform:
    settings.ROOT_URLCONF = "tests.lti.urls"
    return register_platform(platform_server)


def register_platform(base_url: str) -> Platform:
    """The platform at `base_url` registered in the simulator (as support staff would in the
    admin), the tool's key pair made (`manage.py rotate_keys`), and the platform reset."""
    key = Key.objects.generate()
    platform.reset(base_url, {"keys": [key.as_jwk()]})
    registration = Platform.objects.create(
        name="Test LMS",
        issuer=platform.PLATFORM.issuer,
        client_id=platform.CLIENT_ID,
        auth_url=platform.url("auth"),
        token_url=platform.url("token"),
        keyset_url=platform.url("jwks"),
    )
    LtiDeployment.objects.create(
        registration=registration, deployment_id=platform.DEPLOYMENT_ID, is_active=True
    )
    return registration


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def launch(client: Client, offer: platform.Offer, hint: str = "") -> Any:
    """A person clicks the course's link: the platform starts the login, the tool sends the
    browser to the platform's auth endpoint, the platform posts the signed launch back.
    Returns the tool's answer to that post."""
    hint = hint or f"{offer.sub}-{offer.link_id}"
    platform.PLATFORM.offers[hint] = offer
    started = client.get(f"/platform/start/{hint}/")
    assert started.status_code == 302, started
    login = client.get(local(started["Location"]))
    if login.status_code != 302:
        return login  # refused at login initiation
    page = client.get(local(login["Location"]))
    assert page.status_code == 200, page.content[:300]
    action, fields = platform.launch_form(page.content.decode())
    response = client.post(local(action), fields)
    response.launch_fields = fields  # type: ignore[attr-defined]
    return response
