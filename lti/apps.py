from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LtiConfig(AppConfig):
    """Launch from a learning platform (LTI 1.3 Advantage): sign-in, cohorts, grades sent back.

    The LTI protocol itself is django-lti's (`lti_tool`, over pylti1p3); this app decides what a
    launch means here and touches the training layer only through its services."""

    name = "lti"
    verbose_name = "Learning platforms (LTI)"

    def ready(self) -> None:
        from lti.grades import attempt_finished
        from lti.roles import ensure_platform_admins_group
        from training.hooks import on_attempt_finished

        on_attempt_finished(attempt_finished)  # the score goes back to the course's grade book

        post_migrate.connect(
            ensure_platform_admins_group, sender=self, dispatch_uid="lti-platform-admins"
        )
