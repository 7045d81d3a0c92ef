""" "You are here": the account actions available now and the state diagram's geometry."""

from dataclasses import dataclass
from typing import Any

from accounts.models import SellerAccount
from lifecycle import diagram
from lifecycle.core import Actor, account_rows, offer
from lifecycle.services.deletion import open_request
from lifecycle.transitions import Transition, account_actions_from

TRAINEE = "trainee"


@dataclass
class AvailableAction:
    transition: Transition
    enabled: bool
    reason: str = ""

    @property
    def page(self) -> str | None:
        """The URL name of the page where this action is done."""
        return ACTION_PAGES.get(self.transition.action)


# Machines whose offer the account's own rows decide (a listing's or an app's needs its row).
_OFFERED_ON_THE_ACCOUNT = ("account", "account_type")


def available_actions(account: SellerAccount, actor_kind: str = TRAINEE) -> list[AvailableAction]:
    """Account actions declared from the current status for this actor, with their guard state:
    the status's and type's asked of their declared guards (`lifecycle.core.offer`), so the map
    never promises what the action refuses, and says why in the action's own sentence."""
    result = []
    request = open_request(account)
    for transition in account_actions_from(account.status, actor_kind):
        enabled, reason = True, ""
        if transition.machine in _OFFERED_ON_THE_ACCOUNT and actor_kind == TRAINEE:
            rows = account_rows(account, request=request)
            offered = offer(transition, rows, actor=Actor.trainee(account.sandbox.owner))
            enabled, reason = offered.enabled, offered.reason
        result.append(AvailableAction(transition, enabled, reason))
    return result


# Where each account action is done in the UI (the diagram links there).
ACTION_PAGES = {
    "switch_type": "account_type",
    "deactivate": "close_or_pause",
    "reactivate": "close_or_pause",
    "request_deletion": "close_account",
    "confirm_deletion": "inbox",
    "cancel_deletion": "close_account",
    "change_listing": "products",
    "edit_product": "products",
    "remove_app_access": "connected_apps",
    "grant_app_access": "connected_apps",
    "notify_customers": "close_account",
}

# The geometry lives in `lifecycle.diagram`; these names stay for the selectors' callers.
STATE_POSITIONS = diagram.POSITIONS
SHORT_LABELS = diagram.SHORT_LABELS


def state_diagram(account: SellerAccount, actor_kind: str = TRAINEE) -> dict[str, Any]:
    """The account-status diagram (`lifecycle.diagram`), its live actions asked of the guards."""
    enabled = {a.transition.action for a in available_actions(account, actor_kind) if a.enabled}
    return diagram.state_diagram(account, enabled=enabled, pages=ACTION_PAGES)
