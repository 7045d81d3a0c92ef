from django.db import models

from accounts.models import SellerAccount


class Parcel(models.Model):
    """A row no app of the simulator has: its table is made by the test that uses it."""

    account = models.ForeignKey(SellerAccount, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=20, default="packed")

    class Meta:
        app_label = "throwaway"

    def __str__(self) -> str:
        return f"Parcel {self.pk}"
