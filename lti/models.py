"""What a launch ties together here: a course's cohort, the used nonces, an attempt's link.

The protocol's own rows (registrations, deployments, users, contexts, resource links, keys)
are django-lti's (`lti_tool.models`)."""

from django.db import models
from lti_tool.models import LtiContext, LtiRegistration, LtiResourceLink, LtiUser

from training.models import Attempt, Cohort


class Platform(LtiRegistration):
    """A learning platform registered with the simulator (django-lti's registration, shown in
    the admin under its own right)."""

    class Meta:
        proxy = True
        verbose_name = "learning platform"
        permissions = [("manage_platforms", "Can register learning platforms (LTI)")]


class CourseCohort(models.Model):
    """The cohort of a course (an LTI context), made on its first instructor's launch."""

    context = models.OneToOneField(
        LtiContext, on_delete=models.CASCADE, related_name="course_cohort"
    )
    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="course")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.cohort} for {self.context}"


class LaunchNonce(models.Model):
    """A launch's nonce, kept once it was used: the same launch posted again is refused."""

    nonce = models.CharField(max_length=255, unique=True)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.nonce


class AttemptLink(models.Model):
    """The platform's side of an attempt: the link it was launched from, the platform's user,
    and the line item its score goes to (empty when the platform offered no grade book)."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="lti_link")
    resource_link = models.ForeignKey(
        LtiResourceLink, on_delete=models.CASCADE, related_name="attempt_links"
    )
    lti_user = models.ForeignKey(LtiUser, on_delete=models.CASCADE, related_name="attempt_links")
    lineitem_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.attempt} from {self.resource_link}"


class SendState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will be retried)"
    GAVE_UP = "gave_up", "Failed (no more retries)"
    KEPT = "kept", "Not sent: a better score is in the grade book"


class ScoreSend(models.Model):
    """A finished attempt's score on its way to the course's grade book (AGS), and what the
    platform answered. Sent by a background job; a failed send is retried by the sweep."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="score_send")
    link = models.ForeignKey(AttemptLink, on_delete=models.CASCADE, related_name="score_sends")
    lineitem_url = models.URLField(max_length=500)
    lti_user = models.ForeignKey(LtiUser, on_delete=models.CASCADE, related_name="score_sends")
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    comment = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=SendState.choices, default=SendState.QUEUED)
    tries = models.PositiveSmallIntegerField(default=0)
    answer = models.TextField(blank=True)  # the platform's answer to the last try, or the error
    queued_at = models.DateTimeField(auto_now_add=True)
    last_try_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]

    def __str__(self) -> str:
        return f"Score {self.score} of {self.attempt}: {self.get_state_display()}"
