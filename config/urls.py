from django.contrib import admin
from django.urls import include, path

from lifecycle import email_views

urlpatterns = [
    path("admin/support/", include("lifecycle.support.urls")),
    path("admin/", admin.site.urls),
    path("healthz", email_views.healthz, name="healthz"),
    # The emailed link (its token moves into the session), then the page without the token.
    path(
        "s/<int:sandbox_id>/close/confirm/<str:token>/",
        email_views.confirm_deletion_link,
        name="confirm_deletion",
    ),
    path(
        "s/<int:sandbox_id>/close/confirm/",
        email_views.confirm_deletion_view,
        name="confirm_deletion_page",
    ),
    path(
        "s/<int:sandbox_id>/exports/<int:export_id>/download/",
        email_views.download_export_view,
        name="download_export",
    ),
    path("", include("accounts.urls")),
    path("", include("shops.urls")),
    path("", include("lifecycle.urls")),
    path("", include("studio.urls")),
    path("", include("training.urls")),
    path("", include("training.cohorts.urls")),
    path("", include("lti.urls")),
    path("", include("editions.urls")),
    path("", include("rewind.urls")),
]
