from django.apps import AppConfig


class EditionsConfig(AppConfig):
    """The editions of the rules (RULEBOOK §12): declarations, their check, their pages."""

    name = "editions"
    verbose_name = "Editions of the rules"

    def ready(self) -> None:
        from editions.registry import check

        check()
