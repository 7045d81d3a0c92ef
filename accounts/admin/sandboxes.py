"""Sandboxes in the support admin: their clock, what is due, and the demo reset."""

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html_join

from accounts.models import Sandbox, SellerAccount
from lifecycle.admin import SupportAdmin, timeline_excerpt
from lifecycle.services import advance_clock, reset_demo_sandbox, scheduled_events, sweep_sandbox
from lifecycle.services.clock import clock_reading, parse_reading
from lifecycle.services.links import when
from lifecycle.services.support import run_due_work_now
from lifecycle.support import previews
from lifecycle.support.actions import StaffAction, staff_action
from lifecycle.transitions import Action

from .seller_accounts import status_label


def _due_after(sandbox: Sandbox) -> str:
    # The whole sweep, as the periodic job runs it: lapse and finalization, and also the emails
    # they owe, export expiry and stuck jobs (RULEBOOK §7), not only the status transitions.
    return _then(sweep_sandbox(sandbox=sandbox))


def _then(done: list[str]) -> str:
    return "; then " + ", ".join(done) + "." if done else "; nothing else was due."


def reading_field(sandbox: Sandbox) -> str:
    return f"clock_reading_{sandbox.pk}"


def clock_action(title: str, **how: Any) -> StaffAction:
    def run(sandbox: Sandbox, actor, message: str, **seen: str) -> str:
        # The move names the reading the preview showed: confirming twice moves it once.
        reading = parse_reading(seen.get(reading_field(sandbox)))
        sandbox = advance_clock(actor=actor, sandbox=sandbox, reading=reading, **how)
        # Moving the clock runs what became due at once (RULEBOOK §7).
        return f"the clock now reads {previews.sandbox_time(sandbox.now())}" + _due_after(sandbox)

    return StaffAction(
        title=title,
        preview=lambda sandbox: previews.clock_move(sandbox, **how).sentence,
        run=run,
        finalizes=lambda sandboxes: [
            a for s in sandboxes for a in previews.clock_move(s, **how).finalizing
        ],
        seen=lambda sandbox: {reading_field(sandbox): clock_reading(sandbox.clock_offset)},
        records=Action.ADVANCE_CLOCK,
        rights=("accounts.advance_clock_sandbox",),
    )


ONE_DAY = clock_action("Advance the clock by 1 day", by=timedelta(days=1))
SEVEN_DAYS = clock_action("Advance the clock by 7 days", by=timedelta(days=7))
NEXT_EVENT = clock_action("Advance the clock to the next scheduled event", to_next=True)
# The clock buttons of the support case page, by their admin action's name.
CLOCK_BUTTONS = {
    "advance_one_day": ONE_DAY,
    "advance_seven_days": SEVEN_DAYS,
    "advance_to_next_event": NEXT_EVENT,
}


def _run_due(sandbox: Sandbox, actor, message: str) -> str:
    done = run_due_work_now(actor=actor, sandbox=sandbox)
    return "due work run" + (
        "; then " + ", ".join(done) + "." if done else "; nothing else was due."
    )


def _run_due_preview(sandbox: Sandbox) -> str:
    text = (
        f"runs the sweep at {previews.sandbox_time(sandbox.now())}: expired links lapse, due "
        "deletions finalize, owed emails go out, expired and stuck exports are closed."
    )
    overdue = previews.clock_move(sandbox, by=timedelta(0)).finalizing
    if overdue:
        names = ", ".join(a.display_name for a in overdue)
        text += f" This finalizes the deletion of {names}: its data is removed for good."
    return text


RUN_DUE = StaffAction(
    title="Run what is due now",
    preview=_run_due_preview,
    run=_run_due,
    finalizes=lambda sandboxes: [
        a for s in sandboxes for a in previews.clock_move(s, by=timedelta(0)).finalizing
    ],
    records=Action.RUN_DUE_WORK,
    rights=("accounts.run_due_work_sandbox",),
)


def _reset(sandbox: Sandbox, actor, message: str) -> str:
    fresh = reset_demo_sandbox(actor=actor, sandbox=sandbox)
    return f"rebuilt from scratch as sandbox #{fresh.pk}; its earlier events are kept with it."


RESET = StaffAction(
    title="Reset demo sandbox",
    preview=lambda sandbox: (
        "removed with all its data and built again from scratch for the same owner; its "
        "timeline is kept and continues on the fresh sandbox."
        if sandbox.is_demo
        else "refused: it is not a demo sandbox, so it is left alone."
    ),
    run=_reset,
    destructive=True,
    records=Action.RESET_DEMO,
    rights=("accounts.reset_demo_sandbox",),
)


@admin.register(Sandbox)
class SandboxAdmin(SupportAdmin):
    list_display = (
        "name",
        "owner",
        "owner_email",
        "is_demo",
        "account_name",
        "account_status",
        "simulated_now",
        "created_real",
    )
    list_filter = ("is_demo", "accounts__status", "accounts__account_type")
    search_fields = ("name", "owner__username", "owner__email")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    lifecycle_fields = ("clock_offset", "created_at")
    # The owner and the demo flag decide who sees the sandbox and whether a reset may wipe it;
    # the name is the trainee's (a staff rename would leave no timeline event).
    fixed_after_create = ("owner", "is_demo", "name")
    readonly_fields = ("clock_ahead", "simulated_now", "upcoming", "accounts_list", "recent_events")
    actions = (
        "advance_one_day",
        "advance_seven_days",
        "advance_to_next_event",
        "run_due_work_now",
        "reset_demo",
    )
    staff_actions = {
        **CLOCK_BUTTONS,
        "run_due_work_now": RUN_DUE,
        "reset_demo": RESET,
    }

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        primary = SellerAccount.objects.filter(sandbox=OuterRef("pk")).order_by("id")
        return (
            super()
            .get_queryset(request)
            .annotate(
                primary_account_name=Subquery(primary.values("display_name")[:1]),
                primary_account_status=Subquery(primary.values("status")[:1]),
            )
        )

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fields = ["owner", "name", "is_demo"]
        if obj is None:
            return fields
        return [*fields, "created_at", *self.readonly_fields]

    def case_url(self, sandbox: Sandbox) -> str:
        account = sandbox.account
        return reverse("support:case", args=[account.pk]) if account else ""

    @admin.display(description="Created (real time)", ordering="created_at")
    def created_real(self, sandbox: Sandbox) -> str:
        return when(sandbox.created_at)

    @admin.display(description="Owner email", ordering="owner__email")
    def owner_email(self, sandbox: Sandbox) -> str:
        return sandbox.owner.email

    @admin.display(description="Seller account", ordering="primary_account_name")
    def account_name(self, sandbox: Sandbox) -> str:
        return getattr(sandbox, "primary_account_name", None) or "–"  # get_queryset's

    @admin.display(description="Account status", ordering="primary_account_status")
    def account_status(self, sandbox: Sandbox) -> str:
        return status_label(getattr(sandbox, "primary_account_status", None))  # get_queryset's

    @admin.display(description="Clock ahead of real time by")
    def clock_ahead(self, sandbox: Sandbox) -> str:
        ahead = sandbox.clock_offset
        hours, rest = divmod(ahead.seconds, 3600)
        return f"{ahead.days} day{pluralize(ahead.days)}, {hours} h {rest // 60} min"

    @admin.display(description="Simulated now (sandbox time)")
    def simulated_now(self, sandbox: Sandbox) -> str:
        return when(sandbox.now())

    @admin.display(description="Scheduled on this clock (sandbox time)")
    def upcoming(self, sandbox: Sandbox) -> str:
        events = scheduled_events(sandbox)
        if not events:
            return "Nothing scheduled."
        return format_html_join("", "<div>{}: {}</div>", ((when(at), what) for at, what in events))

    @admin.display(description="Seller accounts")
    def accounts_list(self, sandbox: Sandbox) -> str:
        accounts = sandbox.accounts.order_by("id")
        if not accounts:
            return "No seller account."
        return format_html_join(
            "",
            '<div><a href="{}">{}</a> ({})</div>',
            (
                (reverse("support:case", args=[a.pk]), a.display_name, a.get_status_display())
                for a in accounts
            ),
        )

    @admin.display(description="Timeline (newest first)")
    def recent_events(self, sandbox: Sandbox) -> str:
        return timeline_excerpt(sandbox=sandbox)

    def staff_buttons(self, request: HttpRequest, sandbox: Sandbox) -> list[dict[str, Any]]:
        names = list(self.actions)
        if not sandbox.is_demo:
            names.remove("reset_demo")
        return self.buttons_for(request, names, destructive=("reset_demo",))

    # --- Staff actions: each opens its preview first ----------------------------------------

    def has_advance_clock_permission(self, request: HttpRequest) -> bool:
        return ONE_DAY.allowed(request.user)

    def has_run_due_work_permission(self, request: HttpRequest) -> bool:
        return RUN_DUE.allowed(request.user)

    def has_reset_demo_permission(self, request: HttpRequest) -> bool:
        return RESET.allowed(request.user)

    @admin.action(description=ONE_DAY.title, permissions=["advance_clock"])
    def advance_one_day(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, ONE_DAY)

    @admin.action(description=SEVEN_DAYS.title, permissions=["advance_clock"])
    def advance_seven_days(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, SEVEN_DAYS)

    @admin.action(description=NEXT_EVENT.title, permissions=["advance_clock"])
    def advance_to_next_event(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, NEXT_EVENT)

    @admin.action(description=RUN_DUE.title, permissions=["run_due_work"])
    def run_due_work_now(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, RUN_DUE)

    @admin.action(description=RESET.title, permissions=["reset_demo"])
    def reset_demo(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, RESET)
