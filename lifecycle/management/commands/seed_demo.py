"""Create the demo logins and the demo sandbox if they are missing; print how to sign in."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.roles import ensure_support_group
from lifecycle.demo import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    STAFF_PASSWORD,
    STAFF_USERNAME,
    build_demo_sandbox,
)
from lifecycle.services import Actor, reset_demo_sandbox


class Command(BaseCommand):
    help = (
        "Create the demo trainee, the demo trainer and the demo sandbox, and locally (or in demo "
        "mode) a support agent (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Rebuild the demo sandbox.")
        parser.add_argument(
            "--with-support",
            action="store_true",
            help="Also create the support agent when DEBUG and DEMO_MODE are off (its password "
            "is published).",
        )
        parser.add_argument(
            "--trainees",
            type=int,
            default=0,
            metavar="N",
            help="Also build a demo cohort of N trainees with finished attempts.",
        )

    @transaction.atomic
    def handle(self, *args, reset=False, with_support=False, trainees=0, **options):
        from training.cohorts import demo as training_demo

        trainee, created = User.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@example.com"}
        )
        if created:
            trainee.set_password(DEMO_PASSWORD)
            trainee.save()
        training_demo.mark_demo_login(trainee)
        demo = trainee.sandboxes.filter(is_demo=True).first()
        if demo is None:
            build_demo_sandbox(owner=trainee)
        elif reset:
            reset_demo_sandbox(actor=Actor.job("seed_demo --reset"), sandbox=demo)
        self.stdout.write(f"Demo trainee: {DEMO_USERNAME} / {DEMO_PASSWORD}")
        trainer = training_demo.demo_trainer()
        training_demo.demo_cohort(trainer, [trainee])
        self.stdout.write(
            f"Demo trainer (at /trainer/): {training_demo.TRAINER_USERNAME} / "
            f"{training_demo.TRAINER_PASSWORD}"
        )
        if trainees:
            made = training_demo.demo_class(trainer, trainees)
            self.stdout.write(f"Demo cohort: {made.name}, {trainees} trainees with attempts")
            self.stdout.write(training_demo.trainee_sign_in(trainees))
        # A staff login with a published password belongs on a developer's machine or a demo.
        if not (settings.DEBUG or settings.DEMO_MODE or with_support):
            self.stdout.write(
                "No support agent created (DEBUG and DEMO_MODE are off; see --with-support)."
            )
            return
        staff, created = User.objects.get_or_create(
            username=STAFF_USERNAME, defaults={"is_staff": True}
        )
        if created:
            staff.set_password(STAFF_PASSWORD)
            staff.save()
        staff.groups.add(ensure_support_group())
        training_demo.mark_demo_login(staff)
        self.stdout.write(f"Support staff (admin at /admin/): {STAFF_USERNAME} / {STAFF_PASSWORD}")
