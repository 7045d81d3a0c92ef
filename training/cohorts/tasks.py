"""The nightly demo reset: every demo sandbox rebuilt through the lifecycle reset service."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from accounts.models import Sandbox
from lifecycle.actions import Action
from lifecycle.errors import LifecycleError
from lifecycle.models import Outcome, TimelineEvent
from lifecycle.services import Actor, reset_demo_sandbox
from lifecycle.tasks import JOB

log = logging.getLogger(__name__)


# A demo sandbox reset this recently is fresh: a second copy of the nightly job (two schedulers
# by mistake) leaves it as it is.
ALREADY_FRESH = timedelta(hours=1)


@shared_task(**JOB)
def reset_demo_sandboxes_task() -> int:
    """Reset each demo sandbox (only in demo mode); a trainee's own sandbox is never touched.

    A retry after a crash resets again, which is what a reset is: the same fresh sandbox. A
    second copy of tonight's job finds each sandbox reset already (or gone while it waited for
    its lock: the first copy replaced it) and says it has nothing to do.
    """
    if not settings.DEMO_MODE:
        return 0
    reset_lately = TimelineEvent.objects.filter(
        action=Action.RESET_DEMO,
        outcome=Outcome.DONE,
        real_time__gte=timezone.now() - ALREADY_FRESH,
    ).values("sandbox_id")
    due = Sandbox.objects.filter(is_demo=True).exclude(pk__in=reset_lately)
    done = reset_each(list(due.values_list("pk", flat=True)))
    if not done:
        log.info("demo reset: nothing to do, every demo sandbox was reset in the last hour")
    return done


def reset_each(sandbox_ids: list[int]) -> int:
    """Reset these demo sandboxes; the number reset."""
    done = 0
    for sandbox_id in sandbox_ids:
        try:
            reset_demo_sandbox(actor=Actor.job("nightly demo reset"), sandbox=sandbox_id)
        except Sandbox.DoesNotExist:  # replaced by another copy while this one waited
            log.info("demo reset: sandbox %s was reset meanwhile by another copy", sandbox_id)
            continue
        except LifecycleError as err:  # recorded on the sandbox's timeline by the service
            log.warning("demo reset of sandbox %s refused: %s", sandbox_id, err)
            continue
        done += 1
    return done
