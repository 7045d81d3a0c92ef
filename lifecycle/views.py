"""Home, the clock, the close-account flow, exports, inbox, timeline and the lifecycle map."""

from datetime import timedelta
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import AccountStatus
from lifecycle import selectors
from lifecycle.conf import setting
from lifecycle.datetimes import when
from lifecycle.forms import CloseAccountForm, TimelineFilter
from lifecycle.jobs import broker_ok
from lifecycle.models import ExportJob, ExportStatus, InboxMessage, TimelineEvent
from lifecycle.services import (
    advance_clock,
    cancel_deletion,
    open_request,
    queue_customer_notice,
    request_deletion,
    request_export,
    retry_export,
)
from lifecycle.services.clock import parse_reading
from lifecycle.services.deletion import deletion_checklist
from lifecycle.services.exports import queued_message
from lifecycle.web import (
    SandboxRequest,
    act,
    actor,
    after,
    bad_input,
    forget_preparing_deletion,
    links_to_file,
    mark_preparing_deletion,
    page,
    run,
    same_site_path,
    sandbox_page,
    wants_partial,
)
from lifecycle.wording import count

TIMELINE_PAGE_SIZE = 25
CLOCK_STEPS = {key: delta for key, _, delta in selectors.CLOCK_STEPS}


def _dashboard_page(request: SandboxRequest) -> HttpResponse:
    counts = selectors.dashboard_counts(request.account)  # one query, the linked shops too
    return page(
        request,
        "lifecycle/dashboard.html",
        {
            "nav": "home",
            "counts": counts,
            "linked_shops": counts["linked_shops"],
            "recent_events": TimelineEvent.objects.for_seller().filter(sandbox=request.sandbox)[:5],
        },
    )


dashboard = sandbox_page(_dashboard_page)


@sandbox_page
@require_POST
def clock(request: SandboxRequest) -> HttpResponse:
    # Everything the move depends on is checked before it is made: nothing is half-applied.
    key = request.POST.get("by", "")
    # A refused move shows the dashboard, whichever page the clock was on: its address too.
    home = reverse("dashboard", args=[request.sandbox.pk])
    back = same_site_path(request, request.POST.get("next")) or home
    reading = parse_reading(request.POST.get("reading"))
    if reading is None:
        message = "This clock is out of date: reload the page and try again."
        return bad_input(request, lambda: _dashboard_page(request), message, address=home)
    kwargs: dict[str, Any] = (
        {"to_next": True} if key == "next" else {"by": CLOCK_STEPS.get(key, timedelta(0))}
    )
    return act(
        request,
        advance_clock,
        sandbox=request.sandbox,
        reading=reading,
        done=lambda sandbox: f"The clock now reads {when(sandbox.now())}.",
        success_url=back,
        refused=lambda: _dashboard_page(request),
        address=home,
        **kwargs,
    )


# --- Close the account ----------------------------------------------------------------------


def _close_page(request: SandboxRequest, form: CloseAccountForm | None = None) -> HttpResponse:
    account = request.account
    mark_preparing_deletion(request)  # the other pages now offer the way back here
    preview = selectors.close_account_preview(account)  # one query, the notice's counts too
    checklist = deletion_checklist(account)  # the checklist's and the request's guards' own
    # The layout has read the open request already (a targeted partial has no layout).
    request_open = (
        open_request(account)
        if wants_partial(request)
        else selectors.request_layout(request)["open_deletion"]
    )
    return page(
        request,
        "lifecycle/close_account.html",
        {
            "nav": "settings",
            "tab": "close",
            "checklist": selectors.close_checklist(account, checklist),
            "preview": preview,
            "form": form or CloseAccountForm(),
            "request_open": request_open,
            # Asked of the declared guards, on the rows this page read already.
            "deletion_offer": selectors.deletion_offer(
                account, actor=actor(request), request=request_open, checklist=checklist
            ),
            "announcement_pending": preview["announcement_pending"],
            "recipients": preview["recipients"],
        },
        partial="lifecycle/partials/close_checklist.html",
    )


# The checklist, the preview, the alternatives and the request form (RULEBOOK §5).
close_account = sandbox_page(_close_page)


@sandbox_page
@require_POST
def close_account_request(request: SandboxRequest) -> HttpResponse:
    form = CloseAccountForm(request.POST)
    form.is_valid()  # both fields are optional; the service gives the refusal sentences
    return act(
        request,
        request_deletion,
        account=request.account,
        password=form.cleaned_data.get("password", ""),
        acknowledged=form.cleaned_data.get("acknowledged", False),
        done=_requested_message,
        success_url=reverse("close_requested", args=[request.sandbox.pk]),
        # What was ticked stays ticked; only the password is asked for again (never echoed).
        refused=lambda: _close_page(
            request, CloseAccountForm(initial={"acknowledged": form.cleaned_data["acknowledged"]})
        ),
    )


def _requested_message(deletion) -> str:
    """As the exports page does: say when the email could not be queued yet (broker down)."""
    dispatch = getattr(deletion, "dispatch", None)
    if dispatch is not None and dispatch.unavailable:
        return (
            "Deletion requested. Background jobs are unavailable right now, so the confirmation "
            "email is queued: it lands in your inbox as soon as they are back; nothing is lost."
        )
    return "Deletion requested: open the email in your inbox to confirm it."


@sandbox_page
def close_requested(request: SandboxRequest) -> HttpResponse:
    """ "Check your inbox": the request waits for the emailed link, sent or still queued."""
    deletion = open_request(request.account)
    waiting = deletion is not None and deletion.confirmation_sent_at is None
    return page(
        request,
        "lifecycle/close_requested.html",
        {
            "nav": "settings",
            "request_open": deletion,
            "email_waiting": waiting,
            "jobs_down": waiting and not broker_ok(),
        },
    )


@sandbox_page
@require_POST
def notify(request: SandboxRequest) -> HttpResponse:
    """Queue the announcement to recent customers; a job sends it (RULEBOOK §5)."""
    return act(
        request,
        queue_customer_notice,
        account=request.account,
        done=lambda event: (
            "The announcement is on its way to "
            f"{count(event.params.get('recipients', 0), 'customer')}; copies land in your inbox."
        ),
        success_url=reverse("close_account", args=[request.sandbox.pk]) + "#notify",
        refused=lambda: _close_page(request),
    )


@sandbox_page
@require_POST
def cancel(request: SandboxRequest) -> HttpResponse:
    _, error = run(
        request,
        cancel_deletion,
        account=request.account,
        done="Deletion cancelled: the account is back as it was and the emailed link no "
        "longer works.",
    )
    if error is None:
        # Not closing after all: the pages stop offering the way back to the checklist, and
        # the trainee lands on Home, not on the checklist (which would offer it again).
        forget_preparing_deletion(request)
    return after(
        request,
        error,
        success_url=reverse("dashboard", args=[request.sandbox.pk]),
        refused=lambda: _close_page(request),
        address=reverse("close_account", args=[request.sandbox.pk]),  # the banner's is on all
    )


@sandbox_page(allow_deleted=True)
def account_deleted(request: SandboxRequest) -> HttpResponse:
    """What the owner of a deleted account sees instead of the Seller Center."""
    if request.account.status != AccountStatus.DELETED:
        return redirect("dashboard", request.sandbox.pk)
    return page(request, "lifecycle/deleted.html", {"nav": "", "on_deleted_page": True})


# --- Lifecycle map ("You are here") ---------------------------------------------------------


@sandbox_page(allow_deleted=True)  # a deleted account's map shows where it ended
def lifecycle_map(request: SandboxRequest) -> HttpResponse:
    account = request.account
    return page(
        request,
        "lifecycle/lifecycle_map.html",
        {
            "nav": "map",
            "diagram": selectors.state_diagram(account),
            "actions": selectors.available_actions(account),
        },
    )


# --- Exports --------------------------------------------------------------------------------


def _exports_page(request: SandboxRequest) -> HttpResponse:
    account = request.account
    return page(
        request,
        "lifecycle/exports.html",
        {
            "nav": "exports",
            "jobs": selectors.with_flight_words(
                selectors.with_retry_offers(
                    account,
                    list(ExportJob.objects.filter(account=account)[:20]),
                    actor=actor(request),
                )
            ),
            "max_resends": setting("EXPORT_MAX_RESENDS"),
            # Asked of the declared guards, so the page says what the request would answer.
            "export_offer": selectors.export_offer(account, actor=actor(request)),
        },
    )


exports = sandbox_page(_exports_page)


@sandbox_page
@require_POST
def export_request(request: SandboxRequest) -> HttpResponse:
    return act(
        request,
        request_export,
        account=request.account,
        done=queued_message,
        success_url=reverse("exports", args=[request.sandbox.pk]),
        refused=lambda: _exports_page(request),
    )


@sandbox_page
@require_POST
def export_retry(request: SandboxRequest, export_id: int) -> HttpResponse:
    job = get_object_or_404(ExportJob, pk=export_id, account=request.account)
    return act(
        request,
        retry_export,
        export=job,
        done=queued_message,
        success_url=reverse("exports", args=[request.sandbox.pk]),
        refused=lambda: _exports_page(request),
    )


@sandbox_page
def export_job(request: SandboxRequest, export_id: int) -> HttpResponse:
    """One job's row: htmx polls it while the job is queued or running."""
    job = get_object_or_404(ExportJob, pk=export_id, account=request.account)
    selectors.with_flight_words(
        selectors.with_retry_offers(request.account, [job], actor=actor(request))
    )
    context = {
        "nav": "exports",
        "jobs": [job],
        "job": job,
        "max_resends": setting("EXPORT_MAX_RESENDS"),
    }
    if job.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
        # The build ended: "Export my data" changes too (its cool-down, or free again).
        offer = selectors.export_offer(request.account, actor=actor(request))
        context.update(oob_offer=True, export_offer=offer)
    return page(
        request, "lifecycle/exports.html", context, partial="lifecycle/partials/export_job.html"
    )


# --- Inbox and timeline ---------------------------------------------------------------------


@sandbox_page
def inbox(request: SandboxRequest) -> HttpResponse:
    messages_ = InboxMessage.objects.filter(sandbox=request.sandbox)
    return page(
        request,
        "lifecycle/inbox.html",
        {
            "nav": "inbox",
            "page_obj": Paginator(messages_, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


def _links(message: InboxMessage) -> list[dict[str, Any]]:
    """An email's links as (label, url, file), whatever shape the sender stored them in.

    `file` marks a link to a file (the export's download): the template keeps htmx off it."""
    links = []
    for item in message.links or []:
        if isinstance(item, dict):
            url = item.get("url") or item.get("href") or ""
            links.append({"url": url, "label": item.get("label") or item.get("text") or url})
        else:
            links.append({"url": str(item), "label": str(item)})
    return [{**link, "file": links_to_file(link["url"])} for link in links if link["url"]]


@sandbox_page
def inbox_message(request: SandboxRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(InboxMessage, pk=message_id, sandbox=request.sandbox)
    return page(
        request,
        "lifecycle/inbox_message.html",
        {"nav": "inbox", "message": message, "links": _links(message)},
    )


# The timeline is what remains of a deleted account (RULEBOOK §5): its owner can still read it,
# under the banner that says the account was deleted. Every other page shows the deleted page.
@sandbox_page(allow_deleted=True)
def timeline(request: SandboxRequest) -> HttpResponse:
    form = TimelineFilter(request.GET or None)
    events = TimelineEvent.objects.for_seller().filter(sandbox=request.sandbox).order_by("-id")
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["actor"]:
            events = events.filter(actor_kind=data["actor"])
        if data["outcome"]:
            events = events.filter(outcome=data["outcome"])
    query = request.GET.copy()
    query.pop("page", None)
    return page(
        request,
        "lifecycle/timeline.html",
        {
            "nav": "timeline",
            "form": form,
            "page_obj": Paginator(events, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
        },
        partial="lifecycle/partials/timeline_rows.html",
    )
