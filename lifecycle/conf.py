"""The rulebook's numbers, read from settings.SIMULATOR so tests and deployments can change them."""

from typing import Any

from django.conf import settings


def setting(name: str) -> Any:
    return settings.SIMULATOR[name]
