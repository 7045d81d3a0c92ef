"""The support desk's reads: one search over five keys, and everything a case page shows.

Every number of queries here is fixed by the case's shops, exports and messages, never by the
length of its timeline: the timeline is paged in the database.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from accounts.models import SellerAccount
from editions import registry as editions
from editions.registry import rule
from lifecycle.actions import Action, action_choices, is_known
from lifecycle.admin import export_state
from lifecycle.conf import setting
from lifecycle.models import (
    DeletionRequest,
    DeletionStatus,
    InboxMessage,
    Outcome,
    SupportNote,
    TimelineEvent,
)
from lifecycle.services import open_request, scheduled_events
from lifecycle.services.links import next_unlink_allowed_at, unlinks_in_window, when
from lifecycle.wording import count, days_of, hours_of
from shops.models import Shop, ShopLink

from .previews import days_until
from .words import event_change

EVENTS_PER_PAGE = 25
RESULTS_SHOWN = 50


# The names the emails and the timeline give things: "Seller account #48", "Export #16",
# "Data export #16", "Deletion request #3", or a bare "48" / "#48" (an account's number).
NUMBERED = re.compile(
    r"^(?:(?P<noun>seller account|account|data export|export|deletion request)\s*)?"
    r"#?\s*(?P<n>\d+)$",
    re.IGNORECASE,
)


def _by_number(query: str) -> Q | None:
    found = NUMBERED.match(query)
    if found is None:
        return None
    noun, number = (found["noun"] or "").lower(), int(found["n"])
    if noun.endswith("export"):  # its number in its sandbox, as the seller's pages say it
        return Q(exports__number=number)
    if noun == "deletion request":
        return Q(deletion_requests__pk=number)
    return Q(pk=number)


def search(query: str) -> QuerySet:
    """Seller accounts found by trainee name or email, sandbox, shop or account name, or by the
    number of the account, one of its exports or deletion requests."""
    query = query.strip()
    if not query:
        return SellerAccount.objects.none()
    numbered = _by_number(query)
    if numbered is not None:
        return (
            SellerAccount.objects.filter(numbered)
            .distinct()
            .select_related("sandbox", "sandbox__owner")
            .order_by("id")
        )
    owner = (
        Q(sandbox__owner__username__icontains=query)
        | Q(sandbox__owner__first_name__icontains=query)
        | Q(sandbox__owner__last_name__icontains=query)
        | Q(sandbox__owner__email__icontains=query)
    )
    shops = Shop.objects.filter(name__icontains=query).values("sandbox_id")
    matches = (
        owner
        | Q(sandbox__name__icontains=query)
        | Q(sandbox_id__in=shops)
        | Q(display_name__icontains=query)
        | Q(contact_email__icontains=query)
    )
    return (
        SellerAccount.objects.filter(matches)
        .select_related("sandbox", "sandbox__owner")
        .order_by("sandbox__owner__username", "sandbox__name", "id")
    )


@dataclass(frozen=True)
class ShopRow:
    shop: Shop
    link: ShopLink | None
    unlinks: int
    next_unlink: datetime | None  # None: possible now (or not linked)

    @property
    def linked_here(self) -> bool:
        return self.link is not None


def shop_rows(account: SellerAccount) -> list[ShopRow]:
    now = account.sandbox.now()
    live = {
        link.shop_id: link
        for link in ShopLink.objects.filter(
            shop__sandbox=account.sandbox, unlinked_at__isnull=True
        ).select_related("account")
    }
    rows = []
    for shop in account.sandbox.shops.order_by("name"):  # each knows its sandbox (its edition)
        link = live.get(shop.pk)
        mine = link if link and link.account_id == account.pk else None
        allowed = next_unlink_allowed_at(shop, mine, now) if mine else None
        rows.append(
            ShopRow(
                shop=shop,
                link=mine,
                unlinks=len(unlinks_in_window(shop, now)),
                next_unlink=allowed if allowed and allowed > now else None,
            )
        )
    return rows


def deletion(account: SellerAccount) -> dict[str, Any] | None:
    request = open_request(account)
    if request is None:
        return None
    now = account.sandbox.now()
    info: dict[str, Any] = {"request": request}
    finalizes = request.scheduled_for  # set once the request is scheduled
    if request.status == DeletionStatus.SCHEDULED and finalizes is not None:
        info["finalizes"] = when(finalizes)
        info["days_left"] = days_until(finalizes, now)
    else:
        info["link_expires"] = when(request.link_expires_at)
    return info


def timeline(account: SellerAccount, *, action: str, outcome: str, page: str) -> Page:
    events = TimelineEvent.objects.filter(
        Q(account=account) | Q(account__isnull=True, sandbox=account.sandbox)
    )
    if is_known(action):
        events = events.filter(action=action)
    if outcome in Outcome.values:
        events = events.filter(outcome=outcome)
    paginator = Paginator(events.order_by("-id"), EVENTS_PER_PAGE)
    result = paginator.get_page(page)
    result.object_list = [EventRow(e) for e in result.object_list]
    return result


class EventRow:
    """One timeline event in words: no raw codes, JSON or durations."""

    def __init__(self, event: TimelineEvent) -> None:
        self.event = event
        params = event.params or {}
        # Staff eyes only: the agent's internal reason, and what the seller was told.
        self.reason = params.get("reason", "").rstrip(".")
        self.seller_message = params.get("seller_message", "")
        self.refused = event.outcome == Outcome.REFUSED
        self.change = event_change(event)
        self.detail = event.message if self.refused else self._detail(event, params)

    @staticmethod
    def _detail(event: TimelineEvent, params: dict) -> str:
        if event.action == Action.SEND_EMAIL:
            return f"email to {params.get('to') or 'the seller'}"
        if params.get("override"):
            return "past the platform's limits (override)"
        return ""


INBOX_SHOWN = 10
# Copies of the seller's announcement to their customers: kept apart from the seller's own mail.
CUSTOMER_COPIES = "customer_announcement"


def stuck_warning(job, workers) -> str:
    """What the dashboard knows of a stuck export, said on the case: since when its builder is
    silent, the workers' state, and what the agent can do."""
    since = when(job.heartbeat) if job.heartbeat else "it was queued"
    state = (
        f"{count(len(workers.alive), 'worker')} beating"
        if workers.up
        else f"no worker is beating ({workers.detail})"
    )
    return (
        f"Stuck: its builder has been silent since {since} (real time); {state}. The sweep sends "
        f"it again after {setting('EXPORT_RECOVER_AFTER').seconds} s of silence, at most "
        f"{count(setting('EXPORT_MAX_RESENDS'), 'time')}, then fails it; a failed export can be "
        "retried for the seller here. If no worker is beating, the jobs are down: nothing is "
        "built until a worker starts."
    )


def inbox(sandbox) -> dict[str, Any]:
    """The seller's own mail, newest first, apart from the copies of their announcement to
    customers; each with how many there are in all and the inbox admin's list of them."""
    from django.urls import reverse
    from django.utils.http import urlencode

    messages = InboxMessage.objects.filter(sandbox=sandbox)
    own = messages.exclude(kind=CUSTOMER_COPIES)
    listed = reverse("admin:lifecycle_inboxmessage_changelist")
    return {
        "inbox": list(
            own.only("subject", "kind", "to", "sent_at", "read_at").order_by("-sent_at", "-id")[
                :INBOX_SHOWN
            ]
        ),
        "inbox_count": own.count(),
        "inbox_all_url": f"{listed}?{urlencode({'sandbox__id__exact': sandbox.pk})}",
        "customer_copies": messages.filter(kind=CUSTOMER_COPIES).count(),
        "customer_copies_url": (
            f"{listed}?{urlencode({'sandbox__id__exact': sandbox.pk, 'kind': CUSTOMER_COPIES})}"
        ),
    }


def finalizing_moves(sandbox) -> dict[str, list[SellerAccount]]:
    """The case's clock buttons whose move finalizes a deletion, with whose: their button is a
    danger one, as their preview is (asked of the staff actions themselves, so the buttons and
    the previews cannot disagree). Nothing is asked while no deletion is scheduled."""
    from accounts.admin.sandboxes import CLOCK_BUTTONS

    scheduled = DeletionRequest.objects.filter(
        account__sandbox=sandbox, status=DeletionStatus.SCHEDULED
    )
    if not scheduled.exists():
        return {}
    moves = {name: action.finalizes([sandbox]) for name, action in CLOCK_BUTTONS.items()}
    return {name: accounts for name, accounts in moves.items() if accounts}


def finalizing_sentence(moves: dict[str, list[SellerAccount]]) -> str:
    names = sorted({account.display_name for found in moves.values() for account in found})
    if not names:
        return ""
    return (
        f"A move in red finalizes the deletion of {', '.join(names)}: the seller's data is "
        "removed for good. Its preview asks for a confirmation first."
    )


def case(account: SellerAccount) -> dict[str, Any]:
    from lifecycle import heartbeat
    from lifecycle.admin import stuck_exports

    sandbox = account.sandbox
    exports = list(account.exports.order_by("-requested_at", "-id")[:10])
    stuck = set(
        stuck_exports(account.exports.filter(pk__in=[j.pk for j in exports])).values_list(
            "pk", flat=True
        )
    )
    workers = heartbeat.status()[heartbeat.WORKER] if stuck else None
    moves = finalizing_moves(sandbox)
    return {
        "account": account,
        "sandbox": sandbox,
        "owner": sandbox.owner,
        "sandbox_now": when(sandbox.now()),
        "edition": editions.of(sandbox),  # the rules the seller plays under
        "scheduled": [(when(at), what) for at, what in scheduled_events(sandbox)],
        "finalizing_moves": moves,
        "finalizing_sentence": finalizing_sentence(moves),
        "shops": shop_rows(account),
        "unlink_rule": (
            f"at most {count(rule(sandbox, 'UNLINK_LIMIT'), 'unlink')} per "
            f"{days_of(rule(sandbox, 'UNLINK_WINDOW'))}, each at least "
            f"{hours_of(rule(sandbox, 'UNLINK_COOLDOWN'))} after its link"
        ),
        "deletion": deletion(account),
        # After a cancellation, a lapse or a finalization: what happened and when.
        "closed_deletion": account.deletion_requests.order_by("-id").first(),
        "exports": [
            (job, export_state(job), stuck_warning(job, workers) if job.pk in stuck else "")
            for job in exports
        ],
        **inbox(sandbox),
        "notes": list(SupportNote.objects.filter(account=account)[:20]),
        "actions": action_choices(),
        "outcomes": Outcome.choices,
    }
