"""The pages the jobs' emails link to (deletion confirmation, export download) and /healthz.

Each validates input, calls one service and renders; a refusal becomes a message with a 4xx
status, never a server error.
"""

from hmac import compare_digest
from http import HTTPStatus

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Sandbox, SellerAccount
from editions.registry import rule
from lifecycle import heartbeat
from lifecycle.errors import Code, LifecycleError
from lifecycle.jobs import broker_ok
from lifecycle.models import DeletionRequest, DeletionStatus, ExportJob
from lifecycle.services import (
    confirm_deletion,
    open_confirmation_link,
    record_download,
    request_for_token,
)
from lifecycle.services.deletion.confirmation import INVALID
from lifecycle.services.exports import download_refusal
from lifecycle.web import actor as trainee
from lifecycle.web import sends_file

# Refusals that mean "this link is wrong" (400) rather than "this link is no longer usable" (409).
BAD_LINK = {Code.TOKEN_INVALID, Code.NOT_YOUR_SANDBOX}
GONE = {Code.EXPORT_EXPIRED, Code.EXPORT_FILE_MISSING}


def _own_sandbox(request: HttpRequest, sandbox_id: int) -> Sandbox:
    """The sandbox, if the signed-in trainee owns it; 404 for anyone else (staff included)."""
    return get_object_or_404(Sandbox, pk=sandbox_id, owner=request.user)


# Where the first hop of the emailed link leaves its token: the session, per sandbox.
TOKEN_SESSION_KEY = "deletion-confirmation-token-{}"  # nosec B105  # a session key name
# The request this browser confirmed: a reload of the page (or the form sent twice) shows the
# confirmation again while it stands, instead of calling the used link "not valid".
CONFIRMED_SESSION_KEY = "deletion-confirmed-{}"
LONGEST_TOKEN = 512  # a real one is under 100 characters; anything longer is not kept


@require_GET
def confirm_deletion_link(request: HttpRequest, sandbox_id: int, token: str) -> HttpResponse:
    """The emailed link: keep its token in the session and go on to an address without it.

    As Django's password reset does, so the token is not repeated by the browser's history,
    the Referer of the next requests, or the log lines of the pages that follow. It is checked
    there (after sign-in, for the sandbox's owner only), not here.
    """
    request.session[TOKEN_SESSION_KEY.format(sandbox_id)] = token[:LONGEST_TOKEN]
    return redirect("confirm_deletion_page", sandbox_id)


@login_required
@require_http_methods(["GET", "POST"])
def confirm_deletion_view(request: HttpRequest, sandbox_id: int) -> HttpResponse:
    sandbox = _own_sandbox(request, sandbox_id)
    key = TOKEN_SESSION_KEY.format(sandbox.pk)
    token = request.session.get(key, "")
    deletion = request_for_token(token) if token else None
    if deletion is not None and deletion.account.sandbox_id != sandbox.pk:
        deletion = None  # a link of another sandbox is no link of this one
    context = {
        "sandbox": sandbox,
        "deletion": deletion,
        "account": deletion.account if deletion else None,
        "grace_days": rule(sandbox, "DELETION_GRACE").days,
    }
    if deletion is None and (confirmed := _confirmed_here(request, sandbox)) is not None:
        context.update(confirmed=confirmed, account=confirmed.account)
        return render(request, "lifecycle/confirm_deletion.html", context)
    status = HTTPStatus.OK
    actor = trainee(request)
    try:
        if not token:
            raise LifecycleError(Code.TOKEN_INVALID, INVALID)  # no link opened: nothing to record
        if request.method == "GET" or deletion is None:
            # A used, closed, expired or forged link says so at once instead of offering a
            # button, and the refusal is on the record (the sandbox's, for a forged one).
            open_confirmation_link(actor=actor, token=token, sandbox=sandbox)
        if request.method == "POST":
            confirmed = confirm_deletion(actor=actor, token=token, sandbox=sandbox)
            context["confirmed"] = confirmed  # the request the token names: `deletion`
            request.session.pop(key, None)  # used: nothing left to keep
            request.session[CONFIRMED_SESSION_KEY.format(sandbox.pk)] = confirmed.pk
            # The account as the confirmation left it: the top bar's badge then says what the
            # banner says (a boosted post swaps the whole body, top bar included).
            context["account"] = SellerAccount.objects.get(pk=confirmed.account_id)
    except LifecycleError as err:
        context["error"] = err
        status = HTTPStatus.BAD_REQUEST if err.code in BAD_LINK else HTTPStatus.CONFLICT
    return render(request, "lifecycle/confirm_deletion.html", context, status=status)


def _confirmed_here(request: HttpRequest, sandbox: Sandbox) -> DeletionRequest | None:
    """The deletion this browser confirmed in this sandbox, while it is still scheduled."""
    pk = request.session.get(CONFIRMED_SESSION_KEY.format(sandbox.pk))
    if pk is None:
        return None
    return (
        DeletionRequest.objects.filter(
            pk=pk, account__sandbox=sandbox, status=DeletionStatus.SCHEDULED
        )
        .select_related("account")
        .first()
    )


def _downloadable(sandbox_id: int, export_id: int) -> bool:
    """Whether the export's file can be sent now (else its link leads to the page saying why)."""
    export = (
        ExportJob.objects.filter(pk=export_id, account__sandbox_id=sandbox_id)
        .select_related("account__sandbox")
        .first()
    )
    return export is not None and download_refusal(export, export.account.sandbox.now()) is None


@sends_file(available=_downloadable)
@login_required
@require_GET
def download_export_view(
    request: HttpRequest, sandbox_id: int, export_id: int
) -> HttpResponse | FileResponse:
    """The export's file, counted as a download (data backed up) only when the file is sent.

    The file is opened first and the download recorded next: a file that cannot be sent is
    never counted, and one that is counted is sent. A second download sends the file again and
    records nothing (the service's repeat); a refusal is recorded once, not once per request.
    """
    sandbox = _own_sandbox(request, sandbox_id)
    export = get_object_or_404(ExportJob, pk=export_id, account__sandbox=sandbox)
    source = _open(export)
    try:
        export = record_download(actor=trainee(request), export=export)
    except LifecycleError as err:
        if source is not None:
            source.close()
        if err.code not in GONE and err.code != Code.EXPORT_NOT_READY:
            raise Http404(err.message) from err
        status = HTTPStatus.GONE if err.code in GONE else HTTPStatus.CONFLICT
        return render(
            request,
            "lifecycle/export_unavailable.html",
            {"sandbox": sandbox, "export": export, "error": err},
            status=status,
        )
    return FileResponse(
        source or export.file.open("rb"),
        as_attachment=True,
        filename=f"seller-data-export-{export.pk}.zip",
        content_type="application/zip",
    )


def _open(export: ExportJob) -> File | None:
    """The export's stored file, open for reading; None when there is none to open."""
    if not export.file.name:
        return None
    try:
        return export.file.storage.open(export.file.name, "rb")
    except FileNotFoundError:
        return None


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker, workers and scheduler; 503 when any of them is down or stale.

    The workers and the scheduler are judged by the heartbeat rows they write (lifecycle.heartbeat):
    no round trip to them, so the answer takes milliseconds whatever state they are in.
    """
    checks: dict[str, bool | None] = {"database": _database_ok(), "broker": broker_ok()}
    parts = _heartbeats() if checks["database"] else {}
    for kind in (heartbeat.WORKER, heartbeat.SCHEDULER):
        checks[kind] = parts[kind].up if kind in parts else None  # None: unknown
    healthy = all(checks.values())
    words = {True: "ok", False: "down", None: "unknown"}
    body: dict = {
        "status": "ok" if healthy else "degraded",
        **{name: words[ok] for name, ok in checks.items()},
    }
    if sees_health_detail(request):
        body["workers"] = parts[heartbeat.WORKER].alive if parts else []
        body["schedulers"] = parts[heartbeat.SCHEDULER].alive if parts else []
        body["heartbeats"] = {
            kind: {"last": part.last.isoformat() if part.last else None, "detail": part.detail}
            for kind, part in parts.items()
        }
    return JsonResponse(body, status=HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE)


def sees_health_detail(request: HttpRequest) -> bool:
    """The names of the workers and schedulers and their heartbeat times are for support staff
    and for a monitor that sends `Authorization: Bearer <HEALTHZ_TOKEN>`; anyone else gets the
    states only. The token is compared first: a monitor costs no session query."""
    token = settings.HEALTHZ_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and sent.startswith("Bearer ") and compare_digest(sent[7:].strip(), token):
        return True
    try:
        return bool(request.user.is_staff)
    except Exception:  # the session cannot be read (the database is down): not known as staff
        return False


def _heartbeats() -> dict[str, heartbeat.Part]:
    try:
        return heartbeat.status()
    except Exception:  # the table cannot be read: unknown, said as such
        return {}


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return False
    return True
