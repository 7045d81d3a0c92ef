from django.apps import AppConfig


class StudioConfig(AppConfig):
    """The shop's videos and what the account type unlocks on them (RULEBOOK §4): sounds,
    product links, live sessions and the insights of creator and business accounts."""

    name = "studio"
    verbose_name = "Videos, sounds, product links and live sessions"

    def ready(self) -> None:
        from . import transitions  # noqa: F401  # registers the studio's machines
