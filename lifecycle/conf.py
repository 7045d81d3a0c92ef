"""This deployment's settings of the simulator (settings.SIMULATOR): recovery of background work,
batch sizes, money, email, the site's address, and which edition new sandboxes get.

The rules' numbers are not here: they are the edition's (`editions.registry.rule(sandbox, name)`),
and asking for one here fails (a test checks no code does)."""

from typing import Any

from django.conf import settings


def setting(name: str) -> Any:
    return settings.SIMULATOR[name]
