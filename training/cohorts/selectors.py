"""What the trainer pages read: a trainer's cohorts and one cohort's people, links, scenarios."""

from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import User

from .importing import ImportReport
from .models import Cohort, Invitation, Membership

EVENTS_SHOWN = 15


def cohorts_run_by(trainer: User) -> QuerySet[Cohort]:
    return Cohort.objects.filter(trainers=trainer).annotate(
        trainee_count=Count("memberships", distinct=True),
        assignment_count=Count("assignments", distinct=True),
    )


def invitation_link(invitation: Invitation) -> str:
    return settings.SIMULATOR["SITE_URL"].rstrip("/") + reverse("join", args=[invitation.token])


def cohort_overview(cohort: Cohort, scenarios: dict[str, Any]) -> dict[str, Any]:
    now = timezone.now()
    invitations = list(cohort.invitations.annotate(used=Count("memberships")))
    for invitation in invitations:
        invitation.link = invitation_link(invitation)
        invitation.state = (
            "revoked"
            if invitation.revoked_at
            else "expired"
            if invitation.expires_at <= now
            else "full"
            if invitation.used >= invitation.seats
            else "open"
        )
        invitation.is_open = invitation.state == "open"
    assignments = list(cohort.assignments.all())
    for assignment in assignments:
        scenario = scenarios.get(assignment.scenario_slug)
        assignment.title = scenario.title if scenario else assignment.scenario_slug
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
