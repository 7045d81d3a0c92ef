"""What every simulator model's admin page shares: read-only lifecycle fields, saves of the
changed fields only, no deletion, staff actions refused and explained without their right, and
sandbox times marked as such."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpRequest
from django.urls import reverse

from lifecycle.services.links import when
from lifecycle.support.actions import StaffAction, refuse_without_right
from lifecycle.transitions import state_fields


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
        offered = {name: found for name, found in self.get_actions(request).items() if found}
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


def sandbox_time_column(field: str, label: str):
    """A list column of a sandbox time that says so (real times are marked where shown)."""

    @admin.display(description=f"{label} (sandbox time)", ordering=field)
    def column(obj: Any) -> str:
        value = getattr(obj, field)
        return when(value) if value else "–"

    column.__name__ = f"{field}_in_sandbox_time"
    return column
