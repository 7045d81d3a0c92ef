"""The refusal codes of the cohort services, raised as the project's one LifecycleError."""

from enum import StrEnum


class CohortCode(StrEnum):
    NOT_A_TRAINER = "not_a_trainer"
    NOT_YOUR_COHORT = "not_your_cohort"
    INVITATION_EXPIRED = "invitation_expired"
    INVITATION_REVOKED = "invitation_revoked"
    INVITATION_FULL = "invitation_full"
    ALREADY_IN_COHORT = "already_in_cohort"
    ALREADY_ANSWERED = "already_answered"
    EMAIL_TAKEN = "email_taken"
    UNKNOWN_SCENARIO = "unknown_scenario"
    ALREADY_ASSIGNED = "already_assigned"
    NOT_FOR_THIS_AUDIENCE = "not_for_this_audience"
    BAD_IMPORT = "bad_import"
    UNKNOWN_PERSON = "unknown_person"
    DEMO_LOGIN = "demo_login"
    WRONG_EDITION = "wrong_edition"
    UNKNOWN_EDITION = "unknown_edition"
