"""The tool's key pair: made and rotated by `manage.py rotate_keys`, published at /lti/jwks/."""

from io import StringIO

import pytest
from django.core.management import call_command
from lti_tool.models import Key

from tests.lti.conftest import launch
from tests.lti.test_launch import teacher

pytestmark = pytest.mark.django_db


def test_rotate_keys_makes_a_key_the_key_set_publishes_without_its_private_half(client):
    call_command("rotate_keys", stdout=StringIO())

    keys = client.get("/lti/jwks/").json()["keys"]

    assert [k["kid"] for k in keys] == [str(Key.objects.get())]
    assert keys[0]["alg"] == "RS256" and "d" not in keys[0] and "p" not in keys[0]


def test_rotating_keeps_the_old_key_published_until_it_is_deactivated(client):
    call_command("rotate_keys", stdout=StringIO())
    call_command("rotate_keys", "--deactivate-after=0", stdout=StringIO())

    keys = client.get("/lti/jwks/").json()["keys"]

    assert len(keys) == 1 and Key.objects.count() == 2


def test_a_launch_before_any_key_was_made_says_who_makes_one(registered, client, scenario_slug):
    Key.objects.all().delete()

    response = launch(client, teacher(scenario_slug))

    assert response.status_code == 400
    assert 'data-problem="no_key"' in response.content.decode()
    assert "rotate_keys" in response.content.decode()
