"""Row locks, taken in one order by every service so that two never wait on each other."""

from typing import Any, TypeVar

from django.db import models

from accounts.models import Sandbox, SellerAccount
from lifecycle.transitions import Rows

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
    locked: SellerAccount = SellerAccount.objects.select_for_update().get(pk=pk)
    locked.sandbox = sandbox
    return locked


M = TypeVar("M", bound=models.Model)


def lock_owned(model: type[M], row: M | int) -> tuple[SellerAccount, M]:
    """Lock a row the account owns (an order, an export...): the account first, then the row,
    the same order as every other service."""
    pk = row.pk if isinstance(row, models.Model) else row
    rows = model._default_manager
    account = lock_account(rows.values_list("account_id", flat=True).get(pk=pk))
    return account, rows.select_for_update().get(pk=pk)


def account_rows(account: SellerAccount, subject: models.Model | None = None, **extra: Any) -> Rows:
    """The rows of an action on `account` (or on `subject`, a row the account owns)."""
    return Rows(sandbox=account.sandbox, account=account, subject=subject or account, **extra)
