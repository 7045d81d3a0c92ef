"""Every change to a cohort: create it, invite, revoke, assign. One CohortEvent per change.

Keyword-only, with the acting person as `actor` (None for a command run by the operator). A
refusal raises LifecycleError with a CohortCode and a sentence the trainer can act on.
"""

import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import ngettext

from accounts.models import User
from editions import registry as editions
from lifecycle.errors import LifecycleError

from . import catalogue
from .errors import CohortCode
from .models import Assignment, Cohort, CohortAction, CohortEvent, Invitation
from .roles import is_trainer


def refuse(code: CohortCode, message: str) -> None:
    raise LifecycleError(code, message)


def record(
    *,
    actor: User | None,
    cohort: Cohort,
    action: str,
    subject: str,
    params: dict[str, Any] | None = None,
) -> CohortEvent:
    return CohortEvent.objects.create(
        cohort=cohort,
        actor=actor,
        actor_label=actor.get_username() if actor else "manage.py",
        action=action,
        subject_label=subject[:200],
        params=params or {},
    )


def check_runs(actor: User | None, cohort: Cohort) -> None:
    """Only the cohort's own trainers act on it (the operator's commands too, as None)."""
    if actor is not None and not cohort.trainers.filter(pk=actor.pk).exists():
        refuse(CohortCode.NOT_YOUR_COHORT, "Only the trainers of this cohort can change it.")


def lock_cohort(cohort: Cohort | int) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=getattr(cohort, "pk", cohort))


def _free_slug(name: str) -> str:
    base = slugify(name)[:120] or "cohort"
    taken = set(Cohort.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_cohort(*, actor: User, name: str, is_demo: bool = False, edition: str = "") -> Cohort:
    """A new cohort run by the trainer who creates it, its trainees' attempts played under
    `edition` (the default edition's when empty)."""
    if not is_trainer(actor):
        refuse(CohortCode.NOT_A_TRAINER, "Only trainers can start a cohort.")
    edition = edition or editions.default_key()
    if edition not in editions.editions():
        refuse(CohortCode.UNKNOWN_EDITION, "There is no such edition of the rules: pick one.")
    name = name.strip()
    cohort = Cohort.objects.create(
        name=name, slug=_free_slug(name), is_demo=is_demo, edition=edition
    )
    cohort.trainers.add(actor)
    record(actor=actor, cohort=cohort, action=CohortAction.CREATE, subject=name)
    return cohort


@transaction.atomic
def add_trainer(*, actor: User | None, cohort: Cohort, trainer: User) -> Cohort:
    cohort = lock_cohort(cohort)
    check_runs(actor, cohort)
    if not is_trainer(trainer):
        refuse(CohortCode.NOT_A_TRAINER, f"{trainer.get_username()} is not in the Trainers group.")
    if cohort.trainers.filter(pk=trainer.pk).exists():
        return cohort  # a repeat: nothing changes, nothing is recorded
    cohort.trainers.add(trainer)
    record(actor=actor, cohort=cohort, action=CohortAction.ADD_TRAINER, subject=trainer.username)
    return cohort


@transaction.atomic
def create_invitation(
    *, actor: User | None, cohort: Cohort, seats: int, valid_for: timedelta
) -> Invitation:
    cohort = lock_cohort(cohort)
    check_runs(actor, cohort)
    invitation = Invitation.objects.create(
        cohort=cohort,
        token=secrets.token_urlsafe(24),
        seats=seats,
        expires_at=timezone.now() + valid_for,
        created_by=actor,
    )
    record(
        actor=actor,
        cohort=cohort,
        action=CohortAction.INVITE,
        subject=f"Invitation #{invitation.pk}",
        params={"seats": seats, "expires_at": invitation.expires_at.isoformat()},
    )
    return invitation


@transaction.atomic
def revoke_invitation(*, actor: User | None, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_runs(actor, invitation.cohort)
    if invitation.revoked_at is not None:
        return invitation  # already revoked: a repeat
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        cohort=invitation.cohort,
        action=CohortAction.REVOKE,
        subject=f"Invitation #{invitation.pk}",
    )
    return invitation


@transaction.atomic
def assign_scenario(
    *, actor: User | None, cohort: Cohort, scenario_slug: str, due_on: date | None = None
) -> Assignment:
    cohort = lock_cohort(cohort)
    check_runs(actor, cohort)
    scenarios = catalogue.scenarios()
    if scenario_slug not in scenarios:
        refuse(CohortCode.UNKNOWN_SCENARIO, f"There is no scenario “{scenario_slug}”.")
    if scenario_slug not in catalogue.assignable(scenarios):
        refuse(
            CohortCode.NOT_FOR_THIS_AUDIENCE,
            f"{scenarios[scenario_slug].title} is a scenario for support staff: a cohort's "
            "trainees play the seller's scenarios.",
        )
    scenario = scenarios[scenario_slug]
    if cohort.edition not in scenario.editions:
        written_for = " or ".join(f"“{editions.get(key).name}”" for key in scenario.editions)
        refuse(
            CohortCode.WRONG_EDITION,
            f"{scenario.title} is written for the rules of {written_for}; this cohort plays "
            f"“{editions.get(cohort.edition).name}”.",
        )
    existing = cohort.assignments.filter(scenario_slug=scenario_slug).first()
    if existing is not None and existing.due_on == due_on:
        return existing  # a repeat
    if existing is not None:
        refuse(
            CohortCode.ALREADY_ASSIGNED,
            f"{scenarios[scenario_slug].title} is already assigned: remove it first to change "
            "its due date.",
        )
    assignment = Assignment.objects.create(
        cohort=cohort, scenario_slug=scenario_slug, due_on=due_on
    )
    record(
        actor=actor,
        cohort=cohort,
        action=CohortAction.ASSIGN,
        subject=scenarios[scenario_slug].title,
        params={"scenario": scenario_slug, "due_on": due_on.isoformat() if due_on else None},
    )
    return assignment


@transaction.atomic
def unassign_scenario(*, actor: User | None, assignment: Assignment) -> None:
    cohort = lock_cohort(assignment.cohort_id)
    check_runs(actor, cohort)
    deleted, _ = Assignment.objects.filter(pk=assignment.pk).delete()
    if deleted:
        record(
            actor=actor,
            cohort=cohort,
            action=CohortAction.UNASSIGN,
            subject=catalogue.title_of(assignment.scenario_slug),
            params={"scenario": assignment.scenario_slug},
        )


def invitation_refusal(invitation: Invitation, *, now: datetime | None = None, used: int) -> None:
    """Refuse a link that can no longer be used, saying why; `used` is its seats taken."""
    now = now or timezone.now()
    if invitation.revoked_at is not None:
        refuse(
            CohortCode.INVITATION_REVOKED,
            "This invitation link was withdrawn by the trainer: ask them for a new one.",
        )
    if invitation.expires_at <= now:
        when = timezone.localtime(invitation.expires_at).strftime("%-d %b %Y, %H:%M")
        refuse(
            CohortCode.INVITATION_EXPIRED,
            f"This invitation link expired on {when}: ask your trainer for a new one.",
        )
    if used >= invitation.seats:
        taken = ngettext(
            "The seat of this invitation is taken",
            "All %(seats)d seats of this invitation are taken",
            invitation.seats,
        ) % {"seats": invitation.seats}
        refuse(CohortCode.INVITATION_FULL, f"{taken}: ask your trainer for another link.")
