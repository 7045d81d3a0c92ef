"""A checkpoint of a sandbox, and the branch a rewound attempt makes."""

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from accounts.models import Sandbox


class ExactEncoder(DjangoJSONEncoder):
    """Times to the microsecond (Django's encoder cuts them to milliseconds): a restored row's
    times are the original's, exactly."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class CheckpointKind(models.TextChoices):
    SAVED = "saved", "Saved"
    AUTOMATIC = "automatic", "Automatic"
    # Taken after each step of an attempt, so the trainee can go back to before any step.
    STEP = "step", "Step"


class CheckpointQuerySet(models.QuerySet):
    def listed(self) -> "CheckpointQuerySet":
        """The checkpoints the sandbox page lists (a step's are the attempt's own)."""
        return self.exclude(kind=CheckpointKind.STEP)


class Checkpoint(models.Model):
    """Every row the sandbox held at one moment, with its clock; `rows` maps each model's label
    ("shops.order") to its rows (column name to value), `files` each stored file's name to the
    checkpoint's own copy of it."""

    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="checkpoints")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=CheckpointKind.choices)
    sandbox_time = models.DateTimeField()
    clock_offset = models.DurationField()
    # The last timeline event the checkpoint holds: a rewind picks the checkpoint of a step.
    last_event_id = models.BigIntegerField(default=0)
    taken_at = models.DateTimeField(auto_now_add=True)  # real time
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rows = models.JSONField(encoder=ExactEncoder)
    files = models.JSONField(default=dict, blank=True)
    row_count = models.PositiveIntegerField(default=0)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["sandbox", "kind", "last_event_id"])]
        # Support staff restore a trainee's sandbox only with this right, and a reason.
        permissions = [("restore_checkpoint", "Can restore a sandbox to a checkpoint")]

    def __str__(self) -> str:
        return f"Checkpoint {self.name}"


class Branch(models.Model):
    """A rewound attempt: which attempt it branched from, and before which of its steps."""

    attempt = models.OneToOneField(
        "training.Attempt", on_delete=models.CASCADE, related_name="branch"
    )
    parent = models.ForeignKey(
        "training.Attempt", on_delete=models.CASCADE, related_name="branches"
    )
    before_step = models.PositiveSmallIntegerField()
    before_event_id = models.BigIntegerField()

    def __str__(self) -> str:
        return f"Attempt #{self.attempt_id} rewound from #{self.parent_id}"
