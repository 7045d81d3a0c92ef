"""The support desk's pages beside the admin: search, the case page and notes, the
dashboard and the staff audit log."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", admin.site.admin_view(views.dashboard_view), name="dashboard"),
    path("search/", admin.site.admin_view(views.search_view), name="search"),
    path("case/<int:account_id>/", admin.site.admin_view(views.case_view), name="case"),
    path("case/<int:account_id>/note/", admin.site.admin_view(views.note_view), name="note"),
    path("audit/", admin.site.admin_view(views.audit_view), name="audit"),
]
