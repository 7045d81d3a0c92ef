"""The append-only timeline in the admin, and the excerpt of it on other change pages."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from accounts.models import Sandbox, SellerAccount
from lifecycle.models import TimelineEvent
from lifecycle.services.links import when
from lifecycle.support.words import event_change

from .base import ViewOnlyAdmin, sandbox_time_column

EVENTS_SHOWN = 20


def timeline_excerpt(*, sandbox: Sandbox | None = None, account: SellerAccount | None = None):
    """The newest events of a sandbox or an account, and a link to all of them."""
    if account is not None:
        events = TimelineEvent.objects.filter(account=account)
        query = {"account__id__exact": account.pk}
    elif sandbox is not None:
        events = TimelineEvent.objects.filter(sandbox=sandbox)
        query = {"sandbox__id__exact": sandbox.pk}
    else:
        raise TypeError("timeline_excerpt needs a sandbox or an account")
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
