"""The nightly demo reset: every demo sandbox rebuilt through the lifecycle reset service."""

import logging

from celery import shared_task
from django.conf import settings

from accounts.models import Sandbox
from lifecycle.errors import LifecycleError
from lifecycle.services import Actor, reset_demo_sandbox
from lifecycle.tasks import JOB

log = logging.getLogger(__name__)


@shared_task(**JOB)
def reset_demo_sandboxes_task() -> int:
    """Reset each demo sandbox (only in demo mode); a trainee's own sandbox is never touched.

    A retry after a crash resets again, which is what a reset is: the same fresh sandbox.
    """
    if not settings.DEMO_MODE:
        return 0
    done = 0
    for sandbox_id in list(Sandbox.objects.filter(is_demo=True).values_list("pk", flat=True)):
        try:
            reset_demo_sandbox(actor=Actor.job("nightly demo reset"), sandbox=sandbox_id)
        except LifecycleError as err:  # recorded on the sandbox's timeline by the service
            log.warning("demo reset of sandbox %s refused: %s", sandbox_id, err)
            continue
        done += 1
    return done
