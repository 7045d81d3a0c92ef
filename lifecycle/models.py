"""The timeline, deletion requests, export jobs and the inbox (RULEBOOK §5–§8).

Job state the trainee sees lives in these rows, not in Celery's result store.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Sandbox, SellerAccount

from .actions import check_known, label_of


class ActorKind(models.TextChoices):
    TRAINEE = "trainee", "Trainee"
    STAFF = "staff", "Support staff"
    JOB = "job", "Background job"
    # A scenario's world, built before the attempt starts: the seller's past, not the trainee's.
    SCENARIO = "scenario", "Scenario set-up"


class Outcome(models.TextChoices):
    DONE = "done", "Done"
    REFUSED = "refused", "Refused"


class TimelineEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # the scrub at finalization is the one allowed edit
        if set(kwargs) - {"params", "scrubbed"}:
            raise TypeError("Timeline events are append-only.")
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for event in objs:
            check_known(event.action)
        return super().bulk_create(objs, *args, **kwargs)

    def move_to(self, sandbox: Sandbox) -> int:
        """Carry events over to the sandbox that replaces theirs (a demo reset): kept, unedited."""
        return super().update(sandbox=sandbox)

    def by_staff(self, user) -> "TimelineEventQuerySet":
        return self.filter(actor=user, actor_kind=ActorKind.STAFF)

    def for_seller(self) -> "TimelineEventQuerySet":
        """What the seller's own pages show: everything but refused staff attempts, which are
        the staff's record only (RULEBOOK §11). A staff event's internal reason is in `params`
        and is never rendered on the seller's pages either."""
        return self.exclude(actor_kind=ActorKind.STAFF, outcome=Outcome.REFUSED)


class TimelineEvent(models.Model):
    """One append-only record of an action, done or refused."""

    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="events")
    # A demo reset removes the old accounts; their events stay, moved to the fresh sandbox.
    account = models.ForeignKey(
        SellerAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    sandbox_time = models.DateTimeField()
    real_time = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices)
    actor_label = models.CharField(max_length=150)
    # One of the registered actions (`lifecycle.actions`), checked when the event is written.
    action = models.CharField(max_length=40)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.DONE)
    subject_type = models.CharField(max_length=30)
    subject_id = models.BigIntegerField(null=True, blank=True)
    subject_label = models.CharField(max_length=200)
    before = models.CharField(max_length=60, blank=True)
    after = models.CharField(max_length=60, blank=True)
    code = models.CharField(max_length=60, blank=True)
    message = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    scrubbed = models.BooleanField(default=False)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["sandbox", "-id"]),
            models.Index(fields=["subject_type", "subject_id", "id"]),
            # The sweep's finder: announcements still queued (a few among all the events;
            # the value is lifecycle.transitions.announcement.QUEUED).
            models.Index(
                fields=["real_time"],
                condition=Q(action="notify_customers", after="announcement queued"),
                name="event_announcement_queued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.subject_label} ({self.outcome})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Timeline events are append-only.")
        check_known(self.action)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Timeline events are append-only.")

    def get_action_display(self) -> str:
        return label_of(self.action)


class DeletionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for email confirmation"
    SCHEDULED = "scheduled", "Scheduled"
    LAPSED = "lapsed", "Lapsed"
    CANCELLED = "cancelled", "Cancelled"
    FINALIZED = "finalized", "Finalized"


OPEN_DELETION_STATUSES = (DeletionStatus.PENDING, DeletionStatus.SCHEDULED)


class DeletionRequestQuerySet(models.QuerySet):
    def open(self) -> models.QuerySet:
        """Requests still waiting for their email or their grace period to end."""
        return self.filter(status__in=OPEN_DELETION_STATUSES)


class DeletionRequest(models.Model):
    account = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, related_name="deletion_requests"
    )
    status = models.CharField(
        max_length=12, choices=DeletionStatus.choices, default=DeletionStatus.PENDING
    )
    previous_status = models.CharField(max_length=24)
    nonce = models.CharField(max_length=64)
    checklist = models.JSONField(default=dict)
    # Sandbox times.
    requested_at = models.DateTimeField()
    link_expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Emails the jobs still owe (null) or have sent (their sandbox time).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.JSONField(default=list, blank=True)
    lapse_notice_sent_at = models.DateTimeField(null=True, blank=True)
    # Job bookkeeping, real time.
    attempts = models.PositiveIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status__in=["pending", "scheduled"]),
                name="one_open_deletion_request_per_account",
            ),
        ]
        # The sweep's finder (services.due.sandboxes_with_due_work) reads open requests (the
        # unique index above) or lapsed ones whose notice is owed (this one): both partial, so
        # it never scans the requests that are done with (docs/benchmarks.md, "Sweep").
        indexes = [
            models.Index(
                fields=["account"],
                condition=Q(status="lapsed", lapse_notice_sent_at__isnull=True),
                name="deletion_request_notice_owed",
            ),
        ]

    def __str__(self) -> str:
        return f"Deletion request #{self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_DELETION_STATUSES


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


IN_FLIGHT_EXPORT_STATUSES = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class ExportJobQuerySet(models.QuerySet):
    def in_flight(self) -> models.QuerySet:
        """Exports queued or being built (at most one per account)."""
        return self.filter(status__in=IN_FLIGHT_EXPORT_STATUSES)


class ExportJob(models.Model):
    account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="exports")
    # The export's number in its sandbox (1, 2, ...): what its pages, emails and timeline call
    # it, so a new sandbox's first export is "Export #1" (ids count across every sandbox). The
    # request gives it under the sandbox's lock (services.exports).
    number = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Times the sweep sent the build again since it was asked for (or retried): its worker died,
    # or the broker lost its message. Past EXPORT_MAX_RESENDS the sweep gives up on it.
    resends = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    manifest = models.JSONField(default=dict, blank=True)
    # Sandbox times.
    requested_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    # Real times: the stuck-job sweep compares heartbeats with the wall clock.
    started = models.DateTimeField(null=True, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status__in=["queued", "running"]),
                name="one_export_in_flight_per_account",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="export_progress_at_most_100"
            ),
        ]
        # The sweep's finder reads the exports in flight or ready; expired and failed ones,
        # most of the table in time, stay out of this partial index.
        indexes = [
            models.Index(
                fields=["account"],
                condition=Q(status__in=["queued", "running", "ready"]),
                name="export_sweep_may_act_on",
            ),
        ]

    def __str__(self) -> str:
        return f"Export #{self.number} ({self.status})"


class InboxMessage(models.Model):
    """An email the platform would send; it lands here so the trainee can open it."""

    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="inbox")
    account = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="inbox"
    )
    kind = models.CharField(max_length=40)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    links = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # What makes a message unique, so a retried job never sends it twice.
    dedupe_key = models.CharField(max_length=120)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sandbox", "dedupe_key"], name="inbox_message_sent_once"
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class SupportNote(models.Model):
    """An internal note of support staff on a seller account: kept with the case, never shown
    to the trainee, never edited."""

    account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_label = models.CharField(max_length=150)
    text = models.TextField()
    written_at = models.DateTimeField(auto_now_add=True)  # real time
    sandbox_time = models.DateTimeField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Note #{self.pk} by {self.author_label}"


class HeartbeatKind(models.TextChoices):
    WORKER = "worker", "Worker"
    SCHEDULER = "scheduler", "Scheduler"


class Heartbeat(models.Model):
    """The last sign of life of one worker or scheduler process, written by the process itself
    every few seconds (lifecycle.heartbeat); /healthz and the support dashboard read it."""

    name = models.CharField(max_length=200, unique=True)  # "celery@host", "beat@host"
    kind = models.CharField(max_length=20, choices=HeartbeatKind.choices)
    started_at = models.DateTimeField()  # real time, like every field here
    beat_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)  # set by a clean shutdown

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"
