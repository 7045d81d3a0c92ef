"""The first-visit tour: shown until the person closes it, then only from the help menu."""

from django.utils import timezone

from accounts.models import User

from .models import TourState


def dismiss_tour(*, person: User) -> TourState:
    state, _ = TourState.objects.get_or_create(
        person=person, defaults={"dismissed_at": timezone.now()}
    )
    return state


def tour_pending(person: User) -> bool:
    return person.is_authenticated and not TourState.objects.filter(person=person).exists()
