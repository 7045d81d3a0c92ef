"""Creating a practice sandbox is a service: an actor, and the first event of its timeline; the
demo builder links its shop through the core, so no row disagrees with its event."""

import pytest

from editions.registry import default_key
from lifecycle.demo import LINKED_FOR, DemoSizes, build_demo_sandbox
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import Outcome
from lifecycle.services import Actor, create_sandbox
from lifecycle.transitions import Action
from shops.models import ShopLink

SMALL = DemoSizes(products=3, customers=3, orders=5, inquiries=1, campaigns=1)


def test_a_created_sandbox_starts_its_timeline_with_who_created_it(trainee, as_trainee):
    sandbox = create_sandbox(actor=as_trainee, name="Week one", sizes=SMALL)
    first = sandbox.events.order_by("id").first()
    assert (first.action, first.outcome, first.actor, first.params) == (
        Action.CREATE_SANDBOX,
        Outcome.DONE,
        trainee,
        {"name": "Week one", "edition": default_key()},
    )
    assert (sandbox.owner, sandbox.is_demo) == (trainee, False)


def test_a_job_cannot_create_a_sandbox(db):
    with pytest.raises(LifecycleError) as err:
        create_sandbox(actor=Actor.job("sweep"), name="Nobody's")
    assert err.value.code == Code.NOT_ALLOWED_FOR_ACTOR


def test_the_demo_link_is_as_old_as_its_event_says(trainee):
    sandbox = build_demo_sandbox(owner=trainee, sizes=SMALL)
    link = ShopLink.objects.get(shop__sandbox=sandbox)
    linked = sandbox.events.get(action=Action.LINK_SHOP)
    assert linked.params["linked_at"] == link.linked_at.isoformat()
    assert (linked.before, linked.after, linked.params["link_id"]) == (
        "unlinked",
        "linked",
        link.pk,
    )
    assert sandbox.now() - link.linked_at >= LINKED_FOR
