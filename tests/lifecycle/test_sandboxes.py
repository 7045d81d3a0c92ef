"""Resetting a demo sandbox: allowed for its owner and staff, refused for anything else."""

import pytest

from accounts.models import AccountStatus, Sandbox
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import Outcome, TimelineEvent
from lifecycle.services import Actor, deactivate_account, reset_demo_sandbox
from tests.accounts.factories import SellerAccountFactory

SMALL = DemoSizes(products=3, customers=3, orders=5, inquiries=1, campaigns=1)


def test_the_owner_resets_a_demo_sandbox_and_the_fresh_timeline_says_so(trainee, as_trainee):
    demo = build_demo_sandbox(owner=trainee, sizes=SMALL)
    deactivate_account(actor=as_trainee, account=demo.account)

    fresh = reset_demo_sandbox(actor=as_trainee, sandbox=demo)

    assert not Sandbox.objects.filter(pk=demo.pk).exists()
    assert (fresh.owner, fresh.name, fresh.is_demo) == (trainee, demo.name, True)
    assert fresh.account.status == AccountStatus.ACTIVE
    events = list(fresh.events.order_by("id").values_list("action", "actor_label", "params"))
    assert events[-1] == (
        "reset_demo",
        trainee.username,
        {"replaces_sandbox": demo.pk, "kept_events": 2},
    )


def test_staff_reset_is_recorded_with_the_agents_name(trainee, as_staff, staff_user):
    demo = build_demo_sandbox(owner=trainee, sizes=SMALL)
    fresh = reset_demo_sandbox(actor=as_staff, sandbox=demo.pk)
    event = fresh.events.get(action="reset_demo")
    assert (event.actor_kind, event.actor_label) == ("staff", staff_user.username)


def test_a_sandbox_that_is_not_a_demo_is_never_reset(as_staff):
    account = SellerAccountFactory()
    with pytest.raises(LifecycleError) as refused:
        reset_demo_sandbox(actor=as_staff, sandbox=account.sandbox)
    assert refused.value.code == Code.INVALID_STATE
    assert Sandbox.objects.filter(pk=account.sandbox.pk).exists()
    event = TimelineEvent.objects.get(action="reset_demo")
    assert (event.outcome, event.sandbox_id) == (Outcome.REFUSED, account.sandbox.pk)


def test_another_trainees_demo_is_not_theirs_to_reset(trainee, other_trainee):
    demo = build_demo_sandbox(owner=trainee, sizes=SMALL)
    with pytest.raises(LifecycleError) as refused:
        reset_demo_sandbox(actor=Actor.trainee(other_trainee), sandbox=demo)
    assert refused.value.code == Code.NOT_YOUR_SANDBOX
    assert Sandbox.objects.filter(pk=demo.pk).exists()
