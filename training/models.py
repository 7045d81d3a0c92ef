"""The training layer's rows: attempts at scenarios, cohorts and their invitations."""

# Cohorts live in their own module; importing them here registers them with the app.
from training.cohorts.models import (  # noqa: E402,F401
    Assignment,
    Cohort,
    CohortEvent,
    Invitation,
    Membership,
    TourState,
)
