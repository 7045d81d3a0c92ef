"""Create the demo trainee and its demo sandbox if they are missing; print how to sign in."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.roles import ensure_support_group
from lifecycle.demo import build_demo_sandbox
from lifecycle.services import Actor, reset_demo_sandbox

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-seller-2026"  # noqa: S105  # nosec B105  # a published demo credential
STAFF_USERNAME = "support"
# bandit: published; DEBUG or --with-support only
STAFF_PASSWORD = "support-agent-2026"  # noqa: S105  # nosec B105


class Command(BaseCommand):
    help = "Create the demo trainee and the demo sandbox, and locally a support agent (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Rebuild the demo sandbox.")
        parser.add_argument(
            "--with-support",
            action="store_true",
            help="Also create the support agent when DEBUG is off (its password is published).",
        )

    @transaction.atomic
    def handle(self, *args, reset: bool = False, with_support: bool = False, **options):
        trainee, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
        )
        if created:
            trainee.set_password(DEMO_PASSWORD)
            trainee.save()
        demo = trainee.sandboxes.filter(is_demo=True).first()
        if demo is None:
            build_demo_sandbox(owner=trainee)
        elif reset:
            reset_demo_sandbox(actor=Actor.job("seed_demo --reset"), sandbox=demo)
        self.stdout.write(f"Demo trainee: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        # A staff login with a published password belongs on a developer's machine only.
        if not (settings.DEBUG or with_support):
            self.stdout.write("No support agent created (DEBUG is off; see --with-support).")
            return
        staff, created = User.objects.get_or_create(
            username=STAFF_USERNAME, defaults={"is_staff": True}
        )
        if created:
            staff.set_password(STAFF_PASSWORD)
            staff.save()
        staff.groups.add(ensure_support_group())
        self.stdout.write(f"Support staff (admin at /admin/): {STAFF_USERNAME} / {STAFF_PASSWORD}")
