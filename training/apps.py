from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrainingConfig(AppConfig):
    """Scenarios, attempts, grading and cohorts: the training layer over the lifecycle rules."""

    name = "training"
    verbose_name = "Training: scenarios, attempts and cohorts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from lifecycle.actions import register
        from training.actions import TrainingAction
        from training.cohorts.roles import ensure_trainers_group, remember_role

        user_logged_in.connect(remember_role, dispatch_uid="remember-trainer-role")

        register(TrainingAction)  # the attempt's own events on its sandbox's timeline

        # Once this app's permissions exist (they are made by the same post_migrate signal).
        post_migrate.connect(ensure_trainers_group, sender=self, dispatch_uid="trainers-group")
