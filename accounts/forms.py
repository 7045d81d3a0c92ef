"""Input of the account pages; each form validates, then a view hands off to one service."""

from django import forms

from accounts.models import Sandbox
from accounts.types import AccountType, Category


class SandboxForm(forms.Form):
    name = forms.CharField(label="Sandbox name", max_length=100)

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Sandbox.objects.filter(owner=self.owner, name=name).exists():
            raise forms.ValidationError("You already have a sandbox with that name.")
        return name


class AccountTypeForm(forms.Form):
    account_type = forms.ChoiceField(
        label="New account type", choices=AccountType.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(
        label="Category (creator and business)",
        choices=[("", "— none (personal) —"), *Category.choices],
        required=False,
    )
