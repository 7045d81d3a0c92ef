"""Every email the platform sends lands in the sandbox's inbox (RULEBOOK §2), once.

A message is identified by its dedupe key within its sandbox: a retried or duplicated job that
sends the same message again finds it stored already and sends nothing. When
SIMULATOR["DELIVER_EMAIL"] is on, a new message also goes through Django's EMAIL_BACKEND after the
transaction commits (SMTP by setting EMAIL_BACKEND), so a rolled-back job mails nobody.
"""

import logging
from urllib.parse import urljoin

from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from accounts.models import Sandbox, SellerAccount
from lifecycle.conf import setting
from lifecycle.models import InboxMessage

log = logging.getLogger(__name__)


def send_platform_email(
    *,
    sandbox: Sandbox,
    account: SellerAccount | None,
    kind: str,
    to: str,
    subject: str,
    body: str,
    dedupe_key: str,
    links: list[dict[str, str]] | None = None,
) -> tuple[InboxMessage, bool]:
    """Store the message in the inbox unless it is there already; return (message, sent_now)."""
    existing = InboxMessage.objects.filter(sandbox=sandbox, dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            message = InboxMessage.objects.create(
                sandbox=sandbox,
                account=account,
                kind=kind,
                to=to,
                subject=subject,
                body=body,
                links=links or [],
                sent_at=sandbox.now(),
                dedupe_key=dedupe_key,
            )
    except IntegrityError:  # a concurrent job stored it between our look and our insert
        return InboxMessage.objects.get(sandbox=sandbox, dedupe_key=dedupe_key), False
    if setting("DELIVER_EMAIL") and to:
        transaction.on_commit(lambda: _deliver(message), robust=True)
    return message, True


def _deliver(message: InboxMessage) -> None:
    # Inbox links are paths within the simulator; a real mailbox needs the site's address.
    site = setting("SITE_URL")
    text = message.body
    if message.links:
        text += "\n\n" + "\n".join(
            f"{link['label']}: {urljoin(site, link['url'])}" for link in message.links
        )
    send_mail(message.subject, text, None, [message.to])
    log.info("delivered inbox message %s to the email backend", message.pk)
