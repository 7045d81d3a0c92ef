"""Create the demo trainee and its demo sandbox if they are missing; print how to sign in."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from lifecycle.demo import build_demo_sandbox, reset_demo_sandbox

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-seller-2026"  # noqa: S105  (a published demo credential, on purpose)
STAFF_USERNAME = "support"
STAFF_PASSWORD = "support-agent-2026"  # noqa: S105


class Command(BaseCommand):
    help = "Create the demo trainee, a support agent and the demo sandbox (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Rebuild the demo sandbox.")

    @transaction.atomic
    def handle(self, *args, reset: bool = False, **options):
        trainee, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
        )
        if created:
            trainee.set_password(DEMO_PASSWORD)
            trainee.save()
        staff, created = User.objects.get_or_create(
            username=STAFF_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            staff.set_password(STAFF_PASSWORD)
            staff.save()
        demo = trainee.sandboxes.filter(is_demo=True)
        if reset:
            for sandbox in list(demo):  # the same reset as the support admin's
                reset_demo_sandbox(sandbox=sandbox)
        if not demo.exists():
            build_demo_sandbox(owner=trainee)
        self.stdout.write(
            f"Demo trainee: {DEMO_USERNAME} / {DEMO_PASSWORD}\n"
            f"Support staff (admin at /admin/): {STAFF_USERNAME} / {STAFF_PASSWORD}"
        )
