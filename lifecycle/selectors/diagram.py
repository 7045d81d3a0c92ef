""" "You are here": the account actions available now and the state diagram's geometry."""

from dataclasses import dataclass
from typing import Any

from accounts.models import SellerAccount
from lifecycle import diagram
from lifecycle.services.deletion import deletion_blockers, deletion_checklist
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


def available_actions(account: SellerAccount, actor_kind: str = TRAINEE) -> list[AvailableAction]:
    """Account actions declared from the current status for this actor, with their guard state."""
    result = []
    for transition in account_actions_from(account.status, actor_kind):
        enabled, reason = True, ""
        if transition.action == "request_deletion":
            # The service's own guards, so the map never promises what the request refuses.
            blockers = deletion_blockers(account, deletion_checklist(account))
            if blockers:
                enabled, reason = False, blockers[0].sentence
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
