from django.contrib.auth import views as auth_views
from django.urls import path

from training.cohorts.account_views import PasswordChangeView, SignInView

from . import practice_views, views

S = "s/<int:sandbox_id>/"

urlpatterns = [
    path("", views.sandbox_list, name="sandbox_list"),
    path("sandboxes/new/", views.sandbox_create, name="sandbox_create"),
    path(
        "sandboxes/<int:sandbox_id>/rename/",
        practice_views.sandbox_rename,
        name="sandbox_rename",
    ),
    path(
        "sandboxes/<int:sandbox_id>/delete/",
        practice_views.sandbox_delete,
        name="sandbox_delete",
    ),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(S + "profile/", views.profile, name="profile"),
    path(S + "settings/", views.seller_profile, name="seller_profile"),
    path(S + "settings/type/", views.account_type, name="account_type"),
    path(S + "settings/apps/", views.connected_apps, name="connected_apps"),
    path(S + "settings/apps/<str:app>/remove/", views.remove_app, name="remove_app"),
    path(S + "settings/apps/<str:app>/grant/", views.grant_app, name="grant_app"),
    path(S + "settings/close-or-pause/", views.close_or_pause, name="close_or_pause"),
    path(S + "settings/deactivate/", views.deactivate, name="deactivate"),
    path(S + "settings/reactivate/", views.reactivate, name="reactivate"),
]
