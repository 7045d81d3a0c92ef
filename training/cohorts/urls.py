"""The trainer pages (all under /trainer/), the invitation link, password reset and the tour."""

from django.urls import path

from . import account_views, join_views, progress_views, trainer_views

C = "trainer/cohorts/<int:cohort_id>/"

# Every pattern here that names a cohort answers 404 to a trainer who does not run it
# (tests/training/test_trainer_scope.py walks this list).
trainer_patterns = [
    path("trainer/", trainer_views.cohort_list, name="trainer_cohort_list"),
    path("trainer/cohorts/new/", trainer_views.cohort_create, name="trainer_cohort_create"),
    path(C, trainer_views.cohort_detail, name="trainer_cohort"),
    path(C + "invitations/new/", trainer_views.invitation_create, name="trainer_invite"),
    path(
        C + "invitations/<int:invitation_id>/revoke/",
        trainer_views.invitation_revoke,
        name="trainer_revoke_invitation",
    ),
    path(C + "assignments/new/", trainer_views.assignment_create, name="trainer_assign"),
    path(
        C + "assignments/<int:assignment_id>/remove/",
        trainer_views.assignment_remove,
        name="trainer_unassign",
    ),
    path(C + "import/", trainer_views.trainee_import, name="trainer_import"),
    path(C + "progress/", progress_views.progress, name="trainer_progress"),
    path(C + "progress.csv", progress_views.progress_csv, name="trainer_progress_csv"),
    path(
        C + "attempts/<int:attempt_id>/",
        progress_views.attempt_detail,
        name="trainer_attempt",
    ),
]

urlpatterns = [
    *trainer_patterns,
    path("join/<str:token>/", join_views.join, name="join"),
    path(
        "cohort-invitations/<int:invitation_id>/accept/",
        join_views.login_invitation_accept,
        name="login_invitation_accept",
    ),
    path(
        "cohort-invitations/<int:invitation_id>/decline/",
        join_views.login_invitation_decline,
        name="login_invitation_decline",
    ),
    path("password/reset/", account_views.password_reset, name="password_reset"),
    path("password/reset/sent/", account_views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        account_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        account_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("tour/dismiss/", account_views.tour_dismiss, name="tour_dismiss"),
    path("email/verify/<uidb64>/<token>/", account_views.email_verify, name="email_verify"),
    path(
        "email/resend/",
        account_views.email_verification_resend,
        name="email_verification_resend",
    ),
]
