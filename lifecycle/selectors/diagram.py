""" "You are here": the account actions available now and the state diagram's geometry."""

from dataclasses import dataclass
from typing import Any

from accounts.models import AccountStatus, SellerAccount
from lifecycle.services.deletion import deletion_blockers, deletion_checklist
from lifecycle.transitions import (
    ACCOUNT_STATES,
    Transition,
    account_actions_from,
    status_edges,
)

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
    "remove_app_access": "connected_apps",
    "grant_app_access": "connected_apps",
    "notify_customers": "close_account",
}

# Positions of the states on the diagram: a row from alive to gone.
STATE_POSITIONS = {
    AccountStatus.ACTIVE: (110, 70),
    AccountStatus.DEACTIVATED: (110, 340),
    AccountStatus.DELETION_REQUESTED: (440, 200),
    AccountStatus.DELETION_SCHEDULED: (700, 200),
    AccountStatus.DELETED: (900, 200),
}
DIAGRAM_MIDDLE = 200


def state_diagram(account: SellerAccount, actor_kind: str = TRAINEE) -> dict[str, Any]:
    """Nodes and edges of the account-status machine, laid out for an inline SVG."""
    enabled = {a.transition.action for a in available_actions(account, actor_kind) if a.enabled}
    grouped: dict[tuple[str, str], list[str]] = {}
    for source, target, action in status_edges():
        grouped.setdefault((source, target), []).append(action)
    nodes = [
        {
            "state": state,
            "label": AccountStatus(state).label,
            "x": STATE_POSITIONS[state][0],
            "y": STATE_POSITIONS[state][1],
            "current": state == account.status,
        }
        for state in ACCOUNT_STATES
    ]
    edges = []
    for (source, target), actions in grouped.items():
        (x1, y1), (x2, y2) = STATE_POSITIONS[source], STATE_POSITIONS[target]
        # Curve each edge to its left so the two directions between a pair never overlap,
        # and put the label beside the curve's middle, on the outside of the bend.
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        cx, cy = mx + dy * 0.2, my - dx * 0.2
        # A one-way edge bends away from the middle row, so a long edge (a cancel from
        # "scheduled") arcs around the states in between instead of through them.
        if (target, source) not in grouped and (cy - my) * (my - DIAGRAM_MIDDLE) < 0:
            cx, cy = 2 * mx - cx, 2 * my - cy
        px, py = (mx + cx) / 2, (my + cy) / 2  # the curve's midpoint
        side_x, side_y = cx - mx, cy - my
        anchor = "start" if side_x > 8 else "end" if side_x < -8 else "middle"
        lx = px + (6 if anchor == "start" else -6 if anchor == "end" else 0)
        ly = py + (-6 if side_y < -8 else 14 if side_y > 8 else 4)
        edges.append(
            {
                "source": source,
                "target": target,
                "path": f"M{x1},{y1} Q{cx:.0f},{cy:.0f} {x2},{y2}",
                "label_x": round(lx),
                "label_y": round(ly),
                "anchor": anchor,
                "actions": [
                    {
                        "action": a,
                        "label": _short_label(a),
                        "live": a in enabled and source == account.status,
                        "page": ACTION_PAGES.get(a),
                    }
                    for a in actions
                ],
            }
        )
    return {"nodes": nodes, "edges": edges, "width": 980, "height": 400}


SHORT_LABELS = {
    "deactivate": "Deactivate",
    "reactivate": "Reactivate",
    "request_deletion": "Request deletion",
    "confirm_deletion": "Confirm by email",
    "lapse_deletion": "Link lapses",
    "cancel_deletion": "Cancel",
    "finalize_deletion": "Finalize (job)",
}


def _short_label(action: str) -> str:
    from lifecycle.transitions import Action

    return SHORT_LABELS.get(action) or Action(action).label
