"""Deletion requests in the admin: found by when they finalize and by the emails they owe."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import ExpressionWrapper, F, QuerySet, Value
from django.db.models.fields import DateTimeField
from django.utils import timezone

from lifecycle.models import DeletionRequest, DeletionStatus

from .base import ViewOnlyAdmin, sandbox_time_column


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
