"""Shops, their links to seller accounts and the commerce data the Seller Center manages."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from accounts.models import Sandbox, SellerAccount


class ShopQuerySet(models.QuerySet):
    def linked_to(self, account: SellerAccount) -> models.QuerySet:
        """Shops whose Seller Center tools `account` can reach now."""
        return self.filter(links__account=account, links__unlinked_at__isnull=True)


class Shop(models.Model):
    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="shops")
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShopQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        permissions = [
            ("unlink_shop", "Can unlink a shop from its seller account"),
            ("override_unlink_limits_shop", "Can unlink a shop past the cool-down or the limit"),
        ]

    def __str__(self) -> str:
        return self.name

    def live_link(self) -> "ShopLink | None":
        """The link in force now (a shop is linked to at most one account at a time)."""
        return self.links.live().select_related("account").first()


class ShopLinkQuerySet(models.QuerySet):
    def live(self) -> models.QuerySet:
        """Links not ended: at most one per shop."""
        return self.filter(unlinked_at__isnull=True)


class ShopLink(models.Model):
    """One period during which a shop was linked to an account; the rows are the link history."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="links")
    account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="shop_links")
    linked_at = models.DateTimeField()
    unlinked_at = models.DateTimeField(null=True, blank=True)

    objects = ShopLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop"],
                condition=Q(unlinked_at__isnull=True),
                name="shop_linked_at_most_once",
            ),
            models.CheckConstraint(
                condition=Q(unlinked_at__isnull=True) | Q(unlinked_at__gte=F("linked_at")),
                name="shop_link_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop} ↔ {self.account}"

    @property
    def is_active(self) -> bool:
        return self.unlinked_at is None


class ListingStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SOLD_OUT = "sold_out", "Sold out"
    REMOVED = "removed", "Removed"


class Product(models.Model):
    account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="products")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    title = models.CharField(max_length=200)
    sku = models.CharField(max_length=40)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.IntegerField(default=0)
    listing_status = models.CharField(
        max_length=10, choices=ListingStatus.choices, default=ListingStatus.ACTIVE
    )

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku"], name="sku_unique_per_shop"),
            models.CheckConstraint(condition=Q(price__gte=Decimal("0")), name="price_not_negative"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="stock_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.sku})"


class Customer(models.Model):
    account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="customers")
    name = models.CharField(max_length=120)
    email = models.EmailField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class OrderStatus(models.TextChoices):
    AWAITING_SHIPMENT = "awaiting_shipment", "Awaiting shipment"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


class OrderQuerySet(models.QuerySet):
    def awaiting_shipment(self) -> models.QuerySet:
        return self.filter(status=OrderStatus.AWAITING_SHIPMENT)


class Order(models.Model):
    account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="orders")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="orders")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=OrderStatus.choices, default=OrderStatus.AWAITING_SHIPMENT
    )
    placed_at = models.DateTimeField()
    shipping_address = models.TextField()
    tracking_number = models.CharField(max_length=40, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "number"], name="order_number_per_account"),
            models.CheckConstraint(
                condition=~Q(status__in=["shipped", "delivered"]) | ~Q(tracking_number=""),
                name="shipped_order_has_tracking_number",
            ),
        ]
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return f"Order #{self.number}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="order_lines"
    )
    title = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=Decimal("0")), name="line_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title}"

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity


class Inquiry(models.Model):
    account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="inquiries")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="inquiries")
    message = models.TextField()
    reply = models.TextField(blank=True)
    received_at = models.DateTimeField()
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "inquiries"

    def __str__(self) -> str:
        return f"Inquiry from {self.customer}"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class CampaignQuerySet(models.QuerySet):
    def active(self) -> models.QuerySet:
        return self.filter(status=CampaignStatus.ACTIVE)


class Campaign(models.Model):
    account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="campaigns")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=120)
    budget = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_at = models.DateTimeField()

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=Decimal("0")), name="budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name
