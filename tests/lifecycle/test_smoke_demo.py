from accounts.models import AccountStatus
from lifecycle.demo import build_demo_sandbox
from lifecycle.models import TimelineEvent
from shops.models import Order, OrderStatus


def test_demo_sandbox_has_the_promised_shape(trainee):
    sandbox = build_demo_sandbox(owner=trainee)
    account = sandbox.account
    assert account.status == AccountStatus.ACTIVE
    assert sandbox.shops.count() == 2
    assert account.shop_links.filter(unlinked_at__isnull=True).count() == 1
    assert account.products.count() == 20
    assert account.customers.count() == 50
    assert Order.objects.filter(account=account).count() == 200
    assert set(account.orders.values_list("status", flat=True)) == set(OrderStatus.values)
    assert list(TimelineEvent.objects.values_list("action", flat=True)) == ["link_shop"]
