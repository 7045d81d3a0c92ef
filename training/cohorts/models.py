"""Cohorts: a trainer's class, how people join it, what it is assigned, and its record.

Rows change only through `training.cohorts.services`; each change writes one CohortEvent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import default_edition_key


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="cohorts_run")
    trainees = models.ManyToManyField(  # type: ignore[var-annotated]  # the stubs cannot type a `through` M2M
        settings.AUTH_USER_MODEL,
        through="Membership",
        through_fields=("cohort", "trainee"),
        related_name="cohorts",
    )
    is_demo = models.BooleanField(default=False)
    # The edition of the rules its trainees' attempts are played under (RULEBOOK §12).
    edition = models.CharField(max_length=40, default=default_edition_key)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        # What the Trainers group holds: the right to start and run cohorts on the trainer pages.
        permissions = [("run_cohorts", "Can start and run cohorts")]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """A sign-up link for one cohort: it expires, can be revoked, and has a number of seats."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True)
    seats = models.PositiveIntegerField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="invitation_has_a_seat"),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.cohort} ({self.seats} seats)"


class JoinedBy(models.TextChoices):
    INVITATION = "invitation", "Invitation link"
    IMPORT = "import", "CSV import"
    TRAINER = "trainer", "Added by a trainer"
    PLATFORM = "platform", "Sent by the course's learning platform (LTI)"


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_by = models.CharField(max_length=12, choices=JoinedBy.choices)
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trainee__username"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "trainee"], name="one_membership_per_cohort"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} in {self.cohort}"


class LoginInvitation(models.Model):
    """A person with a login, invited by a trainer's import: they join only if they accept.

    Open while `answered_at` is empty; `accepted` says how it was answered.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="login_invitations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "person"],
                condition=Q(answered_at__isnull=True),
                name="one_open_login_invitation_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, accepted__isnull=True)
                | Q(answered_at__isnull=False, accepted__isnull=False),
                name="login_invitation_answered_with_its_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} invited to {self.cohort}"


class Assignment(models.Model):
    """A scenario (by its slug) a cohort is to play, with an optional due date."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments")
    scenario_slug = models.CharField(max_length=80)
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "scenario_slug"], name="scenario_assigned_once_per_cohort"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_slug} for {self.cohort}"


class CohortAction(models.TextChoices):
    CREATE = "create_cohort", "Create the cohort"
    INVITE = "invite", "Create an invitation link"
    REVOKE = "revoke_invitation", "Revoke an invitation link"
    JOIN = "join", "Join through an invitation"
    IMPORT = "import_trainees", "Import trainees"
    ACCEPT = "accept_invitation", "Accept an invitation"
    DECLINE = "decline_invitation", "Decline an invitation"
    ADD_TRAINER = "add_trainer", "Add a trainer"
    ASSIGN = "assign", "Assign a scenario"
    UNASSIGN = "unassign", "Remove an assignment"


class CohortEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Cohort events are append-only.")


class CohortEvent(models.Model):
    """The append-only record of what happened to a cohort, and who did it."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=30, choices=CohortAction.choices)
    subject_label = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)

    objects = CohortEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.subject_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Cohort events are append-only.")
        super().save(*args, **kwargs)


class TourState(models.Model):
    """A person who has closed the first-visit tour; they are not shown it again on their own."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tour_state"
    )
    dismissed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Tour closed by {self.person}"
