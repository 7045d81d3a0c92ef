"""A free-play sandbox's checkpoints: the list, saving one, restoring one (RULEBOOK §11).

Each view loads the trainee's own sandbox (`sandbox_page`: 404 otherwise) and calls one service;
a refusal keeps its page, with its sentence and status 409.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from lifecycle.datetimes import when
from lifecycle.errors import LifecycleError
from lifecycle.web import SandboxRequest, actor, confirm, page, sandbox_page
from lifecycle.wording import count

from .models import Checkpoint
from .services import restore_checkpoint, save_checkpoint


def _listed(request: SandboxRequest) -> list[Checkpoint]:
    return list(Checkpoint.objects.listed().filter(sandbox=request.sandbox).defer("rows", "files"))


def _list_page(request: SandboxRequest, status: int = 200) -> HttpResponse:
    from django.conf import settings

    return page(
        request,
        "rewind/checkpoints.html",
        {
            "nav": "checkpoints",
            "checkpoints": _listed(request),
            "limit": settings.REWIND_MAX_CHECKPOINTS,
            "in_attempt": request.sandbox.attempts.exists(),
        },
        status=status,
    )


@sandbox_page(allow_deleted=True)
def checkpoints(request: SandboxRequest) -> HttpResponse:
    if request.method != "POST":
        return _list_page(request)
    try:
        saved = save_checkpoint(
            actor=actor(request), sandbox=request.sandbox, name=request.POST.get("name", "")
        )
    except LifecycleError as err:
        messages.error(request, err.message)
        return _list_page(request, status=409)
    messages.success(request, f"Checkpoint “{saved.name}” saved.")
    return redirect("checkpoints", request.sandbox.pk)


def _checkpoint(request: SandboxRequest, checkpoint_id: int) -> Checkpoint:
    return get_object_or_404(
        Checkpoint.objects.listed().defer("rows", "files"),
        pk=checkpoint_id,
        sandbox=request.sandbox,
    )


@sandbox_page(allow_deleted=True)
@require_POST
def restore_new(request: SandboxRequest, checkpoint_id: int) -> HttpResponse:
    """The checkpoint as a new sandbox of the trainee's; this one stays as it is."""
    checkpoint = _checkpoint(request, checkpoint_id)
    try:
        restored = restore_checkpoint(actor=actor(request), checkpoint=checkpoint)
    except LifecycleError as err:
        messages.error(request, err.message)
        return _list_page(request, status=409)
    messages.success(request, f"{restored.name} holds the sandbox as it was at {checkpoint.name}.")
    return redirect("dashboard", restored.pk)


@sandbox_page(allow_deleted=True)
def restore_in_place(request: SandboxRequest, checkpoint_id: int) -> HttpResponse:
    """This sandbox back to the checkpoint, after a confirmation that names what happens."""
    checkpoint = _checkpoint(request, checkpoint_id)
    sandbox = request.sandbox
    if request.method != "POST":
        since = sandbox.events.filter(id__gt=checkpoint.last_event_id).count()
        return confirm(
            request,
            title=f"Restore {sandbox.name} to “{checkpoint.name}”?",
            consequences=[
                f"The sandbox goes back to {when(checkpoint.sandbox_time)} on its clock: every "
                "row, the inbox and the timeline as they were then.",
                f"What happened since ({count(since, 'event')}) leaves this sandbox; it is "
                "kept on the record for support staff, not shown to you.",
                "Saved checkpoints stay, so you can come back here from another one.",
            ],
            button="Restore in place",
            hidden={"confirmed": "yes"},
            cancel_url=reverse("checkpoints", args=[sandbox.pk]),
            context={"nav": "checkpoints"},
        )
    try:
        restore_checkpoint(
            actor=actor(request),
            checkpoint=checkpoint,
            in_place=True,
            confirmed=request.POST.get("confirmed") == "yes",
        )
    except LifecycleError as err:
        messages.error(request, err.message)
        return _list_page(request, status=409)
    messages.success(request, f"{sandbox.name} is back at “{checkpoint.name}”.")
    return redirect("dashboard", sandbox.pk)
