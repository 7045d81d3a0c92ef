"""Trainees and agents: looked up here; names, emails and passwords are not edited by staff."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from accounts.models import User


@admin.register(User)
class SimulatorUserAdmin(UserAdmin):
    # Who a person is stays as they signed up: a staff edit here would leave no timeline event.
    fixed_after_create = ("username", "first_name", "last_name", "email")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields + list(self.fixed_after_create) if obj is not None else fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Without the right to change users, the password's "Reset password" link answers 403.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]
