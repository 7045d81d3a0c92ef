"""Sign-up verifies the email: the address counts (for an import, a password reset) only once
the link sent to it is opened; no two logins share an email, whatever its letters' case."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import User
from training.cohorts.importing import MAY_NOT_ADD, BadImport, import_trainees
from training.cohorts.verification import verification_path

SIGN_UP = {
    "username": "victim01",
    "email": "victim01@corp.example",
    "password1": "sturdy-lantern-42",
    "password2": "sturdy-lantern-42",
}


def sign_up(client, invitation, django_capture_on_commit_callbacks, **change) -> User:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("join", args=[invitation.token]), {**SIGN_UP, **change})
    assert response.status_code == 302
    return User.objects.get(username=change.get("username", SIGN_UP["username"]))


def emailed_link(to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [to])
    return next(w for w in message.body.split() if "/email/verify/" in w).split("://", 1)[1]


def test_sign_up_sends_a_link_to_the_email_and_opening_it_verifies_it(
    client, invitation, django_capture_on_commit_callbacks
):
    person = sign_up(client, invitation, django_capture_on_commit_callbacks)
    assert (person.email, person.pending_email) == ("", "victim01@corp.example")
    home = client.get(reverse("sandbox_list")).content.decode()
    assert "Confirm your email" in home and "victim01@corp.example" in home
    path = "/" + emailed_link("victim01@corp.example").split("/", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "victim01@corp.example" in page.content.decode()
    person.refresh_from_db()
    assert person.email == ""  # opening the page changes nothing: its button does
    assert client.post(path).status_code == 302
    person.refresh_from_db()
    assert (person.email, person.pending_email) == ("victim01@corp.example", "")
    assert "Confirm your email" not in client.get(reverse("sandbox_list")).content.decode()
    # The link works once.
    again = client.post(path)
    assert again.status_code == 400 and "no longer works" in again.content.decode()


def test_someone_else_signing_up_with_your_email_is_never_matched_or_adopted(
    client, trainer, cohort, invitation, django_capture_on_commit_callbacks
):
    """The attack: a sign-up claims victim01's address before the trainer imports it."""
    attacker = sign_up(client, invitation, django_capture_on_commit_callbacks)
    path = "/" + emailed_link("victim01@corp.example").split("/", 1)[1]
    # The import does not match the unverified login by its email, nor adopt it.
    with pytest.raises(BadImport) as refused:
        import_trainees(
            actor=trainer, cohort=cohort, text="username,email\nvictim01,victim01@corp.example\n"
        )
    assert refused.value.errors == [(2, MAY_NOT_ADD)]
    # A reset asked for that address sends nothing to the attacker's login.
    mail.outbox.clear()
    client.post(reverse("password_reset"), {"email": "victim01@corp.example"})
    assert mail.outbox == []
    # Under another username the real person gets a login of their own, emailed to them.
    with django_capture_on_commit_callbacks(execute=True):
        report = import_trainees(
            actor=trainer, cohort=cohort, text="username,email\nvictim,VICTIM01@corp.example\n"
        )
    assert report.created == ["victim"] and mail.outbox[-1].to == ["VICTIM01@corp.example"]
    # The attacker's link (had they the mailbox) cannot take the address now.
    refused_page = client.post(path)
    assert refused_page.status_code == 409
    assert "already the email of another login" in refused_page.content.decode()
    attacker.refresh_from_db()
    assert attacker.email == ""


def test_the_link_is_refused_for_another_login_or_a_changed_address(
    client, invitation, trainee, django_capture_on_commit_callbacks
):
    person = sign_up(client, invitation, django_capture_on_commit_callbacks)
    path = verification_path(person)
    User.objects.filter(pk=person.pk).update(pending_email="other@corp.example")
    assert client.post(path).status_code == 400
    forged = path.replace(path.split("/")[3], verification_path(trainee).split("/")[3])
    assert client.post(forged).status_code == 400
    person.refresh_from_db()
    trainee.refresh_from_db()
    assert person.email == "" and trainee.email == "trainee@example.com"


def test_the_link_can_be_sent_again(client, invitation, django_capture_on_commit_callbacks):
    sign_up(client, invitation, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("email_verification_resend")).status_code == 302
    assert [m.to for m in mail.outbox] == [["victim01@corp.example"]]


def test_no_two_logins_share_an_email_whatever_the_case(trainee):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("copy", "TRAINEE@Example.com", "x")
    # Logins without an email (an unverified sign-up) are not a clash.
    User.objects.create_user("blank1", "", "x")
    User.objects.create_user("blank2", "", "x")


def test_a_sign_up_with_a_taken_email_is_not_told_whose_it_is(
    client, invitation, trainee, django_capture_on_commit_callbacks
):
    """The form accepts it (saying nothing of the owner); the link then says it is taken."""
    person = sign_up(
        client, invitation, django_capture_on_commit_callbacks, email="Trainee@example.com"
    )
    assert person.email == "" and person.pending_email == "Trainee@example.com"
    response = client.post(verification_path(person))
    assert response.status_code == 409
    assert "trainee" not in response.context["reason"].lower().replace("trainee@example.com", "")
