"""The support desk's pages. Each reads through `case` or `dashboard`; every change is an admin
action (posted from these pages) or, for notes, one service call."""

from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import SellerAccount
from lifecycle.services import Actor
from lifecycle.services.support import add_note

from . import case as cases
from .actions import staff_user
from .audit import AuditFilter, audit_page
from .dashboard import dashboard


def _page(request: HttpRequest, template: str, title: str, **context) -> TemplateResponse:
    return TemplateResponse(
        request, template, {**admin.site.each_context(request), "title": title, **context}
    )


def _may_view(request: HttpRequest) -> None:
    if not request.user.has_perm("accounts.view_selleraccount"):
        raise PermissionDenied


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    _may_view(request)
    query = request.GET.get("q", "").strip()
    found = list(cases.search(query)[: cases.RESULTS_SHOWN + 1])
    if len(found) == 1:
        return HttpResponseRedirect(reverse("support:case", args=[found[0].pk]))
    return _page(
        request,
        "admin/support/search.html",
        "Find a seller",
        query=query,
        results=found[: cases.RESULTS_SHOWN],
        more=len(found) > cases.RESULTS_SHOWN,
    )


@require_GET
def case_view(request: HttpRequest, account_id: int) -> HttpResponse:
    _may_view(request)
    account = get_object_or_404(
        SellerAccount.objects.select_related("sandbox", "sandbox__owner"), pk=account_id
    )
    action = request.GET.get("action", "")
    outcome = request.GET.get("outcome", "")
    context = cases.case(account)
    here = reverse("support:case", args=[account.pk])
    return _page(
        request,
        "admin/support/case.html",
        f"Case: {account.display_name}",
        **context,
        events=cases.timeline(
            account, action=action, outcome=outcome, page=request.GET.get("page", "1")
        ),
        chosen_action=action,
        chosen_outcome=outcome,
        here=request.get_full_path() or here,
        may=_rights(request),
    )


def _rights(request: HttpRequest) -> dict[str, bool]:
    perm = request.user.has_perm
    return {
        "deactivate": perm("accounts.deactivate_selleraccount"),
        "reactivate": perm("accounts.reactivate_selleraccount"),
        "cancel_deletion": perm("accounts.cancel_deletion_selleraccount"),
        "resend": perm("accounts.resend_confirmation_selleraccount"),
        "retry": perm("accounts.retry_export_selleraccount"),
        "unlink": perm("shops.unlink_shop"),
        "override": perm("shops.unlink_shop") and perm("shops.override_unlink_limits_shop"),
        "clock": perm("accounts.advance_clock_sandbox"),
        "run_due": perm("accounts.run_due_work_sandbox"),
        "note": perm("lifecycle.add_supportnote"),
    }


@require_POST
def note_view(request: HttpRequest, account_id: int) -> HttpResponse:
    if not request.user.has_perm("lifecycle.add_supportnote"):
        raise PermissionDenied
    account = get_object_or_404(SellerAccount, pk=account_id)
    agent = staff_user(request)
    try:
        note = add_note(
            actor=Actor.staff(agent), account=account, text=request.POST.get("text", "")
        )
    except ValueError as err:
        messages.warning(request, str(err))
    else:  # the admin's history too, like every admin action
        LogEntry.objects.log_actions(
            user_id=agent.pk,
            queryset=[note],
            action_flag=ADDITION,
            change_message=f"Note on {account}.",
            single_object=True,
        )
        messages.success(request, "Note kept with the case.")
    return HttpResponseRedirect(reverse("support:case", args=[account.pk]))


@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    _may_view(request)
    return _page(request, "admin/support/dashboard.html", "Support dashboard", **dashboard())


@require_GET
def audit_view(request: HttpRequest) -> HttpResponse:
    """Every staff action and refusal, filtered by agent, action, outcome and real time."""
    if not request.user.has_perm("lifecycle.view_timelineevent"):
        raise PermissionDenied
    form = AuditFilter(request.GET or None)
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "admin/support/audit.html",
        "Staff audit log",
        form=form,
        events=audit_page(form, request.GET.get("page", "1")),
        query=query.urlencode(),
    )
