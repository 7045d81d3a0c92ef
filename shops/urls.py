from django.urls import path

from . import link_views, order_views, product_views, views

S = "s/<int:sandbox_id>/"

urlpatterns = [
    path(S + "products/", product_views.products, name="products"),
    path(
        S + "products/<int:product_id>/status/",
        product_views.product_status,
        name="product_status",
    ),
    path(S + "products/<int:product_id>/edit/", product_views.edit_product, name="edit_product"),
    path(S + "orders/", order_views.orders, name="orders"),
    path(S + "orders/bulk/", order_views.bulk_orders, name="bulk_orders"),
    path(S + "orders/<int:order_id>/", order_views.order_detail, name="order_detail"),
    path(S + "orders/<int:order_id>/ship/", order_views.ship, name="ship_order"),
    path(S + "orders/<int:order_id>/cancel/", order_views.cancel, name="cancel_order"),
    path(S + "customers/", views.customers, name="customers"),
    path(S + "inquiries/<int:inquiry_id>/reply/", views.reply, name="reply_inquiry"),
    path(S + "marketing/", views.campaigns, name="campaigns"),
    path(S + "marketing/new/", views.campaign_create, name="create_campaign"),
    path(
        S + "marketing/<int:campaign_id>/<str:move>/",
        views.campaign_move,
        name="move_campaign",
    ),
    path(S + "analytics/", views.analytics, name="analytics"),
    path(S + "settings/links/", link_views.linked_accounts, name="linked_accounts"),
    path(S + "settings/links/<int:shop_id>/link/", link_views.link, name="link_shop"),
    path(S + "settings/links/<int:shop_id>/unlink/", link_views.unlink, name="unlink_shop"),
]
