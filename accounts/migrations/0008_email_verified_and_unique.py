"""Emails unique whatever their case, and a sign-up's address kept apart until verified
(issue 20, item 4).

Logins that already share an email (two sign-ups typed the same address, or the same one in
other letters) cannot all keep it. The oldest login keeps it; each later one gets it back as
`pending_email`, unverified: no import matches it and no password reset goes to it until the
link sent to it is opened (which then says that another login has it). The move is written to
the migration's output, one line per login moved, by id only.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def keep_each_email_on_its_oldest_login(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    shared = (
        User.objects.exclude(email="")
        .annotate(key=Lower("email"))
        .values("key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("key", flat=True)
    )
    for key in list(shared):
        later = list(
            User.objects.annotate(key=Lower("email")).filter(key=key).order_by("date_joined", "id")
        )[1:]
        for user in later:
            User.objects.filter(pk=user.pk).update(pending_email=user.email, email="")
            print(f"  login #{user.pk}: its email is shared with an older login; now unverified")


def give_pending_emails_back(apps, schema_editor):
    """Backwards: every pending address becomes the email again, as before this migration
    (which had no unverified addresses); the constraint is gone by then."""
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(email="").exclude(pending_email=""):
        User.objects.filter(pk=user.pk).update(email=user.pending_email)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_sweep_finder_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="pending_email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.RunPython(keep_each_email_on_its_oldest_login, give_pending_emails_back),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="user_email_unique_ignoring_case",
                violation_error_message="Another login has this email.",
            ),
        ),
    ]
