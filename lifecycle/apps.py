from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "lifecycle"
    verbose_name = "Lifecycle: timeline, deletion, exports and inbox"
    # This app's own machines (`lifecycle.transitions` itself is the engine's declaration).
    machines = "lifecycle.transitions.own"

    def ready(self) -> None:
        # This app's own machines (the deletion request, the export, the announcement).
        # The tasks register themselves for the jobs services queue; a job without its task
        # stops the start-up here rather than losing work later.
        from lifecycle import jobs, tasks  # noqa: F401
        from lifecycle.transitions import own  # noqa: F401

        jobs.check_registry()

        # Only the engine writes a declared state (lifecycle.core.protection).
        from lifecycle.core import protection

        protection.install()
