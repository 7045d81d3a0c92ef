"""The demo builder and the command that seeds the demo users."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.roles import SUPPORT_GROUP
from lifecycle.core import Actor
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.management.commands.seed_demo import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    STAFF_PASSWORD,
    STAFF_USERNAME,
)
from lifecycle.services import unlink_shop
from shops.models import CampaignStatus
from training.cohorts.roles import DEMO_GROUP


def test_seed_demo_creates_the_users_once_and_resets_on_request(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert f"{DEMO_USERNAME} / {DEMO_PASSWORD}" in out.getvalue()
    demo = User.objects.get(username=DEMO_USERNAME)
    assert demo.check_password(DEMO_PASSWORD)
    # DEBUG is off here: no staff login with a published password unless asked for.
    assert not User.objects.filter(username="support").exists()
    first = demo.sandboxes.get(is_demo=True)

    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert demo.sandboxes.get(is_demo=True) == first

    call_command("seed_demo", "--reset", stdout=StringIO())
    assert demo.sandboxes.get(is_demo=True) != first


def test_the_support_agent_is_staff_through_the_support_group_not_a_superuser(db, client):
    out = StringIO()
    call_command("seed_demo", "--with-support", stdout=out)
    assert f"{STAFF_USERNAME} / {STAFF_PASSWORD}" in out.getvalue()
    agent = User.objects.get(username=STAFF_USERNAME)
    assert agent.is_staff and not agent.is_superuser
    # Its password is published, so it is also a demo login (which cannot change it).
    assert set(agent.groups.values_list("name", flat=True)) == {SUPPORT_GROUP, DEMO_GROUP}
    assert agent.has_perm("accounts.deactivate_selleraccount")
    assert agent.has_perm("lifecycle.view_timelineevent")
    assert not agent.has_perm("accounts.change_selleraccount")

    # The group is enough to act through the admin's whitelist, through the service.
    account = User.objects.get(username=DEMO_USERNAME).sandboxes.get().account
    client.force_login(agent)
    changelist = reverse("admin:accounts_selleraccount_changelist")
    assert client.get(changelist).status_code == 200
    response = client.post(
        changelist,
        {
            "action": "deactivate",
            "_selected_action": [account.pk],
            "confirm": "yes",
            "reason": "Seller asked to pause",
        },
        follow=True,
    )
    assert response.status_code == 200
    account.refresh_from_db()
    assert account.status == "deactivated"
    event = account.events.get(action="deactivate")
    assert (event.actor_kind, event.actor_label) == ("staff", STAFF_USERNAME)
    assert event.params["reason"] == "Seller asked to pause"


def test_the_demo_link_can_be_unlinked_at_once(trainee):
    sandbox = build_demo_sandbox(owner=trainee, sizes=DemoSizes(orders=10, customers=5))
    account = sandbox.account
    shop = account.shop_links.get(unlinked_at=None).shop
    unlink_shop(actor=Actor.trainee(trainee), account=account, shop=shop, confirmed=True)
    assert not account.campaigns.filter(shop=shop, status=CampaignStatus.ACTIVE).exists()


def test_each_demo_sandbox_has_its_own_seller_shops_and_customers(trainee):
    sizes = DemoSizes(products=6, customers=8, orders=10)
    one = build_demo_sandbox(owner=trainee, name="One", sizes=sizes).account
    two = build_demo_sandbox(owner=trainee, name="Two", sizes=sizes).account

    def world(account):
        return (
            account.display_name,
            sorted(account.sandbox.shops.values_list("name", flat=True)),
            sorted(account.products.values_list("title", flat=True)),
            sorted(account.customers.values_list("name", flat=True)),
        )

    assert world(one) != world(two)
    assert all(part for part in world(one))  # generated, not blank
    assert all(c.email.endswith("@example.com") for c in one.customers.all())
    assert not any("\n" in o.shipping_address for o in one.orders.all())  # one CSV line each
    # Order numbers of a demo are far from the test factories' 1000 + n.
    assert min(one.orders.values_list("number", flat=True)) > 100000


def test_the_same_seed_builds_the_same_demo(trainee):
    sizes = DemoSizes(products=4, customers=4, orders=4)
    a = build_demo_sandbox(owner=trainee, name="A", sizes=sizes, seed=42).account
    b = build_demo_sandbox(owner=trainee, name="B", sizes=sizes, seed=42).account
    assert a.display_name == b.display_name
    assert list(a.customers.order_by("id").values_list("name", flat=True)) == list(
        b.customers.order_by("id").values_list("name", flat=True)
    )


def test_the_demo_has_videos_with_commercial_sounds_and_product_links(trainee):
    from studio.sounds import sound

    account = build_demo_sandbox(owner=trainee, sizes=DemoSizes(orders=5, customers=5)).account
    videos = list(account.videos.all())
    assert len(videos) == 6
    assert all(sound(v.sound).commercial for v in videos)  # a business account's library
    assert sum(v.product_links.count() for v in videos) == 6
    assert account.live_sessions.count() == 1
