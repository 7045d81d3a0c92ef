from django.apps import AppConfig


class RewindConfig(AppConfig):
    """Checkpoints of a sandbox, restores and rewound attempts."""

    name = "rewind"
    verbose_name = "Checkpoints and rewind"

    def ready(self) -> None:
        from lifecycle.actions import register

        from .actions import RewindAction

        register(RewindAction)
