"""The lifecycle app's own machines: the deletion request, the data export and the announcement.

Registered when this module is imported (`LifecycleConfig.ready()`, or the registry's first
read); the ranks order the account's pages (`lifecycle.transitions.registry`).
"""

from . import announcement, deletion, export
from .registry import register

register(
    *deletion.MACHINES,
    transitions=deletion.TRANSITIONS,
    other=deletion.REQUEST_TRANSITIONS,
    rank=30,
)
register(*announcement.MACHINES, transitions=announcement.TRANSITIONS, rank=60)
register(*export.MACHINES, transitions=export.TRANSITIONS, other=export.SILENT, rank=70)
