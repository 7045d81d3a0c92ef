from django.urls import path

from . import follow, views

S = "s/<int:sandbox_id>/"

urlpatterns = [
    path(S, views.dashboard, name="dashboard"),
    path(S + "clock/", views.clock, name="advance_clock"),
    path(S + "changes/", follow.changes, name="sandbox_changes"),
    path(S + "lifecycle/", views.lifecycle_map, name="lifecycle_map"),
    path(S + "close/", views.close_account, name="close_account"),
    path(S + "close/request/", views.close_account_request, name="request_deletion"),
    path(S + "close/requested/", views.close_requested, name="close_requested"),
    path(S + "close/cancel/", views.cancel, name="cancel_deletion"),
    path(S + "close/notify/", views.notify, name="notify_customers"),
    path(S + "deleted/", views.account_deleted, name="account_deleted"),
    path(S + "exports/", views.exports, name="exports"),
    path(S + "exports/request/", views.export_request, name="request_export"),
    path(S + "exports/<int:export_id>/", views.export_job, name="export_job"),
    path(S + "exports/<int:export_id>/retry/", views.export_retry, name="retry_export"),
    path(S + "inbox/", views.inbox, name="inbox"),
    path(S + "inbox/<int:message_id>/", views.inbox_message, name="inbox_message"),
    path(S + "timeline/", views.timeline, name="timeline"),
]
