"""Export jobs in the admin: the stuck ones, their state in words, and the retry for the seller."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from lifecycle.models import ExportJob, ExportStatus
from lifecycle.services.exports import stuck_since
from lifecycle.services.links import when
from lifecycle.services.support import RETRY_EXPORT_FOR_SELLER, retry_export_for_seller
from lifecycle.support.actions import StaffAction, staff_action
from lifecycle.transitions import Action

from .base import ViewOnlyAdmin, sandbox_time_column


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
