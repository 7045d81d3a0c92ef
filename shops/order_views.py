"""The orders list, one order's page, and shipping or cancelling orders one at a time or many.

A bulk action shows what it will do first (the confirmation names the orders and the count),
then runs the same per-order services in one transaction and reports each refusal.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import DecimalField, F, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lifecycle import selectors
from lifecycle.models import TimelineEvent
from lifecycle.web import (
    SandboxRequest,
    act,
    actor,
    bad_input,
    confirm,
    page,
    same_site_path,
    sandbox_page,
    show_messages,
)
from lifecycle.wording import count
from shops.forms import ShipForm
from shops.models import Order, OrderStatus
from shops.services import cancel_order, cancel_orders, ship_order, ship_orders
from shops.services.orders_bulk import BulkResult, carrier_tracking_number

PAGE_SIZE = 50
# What each bulk action is called on the page: (service, past tense, button verb).
BULK: dict[str, tuple[Callable[..., BulkResult], str, str]] = {
    "ship": (ship_orders, "shipped", "Ship"),
    "cancel": (cancel_orders, "cancelled", "Cancel"),
}
NOTHING_SELECTED = "Select the orders to ship or cancel first."


def _linked(request: SandboxRequest) -> list[int]:
    if not hasattr(request, "_linked_shop_ids"):
        request._linked_shop_ids = selectors.linked_shop_ids(request.account)
    return request._linked_shop_ids


def _with_totals(orders):
    return orders.annotate(
        total=Sum(
            F("lines__quantity") * F("lines__unit_price"),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
        item_count=Sum("lines__quantity"),
    )


def _orders_page(request: SandboxRequest, forms: dict | None = None) -> HttpResponse:
    status = request.GET.get("status", "")
    orders = _with_totals(
        Order.objects.filter(account=request.account, shop_id__in=_linked(request)).select_related(
            "customer", "shop"
        )
    ).order_by("-placed_at", "-id")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    paginated = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request,
        "shops/orders.html",
        {
            "nav": "orders",
            "page_obj": paginated,
            "status": status,
            "statuses": OrderStatus.choices,
            "linked": bool(_linked(request)),
            "ship_errors": forms or {},
            "can_bulk": any(o.status == OrderStatus.AWAITING_SHIPMENT for o in paginated),
        },
    )


orders = sandbox_page(_orders_page)


def _order(request: SandboxRequest, order_id: int) -> Order:
    return get_object_or_404(Order, pk=order_id, account=request.account)


def _orders_url(request: SandboxRequest) -> str:
    url = reverse("orders", args=[request.sandbox.pk])
    status = request.POST.get("return_status") or request.GET.get("return_status")
    return f"{url}?status={status}" if status in OrderStatus.values else url


def _back(request: SandboxRequest) -> str:
    """Where a form sends the trainee back: the order's own page, or the orders list."""
    return same_site_path(request, request.POST.get("next")) or _orders_url(request)


# --- One order ------------------------------------------------------------------------------


def _detail_page(request: SandboxRequest, order: Order, form: ShipForm | None = None):
    order = _with_totals(Order.objects.filter(pk=order.pk)).select_related("customer").get()
    history = (
        TimelineEvent.objects.for_seller()
        .filter(account=request.account, subject_type="order", subject_id=order.pk)
        .order_by("id")
    )
    return page(
        request,
        "shops/order_detail.html",
        {
            "nav": "orders",
            "order": order,
            "lines": order.lines.all(),
            "history": list(history),
            "form": form or ShipForm(),
            "linked": order.shop_id in _linked(request),
        },
    )


@sandbox_page
def order_detail(request: SandboxRequest, order_id: int) -> HttpResponse:
    return _detail_page(request, _order(request, order_id))


def _refused_page(request: SandboxRequest, order: Order, form: ShipForm | None = None):
    """The page the form lives on, again: the order's own page or the orders list."""
    if same_site_path(request, request.POST.get("next")):
        return _detail_page(request, order, form)
    return _orders_page(request, {order.pk: form} if form else None)


@sandbox_page
@require_POST
def ship(request: SandboxRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id)
    form = ShipForm(request.POST)
    if not form.is_valid():
        return bad_input(request, lambda: _refused_page(request, order, form))
    return act(
        request,
        ship_order,
        order=order,
        tracking_number=form.cleaned_data["tracking_number"],
        done=f"Order #{order.number} shipped.",
        success_url=_back(request),
        refused=lambda: _refused_page(request, order),
    )


@sandbox_page
def cancel(request: SandboxRequest, order_id: int) -> HttpResponse:
    order = _order(request, order_id)
    back = same_site_path(request, request.GET.get("next")) or _orders_url(request)
    if request.method != "POST":
        return confirm(
            request,
            title=f"Cancel order #{order.number}?",
            consequences=[
                "The customer is told the order will not arrive.",
                "A cancelled order cannot be shipped later.",
            ],
            button="Cancel the order",
            cancel_url=back,
            hidden={
                "return_status": request.GET.get("return_status", ""),
                "next": same_site_path(request, request.GET.get("next")),
            },
            context={"nav": "orders"},
        )
    return act(
        request,
        cancel_order,
        order=order,
        done=f"Order #{order.number} cancelled.",
        success_url=_back(request),
        refused=lambda: _refused_page(request, order),
    )


# --- Many orders ----------------------------------------------------------------------------


def _selected(request: SandboxRequest, data) -> list[Order]:
    """The trainee's own orders named in the request, in the order they were named."""
    raw = data.getlist("order") or (data.get("orders") or "").split(",")
    ids = list(dict.fromkeys(int(v) for v in raw if v.strip().isdigit()))
    found = Order.objects.filter(account=request.account, pk__in=ids).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def _preview(request: SandboxRequest, move: str, chosen: list[Order]) -> HttpResponse:
    _service, done, verb = BULK[move]
    able = [o for o in chosen if o.status == OrderStatus.AWAITING_SHIPMENT]
    left = [o for o in chosen if o.status != OrderStatus.AWAITING_SHIPMENT]
    if not able:
        message = f"None of the selected orders is awaiting shipment: nothing to {verb.lower()}."
        return bad_input(request, lambda: _orders_page(request), message)
    numbers = ", ".join(f"#{o.number}" for o in able)
    n = len(able)  # only these are sent on: the others are shown as left as they are
    what = {
        "ship": [
            ngettext("Order %(list)s is marked shipped", "Orders %(list)s are marked shipped", n)
            % {"list": numbers},
            "Each gets its own tracking number from the carrier's label (like LS123456785GB), "
            "so its customer can follow the parcel.",
            "A shipped order can no longer be cancelled.",
        ],
        "cancel": [
            ngettext("Order %(list)s is cancelled", "Orders %(list)s are cancelled", n)
            % {"list": numbers},
            "Their customers are told the orders will not arrive.",
            "A cancelled order cannot be shipped later.",
        ],
    }[move]
    what += [f"#{o.number} is {o.get_status_display().lower()}: it is left as it is." for o in left]
    orders = count(n, "order")
    # The labels are printed now: confirming the same form twice then ships nothing twice.
    labels = {}
    if move == "ship":
        labels["tracking"] = ",".join(carrier_tracking_number() for _ in able)
    return confirm(
        request,
        title=f"{verb} {orders}?",
        consequences=what,
        button=f"{verb} {orders}",
        cancel_url=_orders_url(request),
        hidden={
            "action": move,
            "orders": ",".join(str(o.pk) for o in able),
            "count": str(n),
            "return_status": request.GET.get("return_status", ""),
            **labels,
        },
        danger=move == "cancel",
        context={"nav": "orders"},
    )


def _tracking_numbers(data, chosen: list[Order]) -> dict:
    """The labels the confirmation printed, one per order in the order they were named."""
    numbers = [n.strip() for n in (data.get("tracking") or "").split(",")]
    named = [int(v) for v in (data.get("orders") or "").split(",") if v.strip().isdigit()]
    if len(numbers) != len(named) or not all(numbers):
        return {}  # none, or not the preview's: each order gets a new number
    return {"tracking_numbers": dict(zip(named, numbers, strict=True))}


@sandbox_page
def bulk_orders(request: SandboxRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    move = data.get("action", "")
    chosen = _selected(request, data) if move in BULK else []
    if not chosen:
        return bad_input(request, lambda: _orders_page(request), NOTHING_SELECTED)
    if request.method != "POST":
        return _preview(request, move, chosen)
    if data.get("count") != str(len(chosen)):
        message = "The selection changed since it was shown: check it and confirm again."
        return bad_input(request, lambda: _orders_page(request), message)
    service, done, _verb = BULK[move]
    numbers = _tracking_numbers(data, chosen) if move == "ship" else {}
    result = service(actor=actor(request), orders=chosen, **numbers)
    if result.done:
        n = len(result.done)
        messages.success(request, f"{count(n, 'order')} {done}.")
    for _order_row, error in result.refused:
        messages.error(request, error.message)
    if not result.done:
        response = _orders_page(request)
        response.status_code = 409
        return show_messages(request, response)
    return redirect(_orders_url(request))
