"""Names and Role Provisioning: "Sync the roster" brings a course's learners into its cohort.

The platform's member list (NRPS) is read through pylti1p3; each active learner gets their
local login (no password: they come in through the platform) and joins the cohort. Members who
are no longer active in the course are reported as having left; their membership and attempts
stay, so the trainer keeps their record."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NoReturn

import requests
from django.db import transaction
from lti_tool.lti_core.constants import ContextRole
from lti_tool.lti_core.utils import normalize_role
from lti_tool.models import LtiUser
from pylti1p3.exception import LtiException
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector

from accounts.models import User
from lifecycle.errors import LifecycleError
from training.cohorts.joining import join_from_platform
from training.cohorts.models import JoinedBy, Membership
from training.cohorts.services import check_runs, lock_cohort
from training.models import Cohort

from .grades import TimeoutSession
from .models import CourseCohort
from .services import is_instructor, local_user


class RosterCode(StrEnum):
    NOT_A_COURSE = "not_a_course"
    NO_ROSTER = "no_roster"
    PLATFORM_UNAVAILABLE = "platform_unavailable"


@dataclass
class RosterReport:
    added: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    already: int = 0

    def sentence(self) -> str:
        parts = [
            f"Added {len(self.added)}: {', '.join(self.added)}." if self.added else "No one new.",
            f"Left the course: {', '.join(self.left)}." if self.left else "",
            f"{self.already} already in the cohort." if self.already else "",
        ]
        return " ".join(p for p in parts if p)


def _refuse(code: RosterCode, message: str) -> NoReturn:
    raise LifecycleError(code, message)


def label(lti_user: LtiUser) -> str:
    return lti_user.name or " ".join(filter(None, [lti_user.given_name, lti_user.family_name]))


def learners_of(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The active members the platform lists as learners (not teaching the course)."""
    learner = ContextRole.LEARNER.value
    return [
        m
        for m in members
        if m.get("status", "Active") == "Active"
        and not is_instructor(m.get("roles", []))
        and any(normalize_role(r).startswith(learner) for r in m.get("roles", []))
    ]


def fetch_members(course: CourseCohort) -> list[dict[str, Any]]:
    context = course.context
    if not context.memberships_url:
        _refuse(
            RosterCode.NO_ROSTER,
            "The learning platform did not offer this course's roster (Names and Role "
            "Provisioning) on its last launch: ask its administrator to allow it for this tool.",
        )
    registration = context.deployment.registration.to_registration()
    connector = ServiceConnector(registration, requests_session=TimeoutSession())
    service = NamesRolesProvisioningService(
        connector, {"context_memberships_url": context.memberships_url}
    )
    try:
        return [dict(m) for m in service.get_members()]
    except (LtiException, requests.RequestException) as err:
        _refuse(
            RosterCode.PLATFORM_UNAVAILABLE,
            f"The learning platform did not give the roster ({str(err)[:200]}): try again later.",
        )


def sync_roster(*, actor: User, cohort: Cohort) -> RosterReport:
    """Bring the course's active learners into its cohort; report who came and who left."""
    check_runs(actor, cohort)
    course = CourseCohort.objects.select_related("context__deployment__registration").filter(
        cohort=cohort
    )
    found = course.first()
    if found is None:
        _refuse(RosterCode.NOT_A_COURSE, "This cohort was not made from a learning platform.")
    members = fetch_members(found)
    report = RosterReport()
    with transaction.atomic():
        lock_cohort(cohort)
        found.context.update_memberships(members)
        registration = found.context.deployment.registration
        present = set()
        for member in learners_of(members):
            lti_user = LtiUser.objects.get(registration=registration, sub=member["user_id"])
            person = local_user(lti_user)
            present.add(person.pk)
            if Membership.objects.filter(cohort=cohort, trainee=person).exists():
                report.already += 1
                continue
            join_from_platform(person=person, cohort=cohort)
            report.added.append(label(lti_user) or person.username)
        gone = (
            Membership.objects.filter(cohort=cohort, joined_by=JoinedBy.PLATFORM)
            .exclude(trainee_id__in=present)
            .select_related("trainee")
        )
        for membership in gone:
            lti_user = LtiUser.objects.filter(
                registration=registration, auth_user=membership.trainee
            ).first()
            report.left.append((label(lti_user) if lti_user else "") or membership.trainee.username)
    return report
