"""Run what became due on a sandbox's clock, through the same services as everything else."""

from accounts.models import AccountStatus, Sandbox
from lifecycle.errors import LifecycleError
from lifecycle.models import DeletionRequest, DeletionStatus

from ._core import Actor
from .deletion import finalize_deletion, lapse_deletion

SWEEP = Actor.job("sweep")


def run_due_work(*, sandbox: Sandbox | int) -> list[str]:
    """Lapse expired deletion links and finalize due deletions; return what was done."""
    sandbox_id = sandbox.pk if isinstance(sandbox, Sandbox) else sandbox
    sandbox = Sandbox.objects.get(pk=sandbox_id)
    now = sandbox.now()
    done: list[str] = []
    expired = DeletionRequest.objects.filter(
        account__sandbox=sandbox, status=DeletionStatus.PENDING, link_expires_at__lte=now
    ).values_list("pk", flat=True)
    for request_id in expired:
        try:
            lapse_deletion(actor=SWEEP, request=request_id)
            done.append(f"lapsed deletion request {request_id}")
        except LifecycleError:
            pass  # changed since it was listed (cancelled, or lapsed by another sweep)
    due = DeletionRequest.objects.filter(
        account__sandbox=sandbox,
        account__status=AccountStatus.DELETION_SCHEDULED,
        status=DeletionStatus.SCHEDULED,
        scheduled_for__lte=now,
    ).values_list("account_id", flat=True)
    for account_id in due:
        try:
            finalize_deletion(actor=SWEEP, account=account_id)
            done.append(f"finalized account {account_id}")
        except LifecycleError:
            pass
    return done
