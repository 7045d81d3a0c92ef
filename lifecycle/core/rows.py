"""Who acts, and the rows an action locks, in the one order every service keeps."""

from dataclasses import dataclass, replace
from typing import Any

from django.db import models

from accounts.models import Sandbox, SellerAccount, User
from lifecycle.models import ActorKind
from lifecycle.transitions import Rows


@dataclass(frozen=True)
class Actor:
    """Who starts an action: a trainee, a support agent (always by name) or a background job."""

    kind: str
    user: User | None = None
    job_name: str = ""
    # Why a support agent acts: required of staff, stored on every event the action writes.
    reason: str = ""

    @classmethod
    def trainee(cls, user: User) -> "Actor":
        return cls(ActorKind.TRAINEE, user)

    @classmethod
    def staff(cls, user: User, *, reason: str = "") -> "Actor":
        return cls(ActorKind.STAFF, user, reason=reason.strip())

    def because(self, reason: str) -> "Actor":
        return replace(self, reason=reason.strip())

    def may(self, permission: str) -> bool:
        """Whether a staff actor holds an admin permission ("app.codename")."""
        return self.kind == ActorKind.STAFF and self.user.has_perm(permission)

    @classmethod
    def job(cls, name: str) -> "Actor":
        return cls(ActorKind.JOB, None, name)

    @property
    def label(self) -> str:
        if self.kind == ActorKind.JOB:
            return f"job: {self.job_name}"
        assert self.user is not None  # nosec B101  # narrows the type; a non-job actor has a user
        return self.user.get_username()


# Lock order, the same in every service so that two never wait on each other: the sandbox's
# clock row first, then the subject (the account, then its shop, export, request...). The clock
# is read once its row is held, so an action that waited for a clock move to commit uses the
# clock as the move left it (RULEBOOK §7). FOR NO KEY UPDATE: it queues actions and clock moves
# of one sandbox behind each other, yet lets rows pointing at the sandbox be inserted meanwhile.


def lock_sandbox(sandbox: Sandbox | int) -> Sandbox:
    """Lock the sandbox's clock row for this transaction and return it fresh."""
    pk = sandbox.pk if isinstance(sandbox, Sandbox) else sandbox
    return Sandbox.objects.select_for_update(no_key=True).get(pk=pk)


def lock_sandbox_of(account: SellerAccount | int) -> Sandbox | None:
    """Lock the clock row of the account's sandbox; None when the account is gone."""
    pk = account.pk if isinstance(account, SellerAccount) else account
    locked = Sandbox.objects.select_for_update(no_key=True, of=("self",)).filter(accounts__pk=pk)
    return locked.first()


def lock_account(account: SellerAccount | int) -> SellerAccount:
    """Lock the account's sandbox clock, then the account; return the account fresh, with the
    clock it commits under."""
    pk = account.pk if isinstance(account, SellerAccount) else account
    sandbox = lock_sandbox_of(pk)
    if sandbox is None:
        raise SellerAccount.DoesNotExist(f"No seller account {pk}.")
    locked = SellerAccount.objects.select_for_update().get(pk=pk)
    locked.sandbox = sandbox
    return locked


def lock_owned(model: type[models.Model], row: models.Model | int) -> tuple[SellerAccount, Any]:
    """Lock a row the account owns (an order, an export...): the account first, then the row,
    the same order as every other service."""
    pk = row.pk if isinstance(row, models.Model) else row
    account = lock_account(model.objects.values_list("account_id", flat=True).get(pk=pk))
    return account, model.objects.select_for_update().get(pk=pk)


def account_rows(account: SellerAccount, subject: models.Model | None = None, **extra) -> Rows:
    """The rows of an action on `account` (or on `subject`, a row the account owns)."""
    return Rows(sandbox=account.sandbox, account=account, subject=subject or account, **extra)
