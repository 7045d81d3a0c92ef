from django.apps import AppConfig


class RewindConfig(AppConfig):
    """Checkpoints of a sandbox, restores and rewound attempts."""

    name = "rewind"
    verbose_name = "Checkpoints and rewind"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from lifecycle.actions import register
        from lifecycle.models import TimelineEvent

        from .actions import RewindAction
        from .steps import after_event

        register(RewindAction)
        # A checkpoint after each committed step of an open attempt (rewind.steps).
        post_save.connect(after_event, sender=TimelineEvent, dispatch_uid="rewind-step-checkpoint")
