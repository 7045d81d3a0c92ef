"""The support admin: shared pieces, and the timeline, deletion requests, exports and inbox.

Support staff look things up here and act only through a short whitelist of admin actions, each
calling one lifecycle service with the staff member as actor (RULEBOOK §1). Lifecycle fields are
read-only, saves write only the fields the form changed (never a stale status over a fresh one),
and nothing is deleted through the admin: removal is finalization's job.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from accounts.models import Sandbox, SellerAccount

from .errors import LifecycleError
from .models import DeletionRequest, ExportJob, InboxMessage, TimelineEvent
from .redaction import redact
from .services.links import when

EVENTS_SHOWN = 20


class SupportAdmin(admin.ModelAdmin):
    """Base of every simulator model's admin page."""

    # Changed only by lifecycle services: shown, never editable.
    lifecycle_fields: tuple[str, ...] = ()
    # Set when the row is created, then fixed (moving an account to another sandbox, say).
    fixed_after_create: tuple[str, ...] = ()
    change_form_template = "admin/lifecycle/support_change_form.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = [*super().get_readonly_fields(request, obj), *self.lifecycle_fields]
        if obj is not None:
            fields += self.fixed_after_create
        return fields

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

    def has_staff_permission(self, request: HttpRequest, action: str) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
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


def act_on_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: models.QuerySet,
    run: Callable[[Any], str],
) -> HttpResponseRedirect | None:
    """Run one service call per selected object and report each result on its own.

    Each call is its own transaction: a refusal is reported as a warning with its sentence and
    neither hides nor undoes what was done to the other objects.
    """
    objects = list(queryset)
    for obj in objects:
        label = str(obj)
        try:
            done = run(obj)
        except LifecycleError as err:
            modeladmin.message_user(request, f"{label}: {err.message}", messages.WARNING)
        else:
            modeladmin.message_user(request, f"{label}: {done}", messages.SUCCESS)
    return back_to_change_page(modeladmin, request, objects)


def back_to_change_page(
    modeladmin: admin.ModelAdmin, request: HttpRequest, objects: list[Any]
) -> HttpResponseRedirect | None:
    """A button on a change page returns there (if the object still exists)."""
    if request.POST.get("_from") != "change" or len(objects) != 1:
        return None
    model = type(objects[0])
    if not model.objects.filter(pk=objects[0].pk).exists():
        return None
    opts = model._meta
    return HttpResponseRedirect(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[objects[0].pk])
    )


def confirm_first(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: models.QuerySet,
    *,
    title: str,
    consequence: str,
) -> TemplateResponse | None:
    """The confirmation page of a destructive action, until staff confirm it.

    Returns None once confirmed, so the action goes ahead.
    """
    if request.POST.get("confirm") == "yes":
        return None
    objects = list(queryset)
    opts = modeladmin.opts
    from_change = request.POST.get("_from") == "change" and len(objects) == 1
    back = (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[objects[0].pk])
        if from_change
        else reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    )
    return TemplateResponse(
        request,
        "admin/lifecycle/confirm_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "consequence": consequence,
            "objects": objects,
            "action": request.POST.get("action", ""),
            "from_change": "change" if from_change else "",
            "back_url": back,
            "opts": opts,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


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
        "<td>{} → {}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                reverse("admin:lifecycle_timelineevent_change", args=[e.pk]),
                when(e.sandbox_time),
                e.actor_label,
                e.get_actor_kind_display(),
                e.get_action_display(),
                e.subject_label,
                e.before or "–",
                e.after or "–",
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
        "sandbox_time",
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
        return f"{event.before or '–'} → {event.after or '–'}"


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ViewOnlyAdmin):
    list_display = (
        "__str__",
        "account",
        "status",
        "requested_at",
        "link_expires_at",
        "scheduled_for",
        "closed_at",
    )
    list_filter = ("status",)
    search_fields = ("account__display_name", "account__sandbox__name")
    list_select_related = ("account",)
    exclude = ("nonce",)  # half of the confirmation link's secret


@admin.register(ExportJob)
class ExportJobAdmin(ViewOnlyAdmin):
    list_display = ("__str__", "account", "status", "progress", "requested_at", "expires_at")
    list_filter = ("status",)
    search_fields = ("account__display_name", "account__sandbox__name", "failure_reason")
    list_select_related = ("account",)


@admin.register(InboxMessage)
class InboxMessageAdmin(ViewOnlyAdmin):
    list_display = ("subject", "sandbox", "account", "kind", "to", "sent_at", "read_at")
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
