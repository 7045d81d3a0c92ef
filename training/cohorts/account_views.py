"""Sign-in with the demo logins shown, password reset and change, and the tour's memory."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from .demo import demo_logins
from .forms import ResetForm
from .roles import is_demo_login
from .tour import dismiss_tour


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
def tour_dismiss(request: HttpRequest) -> HttpResponse:
    dismiss_tour(person=request.user)
    return HttpResponse(status=204)
