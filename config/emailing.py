"""The email backend production may start with: a real one (SMTP), or explicitly none.

Password reset, set-password and verification emails carry tokens, so production never sends
them through a backend that prints, stores or drops them unseen (config.settings.prod).
"""

from django.core.exceptions import ImproperlyConfigured

# Backends that deliver nothing, or write each link where others read it (the console is the
# process's log): production refuses them, since the links carry tokens.
NOT_DELIVERING = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
SANDBOX_ONLY_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


def production_email_backend(backend: str, *, sandbox_only: bool, deliver: bool) -> str:
    """The backend production sends its emails with, or ImproperlyConfigured saying what to set.

    Password reset, set-password and verification emails carry tokens: production sends them
    through a real backend (SMTP), or, said explicitly with EMAILS_SANDBOX_ONLY=1, sends none.
    """
    backend = backend.strip()
    if sandbox_only:
        if backend:
            raise ImproperlyConfigured(
                "EMAILS_SANDBOX_ONLY=1 (send no email) and EMAIL_BACKEND say different things: "
                "set one of them."
            )
        if deliver:
            raise ImproperlyConfigured(
                "EMAILS_SANDBOX_ONLY=1 sends no email, but DELIVER_EMAIL=1 asks to deliver the "
                "platform's emails: turn one of them off."
            )
        return SANDBOX_ONLY_BACKEND
    if not backend:
        raise ImproperlyConfigured(
            "EMAIL_BACKEND is not set: production emails password reset and set-password links. "
            "Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (with EMAIL_HOST, "
            "EMAIL_PORT...), or EMAILS_SANDBOX_ONLY=1 to send no email at all."
        )
    if backend in NOT_DELIVERING:
        raise ImproperlyConfigured(
            f"EMAIL_BACKEND={backend} is not a real email backend: it would print the links' "
            "tokens to the log, a file or nowhere. Use SMTP, or EMAILS_SANDBOX_ONLY=1."
        )
    return backend
