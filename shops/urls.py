from django.urls import path

from . import link_views, views

S = "s/<int:sandbox_id>/"

urlpatterns = [
    path(S + "products/", views.products, name="products"),
    path(S + "products/<int:product_id>/status/", views.product_status, name="product_status"),
    path(S + "orders/", views.orders, name="orders"),
    path(S + "orders/<int:order_id>/ship/", views.ship, name="ship_order"),
    path(S + "orders/<int:order_id>/cancel/", views.cancel, name="cancel_order"),
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
