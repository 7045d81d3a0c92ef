"""The close-account page: the live checklist and what finalization removes and keeps."""

from typing import Any

from accounts.models import AppAuthorization, SellerAccount
from lifecycle.core import account_rows
from lifecycle.counting import counts as count_rows
from lifecycle.models import TimelineEvent
from lifecycle.services.announcements import announcement_pending, recent_customers
from lifecycle.services.deletion import deletion_checklist
from lifecycle.transitions.base import ChecklistRow, checklist_rows
from lifecycle.transitions.deletion import RECOMMENDED, REQUEST_DELETION
from lifecycle.wording import count
from shops.models import Customer


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
    """The live checklist before a deletion request, each item with the page that fixes it.

    Generated from the request's declaration: a row per blocking guard (done when the guard
    passes on the account's rows), then the recommended rows. `checklist` is
    `deletion_checklist`'s answer when the caller read it already (what the guards read too).
    """
    rows = account_rows(account)
    rows.memo["checklist"] = facts = checklist or deletion_checklist(account)
    items = [
        _item(row, done=guard(rows) is None, blocking=True, facts=facts)
        for guard, row in checklist_rows(REQUEST_DELETION)
    ]
    items += [
        _item(row, done=bool(row.done and row.done(facts)), blocking=False, facts=facts)
        for row in RECOMMENDED
    ]
    return items


def _item(row: ChecklistRow, *, done: bool, blocking: bool, facts: dict[str, Any]) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "done": done,
        "blocking": blocking,
        "detail": row.detail(facts) if row.detail and not done else "",
        "fix": row.fix,
        "fix_query": row.fix_query,
        "fix_label": row.fix_label,
    }
