"""The staff audit log: every staff action and refusal across all sandboxes, newest first
(after Mastodon's /admin/action_logs and Discourse's staff action log).

It reads the timeline (the one record of what was done): each staff event carries the agent, the
action, its outcome, both times, the internal reason and any message the seller was told.
"""

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from accounts.models import User
from lifecycle.actions import action_choices
from lifecycle.models import ActorKind, Outcome, TimelineEvent

from .case import EventRow

ROWS_PER_PAGE = 50


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser's date-and-time picker; a value it cannot hold (typed into the address) is shown
    empty, beside the field's error, rather than written into the input."""

    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")

    def format_value(self, value):
        if isinstance(value, str) and parse_datetime(value) is None:
            return None
        return super().format_value(value)


class AuditFilter(forms.Form):
    agent = forms.ModelChoiceField(
        queryset=User.objects.filter(is_staff=True).order_by("username"),
        required=False,
        empty_label="every agent",
        to_field_name="username",
    )
    action = forms.ChoiceField(
        choices=lambda: [("", "every action"), *action_choices()], required=False
    )
    outcome = forms.ChoiceField(
        choices=[("", "done and refused"), *Outcome.choices], required=False
    )
    since = forms.DateTimeField(
        label="From (real time, UTC)",
        required=False,
        widget=LocalDateTimeInput(),
    )
    until = forms.DateTimeField(
        label="Until (real time, UTC)",
        required=False,
        widget=LocalDateTimeInput(),
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("“From” comes after “Until”: no action can match.")
        return data


def staff_events(data: dict) -> QuerySet:
    """Staff events matching a valid filter's data (every key optional)."""
    events = TimelineEvent.objects.filter(actor_kind=ActorKind.STAFF)
    if data.get("agent"):
        events = events.filter(actor=data["agent"])
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("outcome"):
        events = events.filter(outcome=data["outcome"])
    if data.get("since"):
        events = events.filter(real_time__gte=data["since"])
    if data.get("until"):
        events = events.filter(real_time__lte=data["until"])
    return events.select_related("sandbox", "account").order_by("-id")


def audit_page(form: AuditFilter, page: str) -> Page:
    data = form.cleaned_data if form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        return Paginator(TimelineEvent.objects.none(), ROWS_PER_PAGE).get_page(1)
    result = Paginator(staff_events(data), ROWS_PER_PAGE).get_page(page)
    result.object_list = [EventRow(e) for e in result.object_list]
    return result
