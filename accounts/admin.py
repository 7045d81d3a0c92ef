"""Support admin for trainees, sandboxes, seller accounts and app authorizations (RULEBOOK §1)."""

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from lifecycle.admin import (
    SupportAdmin,
    ViewOnlyAdmin,
    act_on_each,
    confirm_first,
    timeline_excerpt,
)
from lifecycle.models import OPEN_DELETION_STATUSES, DeletionRequest, DeletionStatus
from lifecycle.services import (
    Actor,
    advance_clock,
    cancel_deletion,
    deactivate_account,
    open_request,
    reactivate_account,
    reset_demo_sandbox,
    scheduled_events,
    sweep_sandbox,
)
from lifecycle.services.clock import clock_reading, parse_reading
from lifecycle.services.links import when
from lifecycle.transitions import STAFF, Action, account_actions_from

from .models import AccountStatus, AppAuthorization, Sandbox, SellerAccount, User

admin.site.register(User, UserAdmin)


def reading_field(sandbox: Sandbox) -> str:
    return f"clock_reading_{sandbox.pk}"


def _status_label(value: str | None) -> str:
    return AccountStatus(value).label if value else "–"


@admin.register(Sandbox)
class SandboxAdmin(SupportAdmin):
    list_display = (
        "name",
        "owner",
        "owner_email",
        "is_demo",
        "account_name",
        "account_status",
        "clock_column",
        "created_at",
    )
    list_filter = ("is_demo", "accounts__status", "accounts__account_type")
    search_fields = ("name", "owner__username", "owner__email")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    lifecycle_fields = ("clock_offset", "created_at")
    # The owner and the demo flag decide who sees the sandbox and whether a reset may wipe it.
    fixed_after_create = ("owner", "is_demo")
    readonly_fields = ("simulated_now", "upcoming", "accounts_list", "recent_events")
    actions = (
        "advance_one_day",
        "advance_seven_days",
        "advance_to_next_event",
        "run_due_work_now",
        "reset_demo",
    )

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

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = ["owner", "name", "is_demo"]
        if obj is None:
            return fields
        return [*fields, "clock_offset", "created_at", *self.readonly_fields]

    @admin.display(description="Owner email", ordering="owner__email")
    def owner_email(self, sandbox: Sandbox) -> str:
        return sandbox.owner.email

    @admin.display(description="Seller account", ordering="primary_account_name")
    def account_name(self, sandbox: Sandbox) -> str:
        return sandbox.primary_account_name or "–"

    @admin.display(description="Account status", ordering="primary_account_status")
    def account_status(self, sandbox: Sandbox) -> str:
        return _status_label(sandbox.primary_account_status)

    @admin.display(description="Simulated now")
    def simulated_now(self, sandbox: Sandbox) -> str:
        return when(sandbox.now())

    @admin.display(description="Simulated now")
    def clock_column(self, sandbox: Sandbox) -> str:
        # The changelist's rows sit inside its action form: each names the reading a clock
        # action on the row is made from, so a double click moves the clock once.
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">',
            when(sandbox.now()),
            reading_field(sandbox),
            clock_reading(sandbox.clock_offset),
        )

    def staff_hidden(self, request: HttpRequest, sandbox: Sandbox) -> dict[str, str]:
        return {reading_field(sandbox): clock_reading(sandbox.clock_offset)}

    @admin.display(description="Scheduled on this clock")
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
                (
                    reverse("admin:accounts_selleraccount_change", args=[a.pk]),
                    a.display_name,
                    a.get_status_display(),
                )
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

    # --- Staff actions ---------------------------------------------------------------------

    def has_advance_clock_permission(self, request: HttpRequest) -> bool:
        return self.has_staff_permission(request, "advance_clock")

    def has_run_due_work_permission(self, request: HttpRequest) -> bool:
        return self.has_staff_permission(request, "run_due_work")

    def has_reset_demo_permission(self, request: HttpRequest) -> bool:
        return self.has_staff_permission(request, "reset_demo")

    def _advance(self, request: HttpRequest, queryset: QuerySet, **how: Any):
        actor = Actor.staff(request.user)

        def run(sandbox: Sandbox) -> str:
            # A row selected on another page of the changelist sent no reading: moved as asked.
            reading = parse_reading(request.POST.get(reading_field(sandbox)))
            sandbox = advance_clock(actor=actor, sandbox=sandbox, reading=reading, **how)
            # Moving the clock runs what became due at once (RULEBOOK §7).
            return f"the clock now reads {when(sandbox.now())}" + _due(sandbox)

        return act_on_each(self, request, queryset, run)

    @admin.action(description="Advance the clock by 1 day", permissions=["advance_clock"])
    def advance_one_day(self, request: HttpRequest, queryset: QuerySet):
        return self._advance(request, queryset, by=timedelta(days=1))

    @admin.action(description="Advance the clock by 7 days", permissions=["advance_clock"])
    def advance_seven_days(self, request: HttpRequest, queryset: QuerySet):
        return self._advance(request, queryset, by=timedelta(days=7))

    @admin.action(
        description="Advance the clock to the next scheduled event", permissions=["advance_clock"]
    )
    def advance_to_next_event(self, request: HttpRequest, queryset: QuerySet):
        return self._advance(request, queryset, to_next=True)

    @admin.action(description="Run what is due now", permissions=["run_due_work"])
    def run_due_work_now(self, request: HttpRequest, queryset: QuerySet):
        return act_on_each(self, request, queryset, lambda sandbox: "due work run" + _due(sandbox))

    @admin.action(description="Reset demo sandbox", permissions=["reset_demo"])
    def reset_demo(self, request: HttpRequest, queryset: QuerySet):
        confirm = confirm_first(
            self,
            request,
            queryset,
            title="Reset demo sandbox",
            consequence="Each demo sandbox below is removed with all its data and timeline, and "
            "built again from scratch for the same owner. Sandboxes that are not demos are left "
            "alone.",
        )
        if confirm is not None:
            return confirm

        def run(sandbox: Sandbox) -> str:
            fresh = reset_demo_sandbox(actor=Actor.staff(request.user), sandbox=sandbox)
            # The fresh timeline starts with the reset; the admin log keeps it too.
            self.log_addition(request, fresh, f"Reset demo sandbox #{sandbox.pk} as #{fresh.pk}.")
            return f"rebuilt from scratch as sandbox #{fresh.pk}."

        return act_on_each(self, request, queryset, run)


def _due(sandbox: Sandbox) -> str:
    # The whole sweep, as the periodic job runs it: lapse and finalization, and also the emails
    # they owe, export expiry and stuck jobs (RULEBOOK §7), not only the status transitions.
    done = sweep_sandbox(sandbox=sandbox)
    return "; then " + ", ".join(done) + "." if done else "; nothing else was due."


@admin.register(SellerAccount)
class SellerAccountAdmin(SupportAdmin):
    list_display = (
        "display_name",
        "contact_email",
        "sandbox",
        "owner",
        "status",
        "account_type",
        "category",
        "deletion",
    )
    list_filter = ("status", "account_type", "category", "sandbox__is_demo")
    search_fields = (
        "display_name",
        "contact_email",
        "=status",
        "sandbox__name",
        "sandbox__owner__username",
    )
    list_select_related = ("sandbox", "sandbox__owner")
    raw_id_fields = ("sandbox",)
    lifecycle_fields = (
        "status",
        "status_before_deletion",
        "account_type",
        "category",
        "customers_notified_at",
        "deleted_at",
        "created_at",
    )
    fixed_after_create = ("sandbox",)
    readonly_fields = ("staff_actions_now", "deletion_request", "shop_links", "recent_events")
    actions = ("deactivate", "reactivate", "cancel_deletion")
    # The transitions of the state diagram the admin offers, each as the admin action's name.
    ADMIN_ACTIONS = {
        Action.DEACTIVATE: "deactivate",
        Action.REACTIVATE: "reactivate",
        Action.CANCEL_DELETION: "cancel_deletion",
    }

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        open_request = DeletionRequest.objects.filter(
            account=OuterRef("pk"), status__in=OPEN_DELETION_STATUSES
        )
        return (
            super()
            .get_queryset(request)
            .annotate(open_deletion=Subquery(open_request.values("status")[:1]))
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None):
        profile = ("Seller profile", {"fields": ("sandbox", "display_name", "contact_email")})
        lifecycle = ("Lifecycle (changed only by staff actions)", {"fields": self.lifecycle_fields})
        if obj is None:
            return [profile, lifecycle]
        return [
            profile,
            lifecycle,
            ("State diagram", {"fields": ("staff_actions_now", "deletion_request")}),
            ("History", {"fields": ("shop_links", "recent_events")}),
        ]

    @admin.display(description="Owner", ordering="sandbox__owner__username")
    def owner(self, account: SellerAccount) -> str:
        return account.sandbox.owner.get_username()

    @admin.display(description="Deletion request", ordering="open_deletion")
    def deletion(self, account: SellerAccount) -> str:
        return DeletionStatus(account.open_deletion).label if account.open_deletion else "–"

    @admin.display(description="Staff can now")
    def staff_actions_now(self, account: SellerAccount) -> str:
        transitions = account_actions_from(account.status, STAFF)
        if not transitions:
            return f"Nothing: no staff action leaves “{account.get_status_display()}”."
        return format_html_join(
            "",
            "<div>{}{}</div>",
            (
                (
                    t.label,
                    " (an admin action)"
                    if t.action in self.ADMIN_ACTIONS
                    else " (not offered in the admin: the owner does it in the Seller Center)",
                )
                for t in transitions
            ),
        )

    @admin.display(description="Deletion request")
    def deletion_request(self, account: SellerAccount) -> str:
        request = open_request(account) or account.deletion_requests.first()
        if request is None:
            return "None."
        times = [
            ("requested", request.requested_at),
            ("link expires", request.link_expires_at if request.is_open else None),
            ("confirmed", request.confirmed_at),
            ("scheduled for", request.scheduled_for),
            ("closed", request.closed_at),
        ]
        return format_html(
            '<a href="{}">{}</a>: {}{}',
            reverse("admin:lifecycle_deletionrequest_change", args=[request.pk]),
            request,
            request.get_status_display(),
            format_html_join("", "; {} {}", ((name, when(at)) for name, at in times if at)),
        )

    @admin.display(description="Shop links")
    def shop_links(self, account: SellerAccount) -> str:
        links = account.shop_links.select_related("shop")
        if not links:
            return "Never linked a shop."
        return format_html_join(
            "",
            "<div>{}: linked {}{}</div>",
            (
                (
                    link.shop.name,
                    when(link.linked_at),
                    f", unlinked {when(link.unlinked_at)}" if link.unlinked_at else " (now)",
                )
                for link in links
            ),
        )

    @admin.display(description="Timeline (newest first)")
    def recent_events(self, account: SellerAccount) -> str:
        return timeline_excerpt(account=account)

    def staff_buttons(self, request: HttpRequest, account: SellerAccount) -> list[dict[str, Any]]:
        names = [
            self.ADMIN_ACTIONS[t.action]
            for t in account_actions_from(account.status, STAFF)
            if t.action in self.ADMIN_ACTIONS
        ]
        return self.buttons_for(request, names)

    # --- Staff actions ---------------------------------------------------------------------

    def has_deactivate_permission(self, request: HttpRequest) -> bool:
        return self.has_staff_permission(request, "deactivate")

    def has_reactivate_permission(self, request: HttpRequest) -> bool:
        return self.has_staff_permission(request, "reactivate")

    def has_cancel_deletion_permission(self, request: HttpRequest) -> bool:
        return self.has_staff_permission(request, "cancel_deletion")

    def _run_status_service(self, request: HttpRequest, queryset: QuerySet, service):
        actor = Actor.staff(request.user)

        def run(account: SellerAccount) -> str:
            service(actor=actor, account=account)
            account.refresh_from_db(fields=["status"])
            return f"the account is {account.get_status_display().lower()}."

        return act_on_each(self, request, queryset, run)

    @admin.action(
        description="Deactivate (hide listings, stop new orders)", permissions=["deactivate"]
    )
    def deactivate(self, request: HttpRequest, queryset: QuerySet):
        return self._run_status_service(request, queryset, deactivate_account)

    @admin.action(description="Reactivate", permissions=["reactivate"])
    def reactivate(self, request: HttpRequest, queryset: QuerySet):
        return self._run_status_service(request, queryset, reactivate_account)

    @admin.action(description="Cancel deletion", permissions=["cancel_deletion"])
    def cancel_deletion(self, request: HttpRequest, queryset: QuerySet):
        return self._run_status_service(request, queryset, cancel_deletion)


@admin.register(AppAuthorization)
class AppAuthorizationAdmin(ViewOnlyAdmin):
    """Grants change only through the owner's remove/grant access (lifecycle services)."""

    list_display = ("app", "account", "scopes", "granted_at", "revoked_at")
    list_filter = ("app",)
    search_fields = ("account__display_name", "account__sandbox__name")
    list_select_related = ("account",)
