"""A sign-up's email counts once the link sent to it is opened.

The address waits in `User.pending_email`; the link carries a token that is valid for
PASSWORD_RESET_TIMEOUT and only while the pending address and the email are what they were
when it was made (so it works once). Opening the link's page changes nothing: its button does,
which moves the address to `User.email`, unless another login has it by then.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User

from .errors import CohortCode
from .services import refuse


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "training.cohorts.verification.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{user.pk}{user.pending_email}{user.email}{timestamp}"


tokens = EmailVerificationTokenGenerator()


def verification_path(person: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return reverse("email_verify", kwargs={"uidb64": uid, "token": tokens.make_token(person)})


def send_verification_email(person: User) -> None:
    """To the pending address: the only place the link goes."""
    if not person.pending_email:
        return
    link = str(settings.SIMULATOR["SITE_URL"]).rstrip("/") + verification_path(person)
    body = render_to_string("training/emails/verify_email.txt", {"person": person, "link": link})
    send_mail(
        "Confirm your email for the Seller Center simulator",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [person.pending_email],
    )


def ask_to_verify(person: User) -> None:
    """Send the link once the transaction that set the pending address commits."""
    transaction.on_commit(lambda: send_verification_email(person))


def taken(address: str, *, by_other_than: User) -> bool:
    return (
        User.objects.filter(email__iexact=address).exclude(pk=by_other_than.pk).exists()
        if address
        else False
    )


@transaction.atomic
def verify_email(*, person: User) -> User:
    """The pending address becomes the login's email (the caller has checked the token)."""
    person = User.objects.select_for_update().get(pk=person.pk)
    address = person.pending_email
    if not address:
        return person  # verified already: a repeat
    if taken(address, by_other_than=person):
        refuse(
            CohortCode.EMAIL_TAKEN,
            "This address is already the email of another login: sign in with that login, or "
            "ask for a password reset at this address.",
        )
    person.email, person.pending_email = address, ""
    try:
        with transaction.atomic():
            person.save(update_fields=["email", "pending_email"])
    except IntegrityError:  # taken between the check and the save
        refuse(CohortCode.EMAIL_TAKEN, "This address is already the email of another login.")
    return person
