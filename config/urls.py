from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from lifecycle import email_views

urlpatterns = [
    path("admin/", admin.site.urls),
    # Sign-in until the UI's accounts URLs are merged (they name their own "login").
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("healthz", email_views.healthz, name="healthz"),
    path(
        "s/<int:sandbox_id>/close/confirm/<str:token>/",
        email_views.confirm_deletion_view,
        name="confirm_deletion",
    ),
    path(
        "s/<int:sandbox_id>/exports/<int:export_id>/download/",
        email_views.download_export_view,
        name="download_export",
    ),
]
