"""What the trainer pages read: a trainer's cohorts and one cohort's people, links, scenarios."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import User
from lifecycle.conf import setting

from .catalogue import title_of
from .importing import ImportReport
from .models import Cohort, Invitation, Membership

EVENTS_SHOWN = 15


def cohorts_run_by(trainer: User) -> QuerySet[Cohort]:
    return Cohort.objects.filter(trainers=trainer).annotate(
        trainee_count=Count("memberships", distinct=True),
        assignment_count=Count("assignments", distinct=True),
    )


def invitation_link(invitation: Invitation) -> str:
    return setting("SITE_URL").rstrip("/") + reverse("join", args=[invitation.token])


@dataclass(frozen=True)
class InvitationRow:
    """An invitation link as the cohort's page lists it: its seats taken, state and address."""

    pk: int
    seats: int
    used: int
    expires_at: datetime
    revoked_at: datetime | None
    link: str
    state: str

    @property
    def is_open(self) -> bool:
        return self.state == "open"


@dataclass(frozen=True)
class AssignmentRow:
    """An assigned scenario as the cohort's page lists it, by its title."""

    pk: int
    title: str
    due_on: date | None


def _state(invitation: Invitation, used: int, now: datetime) -> str:
    if invitation.revoked_at:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "full" if used >= invitation.seats else "open"


def _invitation_row(i: Any, now: datetime) -> InvitationRow:
    """`i` is an invitation annotated with `used` (its memberships)."""
    state, link = _state(i, i.used, now), invitation_link(i)
    return InvitationRow(i.pk, i.seats, i.used, i.expires_at, i.revoked_at, link, state)


def cohort_overview(cohort: Cohort, scenarios: dict[str, Any]) -> dict[str, Any]:
    now = timezone.now()
    invitations = [
        _invitation_row(i, now) for i in cohort.invitations.annotate(used=Count("memberships"))
    ]
    assignments = [
        AssignmentRow(a.pk, title_of(a.scenario_slug, scenarios), a.due_on)
        for a in cohort.assignments.all()
    ]
    memberships = cohort.memberships.select_related("trainee").order_by("trainee__username")
    return {
        "memberships": list(memberships),
        "invitations": invitations,
        "assignments": assignments,
        "trainers": list(cohort.trainers.order_by("username")),
        # Who was invited and has not joined: still open, or declined.
        "login_invitations": list(
            cohort.login_invitations.exclude(accepted=True).select_related("person")
        ),
        "events": list(cohort.events.all()[:EVENTS_SHOWN]),
    }


IMPORT_PHRASES = (
    (
        "created",
        "%(n)d new trainee imported and emailed a link to set their password",
        "%(n)d new trainees imported and emailed a link to set their password",
    ),
    (
        "invited",
        "%(n)d person with a login invited: they join when they accept",
        "%(n)d people with a login invited: they join when they accept",
    ),
    (
        "skipped",
        "%(n)d row skipped: already in the cohort or invited",
        "%(n)d rows skipped: already in the cohort or invited",
    ),
)


def import_summary(report: ImportReport) -> str:
    parts = [
        ngettext(one, many, len(getattr(report, name))) % {"n": len(getattr(report, name))}
        for name, one, many in IMPORT_PHRASES
        if getattr(report, name)
    ]
    return "; ".join(parts) + "."


def trainee_cohorts(trainee: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(trainee=trainee)
        .select_related("cohort")
        .prefetch_related(Prefetch("cohort__assignments"))
    )
