"""The "You are here" diagram: the account-status machine laid out for an inline SVG.

Edges come from the transition table (`status_edges`); only the geometry is chosen here. Every
state has a fixed box, every pair of states a fixed bend and label place, picked so that no label
touches another label or a box (a browser test measures the drawn boxes). Edges start and end on
the boxes' borders, so their arrowheads show. An edge back to an earlier state names that state
("Cancel → Active"), since two "Cancel" edges leave the same box.
"""

from math import hypot
from typing import Any

from accounts.models import AccountStatus, SellerAccount
from lifecycle.actions import Action, label_of
from lifecycle.transitions import ACCOUNT_STATES, REQUESTED, SCHEDULED, status_edges

WIDTH, HEIGHT = 1160, 470
BOX_W, BOX_H = 176, 56

POSITIONS: dict[str, tuple[int, int]] = {
    AccountStatus.ACTIVE: (160, 80),
    AccountStatus.DEACTIVATED: (160, 390),
    AccountStatus.DELETION_REQUESTED: (490, 235),
    AccountStatus.DELETION_SCHEDULED: (810, 235),
    AccountStatus.DELETED: (1065, 235),
}

# (source, target): the control point of the curve and where its label goes (x, y, anchor).
GEOMETRY: dict[tuple[str, str], tuple[tuple[int, int], tuple[int, int, str]]] = {
    ("active", "deactivated"): ((205, 235), (190, 240, "start")),
    ("deactivated", "active"): ((115, 235), (100, 240, "end")),
    ("active", "deletion_requested"): ((370, 95), (360, 110, "start")),
    ("deletion_requested", "active"): ((300, 185), (245, 195, "start")),
    ("deactivated", "deletion_requested"): ((370, 375), (360, 372, "start")),
    ("deletion_requested", "deactivated"): ((300, 285), (245, 290, "start")),
    # Labels of the short edges sit above the boxes' tops (y 207), clear of both boxes.
    ("deletion_requested", "deletion_scheduled"): ((650, 215), (650, 198, "middle")),
    ("deletion_scheduled", "active"): ((580, -10), (600, 52, "middle")),
    ("deletion_scheduled", "deactivated"): ((580, 480), (600, 438, "middle")),
    ("deletion_scheduled", "deleted"): ((937, 215), (937, 198, "middle")),
}

SHORT_LABELS: dict[str, str] = {
    Action.DEACTIVATE: "Deactivate",
    Action.REACTIVATE: "Reactivate",
    Action.REQUEST_DELETION: "Request deletion",
    Action.CONFIRM_DELETION: "Confirm by email",
    Action.LAPSE_DELETION: "Link lapses",
    Action.CANCEL_DELETION: "Cancel",
    Action.FINALIZE_DELETION: "Finalize (job)",
}
# Actions that return to "the state before the request": their label names where they go.
RETURNS = {Action.CANCEL_DELETION, Action.LAPSE_DELETION}


def _border_point(center: tuple[int, int], toward: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a box's centre toward `toward` leaves the box."""
    (cx, cy), (tx, ty) = center, toward
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        (BOX_W / 2 + 4) / abs(dx) if dx else float("inf"),
        (BOX_H / 2 + 4) / abs(dy) if dy else float("inf"),
    )
    return cx + dx * scale, cy + dy * scale


def label_for(action: str) -> str:
    return SHORT_LABELS.get(action) or label_of(action)


def returns_to(actions: list[str], source: str, target: str) -> str:
    """ " → Active" after the labels of an edge back to the state before the request."""
    if source in (REQUESTED, SCHEDULED) and any(a in RETURNS for a in actions):
        return f" → {AccountStatus(target).label}"
    return ""


def state_diagram(
    account: SellerAccount, *, enabled: set[str], pages: dict[str, str]
) -> dict[str, Any]:
    """Nodes and edges for the template; `enabled` are the actions the viewer can take now."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for source, target, action in status_edges():
        grouped.setdefault((source, target), []).append(action)
    nodes = [
        {
            "state": state,
            "label": AccountStatus(state).label,
            "x": POSITIONS[state][0],
            "y": POSITIONS[state][1],
            "left": POSITIONS[state][0] - BOX_W // 2,
            "top": POSITIONS[state][1] - BOX_H // 2,
            "current": state == account.status,
        }
        for state in ACCOUNT_STATES
    ]
    edges = []
    for (source, target), actions in grouped.items():
        (cx, cy), (lx, ly, anchor) = GEOMETRY[(source, target)]
        x1, y1 = _border_point(POSITIONS[source], (cx, cy))
        x2, y2 = _border_point(POSITIONS[target], (cx, cy))
        # Pull the end back a little along the curve so the arrowhead sits outside the box.
        ex, ey = x2 - cx, y2 - cy
        length = hypot(ex, ey) or 1
        x2, y2 = x2 + ex / length * 2, y2 + ey / length * 2
        edges.append(
            {
                "source": source,
                "target": target,
                "path": f"M{x1:.0f},{y1:.0f} Q{cx},{cy} {x2:.0f},{y2:.0f}",
                "label_x": lx,
                "label_y": ly,
                "anchor": anchor,
                "returns_to": returns_to(actions, source, target),
                "actions": [
                    {
                        "action": a,
                        "label": label_for(a),
                        "live": a in enabled and source == account.status,
                        "page": pages.get(a),
                    }
                    for a in actions
                ],
            }
        )
    return {
        "nodes": nodes,
        "edges": edges,
        "width": WIDTH,
        "height": HEIGHT,
        "box_w": BOX_W,
        "box_h": BOX_H,
    }
