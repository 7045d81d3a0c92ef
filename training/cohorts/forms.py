"""Input of the trainer pages and the sign-up page; each form validates, then one service acts."""

from datetime import date

from django import forms
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.utils import timezone

from accounts.models import User
from editions import registry as editions

from . import catalogue
from .roles import DEMO_GROUP

MAX_IMPORT_BYTES = 1024 * 1024


class CohortForm(forms.Form):
    name = forms.CharField(label="Cohort name", max_length=120)
    edition = forms.ChoiceField(
        label="Edition of the rules",
        required=False,  # the default edition's when left out
        help_text="The rules its trainees practise: each scenario names the editions it fits.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [(e.key, e.name) for e in editions.editions().values()]
        self.fields["edition"].initial = editions.default_key()


class InvitationForm(forms.Form):
    seats = forms.IntegerField(label="Seats", min_value=1, max_value=500, initial=30)
    valid_days = forms.IntegerField(label="Valid for (days)", min_value=1, max_value=90, initial=14)


DUE_WITHIN_YEARS = 5


class AssignmentForm(forms.Form):
    scenario = forms.ChoiceField(label="Scenario")
    due_on = forms.DateField(
        label="Due date (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = [
            (slug, scenario.title) for slug, scenario in catalogue.assignable().items()
        ]

    def clean_due_on(self) -> date | None:
        """A date a class can be held to: from today to a few years ahead."""
        due_on = self.cleaned_data["due_on"]
        today = timezone.localdate()
        latest = today.replace(year=today.year + DUE_WITHIN_YEARS, day=min(today.day, 28))
        if due_on is not None and not today <= due_on <= latest:
            raise forms.ValidationError(
                f"The due date must be between today and {latest:%-d %b %Y}."
            )
        return due_on


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns username,email and optionally first_name,last_name; "
        "the first line is the header.",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise forms.ValidationError(
                "The file is not UTF-8 text (save it as CSV UTF-8)."
            ) from err


class SignUpForm(UserCreationForm):
    """Username, email and a password checked by AUTH_PASSWORD_VALIDATORS."""

    email = forms.EmailField(
        label="Email",
        help_text="We send a link to it: it becomes your login's email once you open the link.",
    )

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]  # the stubs omit Meta
        model = User
        fields = ("username",)  # the email is not the login's until verified


class ResetForm(PasswordResetForm):
    """Django's reset form, also for imported trainees (no password yet), never for demos.

    Django skips logins with an unusable password; an imported trainee has one until they set
    theirs, and "forgot password" is how they would ask for the link again.
    """

    def get_users(self, email):
        return (
            User.objects.filter(email__iexact=email, is_active=True)
            .exclude(groups__name=DEMO_GROUP)
            .iterator()
        )
