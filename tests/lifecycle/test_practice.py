"""A trainee's free-play sandboxes: rename and delete, allowed and refused with the reason."""

import pytest
from django.urls import reverse

from accounts.models import Sandbox
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import TimelineEvent
from lifecycle.services import Actor
from lifecycle.services.practice import delete_sandbox, rename_sandbox
from training.models import Attempt

SMALL = DemoSizes(products=2, customers=2, orders=2, inquiries=0, campaigns=0)


@pytest.fixture
def own(trainee):
    return build_demo_sandbox(owner=trainee, name="Week one", sizes=SMALL, is_demo=False)


def test_renaming_records_the_old_and_new_name(own, as_trainee):
    rename_sandbox(actor=as_trainee, sandbox=own, name="  Week two ")
    own.refresh_from_db()
    assert own.name == "Week two"
    event = TimelineEvent.objects.filter(sandbox=own).order_by("-id").first()
    assert (event.action, event.before, event.after) == ("rename_sandbox", "Week one", "Week two")
    rename_sandbox(actor=as_trainee, sandbox=own, name="Week two")  # a repeat
    assert TimelineEvent.objects.filter(sandbox=own, action="rename_sandbox").count() == 1


@pytest.mark.parametrize(
    ("name", "code", "sentence"),
    [
        ("", Code.INPUT_REQUIRED, "Give the sandbox a name."),
        ("Taken", Code.SANDBOX_NAME_TAKEN, "You already have a sandbox called Taken."),
    ],
)
def test_a_rename_is_refused_with_its_reason(trainee, own, as_trainee, name, code, sentence):
    build_demo_sandbox(owner=trainee, name="Taken", sizes=SMALL, is_demo=False)
    with pytest.raises(LifecycleError) as refused:
        rename_sandbox(actor=as_trainee, sandbox=own, name=name)
    assert (refused.value.code, refused.value.message) == (code, sentence)
    own.refresh_from_db()
    assert own.name == "Week one"
    refusal = TimelineEvent.objects.filter(sandbox=own, outcome="refused").get()
    assert refusal.code == code


def test_another_trainee_can_neither_rename_nor_delete(own, other_trainee, client):
    with pytest.raises(LifecycleError) as refused:
        rename_sandbox(actor=Actor.trainee(other_trainee), sandbox=own, name="Mine now")
    assert refused.value.code == Code.NOT_YOUR_SANDBOX
    with pytest.raises(LifecycleError):
        delete_sandbox(actor=Actor.trainee(other_trainee), sandbox=own)
    client.force_login(other_trainee)
    for name in ("sandbox_rename", "sandbox_delete"):
        assert client.post(reverse(name, args=[own.pk]), {"name": "x"}).status_code == 404
    assert Sandbox.objects.get(pk=own.pk).name == "Week one"


def test_deleting_takes_it_out_of_sight_and_keeps_its_timeline(client, trainee, own, as_trainee):
    events = TimelineEvent.objects.filter(sandbox=own).count()
    delete_sandbox(actor=as_trainee, sandbox=own)
    delete_sandbox(actor=as_trainee, sandbox=own)  # a repeat
    gone = Sandbox.objects.get(pk=own.pk)
    assert gone.removed_at is not None and gone.name == f"Week one (deleted #{own.pk})"
    # Events are never deleted (RULEBOOK §8): the old ones stay, one more says who deleted it.
    kept = TimelineEvent.objects.filter(sandbox=own).order_by("-id")
    assert kept.count() == events + 1
    assert (kept[0].action, kept[0].before, kept[0].actor_label) == (
        "delete_sandbox",
        "Week one",
        trainee.username,
    )
    client.force_login(trainee)
    assert client.get(reverse("dashboard", args=[own.pk])).status_code == 404
    assert "Week one" not in client.get(reverse("sandbox_list")).content.decode()
    # The name is free again.
    build_demo_sandbox(owner=trainee, name="Week one", sizes=SMALL, is_demo=False)


def test_a_demo_sandbox_is_reset_not_deleted(trainee, as_trainee):
    demo = build_demo_sandbox(owner=trainee, sizes=SMALL)
    with pytest.raises(LifecycleError) as refused:
        delete_sandbox(actor=as_trainee, sandbox=demo)
    assert refused.value.code == Code.INVALID_STATE and "reset it instead" in str(refused.value)
    assert Sandbox.objects.filter(pk=demo.pk).exists()


def test_an_attempts_sandbox_cannot_be_deleted(trainee, own, as_trainee):
    Attempt.objects.create(trainee=trainee, scenario_slug="unlink-safely", sandbox=own)
    with pytest.raises(LifecycleError) as refused:
        delete_sandbox(actor=as_trainee, sandbox=own)
    assert refused.value.code == Code.SANDBOX_IN_USE
    assert Sandbox.objects.filter(pk=own.pk).exists()


def test_the_home_page_renames_and_deletes_after_a_confirmation(client, trainee, own):
    client.force_login(trainee)
    home = client.get(reverse("sandbox_list")).content.decode()
    assert reverse("sandbox_rename", args=[own.pk]) in home
    response = client.post(reverse("sandbox_rename", args=[own.pk]), {"name": "Renamed"})
    assert response.status_code == 302
    assert Sandbox.objects.get(pk=own.pk).name == "Renamed"
    refused = client.post(reverse("sandbox_rename", args=[own.pk]), {"name": " "})
    assert refused.status_code == 409 and "Give the sandbox a name." in refused.content.decode()

    confirm = client.get(reverse("sandbox_delete", args=[own.pk]))
    assert confirm.status_code == 200 and "Delete the sandbox Renamed?" in confirm.content.decode()
    assert Sandbox.objects.filter(pk=own.pk).exists()
    done = client.post(reverse("sandbox_delete", args=[own.pk]))
    assert done.status_code == 302
    assert Sandbox.objects.get(pk=own.pk).removed_at is not None
    assert client.get(reverse("sandbox_delete", args=[own.pk])).status_code == 404


def test_the_home_page_refuses_deleting_a_demo(client, trainee):
    demo = build_demo_sandbox(owner=trainee, sizes=SMALL)
    client.force_login(trainee)
    response = client.post(reverse("sandbox_delete", args=[demo.pk]))
    assert response.status_code == 409 and "reset it instead" in response.content.decode()
