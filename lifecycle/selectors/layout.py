"""What the top bar, the navigation and the deletion banner need on every page."""

from datetime import timedelta
from typing import Any

from django.db.models import Case, IntegerField, Subquery, When
from django.db.models.expressions import OuterRef

from accounts.models import Sandbox, SellerAccount
from editions.base import Edition
from lifecycle.models import TimelineEvent
from lifecycle.services.clock import schedule


def sandbox_account(user, sandbox_id: int) -> SellerAccount | None:
    """The primary account of the user's own live sandbox, with its sandbox, in one query."""
    return (
        SellerAccount.objects.select_related("sandbox")
        .filter(sandbox_id=sandbox_id, sandbox__owner=user, sandbox__removed_at=None)
        .primary()
    )


def _latest_event() -> Subquery:
    """The id of the newest timeline event of the outer query's sandbox (its index's first row)."""
    newest = TimelineEvent.objects.filter(sandbox=OuterRef("pk")).order_by("-id")
    return Subquery(newest.values("id")[:1], output_field=IntegerField())


def sandbox_version(sandbox_id: int) -> int:
    """What a page compares to see whether background work changed its sandbox: the id of the
    sandbox's newest timeline event (0 before any). Every change of state writes an event (a
    finalization, a lapse, an export ready or failed, an email sent), so a new one means the
    page may be stale."""
    newest = TimelineEvent.objects.filter(sandbox_id=sandbox_id).order_by("-id")
    return newest.values_list("id", flat=True).first() or 0


def layout_context(user, sandbox: Sandbox, account: SellerAccount) -> dict[str, Any]:
    """What the top bar, the navigation and the deletion banner need on every page: two
    queries, the schedule (with the open deletion request) and the sandbox switcher, which
    also reads the sandbox's version (`sandbox_version`) as the page renders, after whatever
    the request changed, so the page's own changes never count as background work."""
    plan = schedule(sandbox)
    upcoming = plan.events
    now = sandbox.now()
    steps = [
        {
            "key": key,
            "label": label,
            "triggers": [what for at, what in upcoming if at <= now + delta],
        }
        for key, label, delta in CLOCK_STEPS
    ]
    mine = list(
        Sandbox.objects.filter(owner=user, removed_at=None)
        .only("id", "name")
        .annotate(version=Case(When(pk=sandbox.pk, then=_latest_event())))
    )
    here = next((s for s in mine if s.pk == sandbox.pk), None)
    return {
        "sandbox": sandbox,
        "account": account,
        "my_sandboxes": mine,
        "sandbox_version": (here.version or 0) if here else sandbox_version(sandbox.pk),
        "sandbox_now": now,
        "next_event": upcoming[0] if upcoming else None,
        "open_deletion": plan.open_requests.get(account.pk),
        "clock_steps": steps,
    }


def request_layout(request) -> dict[str, Any]:
    """The layout of the request's sandbox page, computed once per request (the context
    processor and a view that needs part of it, like the open deletion request, share it)."""
    cached = getattr(request, "_seller_center_layout", None)
    if cached is None:
        cached = layout_context(request.user, request.sandbox, request.account)
        request._seller_center_layout = cached
    return cached


def rule_numbers(edition: Edition) -> dict[str, int]:
    """The rules' numbers as the pages state them, read from the edition in force (never typed
    in a template, so an edition with other numbers changes what the pages say too)."""

    def hours(name: str) -> int:
        return int(edition.number(name).total_seconds() // 3600)

    return {
        "unlink_cooldown_hours": hours("UNLINK_COOLDOWN"),
        "unlink_limit": edition.number("UNLINK_LIMIT"),
        "unlink_window_days": edition.number("UNLINK_WINDOW").days,
        "export_fresh_days": edition.number("EXPORT_FRESH_FOR").days,
        "export_cooldown_hours": hours("EXPORT_COOLDOWN"),
        "export_valid_days": edition.number("EXPORT_LINK_VALID_FOR").days,
        "deletion_grace_days": edition.number("DELETION_GRACE").days,
        "notify_window_days": edition.number("NOTIFY_CUSTOMERS_WINDOW").days,
    }


CLOCK_STEPS: tuple[tuple[str, str, timedelta], ...] = (
    ("1h", "+1 hour", timedelta(hours=1)),
    ("1d", "+1 day", timedelta(days=1)),
    ("7d", "+7 days", timedelta(days=7)),
    ("30d", "+30 days", timedelta(days=30)),
)
