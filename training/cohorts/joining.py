"""Joining a cohort: through its invitation link (a new sign-up or a signed-in person)."""

from django.db import transaction

from accounts.models import User

from .errors import CohortCode
from .models import CohortAction, Invitation, JoinedBy, Membership
from .services import invitation_refusal, record, refuse


def usable_invitation(token: str) -> Invitation:
    """The invitation a link names, refused with its reason when it cannot be used now.

    Raises Invitation.DoesNotExist for a token no invitation has (the page is not there).
    """
    invitation = Invitation.objects.select_related("cohort").get(token=token)
    invitation_refusal(invitation, used=invitation.memberships.count())
    return invitation


def _join(*, person: User, invitation: Invitation) -> Membership:
    """Take a seat, under the invitation's row lock so two sign-ups cannot take the last one."""
    invitation = (
        Invitation.objects.select_for_update().select_related("cohort").get(pk=invitation.pk)
    )
    invitation_refusal(invitation, used=invitation.memberships.count())
    cohort = invitation.cohort
    if Membership.objects.filter(cohort=cohort, trainee=person).exists():
        refuse(CohortCode.ALREADY_IN_COHORT, f"You are already in {cohort.name}.")
    membership = Membership.objects.create(
        cohort=cohort, trainee=person, joined_by=JoinedBy.INVITATION, invitation=invitation
    )
    record(
        actor=person,
        cohort=cohort,
        action=CohortAction.JOIN,
        subject=person.get_username(),
        params={"invitation": invitation.pk},
    )
    return membership


@transaction.atomic
def sign_up_through_invitation(
    *, invitation: Invitation, username: str, email: str, password: str
) -> User:
    """A new person: their login, then their seat in the cohort; both or neither.

    The form has checked the username and the password (Django's validators) already.
    """
    person = User.objects.create_user(username=username, email=email, password=password)
    _join(person=person, invitation=invitation)
    return person


@transaction.atomic
def join_through_invitation(*, actor: User, invitation: Invitation) -> Membership:
    """A person who already has a login takes a seat."""
    return _join(person=actor, invitation=invitation)
