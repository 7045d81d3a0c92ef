"""Shared set-up of the job tests: a small demo account, the events it produced, queued tasks."""

from dataclasses import dataclass, field

import pytest

from accounts.models import Sandbox, SellerAccount
from lifecycle import jobs
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.models import TimelineEvent
from lifecycle.services import Actor, due
from shops.models import Campaign, CampaignStatus, Order, OrderStatus
from tests.engine_guard import arranging

SMALL = DemoSizes(products=6, customers=10, orders=30, inquiries=3, campaigns=0)
PASSWORD = "correct-horse-9"  # the root conftest's trainee


def small_account(owner, name: str = "Demo shop") -> SellerAccount:
    return build_demo_sandbox(owner=owner, name=name, sizes=SMALL).account


def ready_for_deletion(account: SellerAccount) -> SellerAccount:
    """Ship what waits and end what runs: the demo account may then be deleted."""
    with arranging():  # set-up: hundreds of orders, not one service call each
        Order.objects.filter(account=account, status=OrderStatus.AWAITING_SHIPMENT).update(
            status=OrderStatus.CANCELLED
        )
        Campaign.objects.filter(account=account, status=CampaignStatus.ACTIVE).update(
            status=CampaignStatus.ENDED
        )
    return account


def actions(sandbox: Sandbox, **filters) -> list[str]:
    events = TimelineEvent.objects.filter(sandbox=sandbox, **filters).order_by("id")
    return list(events.values_list("action", flat=True))


@dataclass
class Queue:
    """What services handed to the broker (instead of a broker)."""

    sent: list[tuple[str, tuple]] = field(default_factory=list)
    up: bool = True

    def names(self) -> list[str]:
        return [name for name, _args in self.sent]


@pytest.fixture
def queue(monkeypatch) -> Queue:
    q = Queue()

    def fake_send(task_name, *args, **options):
        if q.up:
            q.sent.append((task_name, args))
        return q.up

    monkeypatch.setattr(jobs, "send_now", fake_send)
    # Nothing waits in this broker: what was sent was taken (or, for the sweep, lost).
    monkeypatch.setattr(due, "waiting_in_broker", lambda job: set())
    return q


SWEEP = Actor.job("sweep")
