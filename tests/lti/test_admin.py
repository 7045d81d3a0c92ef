"""Registering a learning platform in the admin: support staff with its own right, no one else."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from lti_tool.models import LtiDeployment

from accounts.models import User
from accounts.roles import SUPPORT_GROUP
from lti.models import Platform
from lti.roles import PLATFORM_ADMINS_GROUP

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Moodle of the academy",
    "issuer": "https://moodle.example.test",
    "client_id": "abc123",
    "is_active": "on",
    "auth_url": "https://moodle.example.test/mod/lti/auth.php",
    "token_url": "https://moodle.example.test/mod/lti/token.php",
    "keyset_url": "https://moodle.example.test/mod/lti/certs.php",
    "audience": "",
    "deployments-TOTAL_FORMS": "1",
    "deployments-INITIAL_FORMS": "0",
    "deployments-MIN_NUM_FORMS": "0",
    "deployments-MAX_NUM_FORMS": "1000",
    "deployments-0-deployment_id": "7",
    "deployments-0-is_active": "on",
}


def agent(*groups: str) -> Client:
    person = User.objects.create_user("agent", password="pw-agent-123", is_staff=True)
    for name in groups:
        person.groups.add(Group.objects.get(name=name))
    client = Client()
    client.force_login(person)
    return client


def test_support_staff_with_the_right_register_a_platform_and_its_deployment():
    client = agent(SUPPORT_GROUP, PLATFORM_ADMINS_GROUP)

    response = client.post("/admin/lti/platform/add/", FORM)

    assert response.status_code == 302, response.content.decode()[:2000]
    platform = Platform.objects.get()
    assert (platform.issuer, platform.client_id) == ("https://moodle.example.test", "abc123")
    deployment = LtiDeployment.objects.get()
    assert (deployment.registration_id, deployment.deployment_id) == (platform.pk, "7")
    assert deployment.is_active


def test_support_staff_without_the_right_cannot_see_or_add_platforms():
    client = agent(SUPPORT_GROUP)

    assert client.get("/admin/lti/platform/").status_code == 403
    assert client.post("/admin/lti/platform/add/", FORM).status_code == 403
    assert not Platform.objects.exists()
    assert "Learning platforms" not in client.get("/admin/").content.decode()
