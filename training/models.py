"""The training layer's rows: attempts at scenarios, cohorts and their invitations."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Sandbox


class Attempt(models.Model):
    """One trainee's play of one scenario, in a sandbox built for it.

    Times without `sandbox_` are real time; `sandbox_started_at` / `sandbox_finished_at` are read
    from the attempt's own sandbox clock. `baseline_event_id` is the last timeline event of the
    world's build: grading reads only what came after it. `result` holds, per objective id (and
    per forbidden move id), whether it was met, the points it gave and its lesson; `feedback`
    holds the rest of the grade (order of events, hint costs, the time taken). `cohort` is the
    cohort whose assignment the attempt was made for (none in free play): only its trainers
    see the attempt.
    """

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    scenario_slug = models.CharField(max_length=80, db_index=True)
    sandbox = models.ForeignKey(
        Sandbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="attempts"
    )
    cohort = models.ForeignKey(
        "training.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attempts",
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    hints_used = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    feedback = models.JSONField(default=dict, blank=True)
    sandbox_started_at = models.DateTimeField(null=True, blank=True)
    sandbox_finished_at = models.DateTimeField(null=True, blank=True)
    baseline_event_id = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="attempt_score_0_to_100"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True)
                | (Q(score__isnull=False) & Q(passed__isnull=False)),
                name="finished_attempt_has_a_grade",
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt #{self.pk} at {self.scenario_slug}"

    @property
    def is_open(self) -> bool:
        return self.finished_at is None

    @property
    def real_duration(self) -> timedelta | None:
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    @property
    def sandbox_duration(self) -> timedelta | None:
        """Sandbox time the attempt took: clock moves count, so a 30-day wait shows as 30 days."""
        if self.sandbox_finished_at is None or self.sandbox_started_at is None:
            return None
        return self.sandbox_finished_at - self.sandbox_started_at


# Cohorts live in their own module; importing them here registers them with the app.
from training.cohorts.models import (  # noqa: E402,F401
    Assignment,
    Cohort,
    CohortEvent,
    Invitation,
    LoginInvitation,
    Membership,
    TourState,
)
