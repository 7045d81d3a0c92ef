"""Checkpoints in the support admin: listed per sandbox, restored by staff with a reason
(RULEBOOK §11), each restore a staff action like the others (preview, reason, record)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from lifecycle.admin import ViewOnlyAdmin
from lifecycle.support import previews
from lifecycle.support.actions import StaffAction, staff_action

from .actions import RewindAction
from .models import Checkpoint
from .services import restore_checkpoint


def _restore(checkpoint: Checkpoint, actor, message: str) -> str:
    restored = restore_checkpoint(actor=actor, checkpoint=checkpoint)
    return f"restored as the new sandbox {restored.name} (#{restored.pk}) of its owner."


def _restore_here(checkpoint: Checkpoint, actor, message: str) -> str:
    restore_checkpoint(actor=actor, checkpoint=checkpoint, in_place=True, confirmed=True)
    return f"{checkpoint.sandbox.name} is back at “{checkpoint.name}”."


def _when(checkpoint: Checkpoint) -> str:
    return previews.sandbox_time(checkpoint.sandbox_time)


RESTORE = StaffAction(
    title="Restore as a new sandbox",
    preview=lambda cp: (
        f"a new sandbox of {cp.sandbox.owner} holding {cp.sandbox.name} as it was at "
        f"{_when(cp)} (“{cp.name}”); the sandbox itself stays as it is."
    ),
    run=_restore,
    records=RewindAction.RESTORE_CHECKPOINT,
    rights=("rewind.restore_checkpoint",),
)
RESTORE_HERE = StaffAction(
    title="Restore the sandbox in place",
    preview=lambda cp: (
        f"{cp.sandbox.name} goes back to {_when(cp)} (“{cp.name}”): every row, inbox and "
        "timeline as they were then. What happened since moves to a sandbox of its own, "
        "kept for support and hidden from the trainee."
    ),
    run=_restore_here,
    destructive=True,
    records=RewindAction.RESTORE_CHECKPOINT,
    rights=("rewind.restore_checkpoint",),
)


@admin.register(Checkpoint)
class CheckpointAdmin(ViewOnlyAdmin):
    list_display = ("name", "sandbox", "kind", "sandbox_time", "row_count", "taken_at")
    list_filter = ("kind",)
    search_fields = ("name", "sandbox__name", "sandbox__owner__username")
    list_select_related = ("sandbox", "sandbox__owner")
    exclude = ("rows", "files")
    actions = ("restore_as_new", "restore_in_place")
    staff_actions = {"restore_as_new": RESTORE, "restore_in_place": RESTORE_HERE}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Checkpoint.objects.listed().defer("rows", "files")

    def has_restore_permission(self, request: HttpRequest) -> bool:
        return RESTORE.allowed(request.user)

    def case_url(self, checkpoint: Any) -> str:
        from django.urls import reverse

        account = checkpoint.sandbox.account
        return reverse("support:case", args=[account.pk]) if account else ""

    @admin.action(description=RESTORE.title, permissions=["restore"])
    def restore_as_new(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, RESTORE)

    @admin.action(description=RESTORE_HERE.title, permissions=["restore"])
    def restore_in_place(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, RESTORE_HERE)
