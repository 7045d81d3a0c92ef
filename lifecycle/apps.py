from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "lifecycle"
    verbose_name = "Lifecycle: timeline, deletion, exports and inbox"

    def ready(self) -> None:
        # The tasks register themselves for the jobs services queue; a job without its task
        # stops the start-up here rather than losing work later.
        from lifecycle import jobs, tasks  # noqa: F401

        jobs.check_registry()

        # Only the engine writes a declared state (lifecycle.core.protection).
        from lifecycle.core import protection

        protection.install()
