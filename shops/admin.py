"""Support admin for shops, their link history and the commerce data (RULEBOOK §2–§3).

Listing, order, inquiry and campaign states change through the Seller Center's own actions, so
they are read-only here; names, prices, stock and addresses stay editable as plain data.
"""

from typing import Any

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse

from lifecycle.admin import ReadOnlyInline, SupportAdmin, ViewOnlyAdmin, sandbox_time_column
from lifecycle.services import unlink_shop
from lifecycle.services.support import act_for_seller
from lifecycle.support import previews
from lifecycle.support.actions import StaffAction, staff_action
from lifecycle.transitions import Action

from .models import Campaign, Customer, Inquiry, Order, OrderLine, Product, Shop, ShopLink


def unlink_action(title: str, *, override: bool) -> StaffAction:
    def run(shop: Shop, actor, message: str) -> str:
        link = shop.live_link()
        if link is None:
            return "not linked to any account; nothing to unlink."
        _, sent = act_for_seller(
            actor=actor,
            account=link.account,
            action=Action.UNLINK_SHOP,
            run=lambda: unlink_shop(
                actor=actor, account=link.account, shop=shop, confirmed=True, override=override
            ),
            message=message,
        )
        told = " The seller was told by email." if sent else ""
        return f"unlinked from {link.account}.{told}"

    return StaffAction(
        title=title,
        preview=lambda shop: previews.unlink(shop, override=override),
        run=run,
        tell_seller=True,
        destructive=True,
        records=Action.UNLINK_SHOP,
        rights=("shops.unlink_shop", "shops.override_unlink_limits_shop")
        if override
        else ("shops.unlink_shop",),
    )


UNLINK = unlink_action("Unlink shop from its seller account", override=False)
UNLINK_OVERRIDE = unlink_action("Unlink past the limits (override)", override=True)


class ShopLinkInline(ReadOnlyInline):
    """The link history: links change only through link, unlink and relink."""

    model = ShopLink
    fields = readonly_fields = ("account", "linked_at", "unlinked_at")
    show_change_link = True


@admin.register(Shop)
class ShopAdmin(SupportAdmin):
    list_display = ("name", "sandbox", "linked_to")
    list_filter = ("sandbox__is_demo",)
    search_fields = ("name", "sandbox__name", "links__account__display_name")
    list_select_related = ("sandbox",)
    raw_id_fields = ("sandbox",)
    lifecycle_fields = ("created_at",)
    fixed_after_create = ("sandbox", "name")  # the trainee's name for it
    inlines = (ShopLinkInline,)
    actions = ("unlink", "unlink_override")
    staff_actions = {"unlink": UNLINK, "unlink_override": UNLINK_OVERRIDE}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        live = ShopLink.objects.live().filter(shop=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(linked_account=Subquery(live.values("account__display_name")[:1]))
        )

    @admin.display(description="Linked to", ordering="linked_account")
    def linked_to(self, shop: Shop) -> str:
        return shop.linked_account or "– (not linked)"  # type: ignore[attr-defined]  # annotated

    def case_url(self, shop: Shop) -> str:
        link = shop.live_link()
        account = link.account if link else shop.sandbox.account
        return reverse("support:case", args=[account.pk]) if account else ""

    def staff_buttons(self, request: HttpRequest, shop: Shop) -> list[dict[str, Any]]:
        if shop.live_link() is None:
            return []  # nothing to unlink: not offered
        return self.buttons_for(
            request, ["unlink", "unlink_override"], destructive=("unlink", "unlink_override")
        )

    def has_unlink_permission(self, request: HttpRequest) -> bool:
        return UNLINK.allowed(request.user)

    def has_unlink_override_permission(self, request: HttpRequest) -> bool:
        return UNLINK_OVERRIDE.allowed(request.user)

    @admin.action(description=UNLINK.title, permissions=["unlink"])
    def unlink(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, UNLINK)

    @admin.action(description=UNLINK_OVERRIDE.title, permissions=["unlink_override"])
    def unlink_override(self, request: HttpRequest, queryset: QuerySet):
        return staff_action(self, request, queryset, UNLINK_OVERRIDE)


@admin.register(ShopLink)
class ShopLinkAdmin(ViewOnlyAdmin):
    list_display = (
        "shop",
        "account",
        sandbox_time_column("linked_at", "Linked"),
        sandbox_time_column("unlinked_at", "Unlinked"),
    )
    list_filter = (("unlinked_at", admin.EmptyFieldListFilter),)
    search_fields = ("shop__name", "account__display_name")
    list_select_related = ("shop", "account")


@admin.register(Product)
class ProductAdmin(ViewOnlyAdmin):
    list_display = ("title", "sku", "account", "shop", "price", "stock", "listing_status")
    list_filter = ("listing_status",)
    search_fields = ("title", "sku", "account__display_name")
    list_select_related = ("account", "shop")
    raw_id_fields = ("account", "shop")
    fixed_after_create = ("account", "shop")


@admin.register(Customer)
class CustomerAdmin(ViewOnlyAdmin):
    list_display = ("name", "email", "account", "created_at")
    search_fields = ("name", "email", "account__display_name")
    list_select_related = ("account",)
    raw_id_fields = ("account",)
    fixed_after_create = ("account",)


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = readonly_fields = ("product", "title", "quantity", "unit_price")


@admin.register(Order)
class OrderAdmin(ViewOnlyAdmin):
    list_display = ("__str__", "account", "customer", "status", "placed_at", "tracking_number")
    list_filter = ("status",)
    search_fields = ("=number", "customer__name", "tracking_number", "account__display_name")
    list_select_related = ("account", "customer")
    raw_id_fields = ("account", "shop", "customer")
    lifecycle_fields = ("tracking_number", "shipped_at", "delivered_at")
    fixed_after_create = ("account", "shop", "customer", "number", "placed_at")
    inlines = (OrderLineInline,)


@admin.register(OrderLine)
class OrderLineAdmin(ViewOnlyAdmin):
    list_display = ("__str__", "order", "unit_price")
    search_fields = ("title",)
    list_select_related = ("order",)


@admin.register(Inquiry)
class InquiryAdmin(ViewOnlyAdmin):
    list_display = ("__str__", "account", "received_at", "replied_at")
    search_fields = ("message", "customer__name", "account__display_name")
    list_select_related = ("account", "customer")
    raw_id_fields = ("account", "customer")
    lifecycle_fields = ("reply",)
    fixed_after_create = ("account", "customer", "received_at")


@admin.register(Campaign)
class CampaignAdmin(ViewOnlyAdmin):
    list_display = ("name", "account", "shop", "budget", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("name", "account__display_name")
    list_select_related = ("account", "shop")
    raw_id_fields = ("account", "shop")
    fixed_after_create = ("account", "shop", "created_at")
