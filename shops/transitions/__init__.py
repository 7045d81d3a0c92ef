"""The shops app's machines: a shop's link, its orders, inquiries and campaigns, a product's
listing. Registered when this package is imported (`ShopsConfig.ready()`); the ranks order the
account's pages (`lifecycle.transitions.registry`)."""

from lifecycle.transitions.registry import register

from . import link, product, shop

register(*link.MACHINES, transitions=link.TRANSITIONS, other=link.CAUSED, rank=10)
register(*product.MACHINES, transitions=(product.CHANGE_LISTING,), rank=40)
register(*shop.MACHINES, transitions=shop.TRANSITIONS, rank=80)
register(transitions=(product.EDIT_PRODUCT,), rank=90)
