"""Input of the lifecycle pages: the close-account request and the timeline filter."""

from django import forms

from lifecycle.actions import action_choices
from lifecycle.models import ActorKind, Outcome


class CloseAccountForm(forms.Form):
    # Both are checked by the service, so its refusal sentences reach the trainee unchanged.
    password = forms.CharField(
        label="Your sign-in password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    acknowledged = forms.BooleanField(
        label="I understand that products, orders, customers and exports will be removed for "
        "good once the deletion is final.",
        required=False,
    )


SELECT = forms.Select(attrs={"class": "form-select"})


class TimelineFilter(forms.Form):
    action = forms.ChoiceField(
        choices=lambda: [("", "Any action"), *action_choices()], required=False, widget=SELECT
    )
    actor = forms.ChoiceField(
        label="Who", choices=[("", "Anyone"), *ActorKind.choices], required=False, widget=SELECT
    )
    outcome = forms.ChoiceField(
        choices=[("", "Any outcome"), *Outcome.choices], required=False, widget=SELECT
    )
