"""Input of the videos and audience pages; each form validates, then a view calls one service."""

from typing import TYPE_CHECKING

from django import forms

from .sounds import LIBRARY

if TYPE_CHECKING:
    from shops.models import Product


class SoundForm(forms.Form):
    sound = forms.ChoiceField(choices=[(s.key, s.title) for s in LIBRARY])


class ProductLinkForm(forms.Form):
    product: "forms.ModelChoiceField[Product]" = forms.ModelChoiceField(
        queryset=None,
        label="Product to link",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class LiveSessionForm(forms.Form):
    title = forms.CharField(label="Title", max_length=120)
    starts_at = forms.DateTimeField(
        label="Starts at (sandbox time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
