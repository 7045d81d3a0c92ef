"""Invitation links: sign-up joins the cohort; expired, revoked and full links say why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from lifecycle.errors import LifecycleError
from training.cohorts.errors import CohortCode
from training.cohorts.joining import join_through_invitation, sign_up_through_invitation
from training.cohorts.models import CohortEvent, Invitation, Membership
from training.cohorts.services import create_invitation, revoke_invitation

SIGN_UP = {
    "username": "newcomer",
    "email": "newcomer@example.com",
    "password1": "sturdy-lantern-42",
    "password2": "sturdy-lantern-42",
}


def join_url(invitation: Invitation) -> str:
    return reverse("join", args=[invitation.token])


def test_sign_up_through_a_valid_link_joins_the_cohort_and_signs_in(client, invitation):
    page = client.get(join_url(invitation))
    assert page.status_code == 200 and invitation.cohort.name in page.content.decode()

    response = client.post(join_url(invitation), SIGN_UP)

    assert response.status_code == 302 and response["Location"] == reverse("sandbox_list")
    person = User.objects.get(username="newcomer")
    assert person.check_password("sturdy-lantern-42")
    # The email counts once its link is opened (tests/training/test_email_verification.py).
    assert (person.email, person.pending_email) == ("", "newcomer@example.com")
    membership = Membership.objects.get(trainee=person)
    assert membership.cohort == invitation.cohort and membership.invitation == invitation
    assert client.get(reverse("sandbox_list")).wsgi_request.user == person
    assert list(invitation.cohort.events.values_list("action", flat=True))[:1] == ["join"]


def test_the_password_goes_through_djangos_validators(client, invitation):
    weak = {**SIGN_UP, "password1": "password", "password2": "password"}
    response = client.post(join_url(invitation), weak)
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_a_taken_username_is_refused_by_the_form(client, invitation, trainee):
    response = client.post(join_url(invitation), {**SIGN_UP, "username": trainee.username})
    assert response.status_code == 400
    assert Membership.objects.count() == 0


@pytest.mark.parametrize(
    ("spoil", "status", "code", "sentence"),
    [
        ("expire", 410, CohortCode.INVITATION_EXPIRED, "This invitation link expired on"),
        ("revoke", 410, CohortCode.INVITATION_REVOKED, "withdrawn by the trainer"),
        ("fill", 409, CohortCode.INVITATION_FULL, "All 2 seats of this invitation are taken"),
    ],
)
def test_a_spoilt_link_is_refused_with_its_reason(
    client, trainer, invitation, spoil, status, code, sentence
):
    if spoil == "expire":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    elif spoil == "revoke":
        revoke_invitation(actor=trainer, invitation=invitation)
    else:
        for n in range(2):
            sign_up_through_invitation(
                invitation=invitation, username=f"p{n}", email=f"p{n}@example.com", password="x"
            )
    invitation.refresh_from_db()
    members = Membership.objects.count()

    for response in (client.get(join_url(invitation)), client.post(join_url(invitation), SIGN_UP)):
        assert response.status_code == status
        assert sentence in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()
    assert Membership.objects.count() == members
    with pytest.raises(LifecycleError) as refused:
        sign_up_through_invitation(
            invitation=invitation, username="late", email="late@example.com", password="x"
        )
    assert refused.value.code == code
    assert not User.objects.filter(username="late").exists()  # the login is rolled back too


def test_one_seat_says_so_in_the_singular(trainer, cohort):
    one = create_invitation(actor=trainer, cohort=cohort, seats=1, valid_for=timedelta(days=1))
    sign_up_through_invitation(invitation=one, username="a", email="a@example.com", password="x")
    with pytest.raises(LifecycleError, match="The seat of this invitation is taken"):
        sign_up_through_invitation(invitation=one, username="b", email="b@x.com", password="x")


def test_an_unknown_link_is_not_there(client, db):
    assert client.get(reverse("join", args=["no-such-token"])).status_code == 404


def test_a_signed_in_person_joins_with_their_login(client, trainee, invitation):
    client.force_login(trainee)
    assert client.get(join_url(invitation)).status_code == 200
    response = client.post(join_url(invitation))
    assert response.status_code == 302
    assert Membership.objects.filter(trainee=trainee, cohort=invitation.cohort).exists()

    again = client.post(join_url(invitation))
    assert again.status_code == 409
    assert "You are already in Spring sellers." in again.content.decode()
    with pytest.raises(LifecycleError) as refused:
        join_through_invitation(actor=trainee, invitation=invitation)
    assert refused.value.code == CohortCode.ALREADY_IN_COHORT


def test_revoking_twice_records_once(trainer, invitation):
    revoke_invitation(actor=trainer, invitation=invitation)
    revoke_invitation(actor=trainer, invitation=invitation)
    assert CohortEvent.objects.filter(action="revoke_invitation").count() == 1


def test_only_the_cohorts_trainers_create_or_revoke_links(other_trainer, cohort, invitation):
    with pytest.raises(LifecycleError) as refused:
        create_invitation(actor=other_trainer, cohort=cohort, seats=1, valid_for=timedelta(1))
    assert refused.value.code == CohortCode.NOT_YOUR_COHORT
    with pytest.raises(LifecycleError):
        revoke_invitation(actor=other_trainer, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
