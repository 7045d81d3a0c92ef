"""What a resource-link launch does here, once the protocol's checks passed.

Everything a launch writes happens in one transaction after every check of its own: a refused
launch creates nothing. The training layer is reached through its services only (cohort
creation, assignment, joining, starting an attempt)."""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from lti_tool.lti_core.constants import ContextRole
from lti_tool.lti_core.utils import normalize_role
from lti_tool.models import LtiContext, LtiLaunch, LtiUser
from lti_tool.utils import sync_data_from_launch
from pylti1p3.message_launch import MessageLaunch

from accounts.models import User
from lifecycle.errors import LifecycleError
from training.cohorts import catalogue
from training.cohorts.joining import join_from_platform
from training.cohorts.roles import TRAINERS_GROUP
from training.cohorts.services import add_trainer, assign_scenario, create_cohort
from training.models import Attempt, Cohort
from training.play import start_attempt
from training.scenarios import get

from .models import AttemptLink, CourseCohort, LaunchNonce
from .problems import LaunchRefused, Problem

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
CONTEXT_CLAIM = CLAIM + "context"
CUSTOM_CLAIM = CLAIM + "custom"
ROLES_CLAIM = CLAIM + "roles"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCENARIO_PARAM = "scenario"  # the custom parameter of a link: the scenario it opens
TEACHING_ROLES = (ContextRole.INSTRUCTOR.value, ContextRole.ADMINISTRATOR.value)


@dataclass(frozen=True)
class Landing:
    person: User
    url: str


def is_instructor(roles: list[str]) -> bool:
    """An instructor (a teaching assistant is a kind of one) or the course's administrator."""
    return any(normalize_role(r).startswith(TEACHING_ROLES) for r in roles or [])


def scenario_of(data: dict[str, Any]) -> str:
    """The scenario the link opens: its custom parameter, refused when absent or gone."""
    slug = str((data.get(CUSTOM_CLAIM) or {}).get(SCENARIO_PARAM, "")).strip()
    if not slug:
        raise LaunchRefused(Problem.NO_SCENARIO)
    if slug not in catalogue.scenarios():
        raise LaunchRefused(Problem.SCENARIO_GONE, slug)
    return slug


def context_id_of(data: dict[str, Any]) -> str:
    context_id = str((data.get(CONTEXT_CLAIM) or {}).get("id", ""))
    if not context_id:
        raise LaunchRefused(Problem.MISSING_CLAIM, "the course (context)")
    return context_id


def username_for(issuer: str, sub: str) -> str:
    """The local login of a platform's user: the same for the same issuer and subject."""
    digest = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:16]
    return f"lti-{digest}"


def local_user(lti_user: LtiUser) -> User:
    """The local login tied to the platform's user (created on first launch, no password)."""
    if lti_user.auth_user_id is not None:
        return lti_user.auth_user
    registration = lti_user.registration
    person, created = User.objects.get_or_create(
        username=username_for(registration.issuer, lti_user.sub),
        defaults={"first_name": lti_user.given_name[:150], "last_name": lti_user.family_name[:150]},
    )
    if created:
        person.set_unusable_password()
        person.save(update_fields=["password"])
    lti_user.auth_user = person
    lti_user.save(update_fields=["auth_user", "datetime_modified"])
    return person


def consume_nonce(nonce: str) -> None:
    try:
        with transaction.atomic():
            LaunchNonce.objects.create(nonce=nonce)
    except IntegrityError:
        raise LaunchRefused(Problem.REPLAYED) from None


def course_of(deployment: Any, context_id: str) -> CourseCohort | None:
    return (
        CourseCohort.objects.filter(
            context__deployment=deployment, context__id_on_platform=context_id
        )
        .select_related("cohort")
        .first()
    )


def _teach(person: User, context: LtiContext, slug: str) -> Cohort:
    """The course's cohort, made on its first instructor's launch (they are its trainer); a
    later instructor becomes a trainer too. The link's scenario is assigned to it."""
    context = LtiContext.objects.select_for_update().get(pk=context.pk)
    person.groups.add(Group.objects.get(name=TRAINERS_GROUP))
    course = CourseCohort.objects.filter(context=context).select_related("cohort").first()
    if course is None:
        name = context.title or context.label or f"Course {context.id_on_platform}"
        cohort = create_cohort(actor=person, name=name[:120])
        CourseCohort.objects.create(context=context, cohort=cohort)
    else:
        cohort = add_trainer(actor=None, cohort=course.cohort, trainer=person)
    if not cohort.assignments.filter(scenario_slug=slug).exists():
        assign_scenario(actor=person, cohort=cohort, scenario_slug=slug)
    return cohort


def _learn(person: User, cohort: Cohort, slug: str) -> Attempt:
    """The learner's attempt at the link's scenario in this course: the one in progress, or a
    new one."""
    join_from_platform(person=person, cohort=cohort)
    attempt = (
        Attempt.objects.filter(
            trainee=person, scenario_slug=slug, cohort=cohort, finished_at__isnull=True
        )
        .order_by("-started_at", "-id")
        .first()
    )
    if attempt is None:
        try:
            attempt = start_attempt(trainee=person, scenario=get(slug))
        except PermissionDenied:
            raise LaunchRefused(Problem.NOT_FOR_LEARNERS) from None
    return attempt


def land(message_launch: MessageLaunch) -> Landing:
    """Sign the launch's person in here and say where they land: a learner in their attempt,
    an instructor on the cohort's progress grid."""
    data: dict[str, Any] = dict(message_launch.get_launch_data())
    if not message_launch.is_resource_launch():
        kind = str(data.get(CLAIM + "message_type", "none"))
        raise LaunchRefused(Problem.UNSUPPORTED, kind)
    context_id = context_id_of(data)
    slug = scenario_of(data)
    launch = LtiLaunch(message_launch)
    teaching = is_instructor(data.get(ROLES_CLAIM) or [])
    course = course_of(launch.deployment, context_id)
    if not teaching and get(slug).audience == "support":
        raise LaunchRefused(Problem.NOT_FOR_LEARNERS)
    with transaction.atomic():
        consume_nonce(str(data.get("nonce", "")))
        sync_data_from_launch(launch)
        person = local_user(launch.user)
        if teaching:
            try:
                cohort = _teach(person, launch.context, slug)
            except LifecycleError:
                raise LaunchRefused(Problem.NOT_FOR_LEARNERS) from None
            return Landing(person, reverse("trainer_progress", args=[cohort.pk]))
        if course is None:
            raise LaunchRefused(Problem.NOT_SET_UP)
        attempt = _learn(person, course.cohort, slug)
        lineitem = str((data.get(AGS_CLAIM) or {}).get("lineitem", ""))
        AttemptLink.objects.update_or_create(
            attempt=attempt,
            defaults={
                "resource_link": launch.resource_link,
                "lti_user": launch.user,
                "lineitem_url": lineitem[:500],
            },
        )
        return Landing(person, reverse("attempt", args=[attempt.pk]))
