"""What a staff action will do, said before it is done (the preview page of every action)."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from accounts.models import AccountStatus, Sandbox, SellerAccount
from lifecycle.models import DeletionRequest, DeletionStatus
from lifecycle.services import open_request, scheduled_events
from lifecycle.services.links import next_unlink_allowed_at, when
from lifecycle.wording import count
from shops.models import Shop


def sandbox_time(moment: datetime) -> str:
    return f"{when(moment)} (sandbox time)"


def days_until(moment: datetime, now: datetime) -> int:
    """Whole days left, counting a started day as one ("finalizes in 30 days" right after)."""
    return max(math.ceil((moment - now) / timedelta(days=1)), 0)


@dataclass(frozen=True)
class ClockMove:
    sandbox: Sandbox
    target: datetime | None  # None: nothing is scheduled, so "to the next event" is refused
    due: list[str]
    finalizing: list[SellerAccount]

    @property
    def sentence(self) -> str:
        if self.target is None:
            return "Nothing is scheduled in this sandbox: the move would be refused."
        text = f"The clock moves from {sandbox_time(self.sandbox.now())} to {when(self.target)}."
        if not self.due:
            return text + " Nothing becomes due."
        text += " Becomes due: " + "; ".join(self.due) + "."
        if self.finalizing:
            names = ", ".join(a.display_name for a in self.finalizing)
            text += f" This finalizes the deletion of {names}: its data is removed for good."
        return text


def clock_move(
    sandbox: Sandbox, *, by: timedelta | None = None, to_next: bool = False
) -> ClockMove:
    """Where the clock would land and what falls due on the way (as the trainee's buttons say)."""
    now = sandbox.now()
    upcoming = scheduled_events(sandbox)
    if to_next:
        if not upcoming:
            return ClockMove(sandbox, None, [], [])
        target = upcoming[0][0] + timedelta(seconds=1)
    else:
        target = now + (by or timedelta(0))
    due = [f"{what} ({when(at)})" for at, what in upcoming if at <= target]
    finalizing = [
        r.account
        for r in DeletionRequest.objects.filter(
            account__sandbox=sandbox,
            status=DeletionStatus.SCHEDULED,
            scheduled_for__lte=target,
        ).select_related("account")
    ]
    return ClockMove(sandbox, target, due, finalizing)


def status_change(account: SellerAccount, action: str) -> str:
    """The preview of deactivate, reactivate and cancel deletion for one account."""
    status = account.get_status_display().lower()
    if action == "deactivate":
        if account.status != AccountStatus.ACTIVE:
            return f"refused: the account is {status}, only active accounts can be deactivated."
        return (
            "active → deactivated: its listings are hidden and no new orders come in; orders "
            "already placed can still be shipped."
        )
    if action == "reactivate":
        if account.status != AccountStatus.DEACTIVATED:
            return (
                f"refused: the account is {status}, only deactivated accounts can be reactivated."
            )
        return "deactivated → active: its listings show again and orders can come in."
    request = open_request(account)
    if request is None:
        return f"refused: the account is {status} and has no deletion request to cancel."
    back = AccountStatus(request.previous_status).label.lower()
    finalizes = request.scheduled_for  # set once the request is scheduled
    if request.status == DeletionStatus.SCHEDULED and finalizes is not None:
        left = days_until(finalizes, account.sandbox.now())
        return (
            f"{status} → {back}: the deletion that would finalize on "
            f"{sandbox_time(finalizes)} (in {count(left, 'day')}) is cancelled; "
            "nothing is removed."
        )
    return f"{status} → {back}: the request waiting for its email is cancelled; its link stops."


def unlink(shop: Shop, *, override: bool = False) -> str:
    link = shop.live_link()
    if link is None:
        return "refused: the shop is not linked to any account."
    now = shop.sandbox.now()
    allowed_at = next_unlink_allowed_at(shop, link, now)
    text = (
        f"unlinked from {link.account.display_name} at once: its tools and reports leave the "
        "Seller Center and its active campaigns are paused; its data is kept."
    )
    if now < allowed_at:
        if not override:
            return (
                f"refused: the platform's limits allow the next unlink after "
                f"{sandbox_time(allowed_at)} (override needed)."
            )
        text += f" The limits would allow it only after {sandbox_time(allowed_at)}: overridden."
    return text
