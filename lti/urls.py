from django.urls import path

from . import trainer_views, views

urlpatterns = [
    path("lti/login/", views.login_initiation, name="lti_login"),
    path("lti/launch/", views.launch, name="lti_launch"),
    path("lti/jwks/", views.jwks, name="lti_jwks"),
    path("lti/deep-link/", views.deep_link_pick, name="lti_deep_link"),
    path(
        "trainer/cohorts/<int:cohort_id>/course-grades/",
        trainer_views.grades,
        name="lti_grades",
    ),
    path(
        "trainer/cohorts/<int:cohort_id>/sync-roster/",
        trainer_views.sync_roster,
        name="lti_sync_roster",
    ),
]
