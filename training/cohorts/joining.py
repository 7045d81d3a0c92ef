"""Joining a cohort: through its invitation link (a new sign-up or a signed-in person), or by
accepting the invitation a trainer's import sent to someone who has a login already."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .errors import CohortCode
from .models import Cohort, CohortAction, Invitation, JoinedBy, LoginInvitation, Membership
from .services import invitation_refusal, record, refuse
from .verification import ask_to_verify


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

    The form has checked the username and the password (Django's validators) already. The email
    is theirs only once they open the link sent to it (`verification`): until then it is pending.
    """
    person = User.objects.create_user(username=username, email="", password=password)
    person.pending_email = User.objects.normalize_email(email)
    person.save(update_fields=["pending_email"])
    _join(person=person, invitation=invitation)
    ask_to_verify(person)
    return person


@transaction.atomic
def join_through_invitation(*, actor: User, invitation: Invitation) -> Membership:
    """A person who already has a login takes a seat."""
    return _join(person=actor, invitation=invitation)


def open_login_invitations(person: User):
    return LoginInvitation.objects.filter(person=person, answered_at__isnull=True).select_related(
        "cohort", "invited_by"
    )


def _answer(*, actor: User, invitation: LoginInvitation, accept: bool) -> LoginInvitation:
    invitation = LoginInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.person_id != actor.pk:
        refuse(CohortCode.NOT_YOUR_COHORT, "This invitation is for someone else.")
    if invitation.answered_at is not None:
        if invitation.accepted == accept:
            return invitation  # a repeat: nothing changes
        refuse(CohortCode.ALREADY_ANSWERED, "You answered this invitation already.")
    invitation.answered_at, invitation.accepted = timezone.now(), accept
    invitation.save(update_fields=["answered_at", "accepted"])
    cohort = invitation.cohort
    if accept:
        Membership.objects.get_or_create(
            cohort=cohort, trainee=actor, defaults={"joined_by": JoinedBy.IMPORT}
        )
    record(
        actor=actor,
        cohort=cohort,
        action=CohortAction.ACCEPT if accept else CohortAction.DECLINE,
        subject=actor.get_username(),
        params={"login_invitation": invitation.pk},
    )
    return invitation


@transaction.atomic
def accept_login_invitation(*, actor: User, invitation: LoginInvitation) -> LoginInvitation:
    """The invited person joins the cohort: its trainers see the attempts made for it."""
    return _answer(actor=actor, invitation=invitation, accept=True)


@transaction.atomic
def decline_login_invitation(*, actor: User, invitation: LoginInvitation) -> LoginInvitation:
    """The invited person says no: they do not join, and the trainer sees it was declined."""
    return _answer(actor=actor, invitation=invitation, accept=False)


@transaction.atomic
def join_from_platform(*, person: User, cohort: Cohort) -> Membership:
    """A learner the course's learning platform sent (an LTI launch or its roster): the platform
    vouches for them, so no invitation or seat is needed. A repeat changes nothing."""
    membership, created = Membership.objects.get_or_create(
        cohort=cohort, trainee=person, defaults={"joined_by": JoinedBy.PLATFORM}
    )
    if created:
        record(
            actor=person,
            cohort=cohort,
            action=CohortAction.JOIN,
            subject=person.get_username(),
            params={"via": "learning platform"},
        )
    return membership
