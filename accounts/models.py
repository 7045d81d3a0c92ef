"""Trainees, their sandboxes and the seller accounts inside them (RULEBOOK §1–§2, §4–§5)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from .types import TYPES_NEEDING_CATEGORY, AccountType, Category


class User(AbstractUser):
    """A trainee, a support agent (is_staff) or the demo visitor.

    `email` is an address the login is known to receive mail at: set by staff or a trainer's
    import (whose set-password link goes there), or verified through the link sent to it. It is
    unique whatever its letters' case. What a sign-up typed waits in `pending_email` until its
    link is opened (training.cohorts.verification): until then no import matches it and no
    password reset goes to it.
    """

    pending_email = models.EmailField(blank=True)

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # django-stubs declares no Meta
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ignoring_case",
                violation_error_message="Another login has this email.",
            ),
        ]


def default_edition_key() -> str:
    """The edition a new sandbox is played under unless one is chosen (editions.registry checks
    at start-up that it names a declared edition)."""
    return str(settings.SIMULATOR["EDITION"])


class Sandbox(models.Model):
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sandboxes")
    name = models.CharField(max_length=100)
    clock_offset = models.DurationField(default=timedelta(0))
    is_demo = models.BooleanField(default=False)
    # The edition of the rules it is played under (RULEBOOK §12; editions/declared/).
    edition = models.CharField(max_length=40, default=default_edition_key, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Deleted by its owner: gone from their pages, kept with its timeline (RULEBOOK §8).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "sandboxes"
        # Support staff act on a sandbox only through these admin actions, each granted alone.
        permissions = [
            ("advance_clock_sandbox", "Can advance a sandbox's clock"),
            ("run_due_work_sandbox", "Can run a sandbox's due work"),
            ("reset_demo_sandbox", "Can reset a demo sandbox"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="sandbox_name_unique_per_owner"),
            models.CheckConstraint(
                condition=Q(clock_offset__gte=timedelta(0)), name="sandbox_clock_never_behind"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def now(self) -> datetime:
        """The sandbox's simulated time: real time plus the offset it was advanced by."""
        return timezone.now() + self.clock_offset

    @property
    def account(self) -> "SellerAccount | None":
        """The sandbox's primary seller account (the first one created)."""
        return self.accounts.primary()


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    DEACTIVATED = "deactivated", "Deactivated"
    DELETION_REQUESTED = "deletion_requested", "Deletion requested"
    DELETION_SCHEDULED = "deletion_scheduled", "Deletion scheduled"
    DELETED = "deleted", "Deleted"


class SellerAccountQuerySet(models.QuerySet):
    def primary(self) -> "SellerAccount | None":
        """The first account created: the one a sandbox's Seller Center shows."""
        return self.order_by("id").first()


class SellerAccount(models.Model):
    """A Seller Center account. Its status only changes through lifecycle services."""

    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="accounts")
    display_name = models.CharField(max_length=120)
    contact_email = models.EmailField(blank=True)
    account_type = models.CharField(
        max_length=20, choices=AccountType.choices, default=AccountType.PERSONAL
    )
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    status = models.CharField(
        max_length=24, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    customers_notified_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SellerAccountQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        # The sweep's finder looks for deleted accounts whose purge is unfinished: the few
        # deleted ones, not every account.
        indexes = [
            models.Index(fields=["sandbox"], condition=Q(status="deleted"), name="account_deleted"),
        ]
        # Support staff change an account's status only through these admin actions.
        permissions = [
            ("deactivate_selleraccount", "Can deactivate a seller account"),
            ("reactivate_selleraccount", "Can reactivate a seller account"),
            ("cancel_deletion_selleraccount", "Can cancel a seller account's deletion"),
            # Overrides: each its own right, each with a reason on the event.
            ("resend_confirmation_selleraccount", "Can resend a deletion confirmation email"),
            ("retry_export_selleraccount", "Can retry a failed data export for the seller"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(account_type__in=sorted(TYPES_NEEDING_CATEGORY)) & ~Q(category=""))
                | (~Q(account_type__in=sorted(TYPES_NEEDING_CATEGORY)) & Q(category="")),
                name="account_category_iff_type_needs_one",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AccountStatus.values), name="account_status_known"
            ),
            models.CheckConstraint(
                condition=Q(account_type__in=AccountType.values), name="account_type_known"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def status_before_deletion(self) -> str:
        """The status a cancelled or lapsed deletion returns to: the open request's record of it.

        Derived, not stored, so the account and its request can never disagree.
        """
        open_request = self.deletion_requests.open().first()
        return open_request.previous_status if open_request else ""

    @property
    def is_deleted(self) -> bool:
        return self.status == AccountStatus.DELETED


class ConnectedApp(models.TextChoices):
    TIKTOK_FOR_BUSINESS = "tiktok_for_business", "TikTok for Business"
    ANALYTICS_PARTNER = "analytics_partner", "Insight Analytics (partner)"
    SHIPPING_PARTNER = "shipping_partner", "ParcelPilot shipping"


class AppAuthorizationQuerySet(models.QuerySet):
    def live(self) -> models.QuerySet:
        """Grants not revoked: the apps that have access now."""
        return self.filter(revoked_at__isnull=True)


class AppAuthorization(models.Model):
    """One grant of access to a connected app; removing access ends it, granting makes a new one."""

    account = models.ForeignKey(
        SellerAccount, on_delete=models.CASCADE, related_name="app_authorizations"
    )
    app = models.CharField(max_length=40, choices=ConnectedApp.choices)
    scopes = models.CharField(max_length=200, default="read")
    granted_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AppAuthorizationQuerySet.as_manager()

    class Meta:
        ordering = ["app", "-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "app"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_authorization_per_app",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_app_display()} for {self.account}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
