"""Brute-force protection on /login/ and /admin/login/ (django-axes, OWASP ASVS 6.1.1 / 6.3.1).

A username is paused only from the address that kept failing; the pause lifts by itself after
the cool-off, and support staff can lift it at once in the admin.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import ensure_support_group
from tests.support_admin import changelist, client_for

ATTACKER = "203.0.113.7"
HOME = "198.51.100.20"
PASSWORD = "correct-horse-9"


def sign_in(client: Client, password: str, *, username="trainee", at=ATTACKER, path=None):
    return client.post(
        path or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=at,
    )


def fail_until_locked(client: Client, *, username="trainee", at=ATTACKER, path=None):
    answers = [
        sign_in(client, "wrong-guess", username=username, at=at, path=path).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    return answers


def test_a_few_failures_are_only_form_errors(client, trainee):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "wrong-guess")
        assert response.status_code == 200
        assert response.context["form"].errors
    # The right password still works before the limit, and clears the count.
    assert sign_in(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="trainee").exists()


def test_the_limit_pauses_the_username_from_that_address_and_says_until_when(client, trainee):
    answers = fail_until_locked(client)
    assert answers[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert answers[-1] == 429
    # Now even the right password is refused, with when to try again.
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    attempt = AccessAttempt.objects.get(username="trainee", ip_address=ATTACKER)
    retry = attempt.attempt_time + settings.AXES_COOLOFF_TIME
    assert "Sign-in paused" in page
    assert f"Try again in {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in page
    assert retry.strftime("%H:%M") in page
    assert "_auth_user_id" not in client.session


def test_tries_while_paused_do_not_push_the_pause_further(client, trainee):
    fail_until_locked(client)
    locked_at = AccessAttempt.objects.get(username="trainee").attempt_time
    for _ in range(3):
        assert sign_in(client, "wrong-guess").status_code == 429
    assert AccessAttempt.objects.get(username="trainee").attempt_time == locked_at


def test_the_attacker_cannot_lock_the_person_out_from_their_own_address(client, trainee):
    fail_until_locked(client)
    elsewhere = Client()
    assert sign_in(elsewhere, PASSWORD, at=HOME).status_code == 302


def test_other_usernames_from_the_same_address_are_not_paused(client, trainee, other_trainee):
    fail_until_locked(client)
    assert sign_in(Client(), "another-horse-9", username="other").status_code == 302


def test_the_pause_lifts_after_the_cool_off(client, trainee):
    fail_until_locked(client)
    assert sign_in(client, PASSWORD).status_code == 429
    past = AccessAttempt.objects.get(username="trainee").attempt_time - settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.filter(username="trainee").update(
        attempt_time=past - timedelta(seconds=1)
    )
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_admin_sign_in_is_protected_the_same_way(client, staff_user):
    path = reverse("admin:login")
    answers = fail_until_locked(client, username="agent", path=path)
    assert answers[-1] == 429
    response = sign_in(client, "agent-pass-9", username="agent", path=path)
    assert response.status_code == 429
    assert reverse("admin:login") in response.content.decode()  # its "back" link


@pytest.fixture
def support_agent(db) -> User:
    agent = User.objects.create_user("helper", "helper@example.com", "helper-pass-9", is_staff=True)
    agent.groups.add(ensure_support_group())
    return agent


def test_support_staff_see_the_pause_and_lift_it(client, trainee, support_agent):
    fail_until_locked(client)
    staff = client_for(support_agent)
    listing = staff.get(changelist("axes.accessattempt"))
    assert listing.status_code == 200 and "trainee" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="trainee")
    response = staff.post(
        changelist("axes.accessattempt"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, PASSWORD).status_code == 302


def test_staff_without_the_permission_cannot_lift_a_pause(client, trainee):
    fail_until_locked(client)
    plain = User.objects.create_user("plain", "plain@example.com", "plain-pass-9", is_staff=True)
    staff = client_for(plain)
    assert staff.get(changelist("axes.accessattempt")).status_code == 403
    attempt = AccessAttempt.objects.get(username="trainee")
    staff.post(
        changelist("axes.accessattempt"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_the_stored_attempt_never_keeps_the_password(client, trainee):
    fail_until_locked(client)
    attempt = AccessAttempt.objects.get(username="trainee")
    assert "wrong-guess" not in attempt.post_data


def test_a_username_typed_in_fullwidth_letters_is_the_same_lockout(client, trainee):
    """“ｔｒａｉｎｅｅ” is “trainee” once NFKC-normalised, as the sign-in form does: one count."""
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in "trainee")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong-guess", username=fullwidth if n % 2 else "trainee")
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("trainee", settings.AXES_FAILURE_LIMIT)
    ]
    assert sign_in(client, PASSWORD, username=fullwidth).status_code == 429
    assert sign_in(client, PASSWORD).status_code == 429
