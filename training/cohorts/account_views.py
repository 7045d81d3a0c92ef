"""Sign-in with the demo logins shown, password reset and change, and the tour's memory."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from lifecycle.errors import LifecycleError
from lifecycle.web import SignedInRequest

from .demo import demo_logins
from .forms import ResetForm
from .roles import is_demo_login
from .tour import dismiss_tour
from .verification import ask_to_verify, tokens, verify_email


class SignInView(auth_views.LoginView):
    """Django's sign-in; in demo mode the page lists the published demo logins."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_logins"] = demo_logins() if settings.DEMO_MODE else []
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change form, except for the demo logins, whose passwords are published."""

    def dispatch(self, request, *args, **kwargs):
        if is_demo_login(request.user):
            return render(request, "registration/password_change_demo.html", status=403)
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset; a site that sends no email (EMAILS_SANDBOX_ONLY) says so and sends none."""

    form_class = ResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sends_no_email": no_email()}

    def post(self, request, *args, **kwargs):
        if no_email():
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)


def no_email() -> bool:
    return getattr(settings, "EMAILS_SANDBOX_ONLY", False)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("password_reset_complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()


@login_required
@require_POST
def tour_dismiss(request: SignedInRequest) -> HttpResponse:
    dismiss_tour(person=request.user)
    return HttpResponse(status=204)


def _person(uidb64: str) -> User | None:
    try:
        return User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, OverflowError, User.DoesNotExist):
        return None


@require_http_methods(["GET", "POST"])
def email_verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The emailed link: its page asks to confirm (a GET changes nothing), its button does."""
    person = _person(uidb64)
    if person is None or not person.pending_email or not tokens.check_token(person, token):
        return render(request, "registration/email_verify.html", {"valid": False}, status=400)
    address = person.pending_email
    if request.method == "GET":
        return render(
            request, "registration/email_verify.html", {"valid": True, "address": address}
        )
    try:
        verify_email(person=person)
    except LifecycleError as err:
        context = {"valid": False, "reason": err.message}
        return render(request, "registration/email_verify.html", context, status=409)
    messages.success(request, f"Thank you: {address} is your login's email now.")
    return redirect("sandbox_list" if request.user.is_authenticated else "login")


@login_required
@require_POST
def email_verification_resend(request: SignedInRequest) -> HttpResponse:
    if request.user.pending_email:
        ask_to_verify(request.user)
        messages.success(request, f"A new link is on its way to {request.user.pending_email}.")
    return redirect("sandbox_list")
