"""lifecycle 0013 on a database with exports already: each sandbox's exports are numbered 1, 2,
... in the order they were made, whatever the other sandboxes hold (issue 23, item 20)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.accounts.factories import SellerAccountFactory

BEFORE = ("lifecycle", "0012_actor_kind_scenario")
AFTER = ("lifecycle", "0013_exportjob_number")


@pytest.mark.django_db(transaction=True)
def test_existing_exports_are_numbered_within_their_sandbox(trainee):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    Export = apps.get_model("lifecycle", "ExportJob")
    now = timezone.now()
    made = []
    accounts = [  # today's models: the accounts app is not rolled back
        SellerAccountFactory(sandbox__owner=trainee, display_name=name) for name in ("A", "B")
    ]
    for account in (accounts[0], accounts[1], accounts[0], accounts[0], accounts[1]):
        made.append(
            Export.objects.create(account_id=account.pk, requested_at=now, status="expired")
        )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        new = executor.loader.project_state([AFTER]).apps.get_model("lifecycle", "ExportJob")
        numbers = dict(new.objects.filter(pk__in=[e.pk for e in made]).values_list("pk", "number"))
        assert [numbers[e.pk] for e in made] == [1, 1, 2, 3, 2]
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
