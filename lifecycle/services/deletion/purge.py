"""Removing a finalized account's data and blanking its personal details on the timeline."""

from django.db import transaction
from django.db.models import QuerySet

from accounts.models import AccountStatus, SellerAccount
from lifecycle.conf import setting
from lifecycle.models import (
    ExportJob,
    InboxMessage,
    TimelineEvent,
)
from lifecycle.redaction import PERSONAL_KEYS, REDACTED, scrub_params
from shops.models import (
    Campaign,
    Customer,
    Inquiry,
    Order,
    Product,
)
from studio.models import LiveSession, Video

from ..exports import remove_export_files

__all__ = ["PERSONAL_KEYS", "REDACTED", "bulk_data", "purge_account_data", "scrub_timeline"]


def bulk_data(account: SellerAccount | int) -> list[tuple[str, QuerySet]]:
    """The account's commerce rows that can be many, in an order that deletes no row twice."""
    pk = account.pk if isinstance(account, SellerAccount) else account
    return [
        ("orders", Order.objects.filter(account_id=pk)),
        ("inquiries", Inquiry.objects.filter(account_id=pk)),
        ("customers", Customer.objects.filter(account_id=pk)),
        ("campaigns", Campaign.objects.filter(account_id=pk)),
        ("products", Product.objects.filter(account_id=pk)),
        # The shop's videos (their product links go with them) and live sessions.
        ("videos", Video.objects.filter(account_id=pk)),
        ("live_sessions", LiveSession.objects.filter(account_id=pk)),
    ]


def purge_account_data(account: SellerAccount) -> dict[str, int]:
    """Delete the account's few rows and files; count the bulk rows `purge_deleted_account`
    removes after the commit. Returns how many of each kind go."""
    removed: dict[str, int] = {}
    remove_export_files(account.exports.all())
    for label, queryset in bulk_data(account):
        removed[label] = queryset.count()
    for label, queryset in (
        ("exports", ExportJob.objects.filter(account=account)),
        ("inbox", InboxMessage.objects.filter(account=account)),
        ("app_authorizations", account.app_authorizations.all()),
    ):
        removed[label] = queryset.count()
        queryset.delete()
    return removed


def purge_deleted_account(account_id: int, *, batch_size: int | None = None) -> int:
    """Remove a deleted account's remaining rows, one short transaction per batch.

    Each batch takes rows with SKIP LOCKED, so two workers purging the same account share the
    rows instead of waiting on each other. Returns how many top-level rows went.
    """
    batch_size = batch_size or setting("PURGE_BATCH_SIZE")
    if not SellerAccount.objects.filter(pk=account_id, status=AccountStatus.DELETED).exists():
        return 0  # only a finalized account is purged
    total = 0
    for _label, queryset in bulk_data(account_id):
        while True:
            with transaction.atomic():
                ids = list(
                    queryset.select_for_update(skip_locked=True)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:batch_size]
                )
                if not ids:
                    break
                queryset.model.objects.filter(pk__in=ids).delete()
                total += len(ids)
    return total


def scrub_timeline(account: SellerAccount) -> None:
    """Blank the personal details in the account's events; the events themselves stay."""
    for event in TimelineEvent.objects.filter(account=account, scrubbed=False).only("params"):
        params = scrub_params(event.params)
        TimelineEvent.objects.filter(pk=event.pk).update(params=params, scrubbed=True)
