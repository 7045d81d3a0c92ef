"""An attempt names the cohort whose assignment it was made for (issue 20, item 2).

Attempts made before this migration name none; each is given the cohort it would have been made
for had the rule held then: among the cohorts the trainee was a member of when the attempt
started, those that had assigned its scenario by then, the one whose assignment is due first.
An attempt that fits no cohort that way (free play, or made before the trainee joined, as when
a trainer imported someone else's trainee) stays with none, so no trainer sees it.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def give_each_attempt_its_cohort(apps, schema_editor):
    Attempt = apps.get_model("training", "Attempt")
    Assignment = apps.get_model("training", "Assignment")
    Membership = apps.get_model("training", "Membership")
    for attempt in Attempt.objects.filter(cohort__isnull=True).iterator():
        joined = Membership.objects.filter(
            trainee_id=attempt.trainee_id, joined_at__lte=attempt.started_at
        ).values("cohort_id")
        assignment = (
            Assignment.objects.filter(
                cohort_id__in=joined,
                scenario_slug=attempt.scenario_slug,
                created_at__lte=attempt.started_at,
            )
            .order_by(F("due_on").asc(nulls_last=True), "id")
            .first()
        )
        if assignment is not None:
            Attempt.objects.filter(pk=attempt.pk).update(cohort_id=assignment.cohort_id)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_cohorts"),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="cohort",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="attempts",
                to="training.cohort",
            ),
        ),
        migrations.RunPython(give_each_attempt_its_cohort, migrations.RunPython.noop),
    ]
