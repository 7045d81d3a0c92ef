"""Query budgets of the pages issue 12 benchmarks: at most 8 queries, and the same count at 10x
the data (the issue's target, checked here deterministically; the benchmark measures time).

Counted as production serves them: sessions in the cache (`SERVED_SESSION_ENGINE`, the one the
production and benchmark settings use), so the session row is not read on every request. Every
failure message lists the queries, so a new query shows at once where it comes from.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Sandbox
from config.settings.base import SERVED_SESSION_ENGINE
from lifecycle.actions import Action
from lifecycle.models import ActorKind, TimelineEvent
from tests.accounts.test_admin import bulk_sandboxes
from tests.web import demo, ready_export, url

BUDGET = 8
SCALE = 10  # the "10x the data"
# The pages still over the target, at what they cost now (a new query fails the test too); the
# gap and where it is are in docs/benchmarks.md.
OVER_BUDGET = {
    # The deletion checklist of the rules module (lifecycle/transitions/deletion.py) reads the
    # orders awaiting shipment, the active campaigns and the downloaded export: 3 queries; while
    # orders block the request, its disabled button's reason (the refusal's own sentence) names
    # the unlinked shops that hold them: 1 more.
    "close_account": 10,
    # Revenue per day, top products, repeat customers (list), audience and content insights
    # (studio): five result sets of different shapes, plus the numbers in one query.
    "analytics": 11,
    # Grading observes the sandbox's state afresh: its links, shops, apps, orders, products,
    # campaigns and events (training/observe.py), on the brief and in the objectives panel.
    "scenario brief": 11,
    "scenario played page": 17,
}
SELLER_PAGES = [
    "dashboard",
    "products",
    "orders",
    "customers",
    "analytics",
    "timeline",
    "close_account",
    "account_type",
]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("served_sessions"),
]


@pytest.fixture
def served_sessions():
    with override_settings(SESSION_ENGINE=SERVED_SESSION_ENGINE):
        yield


def queries(client, address) -> list[str]:
    client.get(address)  # warm: a serving process has filled its caches already
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200, (address, response.status_code)
    return [q["sql"] for q in ctx.captured_queries]


def listing(sql: list[str]) -> str:
    return f"{len(sql)} queries:\n" + "\n".join(f"  {q[:160]}" for q in sql)


def check(small: list[str], large: list[str], page: str = "") -> None:
    assert len(small) <= OVER_BUDGET.get(page, BUDGET), listing(small)
    assert len(large) == len(small), "1x " + listing(small) + "\n10x " + listing(large)


def events(sandbox, count: int) -> None:
    now = sandbox.now()
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            sandbox=sandbox,
            account=sandbox.account,
            sandbox_time=now - timedelta(minutes=n),
            actor_kind=ActorKind.JOB,
            actor_label="job: bench",
            action=Action.ADVANCE_CLOCK,
            subject_type="sandbox",
            subject_label=f"Sandbox #{sandbox.pk}",
        )
        for n in range(count)
    )


def sized(owner, name: str, scale: int):
    """A demo sandbox with 10 products and customers, 20 orders, 3 inquiries and campaigns, two
    ready exports and 50 extra timeline events, all times `scale`."""
    sandbox = demo(
        owner,
        name=name,
        products=10 * scale,
        customers=10 * scale,
        orders=20 * scale,
        inquiries=3 * scale,
        campaigns=3 * scale,
    )
    for _ in range(2):
        ready_export(sandbox)
    events(sandbox, 50 * scale)
    return sandbox


@pytest.mark.parametrize("name", SELLER_PAGES)
def test_seller_center_page_within_budget_and_flat(client, trainee, name):
    client.force_login(trainee)
    small, large = sized(trainee, "One", 1), sized(trainee, "Ten", SCALE)
    check(queries(client, url(name, small)), queries(client, url(name, large)), name)


def test_the_layout_costs_the_same_with_ten_times_the_sandboxes(client, trainee):
    """The switcher lists every sandbox of the trainee in the one query."""
    client.force_login(trainee)
    sandbox = sized(trainee, "Mine", 1)
    small = queries(client, url("dashboard", sandbox))
    Sandbox.objects.bulk_create(Sandbox(owner=trainee, name=f"Spare {n}") for n in range(SCALE))
    check(small, queries(client, url("dashboard", sandbox)))


def scenario_attempt(trainee, label: str, scale: int):
    from training.models import Attempt

    sandbox = sized(trainee, label, scale)
    return Attempt.objects.create(
        trainee=trainee,
        scenario_slug="close-account",
        sandbox=sandbox,
        sandbox_started_at=sandbox.now(),
        baseline_event_id=TimelineEvent.objects.filter(sandbox=sandbox).order_by("-id")[0].pk,
    )


@pytest.mark.parametrize("where", ["brief", "played page"])
def test_scenario_pages_within_budget_and_flat(client, trainee, where):
    """The attempt's brief, and a Seller Center page while the scenario is played (both grade
    the attempt afresh, the page in its objectives panel)."""
    client.force_login(trainee)

    def address(attempt) -> str:
        if where == "brief":
            return reverse("attempt", args=[attempt.pk])
        return url("dashboard", attempt.sandbox)

    small, large = scenario_attempt(trainee, "One", 1), scenario_attempt(trainee, "Ten", SCALE)
    check(queries(client, address(small)), queries(client, address(large)), f"scenario {where}")


def test_trainer_grid_within_budget_and_flat(client):
    from training.cohorts.demo import demo_class, demo_trainer

    trainer = demo_trainer()
    client.force_login(trainer)
    # 4 and 40 trainees: the 10x the flatness asks for (200 is the benchmark's size, not a test's)
    small = demo_class(trainer, 4)
    large = demo_class(trainer, 4 * SCALE)
    check(
        queries(client, reverse("trainer_progress", args=[small.pk])),
        queries(client, reverse("trainer_progress", args=[large.pk])),
    )


def test_admin_account_list_within_budget_and_flat(admin_client):
    address = reverse("admin:accounts_selleraccount_changelist")
    bulk_sandboxes(100, "few")
    small = queries(admin_client, address)
    bulk_sandboxes(100 * (SCALE - 1), "many")
    check(small, queries(admin_client, address))
