"""Support admin for trainees, sandboxes, seller accounts and app authorizations (RULEBOOK §1).

One module per noun; the admin site itself is named after the simulator here.
"""

from django.contrib import admin

from . import sandboxes, seller_accounts, users  # noqa: F401  (registers the admins)

admin.site.site_header = "Seller Lifecycle Simulator: support desk"
admin.site.site_title = "Seller Lifecycle Simulator support"
admin.site.index_title = "Support desk"
# The Seller Center is the trainees'; support works here and creates no sandboxes of its own.
admin.site.site_url = None
