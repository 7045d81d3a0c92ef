"""The shop's videos, their product links, and scheduled live sessions (RULEBOOK §4)."""

from django.db import models
from django.db.models import Q

from accounts.models import SellerAccount
from shops.models import Product, Shop


class Video(models.Model):
    """A short video the shop posted; its sound is a key of `studio.sounds.LIBRARY`."""

    account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="videos")
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(max_length=120)
    posted_at = models.DateTimeField()  # sandbox time
    views = models.PositiveIntegerField(default=0)
    new_followers = models.PositiveIntegerField(default=0)
    sound = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-posted_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_sound_title(self) -> str:
        from .sounds import sound

        chosen = sound(self.sound)
        return f"“{chosen.title}”" if chosen else "no sound"


class ProductLink(models.Model):
    """A product tagged on a video. Kept while the account is not business, only not shown."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="product_links")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="video_links")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["video", "product"], name="one_link_per_product"),
        ]

    def __str__(self) -> str:
        return f"{self.product} on {self.video}"


class LiveStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class LiveSession(models.Model):
    account = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, related_name="live_sessions"
    )
    title = models.CharField(max_length=120)
    starts_at = models.DateTimeField()  # sandbox time
    scheduled_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=LiveStatus.choices, default=LiveStatus.SCHEDULED
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="cancelled") | Q(cancelled_at__isnull=True),
                name="live_cancelled_at_only_when_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return self.title
