from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Trainees, sandboxes and seller accounts"

    def ready(self) -> None:
        from . import transitions  # noqa: F401  # registers the account's machines
        from .roles import ensure_support_group

        # After the lifecycle app's migrations, so every app's permissions exist by then.
        post_migrate.connect(ensure_support_group, sender=self, dispatch_uid="support-group")
