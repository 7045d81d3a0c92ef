from django.apps import AppConfig


class RewindConfig(AppConfig):
    """Checkpoints of a sandbox, restores and rewound attempts."""

    name = "rewind"
    verbose_name = "Checkpoints and rewind"

    def ready(self) -> None:
        from lifecycle.actions import register
        from lifecycle.services.deletion.finalization import BEFORE_FINALIZING

        from .actions import RewindAction
        from .services import checkpoint_before

        register(RewindAction)
        # The automatic checkpoint before a deletion's finalization (irreversible).
        BEFORE_FINALIZING.append(checkpoint_before)
