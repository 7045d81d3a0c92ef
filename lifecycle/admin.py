"""The support admin: shared pieces, and the timeline, deletion requests, exports and inbox.

Support staff look things up here and act only through a short whitelist of admin actions, each
calling one lifecycle service with the staff member as actor (RULEBOOK §1). Lifecycle fields are
read-only, saves write only the fields the form changed (never a stale status over a fresh one),
and nothing is deleted through the admin: removal is finalization's job.
"""

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import ExpressionWrapper, F, QuerySet, Value
from django.db.models.fields import DateTimeField
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from accounts.models import Sandbox, SellerAccount

from .models import (
    DeletionRequest,
    DeletionStatus,
    ExportJob,
    ExportStatus,
    InboxMessage,
    SupportNote,
    TimelineEvent,
)
from .redaction import redact
from .services.exports import stuck_since
from .services.links import when
from .services.support import RETRY_EXPORT_FOR_SELLER, retry_export_for_seller
from .support.actions import StaffAction, refuse_without_right, staff_action
from .support.words import event_change
from .transitions import Action, state_fields

EVENTS_SHOWN = 20


class SupportAdmin(admin.ModelAdmin):
    """Base of every simulator model's admin page."""

    # Changed only by lifecycle services: shown, never editable. The fields that hold a declared
    # machine's state are read-only without being listed here (`state_fields`).
    lifecycle_fields: tuple[str, ...] = ()
    # Set when the row is created, then fixed (moving an account to another sandbox, say).
    fixed_after_create: tuple[str, ...] = ()
    change_form_template = "admin/lifecycle/support_change_form.html"
    # Each staff admin action by name: a form posted for one without its right is refused,
    # recorded and explained (the admin itself would only say "No action selected.").
    staff_actions: dict[str, StaffAction] = {}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = [
            *super().get_readonly_fields(request, obj),
            *state_fields(self.model),
            *self.lifecycle_fields,
        ]
        if obj is not None:
            fields += self.fixed_after_create
        return list(dict.fromkeys(fields))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        columns = {f.name for f in obj._meta.concrete_fields}
        changed = [name for name in form.changed_data if name in columns]
        if changed:
            obj.save(update_fields=changed)

    def changelist_view(self, request, extra_context=None):
        spec = self.staff_actions.get(request.POST.get("action", ""))
        if (
            request.method == "POST"
            and spec is not None
            and not spec.allowed(request.user)
            and self.has_view_or_change_permission(request)
        ):
            chosen = request.POST.getlist(ACTION_CHECKBOX_NAME)
            objects = list(self.get_queryset(request).filter(pk__in=chosen))
            if objects:
                return refuse_without_right(self, request, spec, objects)
        return super().changelist_view(request, extra_context)

    def staff_buttons(self, request: HttpRequest, obj: Any) -> list[dict[str, Any]]:
        """Admin actions offered as buttons on this object's change page."""
        return []

    def buttons_for(
        self, request: HttpRequest, names: list[str], *, destructive: tuple[str, ...] = ()
    ) -> list[dict[str, Any]]:
        offered = self.get_actions(request)
        return [
            {"name": name, "label": offered[name][2], "destructive": name in destructive}
            for name in names
            if name in offered
        ]

    def case_url(self, obj: Any) -> str:
        """The case page this object belongs to ("" when none)."""
        return ""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "case_url": self.case_url(obj) if obj is not None else "",
            "staff_buttons": self.staff_buttons(request, obj) if obj is not None else [],
            "staff_actions_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)


class ViewOnlyAdmin(SupportAdmin):
    """Rows that only services and jobs write: staff may look, never add or change."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Related rows shown on a change page, never added, changed or deleted there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FinalizesSoon(admin.SimpleListFilter):
    """Scheduled deletions that finalize within 7 days of each sandbox's own clock."""

    title = "finalizes"
    parameter_name = "finalizes"

    def lookups(self, request, model_admin):
        return [("7d", "within 7 days (sandbox time)")]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() != "7d":
            return queryset
        return finalizing_within(queryset, timedelta(days=7))


def finalizing_within(queryset: QuerySet, span: timedelta) -> QuerySet:
    # A sandbox's now is real now plus its offset: compare in one query, not per sandbox.
    horizon = ExpressionWrapper(
        Value(timezone.now() + span) + F("account__sandbox__clock_offset"),
        output_field=DateTimeField(),
    )
    return queryset.filter(status=DeletionStatus.SCHEDULED, scheduled_for__lte=horizon)


class EmailsOwed(admin.SimpleListFilter):
    """Requests whose email job failed, or whose confirmation email is late."""

    title = "emails"
    parameter_name = "emails"

    def lookups(self, request, model_admin):
        return [("owed", "failing or late")]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() != "owed":
            return queryset
        from .support.dashboard import owed_emails

        return queryset.filter(pk__in=owed_emails().values("pk"))


class Stuck(admin.SimpleListFilter):
    """Exports whose builder has gone silent (the sweep fails them soon)."""

    title = "stuck"
    parameter_name = "stuck"

    def lookups(self, request, model_admin):
        return [("yes", "builder silent")]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        return stuck_exports(queryset) if self.value() == "yes" else queryset


def stuck_exports(queryset: QuerySet) -> QuerySet:
    return queryset.filter(
        status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING), heartbeat__lt=stuck_since()
    )


def sandbox_time_column(field: str, label: str):
    """A list column of a sandbox time that says so (real times are marked where shown)."""

    @admin.display(description=f"{label} (sandbox time)", ordering=field)
    def column(obj: Any) -> str:
        value = getattr(obj, field)
        return when(value) if value else "–"

    column.__name__ = f"{field}_in_sandbox_time"
    return column


def timeline_excerpt(*, sandbox: Sandbox | None = None, account: SellerAccount | None = None):
    """The newest events of a sandbox or an account, and a link to all of them."""
    if account is not None:
        events = TimelineEvent.objects.filter(account=account)
        query = {"account__id__exact": account.pk}
    else:
        events = TimelineEvent.objects.filter(sandbox=sandbox)
        query = {"sandbox__id__exact": sandbox.pk}
    shown = list(events.order_by("-id")[:EVENTS_SHOWN])
    if not shown:
        return "No events yet."
    url = reverse("admin:lifecycle_timelineevent_changelist") + "?" + urlencode(query)
    rows = format_html_join(
        "",
        '<tr><td><a href="{}">{}</a></td><td>{} ({})</td><td>{}</td><td>{}</td>'
        "<td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                reverse("admin:lifecycle_timelineevent_change", args=[e.pk]),
                when(e.sandbox_time),
                e.actor_label,
                e.get_actor_kind_display(),
                e.get_action_display(),
                e.subject_label,
                event_change(e) or "–",
                e.get_outcome_display(),
                e.message,
            )
            for e in shown
        ),
    )
    return format_html(
        "<table><thead><tr><th>Sandbox time</th><th>Actor</th><th>Action</th><th>Subject</th>"
        "<th>State</th><th>Outcome</th><th>Reason</th></tr></thead><tbody>{}</tbody></table>"
        '<p><a href="{}">All events (newest first)</a></p>',
        rows,
        url,
    )


@admin.register(TimelineEvent)
class TimelineEventAdmin(ViewOnlyAdmin):
    """The append-only timeline: searchable and filterable, never added to, edited or deleted."""

    list_display = (
        sandbox_time_column("sandbox_time", "When"),
        "sandbox",
        "account",
        "actor_label",
        "actor_kind",
        "action",
        "outcome",
        "subject_label",
        "state_change",
        "message",
    )
    list_filter = ("outcome", "actor_kind", "action")
    search_fields = ("actor_label", "subject_label", "sandbox__name", "code", "message")
    list_select_related = ("sandbox", "account")
    exclude = ("actor",)  # the label names the actor; the FK would list every user
    ordering = ("-id",)

    @admin.display(description="State")
    def state_change(self, event: TimelineEvent) -> str:
        return event_change(event) or "–"


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ViewOnlyAdmin):
    list_display = (
        "__str__",
        "account",
        "status",
        sandbox_time_column("requested_at", "Requested"),
        sandbox_time_column("link_expires_at", "Link expires"),
        sandbox_time_column("scheduled_for", "Scheduled for"),
        sandbox_time_column("closed_at", "Closed"),
    )
    list_filter = ("status", FinalizesSoon, EmailsOwed)
    search_fields = ("account__display_name", "account__sandbox__name")
    list_select_related = ("account",)
    exclude = ("nonce",)  # half of the confirmation link's secret


def _retry(job: ExportJob, actor, message: str) -> str:
    job = retry_export_for_seller(actor=actor, export=job)
    return "queued again from the start; the seller gets the download email when it is ready."


RETRY = StaffAction(
    title="Retry the export for the seller (override)",
    records=Action.RETRY_EXPORT,
    rights=(RETRY_EXPORT_FOR_SELLER,),
    preview=lambda job: (
        f"queued again from the start (it failed: {job.failure_reason or 'no reason recorded'})."
        if job.status == ExportStatus.FAILED
        else f"refused: it is {job.get_status_display().lower()}, only a failed export is retried."
    ),
    run=_retry,
)


@admin.register(ExportJob)
class ExportJobAdmin(ViewOnlyAdmin):
    list_display = (
        "__str__",
        "account",
        "status",
        "state",
        sandbox_time_column("requested_at", "Requested"),
        sandbox_time_column("expires_at", "Expires"),
    )
    list_filter = ("status", Stuck)
    search_fields = ("account__display_name", "account__sandbox__name", "failure_reason")
    list_select_related = ("account",)
    # The file is named, never linked: its owner downloads it; storage is served to nobody.
    exclude = ("progress", "file")
    readonly_fields = ("state", "stored_file")
    actions = ("retry_for_seller",)
    staff_actions = {"retry_for_seller": RETRY}

    def has_retry_for_seller_permission(self, request: HttpRequest) -> bool:
        return RETRY.allowed(request.user)

    @admin.action(description=RETRY.title, permissions=["retry_for_seller"])
    def retry_for_seller(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, RETRY)

    def staff_buttons(self, request: HttpRequest, job: ExportJob) -> list[dict[str, Any]]:
        if job.status != ExportStatus.FAILED:
            return []
        return self.buttons_for(request, ["retry_for_seller"])

    @admin.display(description="Progress or reason")
    def state(self, job: ExportJob) -> str:
        return export_state(job)

    stored_file = admin.display(description="File")(lambda self, job: job.file.name or "–")


def export_state(job: ExportJob) -> str:
    """What support needs of an export's state: its progress only while it is being built."""
    if job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        return f"{job.progress}% built"
    if job.status == ExportStatus.FAILED:
        return job.failure_reason or "Failed (no reason was recorded)"
    if job.status == ExportStatus.READY and job.expires_at:
        return f"Ready until {when(job.expires_at)} (sandbox time)"
    return job.get_status_display()


@admin.register(SupportNote)
class SupportNoteAdmin(ViewOnlyAdmin):
    """Internal notes: written from the case page, never edited or removed."""

    list_display = ("__str__", "account", "written_at", "text")
    search_fields = ("text", "author_label", "account__display_name")
    list_select_related = ("account",)
    exclude = ("author",)


@admin.register(InboxMessage)
class InboxMessageAdmin(ViewOnlyAdmin):
    list_display = (
        "subject",
        "sandbox",
        "account",
        "kind",
        "to",
        sandbox_time_column("sent_at", "Sent"),
        sandbox_time_column("read_at", "Read"),
    )
    list_filter = ("kind",)
    search_fields = ("subject", "to", "sandbox__name")
    list_select_related = ("sandbox", "account")
    # The confirmation link's token is the owner's alone: staff see the links with it hidden.
    fields = (
        "sandbox",
        "account",
        "kind",
        "to",
        "subject",
        "body_shown",
        "links_shown",
        "sent_at",
        "read_at",
    )
    readonly_fields = ("body_shown", "links_shown")

    @admin.display(description="Body")
    def body_shown(self, message: InboxMessage) -> str:
        return redact(message.body)

    @admin.display(description="Links")
    def links_shown(self, message: InboxMessage) -> str:
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            (
                (link.get("label", ""), redact(str(link.get("url", ""))))
                if isinstance(link, dict)
                else ("", redact(str(link)))
                for link in message.links or []
            ),
        )
