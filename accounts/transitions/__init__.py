"""The accounts app's machines: the account's status, type and apps, and the sandbox's clock.

Registered when this package is imported (`AccountsConfig.ready()`); see
`lifecycle.transitions.registry` for the ranks that order the account's pages.
"""

from lifecycle.transitions.registry import register

from . import account, sandbox

register(
    account.STATUS,
    account.TYPE,
    transitions=(account.SWITCH_TYPE, account.DEACTIVATE, account.REACTIVATE),
    rank=20,
)
register(account.APP, transitions=(account.REMOVE_APP_ACCESS, account.GRANT_APP_ACCESS), rank=50)
register(sandbox.SANDBOX, other=sandbox.TRANSITIONS)
