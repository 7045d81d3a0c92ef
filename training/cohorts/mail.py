"""The emails of cohorts, sent through EMAIL_BACKEND (they are not a sandbox's inbox mail)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from lifecycle.conf import setting

from .models import Cohort


def send_set_password_email(*, person: User, cohort: Cohort, uid: str, token: str) -> None:
    link = setting("SITE_URL").rstrip("/") + reverse(
        "password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )
    body = render_to_string(
        "training/emails/set_password.txt", {"person": person, "cohort": cohort, "link": link}
    )
    send_mail(
        f"You are in {cohort.name}: set your password",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [person.email],
    )


def send_login_invitation_email(*, person: User, cohort: Cohort, trainer: User | None) -> None:
    """No secret in it: the person signs in with their own login to accept or decline."""
    link = setting("SITE_URL").rstrip("/") + reverse("sandbox_list")
    body = render_to_string(
        "training/emails/login_invitation.txt",
        {"person": person, "cohort": cohort, "trainer": trainer, "link": link},
    )
    send_mail(
        f"You are invited to {cohort.name}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [person.email],
    )
