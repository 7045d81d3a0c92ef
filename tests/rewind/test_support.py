"""Support staff see a sandbox's checkpoints and restores on the case page, and restore one
with a reason, like every staff action (preview first, the reason on the record)."""

from django.urls import reverse

from accounts.models import Sandbox
from accounts.roles import SUPPORT_GROUP, ensure_support_group
from lifecycle.models import TimelineEvent
from rewind.models import Checkpoint
from rewind.services import save_checkpoint
from tests.accounts.factories import UserFactory
from tests.lifecycle.helpers import build_world
from tests.support_admin import REASON, client_for, post_action, reported, staff_with


def test_the_case_page_lists_checkpoints_and_support_restores_one_with_a_reason(trainee):
    world = build_world(trainee)
    checkpoint = save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="Before support")
    agent = UserFactory(is_staff=True)
    agent.groups.add(ensure_support_group())
    client = client_for(agent)

    page = client.get(reverse("support:case", args=[world.account.pk])).content.decode()
    assert "Checkpoints and restores" in page and "Before support" in page
    assert "Restore as a new sandbox" in page

    preview = post_action(client, "rewind.checkpoint", "restore_as_new", [checkpoint])
    assert preview.status_code == 200
    assert "a new sandbox of trainee holding Practice" in preview.content.decode()
    assert Sandbox.objects.filter(owner=trainee).count() == 1  # nothing yet

    done = post_action(client, "rewind.checkpoint", "restore_as_new", [checkpoint], confirm="yes")
    assert done.status_code == 302
    restored = Sandbox.objects.exclude(pk=world.sandbox.pk).get(owner=trainee)
    event = TimelineEvent.objects.get(sandbox=world.sandbox, action="restore_checkpoint")
    assert (event.actor_kind, event.actor, event.params["reason"]) == ("staff", agent, REASON)
    assert event.params["into"] == restored.pk
    page = client.get(reverse("support:case", args=[world.account.pk])).content.decode()
    assert f"by {agent.get_username()} (reason: {REASON})" in page
    assert SUPPORT_GROUP in {g.name for g in agent.groups.all()}


def test_without_the_right_a_restore_is_refused_and_recorded(trainee):
    world = build_world(trainee)
    checkpoint = save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="Start")
    client = client_for(staff_with("rewind.view_checkpoint", "accounts.view_selleraccount"))
    page = client.get(reverse("support:case", args=[world.account.pk])).content.decode()
    assert "You have no right to restore a checkpoint." in page

    response = post_action(
        client, "rewind.checkpoint", "restore_as_new", [checkpoint], confirm="yes"
    )
    assert response.status_code == 302
    assert "Refused" in reported(response)[0][1]
    refused = TimelineEvent.objects.get(sandbox=world.sandbox, action="restore_checkpoint")
    assert refused.outcome == "refused"
    assert Sandbox.objects.filter(owner=trainee).count() == 1
    assert Checkpoint.objects.filter(sandbox=world.sandbox).count() == 1
