"""What the exports page says of an export in flight: only what is known.

A build's row carries its progress and a heartbeat (real time) that its builder writes every few
seconds; a queued one's heartbeat is when it was sent. A build silent for a while lost its worker
or its message: the page says how long nothing has moved and that the sweep sends it again by
itself, instead of a moving bar at the last percentage. The cause of the last resend (worker or
message) is read from its timeline event, so a message the broker lost is not told as a builder
that stopped.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from lifecycle.actions import Action
from lifecycle.conf import setting
from lifecycle.core.events import subject_of
from lifecycle.models import ExportJob, ExportStatus, TimelineEvent


@dataclass(frozen=True)
class InFlight:
    """An export queued or running, as the page words it."""

    moving: bool  # a builder (or the queue) gave a sign of life lately: the bar moves
    quiet_for: int  # seconds since the last sign of life (0 when moving)
    last_resend: str  # "worker", "message" or "" (never sent again)
    gives_up_next: bool  # the next silence fails it instead of sending it again

    @property
    def resent_because_worker_stopped(self) -> bool:
        return self.last_resend == "worker"


def quiet_after() -> float:
    """Seconds without a heartbeat after which a build is said to be silent: three of the
    builder's beats (lifecycle.exporting writes one at least every min(5 s, recover / 4))."""
    recover = setting("EXPORT_RECOVER_AFTER").total_seconds()
    return 3 * min(5.0, recover / 4)


def with_flight_words(jobs: list[ExportJob], now: datetime | None = None) -> list[ExportJob]:
    """`jobs`, each queued or running one carrying `flight` (an InFlight). One query for the
    resend causes, only when an export in flight was sent again."""
    now = now or timezone.now()
    flying = [j for j in jobs if j.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)]
    causes = _last_resend_causes([j for j in flying if j.resends])
    limit = setting("EXPORT_MAX_RESENDS")
    for job in flying:
        since = job.heartbeat or job.started or job.created
        quiet = max(int((now - since).total_seconds()), 0) if since else 0
        moving = quiet < quiet_after()
        job.flight = InFlight(  # type: ignore[attr-defined]  # for the template
            moving=moving,
            quiet_for=0 if moving else quiet,
            last_resend=causes.get(job.pk, ""),
            gives_up_next=job.resends >= limit,
        )
    return jobs


def _last_resend_causes(jobs: list[ExportJob]) -> dict[int, str]:
    if not jobs:
        return {}
    subject_type = subject_of(jobs[0])[0]
    events = TimelineEvent.objects.filter(
        action=Action.RESEND_EXPORT,
        subject_type=subject_type,
        subject_id__in=[j.pk for j in jobs],
    ).order_by("subject_id", "id")
    causes: dict[int, str] = {}
    for subject_id, params in events.values_list("subject_id", "params"):
        causes[subject_id] = (params or {}).get("cause", "")  # the latest one wins
    return causes
