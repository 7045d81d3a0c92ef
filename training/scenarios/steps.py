"""One step of a script: the reference solution, or the careless run the tests play.

Each step is one thing a seller (or a support agent) does in the simulator; `training.script`
runs it through the same service the page calls, and `describe()` says it as the trainee sees it.
"""

from decimal import Decimal
from typing import Literal

from pydantic import Field, PositiveFloat, model_validator

from lifecycle.wording import count

from .fields import AppName, CategoryName, ListingName, Strict, TypeName

# What each step needs besides `do`.
NEEDS: dict[str, tuple[str, ...]] = {
    "request_export": (),
    "download_export": (),
    "link_shop": ("shop",),
    "unlink_shop": ("shop",),
    "advance_clock": ("hours",),
    "switch_type": ("type",),
    "create_campaign": ("shop", "name"),
    "start_campaign": ("name",),
    "end_campaign": ("name",),
    "ship_orders": (),
    "cancel_orders": (),
    "notify_customers": (),
    "request_deletion": (),
    "confirm_deletion": (),
    "cancel_deletion": (),
    "deactivate": (),
    "reactivate": (),
    "change_listing": ("sku", "status"),
    "remove_app_access": ("app",),
    "grant_app_access": ("app",),
}
STAFF_STEPS = frozenset(
    {"cancel_deletion", "deactivate", "reactivate", "unlink_shop", "advance_clock"}
)


class Step(Strict):
    do: Literal[tuple(NEEDS)]  # type: ignore[valid-type]
    by: Literal["seller", "staff"] = "seller"
    shop: str | None = None
    hours: PositiveFloat | None = None
    type: TypeName | None = None
    category: CategoryName | None = None
    name: str | None = None
    budget: Decimal = Field(default=Decimal("50"), ge=0)
    sku: str | None = None
    status: ListingName | None = None
    app: AppName | None = None
    why: str = ""  # shown beside the step: what a careful seller is thinking
    reason: str | None = None  # a staff step's reason, recorded on its event

    @model_validator(mode="after")
    def _has_what_it_needs(self):
        missing = [f for f in NEEDS[self.do] if getattr(self, f) is None]
        if missing:
            raise ValueError(f"expected {', '.join(missing)} for a {self.do} step")
        if self.by == "staff" and not (self.reason or "").strip():
            raise ValueError("expected a reason for a staff step: staff always say why they act")
        if self.by == "staff" and self.do not in STAFF_STEPS:
            raise ValueError(
                f"expected a step support staff can take ({', '.join(sorted(STAFF_STEPS))})"
            )
        return self

    def describe(self) -> str:
        hours = self.hours or 0
        span = count(hours / 24, "day") if hours >= 24 else count(float(hours), "hour")
        texts = {
            "request_export": "Data exports → ask for an export of the account's data",
            "download_export": "Data exports → download the export once it is ready",
            "link_shop": f"Account Settings → Linked accounts → link {self.shop}",
            "unlink_shop": f"Account Settings → Linked accounts → unlink {self.shop} (confirm)",
            "advance_clock": f"Move the sandbox clock forward {span}",
            "switch_type": f"Account Settings → Account type → switch to {self.type}"
            + (f" ({self.category})" if self.category else ""),
            "create_campaign": f"Marketing → create the campaign {self.name} for {self.shop}",
            "start_campaign": f"Marketing → start {self.name}",
            "end_campaign": f"Marketing → end {self.name}",
            "ship_orders": "Orders → ship every order awaiting shipment (tracking numbers)",
            "cancel_orders": "Orders → cancel every order awaiting shipment",
            "notify_customers": "Close or pause the account → notify customers",
            "request_deletion": "Close the account → password, tick the box, request deletion",
            "confirm_deletion": "Inbox → open the confirmation email → confirm the deletion",
            "cancel_deletion": "Cancel the deletion (banner on every page)",
            "deactivate": "Close or pause the account → deactivate",
            "reactivate": "Close or pause the account → reactivate",
            "change_listing": f"Products → mark {self.sku} {self.status}",
            "remove_app_access": f"Account Settings → Connected apps → remove {self.app}",
            "grant_app_access": f"Account Settings → Connected apps → grant {self.app}",
        }
        text = texts[self.do]
        if self.by == "staff":
            admin = {
                "cancel_deletion": "Support desk → the seller's case → cancel the deletion, "
                f"with the reason: {self.reason}",
                "advance_clock": f"Support desk → the sandbox → move its clock {span}",
            }
            text = admin.get(self.do, f"Support admin → {text}")
        return text
