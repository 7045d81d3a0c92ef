"""The demo builder and the command that seeds the demo users."""

from io import StringIO

from django.core.management import call_command

from accounts.models import User
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME
from lifecycle.services import unlink_shop
from lifecycle.services._core import Actor
from shops.models import CampaignStatus


def test_seed_demo_creates_the_users_once_and_resets_on_request(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert f"{DEMO_USERNAME} / {DEMO_PASSWORD}" in out.getvalue()
    demo = User.objects.get(username=DEMO_USERNAME)
    assert demo.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="support").is_staff
    first = demo.sandboxes.get(is_demo=True)

    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert demo.sandboxes.get(is_demo=True) == first

    call_command("seed_demo", "--reset", stdout=StringIO())
    assert demo.sandboxes.get(is_demo=True) != first


def test_the_demo_link_can_be_unlinked_at_once(trainee):
    sandbox = build_demo_sandbox(owner=trainee, sizes=DemoSizes(orders=10, customers=5))
    account = sandbox.account
    shop = account.shop_links.get(unlinked_at=None).shop
    unlink_shop(actor=Actor.trainee(trainee), account=account, shop=shop, confirmed=True)
    assert not account.campaigns.filter(shop=shop, status=CampaignStatus.ACTIVE).exists()
