from django.apps import AppConfig


class RewindConfig(AppConfig):
    """Checkpoints of a sandbox, restores and rewound attempts."""

    name = "rewind"
    verbose_name = "Checkpoints and rewind"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from accounts.roles import ensure_support_group
        from lifecycle.actions import register
        from lifecycle.models import TimelineEvent
        from lifecycle.services.deletion.finalization import BEFORE_FINALIZING

        from .actions import RewindAction
        from .services import checkpoint_before
        from .steps import after_event

        register(RewindAction)
        # The automatic checkpoint before a deletion's finalization (irreversible).
        BEFORE_FINALIZING.append(checkpoint_before)
        # The support group's rights include this app's, which exist once it has migrated.
        post_migrate.connect(ensure_support_group, sender=self, dispatch_uid="support-rewind")
        # A checkpoint after each committed step of an open attempt (rewind.steps).
        post_save.connect(after_event, sender=TimelineEvent, dispatch_uid="rewind-step-checkpoint")
