"""Seller accounts and app authorizations in the support admin (RULEBOOK §4, §5)."""

from typing import Any

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from accounts.models import AccountStatus, AppAuthorization, SellerAccount
from lifecycle.admin import SupportAdmin, ViewOnlyAdmin, timeline_excerpt
from lifecycle.models import DeletionRequest, DeletionStatus
from lifecycle.services import (
    cancel_deletion,
    deactivate_account,
    open_request,
    reactivate_account,
)
from lifecycle.services.links import when
from lifecycle.services.support import (
    RESEND_CONFIRMATION,
    act_for_seller,
    resend_deletion_confirmation,
)
from lifecycle.support import previews
from lifecycle.support.actions import StaffAction, staff_action
from lifecycle.transitions import STAFF, Action, account_actions_from, state_fields


def status_label(value: str | None) -> str:
    return AccountStatus(value).label if value else "–"


def status_action(
    action: str, title: str, service, right: str, *, destructive: bool = False
) -> StaffAction:
    def run(account: SellerAccount, actor, message: str) -> str:
        _, sent = act_for_seller(
            actor=actor,
            account=account,
            action=action,
            run=lambda: service(actor=actor, account=account),
            message=message,
        )
        account.refresh_from_db(fields=["status"])
        told = " The seller was told by email." if sent else ""
        return f"the account is {account.get_status_display().lower()}.{told}"

    return StaffAction(
        title=title,
        preview=lambda account: previews.status_change(account, action),
        run=run,
        tell_seller=True,
        destructive=destructive,
        records=action,
        rights=(f"accounts.{right}_selleraccount",),
    )


DEACTIVATE = status_action(
    Action.DEACTIVATE,
    "Deactivate (hide listings, stop new orders)",
    deactivate_account,
    "deactivate",
    destructive=True,
)
REACTIVATE = status_action(Action.REACTIVATE, "Reactivate", reactivate_account, "reactivate")
CANCEL_DELETION = status_action(
    Action.CANCEL_DELETION, "Cancel deletion", cancel_deletion, "cancel_deletion"
)


def _resend(account: SellerAccount, actor, message: str) -> str:
    sent = resend_deletion_confirmation(actor=actor, account=account)
    if sent is None:  # the inbox holds this copy already (a double submit): nothing more sent
        return "the confirmation email had been sent again already; no further copy was sent."
    return f"the confirmation email was sent again to {sent.to}."


def _resend_preview(account: SellerAccount) -> str:
    request = open_request(account)
    if request is None or request.status != DeletionStatus.PENDING:
        return "refused: no deletion request is waiting for its confirmation email."
    return (
        "the confirmation email goes again to the seller's inbox, with the same single-use "
        f"link, valid until {previews.sandbox_time(request.link_expires_at)}."
    )


RESEND = StaffAction(
    title="Resend the confirmation email (override)",
    preview=_resend_preview,
    run=_resend,
    records=Action.RESEND_CONFIRMATION,
    rights=(RESEND_CONFIRMATION,),
)


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
        "status_before_deletion",
        "category",
        "customers_notified_at",
        "deleted_at",
        "created_at",
    )
    # The seller's name and email are the trainee's: a staff edit would leave no timeline event.
    fixed_after_create = ("sandbox", "display_name", "contact_email")
    readonly_fields = ("staff_actions_now", "deletion_request", "shop_links", "recent_events")
    actions = ("deactivate", "reactivate", "cancel_deletion", "resend_confirmation")
    staff_actions = {
        "deactivate": DEACTIVATE,
        "reactivate": REACTIVATE,
        "cancel_deletion": CANCEL_DELETION,
        "resend_confirmation": RESEND,
    }
    # The transitions of the state diagram the admin offers, each as the admin action's name.
    ADMIN_ACTIONS: dict[str, str] = {
        Action.DEACTIVATE: "deactivate",
        Action.REACTIVATE: "reactivate",
        Action.CANCEL_DELETION: "cancel_deletion",
    }

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        open_request = DeletionRequest.objects.filter(
            account=OuterRef("pk"), status__in=(DeletionStatus.PENDING, DeletionStatus.SCHEDULED)
        )
        return (
            super()
            .get_queryset(request)
            .annotate(open_deletion=Subquery(open_request.values("status")[:1]))
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None):
        profile = ("Seller profile", {"fields": ("sandbox", "display_name", "contact_email")})
        fields = (*state_fields(SellerAccount), *self.lifecycle_fields)
        lifecycle = ("Lifecycle (changed only by staff actions)", {"fields": fields})
        if obj is None:
            return [profile, lifecycle]
        return [
            profile,
            lifecycle,
            ("State diagram", {"fields": ("staff_actions_now", "deletion_request")}),
            ("History", {"fields": ("shop_links", "recent_events")}),
        ]

    def case_url(self, account: SellerAccount) -> str:
        return reverse("support:case", args=[account.pk])

    @admin.display(description="Owner", ordering="sandbox__owner__username")
    def owner(self, account: SellerAccount) -> str:
        return account.sandbox.owner.get_username()

    @admin.display(description="Deletion request", ordering="open_deletion")
    def deletion(self, account: SellerAccount) -> str:
        status = getattr(account, "open_deletion", None)  # annotated by get_queryset
        return DeletionStatus(status).label if status else "–"

    @admin.display(description="Staff can now")
    def staff_actions_now(self, account: SellerAccount) -> str:
        offered = [
            t.label
            for t in account_actions_from(account.status, STAFF)
            if t.action in self.ADMIN_ACTIONS
        ]
        if not offered:
            return f"Nothing: no staff action leaves “{account.get_status_display()}”."
        return format_html_join("", "<div>{}</div>", ((label,) for label in offered))

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
            '<a href="{}">{}</a>: {}{} (sandbox time)',
            reverse("admin:lifecycle_deletionrequest_change", args=[request.pk]),
            request,
            request.get_status_display(),
            format_html_join("", "; {} {}", ((name, when(at)) for name, at in times if at)),
        )

    @admin.display(description="Shop links (sandbox time)")
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
        return self.buttons_for(request, names, destructive=("deactivate",))

    # --- Staff actions: each opens its preview first ----------------------------------------

    def has_deactivate_permission(self, request: HttpRequest) -> bool:
        return DEACTIVATE.allowed(request.user)

    def has_reactivate_permission(self, request: HttpRequest) -> bool:
        return REACTIVATE.allowed(request.user)

    def has_cancel_deletion_permission(self, request: HttpRequest) -> bool:
        return CANCEL_DELETION.allowed(request.user)

    def has_resend_confirmation_permission(self, request: HttpRequest) -> bool:
        return RESEND.allowed(request.user)

    @admin.action(description=DEACTIVATE.title, permissions=["deactivate"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, DEACTIVATE)

    @admin.action(description=REACTIVATE.title, permissions=["reactivate"])
    def reactivate(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, REACTIVATE)

    @admin.action(description=CANCEL_DELETION.title, permissions=["cancel_deletion"])
    def cancel_deletion(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, CANCEL_DELETION)

    @admin.action(description=RESEND.title, permissions=["resend_confirmation"])
    def resend_confirmation(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, RESEND)


@admin.register(AppAuthorization)
class AppAuthorizationAdmin(ViewOnlyAdmin):
    """Grants change only through the owner's remove/grant access (lifecycle services)."""

    list_display = ("app", "account", "scopes", "granted_at", "revoked_at")
    list_filter = ("app",)
    search_fields = ("account__display_name", "account__sandbox__name")
    list_select_related = ("account",)
