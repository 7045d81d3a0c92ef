from django.apps import AppConfig


class ShopsConfig(AppConfig):
    name = "shops"
    verbose_name = "Shops and their commerce data"

    def ready(self) -> None:
        from . import transitions  # noqa: F401  # registers the shop's machines
