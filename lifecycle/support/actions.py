"""One path for every staff action in the admin: preview, reason, confirm, then the service.

An admin action (from a list, a change page or the case page) first answers a page that says
what it will do to each selected object, asks for the internal reason (required; kept on the
record, never shown to the seller), offers "tell the seller" with a message where the seller is
told (RULEBOOK §11), and, when the action finalizes a deletion, asks for the account's name typed
out. Only the confirmed form runs the service, once per object, with the agent as actor and the
reason on the event; each result is reported and written to the admin's history (LogEntry),
refusals included.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst

from accounts.models import User
from lifecycle.errors import LifecycleError
from lifecycle.services import Actor


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff member who acts (the admin's pages sign in before any of this)."""
    if not isinstance(request.user, User):
        raise PermissionDenied("Sign in to act at the support desk.")
    return request.user


@dataclass(frozen=True)
class StaffAction:
    title: str
    # What happens to one object, in a sentence, before it is done.
    preview: Callable[[Any], str]
    # Does it; returns what was done, in a sentence. Gets the actor and the message to the
    # seller ("" when the seller is not told).
    run: Callable[[Any, Actor, str], str]
    tell_seller: bool = False
    # The seller accounts whose deletion it finalizes (a clock move, due work): the preview is
    # a danger confirmation naming each and what is removed, and the name must be typed out.
    finalizes: Callable[[list[Any]], list[Any]] = field(default=lambda objects: [])
    destructive: bool = False
    # Hidden fields the preview sends back for one object (name -> value), handed to `run` as
    # keyword arguments: what the agent saw, e.g. the clock reading a move is made from.
    seen: Callable[[Any], dict[str, str]] = field(default=lambda obj: {})
    # The timeline action it records, and the admin permissions ("app.codename") it needs: the
    # admin offers it only with all of them; a form posted without one is refused and recorded.
    records: str = ""
    rights: tuple[str, ...] = ()

    def allowed(self, user: Any) -> bool:
        return user.has_perms(self.rights)


ONE_AT_A_TIME = "This would finalize more than one deletion: select one sandbox at a time."
NEED_MESSAGE = "Write the message the seller gets, or untick “Tell the seller”."


class StaffActionForm(forms.Form):
    reason = forms.CharField(
        label="Internal reason (kept on the record for staff; the seller never sees it)",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason: every staff action is recorded with one."},
    )
    tell_seller = forms.BooleanField(
        label="Tell the seller: send the message below to their inbox and timeline",
        required=False,
    )
    message = forms.CharField(
        label="Message to the seller (what they read; sent only when “Tell the seller” is ticked)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    typed_name = forms.CharField(label="Type the account's name to confirm", required=False)

    def __init__(self, *args: Any, offer_tell: bool, names: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = names
        if not offer_tell:
            del self.fields["tell_seller"]
            del self.fields["message"]
        if not names:
            del self.fields["typed_name"]
        else:
            self.fields["typed_name"].required = True
            self.fields["typed_name"].error_messages["required"] = self._mistyped()

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason: every staff action is recorded with one.")
        return reason

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tell_seller") and not (data.get("message") or "").strip():
            self.add_error("message", NEED_MESSAGE)
        return data

    def told(self) -> str:
        """The message to the seller, or "" when the seller is not told."""
        if not self.cleaned_data.get("tell_seller"):
            return ""
        return self.cleaned_data.get("message", "").strip()

    def clean_typed_name(self) -> str:
        typed = self.cleaned_data.get("typed_name", "").strip()
        if len(self.names) > 1:
            raise forms.ValidationError(ONE_AT_A_TIME)
        if self.names and typed != self.names[0]:
            raise forms.ValidationError(self._mistyped())
        return typed

    def _mistyped(self) -> str:
        return f"Type the account's name exactly ({self.names[0]}) to finalize its deletion."


def staff_action(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any, spec: StaffAction
) -> TemplateResponse | HttpResponseRedirect | None:
    objects = list(queryset)
    finalizing = spec.finalizes(objects)
    names = [account.display_name for account in finalizing]
    confirmed = request.POST.get("confirm") == "yes"
    form = StaffActionForm(
        request.POST if confirmed else None, offer_tell=spec.tell_seller, names=names
    )
    if not confirmed or not form.is_valid():
        return _preview_page(modeladmin, request, objects, spec, form, finalizing)
    actor = Actor.staff(staff_user(request), reason=form.cleaned_data["reason"])
    told = form.told()
    for obj in objects:
        label = str(obj)
        seen = {name: request.POST.get(name, "") for name in spec.seen(obj)}
        try:
            done = spec.run(obj, actor, told, **seen)
        except LifecycleError as err:
            modeladmin.message_user(request, f"{label}: {err.message}", messages.WARNING)
            _log(modeladmin, request, obj, f"{spec.title} refused: {err.message}", actor)
        else:
            modeladmin.message_user(request, f"{label}: {done}", messages.SUCCESS)
            _log(modeladmin, request, obj, f"{spec.title}: {done}", actor)
    return back_to(modeladmin, request, objects)


def whose(obj: Any) -> tuple[Any, Any]:
    """(account or None, sandbox) of an object a staff action is taken on: whose record a
    refusal goes on (a clock's is the sandbox's own)."""
    from accounts.models import Sandbox, SellerAccount
    from shops.models import Shop

    if isinstance(obj, Sandbox):
        return None, obj
    if isinstance(obj, SellerAccount):
        return obj, obj.sandbox
    if isinstance(obj, Shop):
        link = obj.live_link()
        account = link.account if link else obj.sandbox.account
        return account, obj.sandbox
    if not hasattr(obj, "account") and hasattr(obj, "sandbox"):  # a checkpoint
        return obj.sandbox.account, obj.sandbox
    return obj.account, obj.account.sandbox  # an export


def refuse_without_right(
    modeladmin: admin.ModelAdmin, request: HttpRequest, spec: StaffAction, objects: list[Any]
) -> HttpResponseRedirect:
    """A staff action posted by an agent without its right: nothing runs; each object gets a
    refusal on its record (and the admin's history) naming the missing right, and the agent is
    told which right it is."""
    from lifecycle.services.support import refuse_missing_right, right_names

    missing = [r for r in spec.rights if not request.user.has_perm(r)]
    actor = Actor.staff(staff_user(request), reason=request.POST.get("reason", ""))
    for obj in objects:
        account, sandbox = whose(obj)
        refusal = refuse_missing_right(
            actor=actor,
            action=spec.records,
            title=spec.title,
            subject=obj,
            account=account,
            sandbox=sandbox,
            rights=missing,
        )
        _log(modeladmin, request, obj, f"{spec.title} refused: {refusal.message}", actor)
    names = " and ".join(f"“{name}”" for name in right_names(missing))
    modeladmin.message_user(
        request,
        f"Refused: “{spec.title}” needs the right {names}, which you do not have. Nothing was "
        "changed; the refusal is recorded in the staff audit log. Ask a lead to grant the right.",
        messages.ERROR,
    )
    target = _next(request) or _back_url(request, modeladmin.opts, objects)
    return HttpResponseRedirect(target)


def _log(modeladmin, request, obj, text: str, actor: Actor) -> None:
    """Django's admin history, beside the timeline; written directly, since a reset removes
    the row it acted on (the entry keeps its id and name)."""
    LogEntry.objects.create(
        user_id=request.user.pk,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=CHANGE,
        change_message=f"{text} Reason: {actor.reason or 'none given'}",
    )


def _preview_page(
    modeladmin, request, objects, spec: StaffAction, form, finalizing: list[Any]
) -> TemplateResponse:
    from lifecycle.selectors.closing import close_account_preview

    opts = modeladmin.opts
    noun = opts.verbose_name if len(objects) == 1 else opts.verbose_name_plural
    return TemplateResponse(
        request,
        "admin/lifecycle/staff_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": spec.title,
            "count_line": f"This applies to {len(objects)} {noun}.",
            "count": len(objects),
            "previews": [(obj, spec.preview(obj)) for obj in objects],
            "seen": [item for obj in objects for item in spec.seen(obj).items()],
            "form": form,
            "action": request.POST.get("action", ""),
            "next": _next(request) or "",
            "from_change": request.POST.get("_from", ""),
            "back_url": _next(request) or _back_url(request, opts, objects),
            "case_crumb": _case_crumb(_next(request)),
            "destructive": spec.destructive or bool(finalizing),
            # What is deleted for good, per account, said before the button (RULEBOOK §5).
            "finalizing": [
                (account, close_account_preview(account)["removed"]) for account in finalizing
            ],
            "one_at_a_time": ONE_AT_A_TIME if len(finalizing) > 1 else "",
            "opts": opts,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "submit_label": capfirst(spec.title)
            + (f" ({len(objects)})" if len(objects) > 1 else "")
            + (f" and delete {finalizing[0].display_name} for good" if finalizing else ""),
        },
    )


def _case_crumb(target: str | None) -> tuple[str, str] | None:
    """(address, label) of the case page the action was started from, for the breadcrumb."""
    from django.urls import Resolver404, resolve

    from accounts.models import SellerAccount

    if not target:
        return None
    try:
        found = resolve(target.split("?")[0])
    except Resolver404:
        return None
    if found.view_name != "support:case":
        return None
    account = SellerAccount.objects.filter(pk=found.kwargs["account_id"]).first()
    return (target, f"Case: {account.display_name}") if account else None


def _next(request: HttpRequest) -> str | None:
    target = request.POST.get("_next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


def _back_url(request: HttpRequest, opts, objects: list[Any]) -> str:
    if request.POST.get("_from") == "change" and len(objects) == 1:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[objects[0].pk])
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def back_to(modeladmin, request: HttpRequest, objects: list[Any]) -> HttpResponseRedirect | None:
    """Back to where the action was started: the case page, the change page or the list."""
    target = _next(request)
    if target:
        return HttpResponseRedirect(target)
    if request.POST.get("_from") != "change" or len(objects) != 1:
        return None
    model = type(objects[0])
    if not model.objects.filter(pk=objects[0].pk).exists():
        return None
    opts = model._meta
    return HttpResponseRedirect(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[objects[0].pk])
    )
