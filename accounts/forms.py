"""Input of the account pages; each form validates, then a view hands off to one service."""

from django import forms

from accounts.models import Sandbox
from accounts.types import TYPES_NEEDING_CATEGORY, AccountType, Category
from editions import registry as editions


class SandboxForm(forms.Form):
    name = forms.CharField(label="Sandbox name", max_length=100)
    edition = forms.ChoiceField(
        label="Edition of the rules",
        required=False,  # the default edition's when left out
        help_text="The platform's rules the sandbox is played under; each has its rules page.",
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        every = editions.editions().values()
        self.fields["edition"].choices = [(e.key, e.name) for e in every]
        self.fields["edition"].initial = editions.default_key()

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

    def clean(self) -> dict:
        """The category field belongs to creator and business: with personal chosen, what it
        still shows (the old category) is not asked for. The service keeps the rule for direct
        callers: a personal account with a category is refused."""
        data = super().clean() or {}
        if data.get("account_type") and data["account_type"] not in TYPES_NEEDING_CATEGORY:
            data["category"] = ""
        return data

    @staticmethod
    def initial_for(account, wanted: str) -> dict[str, str]:
        """The form as "Choose <type>" opens it: the account's category kept only for a type
        that has one."""
        category = account.category if wanted in TYPES_NEEDING_CATEGORY else ""
        return {"account_type": wanted, "category": category}
