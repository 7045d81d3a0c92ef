"""Every Seller Center page follows the background work of its sandbox without a reload.

A finalization, a lapse, an export becoming ready or an email arriving is done by a job while
the trainee looks at a page rendered before it. The layout carries the sandbox's version as it
was rendered (`selectors.sandbox_version`, read in a query the layout makes anyway), and a
hidden element polls `changes` with it. Unchanged: 204, nothing happens. Changed: the answer
triggers `sandbox-changed`, on which static/seller.js fetches the page again and swaps it in
(or, while the trainee is filling in a form, offers to). A page whose account was deleted
meanwhile redirects to the deleted page, which the script follows.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from .selectors import sandbox_version
from .web import SandboxRequest, sandbox_page

CHANGED = "sandbox-changed"  # the event static/seller.js listens for


@sandbox_page(allow_deleted=True)
@require_GET  # inside the sign-in check, so a signed-out visitor is sent to sign in first
def changes(request: SandboxRequest) -> HttpResponse:
    """204 while the sandbox is as the page saw it (`?seen=`); otherwise an empty answer that
    triggers CHANGED on the polling element. One query beside the sign-in's."""
    if request.GET.get("seen", "") == str(sandbox_version(request.sandbox.pk)):
        return HttpResponse(status=204)
    response = HttpResponse(status=200)
    response["HX-Trigger"] = CHANGED
    return response
