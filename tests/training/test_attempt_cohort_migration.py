"""training 0003 on attempts made before it: each gets the cohort it was made for by the rule
(a cohort the trainee was in, that assigned the scenario by then, due first), or none, so an
attempt made before someone was imported into another cohort stays out of that cohort's reach."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("training", "0002_cohorts")
AFTER = ("training", "0003_attempt_cohort")


def at(model, when, **fields):
    row = model.objects.create(**fields)
    stamp = {"Membership": "joined_at", "Attempt": "started_at"}.get(model.__name__, "created_at")
    model.objects.filter(pk=row.pk).update(**{stamp: when})
    return row


@pytest.mark.django_db(transaction=True)
def test_old_attempts_get_the_cohort_they_were_made_for_or_none():
    from accounts.models import User  # the accounts app stays migrated: today's model fits it

    ana = User.objects.create_user("ana-m", "ana-m@example.com")
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    Cohort = apps.get_model("training", "Cohort")
    Membership = apps.get_model("training", "Membership")
    Assignment = apps.get_model("training", "Assignment")
    Attempt = apps.get_model("training", "Attempt")
    now = timezone.now()
    first, second, third = (
        Cohort.objects.create(name=n, slug=n.lower()) for n in ("First", "Second", "Third")
    )
    day = timedelta(days=1)
    at(Membership, now - 10 * day, cohort=first, trainee_id=ana.pk, joined_by="invitation")
    at(Membership, now - 10 * day, cohort=third, trainee_id=ana.pk, joined_by="invitation")
    # Imported into Second after the attempt (whose assignment is due first of all).
    at(Membership, now - 2 * day, cohort=second, trainee_id=ana.pk, joined_by="import")
    at(Assignment, now - 9 * day, cohort=first, scenario_slug="s", due_on=date(2031, 1, 1))
    at(Assignment, now - 9 * day, cohort=third, scenario_slug="s", due_on=date(2030, 1, 1))
    at(Assignment, now - 9 * day, cohort=second, scenario_slug="s", due_on=date(2029, 1, 1))
    at(Assignment, now - 1 * day, cohort=first, scenario_slug="late")
    made = {
        "due-first": at(Attempt, now - 5 * day, trainee_id=ana.pk, scenario_slug="s"),
        "free-play": at(Attempt, now - 5 * day, trainee_id=ana.pk, scenario_slug="other"),
        "before-assigned": at(Attempt, now - 5 * day, trainee_id=ana.pk, scenario_slug="late"),
    }
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        new = executor.loader.project_state([AFTER]).apps.get_model("training", "Attempt")
        cohorts = {name: new.objects.get(pk=a.pk).cohort_id for name, a in made.items()}
        # Third's assignment is due first; Second imported her after the attempt: never Second.
        assert cohorts == {"due-first": third.pk, "free-play": None, "before-assigned": None}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
