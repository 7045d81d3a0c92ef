"""The close-account page: the live checklist and what finalization removes and keeps."""

from typing import Any

from accounts.models import AppAuthorization, SellerAccount
from lifecycle.models import TimelineEvent
from lifecycle.services.announcements import announcement_pending, recent_customers
from lifecycle.services.deletion import deletion_checklist
from lifecycle.wording import count
from shops.models import Customer

from .counting import counts as count_rows


def close_account_preview(account: SellerAccount) -> dict[str, Any]:
    """What finalization removes for good, and what remains (RULEBOOK §5); with the customers
    an announcement would reach and whether one is queued. All in one query."""
    counts = count_rows(
        account,
        orders=account.orders.all(),
        products=account.products.all(),
        customers=account.customers.all(),
        inquiries=account.inquiries.all(),
        campaigns=account.campaigns.all(),
        exports=account.exports.all(),
        inbox=account.inbox.all(),
        apps=AppAuthorization.objects.filter(account=account),
        events=TimelineEvent.objects.filter(account=account),
        recipients=Customer.objects.filter(pk__in=recent_customers(account).values("pk")),
        announcement_pending=announcement_pending(account),
    )
    removed = [
        count(counts["products"], "product and its listing", "products and their listings"),
        count(
            counts["orders"],
            "order with its lines and address",
            "orders with their lines and addresses",
        ),
        count(counts["customers"], "customer"),
        count(
            counts["inquiries"],
            "customer inquiry and its reply",
            "customer inquiries and their replies",
        ),
        count(counts["campaigns"], "campaign"),
        count(counts["exports"], "data export and its file", "data exports and their files"),
        count(counts["inbox"], "inbox message"),
        count(counts["apps"], "connected app authorization"),
    ]
    events = counts["events"]
    remains = [
        "an anonymised record that the account existed (no name, no email)",
        f"the timeline ({count(events, 'event')}), with personal details removed",
        "the shops themselves, unlinked, so another account could link them",
    ]
    return {
        "removed": removed,
        "remains": remains,
        "recipients": counts["recipients"],
        "announcement_pending": counts["announcement_pending"],
    }


def close_checklist(
    account: SellerAccount, checklist: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The live checklist before a deletion request, each item with the page that fixes it
    (from `checklist`, `deletion_checklist`'s answer, when the caller read it already)."""
    checklist = checklist or deletion_checklist(account)
    awaiting = checklist["orders_awaiting_shipment"]
    campaigns = checklist["active_campaigns"]
    return [
        {
            "key": "orders",
            "label": "Every order shipped or cancelled",
            "done": not awaiting,
            "blocking": True,
            "detail": f"{len(awaiting)} awaiting shipment" if awaiting else "",
            "fix": "orders",
            "fix_query": "?status=awaiting_shipment",
            "fix_label": "Ship or cancel orders",
        },
        {
            "key": "campaigns",
            "label": "Every campaign ended",
            "done": not campaigns,
            "blocking": True,
            "detail": ", ".join(campaigns[:5]),
            "fix": "campaigns",
            "fix_query": "",
            "fix_label": "End campaigns",
        },
        {
            "key": "exported",
            "label": "Your data exported and downloaded",
            "done": checklist["data_exported"],
            "blocking": False,
            "detail": "",
            "fix": "exports",
            "fix_query": "",
            "fix_label": "Export your data",
        },
        {
            "key": "notified",
            "label": "Customers told the shop is closing",
            "done": checklist["customers_notified"],
            "blocking": False,
            "detail": "",
            "fix": "close_account",
            "fix_query": "#notify",
            "fix_label": "Notify customers",
        },
    ]
