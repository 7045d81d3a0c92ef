"""Input of the Seller Center's commerce pages."""

from decimal import Decimal

from django import forms

from lifecycle.money import currency
from shops.models import Shop


class ShipForm(forms.Form):
    tracking_number = forms.CharField(label="Tracking number", max_length=40)


class ProductForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    price = forms.DecimalField(
        label="Price", min_value=Decimal("0"), max_digits=10, decimal_places=2
    )
    stock = forms.IntegerField(
        label="Stock", min_value=0, max_value=1_000_000, help_text="Units you can send now."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price"].label = f"Price ({currency()})"  # the shop's currency setting


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="Your reply", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label="Campaign name", max_length=120)
    budget = forms.DecimalField(
        label="Budget", min_value=Decimal("0"), max_digits=10, decimal_places=2
    )
    shop = forms.ModelChoiceField(label="Shop", queryset=Shop.objects.none())

    def __init__(self, *args, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = shops
