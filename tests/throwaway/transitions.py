"""The parcel's machine: declared here, registered by the test, applied by the unchanged core."""

from django.db import models

from lifecycle import actions
from lifecycle.transitions import PEOPLE, Kind, Machine, Subject, Transition, registry

from .models import Parcel


class ParcelAction(models.TextChoices):
    SEND_PARCEL = "send_parcel", "Send parcel"


PACKED, SENT = "packed", "sent"

PARCEL = Machine(
    "parcel",
    (PACKED, SENT),
    lambda rows: rows.subject.state,
    model=Parcel,
    field="state",
    labels={PACKED: "Packed", SENT: "Sent"},
    kind=Kind(lambda rows: rows.subject, lambda rows: "parcel"),
    subject=Subject(Parcel, "parcel", lambda parcel: f"Parcel #{parcel.pk}"),
)

SEND_PARCEL = Transition(
    ParcelAction.SEND_PARCEL, "parcel", (PACKED,), SENT, PEOPLE, event="parcel"
)


def register() -> None:
    actions.register(ParcelAction)
    registry.register(PARCEL, other=(SEND_PARCEL,))


def unregister() -> None:
    registry.unregister(PARCEL)
    actions.unregister(ParcelAction)
