"""Learning platforms in the admin: registered by support staff holding `manage_platforms`.

django-lti's own registration admin is replaced by this one, which asks for that right."""

from django.contrib import admin
from django.http import HttpRequest
from lti_tool.models import LtiDeployment, LtiRegistration

from .models import Platform
from .roles import manages_platforms

if admin.site.is_registered(LtiRegistration):
    admin.site.unregister(LtiRegistration)


class RightToManage:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return manages_platforms(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return manages_platforms(request.user)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return manages_platforms(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return manages_platforms(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return manages_platforms(request.user)


class DeploymentInline(RightToManage, admin.TabularInline):
    model = LtiDeployment
    fields = ["deployment_id", "is_active"]
    extra = 1


@admin.register(Platform)
class PlatformAdmin(RightToManage, admin.ModelAdmin):
    list_display = ["name", "issuer", "client_id", "is_active"]
    fieldsets = [
        (None, {"fields": ["name", "issuer", "client_id", "is_active"]}),
        (
            "The platform's endpoints",
            {
                "description": "From the platform's tool registration page.",
                "fields": ["auth_url", "token_url", "keyset_url", "audience"],
            },
        ),
    ]
    inlines = [DeploymentInline]
