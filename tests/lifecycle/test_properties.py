"""Random sequences of actions and clock moves never break the lifecycle's invariants.

One sandbox with two seller accounts and two shops, built fresh for each example (the database
is shared by the examples of one test, so each example checks only its own sandbox).
"""

import contextlib
import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import event as note_event
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from accounts.models import AppAuthorization, ConnectedApp, Sandbox, SellerAccount
from lifecycle.errors import LifecycleError
from lifecycle.models import TimelineEvent
from lifecycle.services import (
    Actor,
    advance_clock,
    cancel_deletion,
    change_listing_status,
    confirm_deletion,
    deactivate_account,
    deletion_token,
    grant_app_access,
    link_shop,
    reactivate_account,
    relink_shop,
    remove_app_access,
    request_deletion,
    run_due_work,
    switch_account_type,
    unlink_shop,
)
from shops.models import Campaign, Customer, Inquiry, Order, Product, Shop, ShopLink
from shops.services import (
    create_campaign,
    edit_product,
    end_campaign,
    pause_campaign,
    start_campaign,
)
from tests.shops.factories import (
    CampaignFactory,
    CustomerFactory,
    InquiryFactory,
    OrderFactory,
    ProductFactory,
)

from .helpers import PASSWORD

SANDBOXES = itertools.count()
ACCOUNT = st.integers(0, 1)
SHOP = st.integers(0, 1)
MOVES = [timedelta(hours=1), timedelta(hours=25), timedelta(days=7), timedelta(days=31), None]
APPS = [ConnectedApp.TIKTOK_FOR_BUSINESS, ConnectedApp.ANALYTICS_PARTNER]
TYPES = [("personal", ""), ("creator", "art"), ("business", "tech"), ("creator", "")]
COMMERCE = (Product, Order, Customer, Inquiry, Campaign, AppAuthorization)


class Lifecycle(RuleBasedStateMachine):
    owner = None  # set by the test, which owns the database access
    staff = None

    def __init__(self):
        super().__init__()
        self.actor = Actor.trainee(self.owner)
        self.sandbox = Sandbox.objects.create(owner=self.owner, name=f"P{next(SANDBOXES)}")
        self.accounts = [
            SellerAccount.objects.create(sandbox=self.sandbox, display_name=f"Seller {i}")
            for i in range(2)
        ]
        self.shops = [Shop.objects.create(sandbox=self.sandbox, name=f"Shop {i}") for i in range(2)]
        self.products = []
        for account, shop in zip(self.accounts, self.shops, strict=True):
            self.products.append(ProductFactory(account=account, shop=shop, stock=3))
            customer = CustomerFactory(account=account)
            OrderFactory(account=account, shop=shop, customer=customer, status="delivered")
            InquiryFactory(account=account, customer=customer)
            CampaignFactory(account=account, shop=shop, status="ended")
        self.seen: list[tuple] = []

    def attempt(self, service, **kwargs):
        # A refusal is an outcome too; the invariants check that it left no trace.
        with contextlib.suppress(LifecycleError):
            service(**kwargs)

    # --- rules ----------------------------------------------------------------------------
    @rule(a=ACCOUNT, s=SHOP, relink=st.booleans())
    def link(self, a, s, relink):
        service = relink_shop if relink else link_shop
        self.attempt(service, actor=self.actor, account=self.accounts[a], shop=self.shops[s])

    @rule(a=ACCOUNT, s=SHOP, confirmed=st.booleans())
    def unlink(self, a, s, confirmed):
        self.attempt(
            unlink_shop,
            actor=self.actor,
            account=self.accounts[a],
            shop=self.shops[s],
            confirmed=confirmed,
        )

    @rule(a=ACCOUNT, kind=st.sampled_from(TYPES))
    def switch(self, a, kind):
        self.attempt(
            switch_account_type,
            actor=self.actor,
            account=self.accounts[a],
            account_type=kind[0],
            category=kind[1],
        )

    @rule(a=ACCOUNT, on=st.booleans())
    def deactivate_or_reactivate(self, a, on):
        service = deactivate_account if on else reactivate_account
        self.attempt(service, actor=self.actor, account=self.accounts[a])

    @rule(a=ACCOUNT, mistake=st.sampled_from(["", "", "password", "acknowledgement"]))
    def request(self, a, mistake):
        self.attempt(
            request_deletion,
            actor=self.actor,
            account=self.accounts[a],
            password="nope" if mistake == "password" else PASSWORD,
            acknowledged=mistake != "acknowledgement",
        )

    @rule(a=ACCOUNT, forged=st.booleans())
    def confirm(self, a, forged):
        latest = self.accounts[a].deletion_requests.order_by("-id").first()
        if latest is None and not forged:
            return
        token = "forged" if forged else deletion_token(latest)
        self.attempt(confirm_deletion, actor=self.actor, token=token, sandbox=self.sandbox)

    @rule(a=ACCOUNT)
    def delete_for_good(self, a):
        """Request, confirm and wait out the grace period: reaches "deleted" in one step."""
        self.request(a, mistake="")
        self.confirm(a, forged=False)
        self.move_clock(move=timedelta(days=31), run_due=True)

    @rule(a=ACCOUNT, by_staff=st.booleans())
    def cancel(self, a, by_staff):
        actor = Actor.staff(self.staff, reason="asked") if by_staff else self.actor
        self.attempt(cancel_deletion, actor=actor, account=self.accounts[a])

    @rule(move=st.sampled_from(MOVES), run_due=st.booleans())
    def move_clock(self, move, run_due):
        self.attempt(
            advance_clock, actor=self.actor, sandbox=self.sandbox, by=move, to_next=move is None
        )
        if run_due:
            run_due_work(sandbox=self.sandbox)

    @rule(p=st.integers(0, 1), status=st.sampled_from(["active", "sold_out", "removed"]))
    def listing(self, p, status):
        if Product.objects.filter(pk=self.products[p].pk).exists():
            self.attempt(
                change_listing_status, actor=self.actor, product=self.products[p], status=status
            )

    @rule(p=st.integers(0, 1), stock=st.sampled_from([0, 0, 2, 5]))
    def edit(self, p, stock):
        """A stock of 0 sells an active listing out; a restock puts it back (its own events)."""
        product = Product.objects.filter(pk=self.products[p].pk).first()
        if product is not None:
            values = {"title": product.title, "price": product.price, "stock": stock}
            self.attempt(edit_product, actor=self.actor, product=product, **values)

    @rule(a=ACCOUNT, s=SHOP)
    def new_campaign(self, a, s):
        self.attempt(
            create_campaign,
            actor=self.actor,
            account=self.accounts[a],
            shop=self.shops[s],
            name="Promo",
            budget="10",
        )

    @rule(pick=st.integers(0, 5), move=st.sampled_from(["start", "start", "pause", "end"]))
    def campaign(self, pick, move):
        mine = list(Campaign.objects.filter(account__sandbox=self.sandbox).order_by("pk"))
        if mine:
            service = {"start": start_campaign, "pause": pause_campaign, "end": end_campaign}[move]
            self.attempt(service, actor=self.actor, campaign=mine[pick % len(mine)])

    @rule(a=ACCOUNT, app=st.sampled_from(APPS), grant=st.booleans())
    def app_access(self, a, app, grant):
        service = grant_app_access if grant else remove_app_access
        self.attempt(service, actor=self.actor, account=self.accounts[a], app=app)

    def teardown(self):
        # Shown by --hypothesis-show-statistics: how far the examples got.
        for account in SellerAccount.objects.filter(sandbox=self.sandbox):
            note_event(f"an account ended {account.status}")

    # --- invariants -------------------------------------------------------------------------
    @invariant()
    def a_shop_is_linked_to_at_most_one_account(self):
        for shop in self.shops:
            assert ShopLink.objects.filter(shop=shop, unlinked_at__isnull=True).count() <= 1

    @invariant()
    def a_deleted_account_owns_no_commerce_data(self):
        for account in SellerAccount.objects.filter(sandbox=self.sandbox, status="deleted"):
            for model in COMMERCE:
                assert not model.objects.filter(account=account).exists(), model.__name__
            assert not account.shop_links.filter(unlinked_at__isnull=True).exists()
            assert account.display_name == "Deleted seller" and account.contact_email == ""

    @invariant()
    def each_event_starts_where_the_previous_one_of_its_subject_ended(self):
        """The chain before → after holds for every subject: accounts, types, apps, shops,
        campaigns, listings, the clock."""
        last: dict[tuple, str] = {}
        for event in TimelineEvent.objects.filter(sandbox=self.sandbox).order_by("id"):
            key = (event.subject_type, event.subject_id)
            if key in last:
                assert event.before == last[key], (event.action, event.outcome, event.code)
            last[key] = event.after
        # And the last word on each subject is its real state.
        for account in SellerAccount.objects.filter(sandbox=self.sandbox):
            assert last.get(("account", account.pk), "active") == account.status
            for app in APPS:
                live = account.app_authorizations.filter(app=app, revoked_at=None).exists()
                expected = "connected" if live else "disconnected"
                assert last.get((f"app:{app}", account.pk), "disconnected") == expected
        for shop in self.shops:
            linked = shop.links.filter(unlinked_at__isnull=True).exists()
            assert last.get(("shop", shop.pk), "unlinked") == ("linked" if linked else "unlinked")
        # Every subject a cascade moves: its last event says the state it is in.
        for campaign in Campaign.objects.filter(account__sandbox=self.sandbox):
            if ("campaign", campaign.pk) in last:
                assert last["campaign", campaign.pk] == campaign.status, campaign.pk
        for product in Product.objects.filter(account__sandbox=self.sandbox):
            if ("product", product.pk) in last:
                assert last["product", product.pk] == product.listing_status, product.pk

    @invariant()
    def the_timeline_only_grows(self):
        now = list(
            TimelineEvent.objects.filter(sandbox=self.sandbox)
            .order_by("id")
            .values_list("id", "action", "outcome", "before", "after", "code")
        )
        assert now[: len(self.seen)] == self.seen
        self.seen = now


@pytest.mark.django_db
def test_random_lifecycles_keep_the_invariants(trainee, staff_user):
    Lifecycle.owner, Lifecycle.staff = trainee, staff_user
    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
