"""What every Seller Center view shares: the sandbox lookup, the layout and the refusal path.

The one place that turns a LifecycleError into what the trainee sees is `run`: a message and,
when the action was refused, status 409 (400 for missing input) on the page the form lives on.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import AccountStatus, Sandbox, SellerAccount, User
from lifecycle.errors import Code, LifecycleError

from .selectors.layout import sandbox_account
from .services import Actor

# Refusals of what was typed or sent (400), not of the state things are in (409).
BAD_INPUT = frozenset(
    {
        Code.INPUT_REQUIRED,
        Code.UNKNOWN_CATEGORY,
        Code.UNKNOWN_TYPE,
        Code.UNKNOWN_LISTING_STATUS,
        Code.UNKNOWN_APP,
        Code.UNKNOWN_SOUND,
    }
)


class SignedInRequest(HttpRequest):
    """A request of a `login_required` view (for the type checker): its user is signed in."""

    user: User


class SandboxRequest(HttpRequest):
    """A request of a `sandbox_page` view, which loaded the trainee's sandbox and its account
    onto it (for the type checker; at run time it is Django's request)."""

    sandbox: Sandbox
    account: SellerAccount
    _linked_shop_ids: list[int]  # the shops linked now, read once per request (shops.views)


def sandbox_page(view: Callable | None = None, *, allow_deleted: bool = False) -> Callable:
    """Load the trainee's own sandbox and its account, or 404; deleted accounts see one page.

    Every lookup filters by owner=request.user, so another trainee's sandbox is simply absent.
    """

    def decorate(fn: Callable) -> Callable:
        @login_required
        @functools.wraps(fn)
        def wrapped(request: SandboxRequest, sandbox_id: int, *args: Any, **kwargs: Any):
            account = sandbox_account(request.user, sandbox_id)  # one query for both
            if account is None:
                raise Http404("No sandbox of yours with a seller account has this number.")
            sandbox = account.sandbox
            request.sandbox, request.account = sandbox, account
            if account.status == AccountStatus.DELETED and not allow_deleted:
                if wants_partial(request):  # a polled region: navigate, do not swap a page in
                    return HttpResponseClientRedirect(reverse("account_deleted", args=[sandbox.pk]))
                return redirect("account_deleted", sandbox.pk)
            return fn(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def sends_file(
    view: Callable | None = None, *, available: Callable[..., bool] | None = None
) -> Callable:
    """Mark a view that answers with a file (an attachment), and keep htmx from fetching it.

    A file fetched by htmx (a boosted link) replaces the page with its bytes and is never saved.
    Links to such views carry `download` and `data-hx-boost="false"`; should an htmx request come
    anyway, it is answered 204 with HX-Redirect to the same address, so the browser navigates
    there and saves the file. Nothing is sent, so the view (and what it records) does not run.
    `available(**url_kwargs)` says whether the file can be sent now: when it cannot, a link to it
    is an ordinary link to the page saying why (a `download` link would only fail to save).
    """

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request, "htmx", None):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = request.get_full_path()
                return response
            return fn(request, *args, **kwargs)

        wrapped.sends_file = True  # type: ignore[attr-defined]
        wrapped.file_available = available  # type: ignore[attr-defined]
        return wrapped

    return decorate(view) if view is not None else decorate


def links_to_file(url: str) -> bool:
    """Whether `url` (a path of this site) is answered with a file now, by a `sends_file` view."""
    try:
        match = resolve(url.split("?", 1)[0].split("#", 1)[0])
    except Resolver404:
        return False
    if not getattr(match.func, "sends_file", False):
        return False
    available = getattr(match.func, "file_available", None)
    return available is None or bool(available(**match.kwargs))


# The sandboxes whose close-account checklist the trainee opened: while the account can still
# ask for its deletion, every page offers the way back to that checklist.
PREPARING_DELETION = "preparing-deletion"
CAN_REQUEST = (AccountStatus.ACTIVE, AccountStatus.DEACTIVATED)


def mark_preparing_deletion(request: SandboxRequest) -> None:
    preparing = request.session.get(PREPARING_DELETION, [])
    if request.sandbox.pk not in preparing:
        request.session[PREPARING_DELETION] = [*preparing, request.sandbox.pk]


def forget_preparing_deletion(request: SandboxRequest) -> None:
    """The trainee cancelled the deletion: they are not closing the account after all."""
    preparing = request.session.get(PREPARING_DELETION, [])
    if request.sandbox.pk in preparing:
        request.session[PREPARING_DELETION] = [pk for pk in preparing if pk != request.sandbox.pk]


def preparing_deletion(request: HttpRequest, sandbox: Sandbox, account: SellerAccount) -> bool:
    """Whether the trainee is getting the account ready for a deletion request."""
    session = getattr(request, "session", None)
    if session is None or sandbox.pk not in session.get(PREPARING_DELETION, []):
        return False
    return account.status in CAN_REQUEST


def actor(request: HttpRequest) -> Actor:
    """The signed-in trainee who acts (every page that acts needs a sign-in)."""
    if not isinstance(request.user, User):
        raise PermissionDenied("Sign in to act in a sandbox.")
    return Actor.trainee(request.user)


def wants_partial(request: HttpRequest) -> bool:
    """A targeted htmx request (not a boosted page load, not a history restore)."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.boosted and not htmx.history_restore_request


def page(
    request: SandboxRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render a Seller Center page, or only its named partial for a targeted htmx request.

    The layout's context comes from `lifecycle.context_processors.seller_center`.
    """
    context = dict(context or {})
    if partial and wants_partial(request):
        # The layout is not rendered, but a refused control in the partial says when it
        # changes relative to the sandbox clock, as on the whole page.
        context = {
            "sandbox": request.sandbox,
            "account": request.account,
            "sandbox_now": request.sandbox.now(),
            **context,
        }
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)


def run(
    request: HttpRequest, service: Callable, *, done: str | Callable[[Any], str] = "", **kwargs: Any
):
    """Call one service as the signed-in trainee; report the result as a message.

    `done` is the success message, or a function of the result that returns it.
    Returns (result, None) or (None, error). The caller answers with `after`.
    """
    try:
        result = service(actor=actor(request), **kwargs)
    except LifecycleError as err:
        # Tagged with its code: the message links to the rule behind it ("Why?").
        messages.error(request, err.message, extra_tags=f"refusal {err.code}")
        return None, err
    text = done(result) if callable(done) else done
    if text:
        messages.success(request, text)
    return result, None


def show_messages(request: HttpRequest, response: HttpResponse, address: str = "") -> HttpResponse:
    """A boosted form answered with the page again: scroll to the message saying why.

    Boosted swaps keep the scroll position (htmx-config), so a refusal of a form at the bottom of
    a long page would otherwise appear above the screen, out of sight. `address` is the page the
    refusal shows when it is not the page the form lives on (RefusalKeepsItsPage's default).
    """
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.boosted:
        response["HX-Reswap"] = "innerHTML show:#messages:top"
    if htmx and address:
        response["HX-Replace-Url"] = address
    return response


# The 4xx answers htmx puts on screen (base.html's htmx-config), and the headers by which an
# answer already says what the address bar shows.
SWAPPED_REFUSALS = frozenset({400, 403, 404, 409})
HISTORY_HEADERS = ("HX-Push-Url", "HX-Replace-Url", "HX-Redirect", "HX-Location", "HX-Refresh")


class RefusalKeepsItsPage:
    """Middleware: a form refused to htmx keeps the address of its page, for every form.

    htmx shows a boosted form's answer at the URL it was posted to, so a refusal rendered there
    (409, 400) left a POST-only address in the address bar that answers 405 on reload. The
    answer names the address instead: the page the form lives on (htmx's HX-Current-URL, a path
    of this site), or "false" (the address bar stays as it is). Status and message are kept,
    and a reload asks for the page with nothing sent again. A plain form post (no JavaScript)
    is left to the browser, which offers to send it again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        htmx = getattr(request, "htmx", None)
        if (
            htmx
            and request.method not in ("GET", "HEAD")
            and response.status_code in SWAPPED_REFUSALS
            and not any(header in response for header in HISTORY_HEADERS)
        ):
            response["HX-Replace-Url"] = (
                same_site_path(request, htmx.current_url_abs_path) or "false"
            )
        return response


def refusal_status(error: LifecycleError) -> int:
    return 400 if error.code in BAD_INPUT else 409


def after(
    request: HttpRequest,
    error: LifecycleError | None,
    *,
    success_url: str,
    refused: Callable[[], HttpResponse],
    address: str = "",
) -> HttpResponse:
    """Redirect after success (post/redirect/get); re-render the page with 4xx when refused.

    `address`: the page `refused` shows, when the form also lives on others (the clock's)."""
    if error is None:
        return redirect(success_url)
    response = refused()
    response.status_code = refusal_status(error)
    return show_messages(request, response, address)


def act(
    request: HttpRequest,
    service: Callable,
    *,
    success_url: str,
    refused: Callable[[], HttpResponse],
    done: str | Callable[[Any], str] = "",
    address: str = "",
    **kwargs: Any,
) -> HttpResponse:
    """The whole of a mutating view: one service, then redirect, or the page again with 4xx."""
    _, error = run(request, service, done=done, **kwargs)
    return after(request, error, success_url=success_url, refused=refused, address=address)


def bad_input(
    request: HttpRequest,
    refused: Callable[[], HttpResponse],
    message: str = "Check the highlighted fields and try again.",
    address: str = "",
) -> HttpResponse:
    """A form that did not validate: the page again, its fields marked, with status 400."""
    messages.error(request, message)
    response = refused()
    response.status_code = 400
    return show_messages(request, response, address)


def same_site_path(request: HttpRequest, value: str | None) -> str:
    """`value` when it is a path on this site (where a form may send the trainee back), else "".

    Only a path is taken: anything else (a URL name, "true", another site) would be followed
    by redirect() or the browser somewhere it should not.
    """
    value = value or ""
    if not value.startswith("/") or value.startswith("//"):
        return ""
    safe = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if safe else ""


def confirm(
    request: SandboxRequest,
    *,
    title: str,
    consequences: list[str],
    button: str,
    cancel_url: str,
    hidden: dict[str, str] | None = None,
    danger: bool = True,
    extra: str = "",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The confirmation step of a destructive action: it names what will happen.

    Shown on GET of the action's own URL; its form posts back to the same URL.
    """
    return page(
        request,
        "confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "button": button,
            "cancel_url": cancel_url,
            "hidden": hidden or {},
            "danger": danger,
            "extra": extra,
            **(context or {}),
        },
        partial="partials/confirm_dialog.html",
    )
