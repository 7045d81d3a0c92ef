"""accounts 0008 on a database where logins already share an email: the oldest keeps it, each
later one gets it back as unverified, and the unique constraint then holds."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("accounts", "0007_sweep_finder_indexes")
AFTER = ("accounts", "0008_email_verified_and_unique")


@pytest.mark.django_db(transaction=True)
def test_logins_sharing_an_email_keep_it_on_the_oldest_one_only():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("accounts", "User")
    now = timezone.now()
    first = old.objects.create(username="first", email="Shared@Example.com", date_joined=now)
    second = old.objects.create(
        username="second", email="shared@example.com", date_joined=now + timedelta(1)
    )
    third = old.objects.create(
        username="third", email="SHARED@example.com", date_joined=now + timedelta(2)
    )
    alone = old.objects.create(username="alone", email="alone@example.com", date_joined=now)
    blank = [old.objects.create(username=f"blank{n}", email="", date_joined=now) for n in range(2)]
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        new = executor.loader.project_state([AFTER]).apps.get_model("accounts", "User")
        rows = dict(
            new.objects.filter(
                pk__in=[first.pk, second.pk, third.pk, alone.pk, *(b.pk for b in blank)]
            ).values_list("username", "email")
        )
        assert rows == {
            "first": "Shared@Example.com",
            "second": "",
            "third": "",
            "alone": "alone@example.com",
            "blank0": "",
            "blank1": "",
        }
        pending = dict(
            new.objects.exclude(pending_email="").values_list("username", "pending_email")
        )
        assert pending == {"second": "shared@example.com", "third": "SHARED@example.com"}
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
